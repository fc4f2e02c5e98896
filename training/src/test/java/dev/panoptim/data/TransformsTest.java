package dev.panoptim.data;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each transform on a known image, and determinism under a seed. */
class TransformsTest {
    /** A c x h x w image whose pixel (c, y, x) is 1 + 100c + 10y + x (never zero). */
    static Image known(int c, int h, int w) {
        float[] d = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) d[(ch * h + y) * w + x] = 1 + 100 * ch + 10 * y + x;
        return new Image(d, c, h, w);
    }

    static float[] run(Transform t, Image img, long seed) {
        return t.apply(img, new SplittableRandom(seed)).data();
    }

    @Test
    void toFloatDividesBy255() {
        Image img = new Image(new float[] {0, 51, 255}, 1, 1, 3);
        assertArrayEquals(new float[] {0f, 0.2f, 1f}, new ToFloat().apply(img, null).data());
    }

    @Test
    void normalizeSubtractsMeanAndDividesByStdPerChannel() {
        Image img = new Image(new float[] {0.5f, 0.5f, 1f, 1f}, 2, 1, 2);
        float[] out = new Normalize(new float[] {0.5f, 0.2f}, new float[] {0.25f, 0.4f}).apply(img, null).data();
        assertArrayEquals(new float[] {0f, 0f, 2f, 2f}, out, 1e-6f);
        float[] one = new Normalize(new float[] {0.5f}, new float[] {0.5f}).apply(new Image(new float[] {0, 1, 1}, 3, 1, 1), null).data();
        assertArrayEquals(new float[] {-1, 1, 1}, one, 1e-6f);   // one mean/std broadcasts over the channels
    }

    @Test
    void normalizationConstantsAreTheCoursesAndTheDatasets() {
        assertArrayEquals(new float[] {0.485f, 0.456f, 0.406f}, Cifar10.normalize().mean());
        assertArrayEquals(new float[] {0.229f, 0.224f, 0.225f}, Cifar10.normalize().std());
        assertArrayEquals(new float[] {0.2860f}, FashionMnist.normalize().mean());
        assertArrayEquals(new float[] {0.3530f}, FashionMnist.normalize().std());
        // a CIFAR pixel (255, 0, 128) through ToFloat and ImageNet's Normalize, by hand
        Image px = new Image(new float[] {255, 0, 128}, 3, 1, 1);
        float[] out = Cifar10.testTransforms().apply(px, null).data();
        assertArrayEquals(new float[] {(1 - 0.485f) / 0.229f, (0 - 0.456f) / 0.224f, (128 / 255f - 0.406f) / 0.225f}, out, 1e-6f);
    }

    @Test
    void normalizeRejectsBadStatisticsAndChannelMismatch() {
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0.5f}, new float[] {0f}));
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0.5f, 0.5f}, new float[] {1f}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Cifar10.normalize().apply(known(1, 2, 2), null));
        assertTrue(e.getMessage().contains("has 3 channels, the image has 1"), e.getMessage());
    }

    @Test
    void statisticsAreExact() {
        // two 2-channel 1x2 images: channel 0 holds 0, 255, 255, 0; channel 1 holds 51 everywhere
        ImageDataset ds = new ImageDataset(new byte[] {0, (byte) 255, 51, 51, (byte) 255, 0, 51, 51}, new byte[] {0, 1}, 2, 1, 2,
                java.util.List.of("a", "b"));
        Statistics s = Statistics.of(ds);
        assertArrayEquals(new double[] {0.5, 0.2}, s.mean(), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.0}, s.std(), 1e-12);
    }

    @Test
    void cropWindowShiftsTheContentAndPadsWithZeros() {
        RandomCrop crop = new RandomCrop(4, 2);
        Image img = known(2, 4, 4);
        Image same = crop.crop(img, 0, 0);
        assertArrayEquals(img.data(), same.data());
        Image shifted = crop.crop(img, -1, 2);   // window one row above the image, two columns right
        for (int ch = 0; ch < 2; ch++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    int sy = y - 1, sx = x + 2;
                    float expected = sy >= 0 && sy < 4 && sx < 4 ? img.at(ch, sy, sx) : 0f;
                    assertEquals(expected, shifted.at(ch, y, x), "c" + ch + " y" + y + " x" + x);
                }
            }
        }
        assertEquals(0f, crop.crop(img, -4, 0).data()[0]);   // entirely in the padding
    }

    @Test
    void randomCropDrawsEveryOffsetAndIsDeterministic() {
        RandomCrop crop = new RandomCrop(4, 2);
        Set<Float> corners = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            float[] a = run(crop, known(1, 4, 4), seed);
            assertArrayEquals(a, run(crop, known(1, 4, 4), seed), "same seed, same crop");
            assertEquals(16, a.length);
            // the top-left output pixel is image pixel (top - 2, left - 2): its value identifies the offset
            SplittableRandom r = new SplittableRandom(seed);
            int top = r.nextInt(5), left = r.nextInt(5);
            assertArrayEquals(crop.crop(known(1, 4, 4), top - 2, left - 2).data(), a);
            corners.add(a[0]);
        }
        assertTrue(corners.size() >= 5, "offsets vary: " + corners);
        Image big = new RandomCrop(3, 0).apply(known(3, 5, 6), new SplittableRandom(1));
        assertEquals(3, big.height());
        assertEquals(3, big.width());
        assertEquals(3, big.channels());
        assertThrows(IllegalArgumentException.class, () -> new RandomCrop(9, 1).apply(known(1, 4, 4), new SplittableRandom(0)));
    }

    @Test
    void flipMirrorsEachRowOfEachChannel() {
        Image img = known(2, 3, 5);
        float[] flipped = new RandomHorizontalFlip(1.0).apply(known(2, 3, 5), new SplittableRandom(0)).data();
        Image f = new Image(flipped, 2, 3, 5);
        for (int ch = 0; ch < 2; ch++) for (int y = 0; y < 3; y++) for (int x = 0; x < 5; x++) assertEquals(img.at(ch, y, 4 - x), f.at(ch, y, x));
        assertArrayEquals(img.data(), run(new RandomHorizontalFlip(0.0), known(2, 3, 5), 0));
        int flips = 0;
        for (long seed = 0; seed < 400; seed++) {
            float[] a = run(new RandomHorizontalFlip(), known(1, 2, 2), seed);
            assertArrayEquals(a, run(new RandomHorizontalFlip(), known(1, 2, 2), seed));
            if (a[0] != 1f) flips++;
        }
        assertTrue(flips > 150 && flips < 250, "about half flipped: " + flips);
        assertThrows(IllegalArgumentException.class, () -> new RandomHorizontalFlip(1.5));
    }

    @Test
    void cutoutZeroesOneSquareInEveryChannel() {
        for (long seed = 0; seed < 100; seed++) {
            Image img = known(3, 10, 12);
            float[] out = run(new Cutout(4), known(3, 10, 12), seed);
            assertArrayEquals(out, run(new Cutout(4), known(3, 10, 12), seed), "same seed, same hole");
            SplittableRandom r = new SplittableRandom(seed);
            int cy = r.nextInt(10), cx = r.nextInt(12);
            int zeros = 0;
            for (int ch = 0; ch < 3; ch++) {
                for (int y = 0; y < 10; y++) {
                    for (int x = 0; x < 12; x++) {
                        boolean inHole = y >= cy - 2 && y < cy + 2 && x >= cx - 2 && x < cx + 2;
                        float v = out[(ch * 10 + y) * 12 + x];
                        assertEquals(inHole ? 0f : img.at(ch, y, x), v);
                        if (v == 0f) zeros++;
                    }
                }
            }
            int rows = Math.min(10, cy + 2) - Math.max(0, cy - 2), cols = Math.min(12, cx + 2) - Math.max(0, cx - 2);
            assertEquals(3 * rows * cols, zeros);
            if (cy >= 2 && cy <= 8 && cx >= 2 && cx <= 10) assertEquals(3 * 16, zeros, "a whole 4x4 square away from the borders");
        }
    }

    @Test
    void composeAppliesInOrderAndPrintsLikeTorchvision() {
        Compose c = new Compose(new ToFloat(), new Normalize(new float[] {0.5f}, new float[] {0.5f}));
        assertArrayEquals(new float[] {-1f, 1f}, c.apply(new Image(new float[] {0, 255}, 1, 1, 2), null).data(), 1e-6f);
        assertEquals("Compose(RandomCrop(size=32, padding=4), RandomHorizontalFlip(p=0.5), ToFloat(), "
                + "Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]))", Cifar10.trainTransforms().toString());
        Image a = new Image(TestData.dataset(1, 3, 32, 32).get(0).image(), 3, 32, 32);
        Image b = new Image(a.data().clone(), 3, 32, 32);
        assertArrayEquals(run(Cifar10.trainTransforms(), a, 9), run(Cifar10.trainTransforms(), b, 9));
        assertNotEquals(Cifar10.trainTransforms().apply(new Image(new float[3 * 32 * 32], 3, 32, 32), new SplittableRandom(1)).data()[0], 0f);
    }
}
