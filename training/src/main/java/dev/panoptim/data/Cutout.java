package dev.panoptim.data;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Zeroes a {@code size x size} square of every channel, centred on a uniformly random pixel and clipped
 * to the image (DeVries and Taylor 2017, "Improved Regularization of Convolutional Neural Networks
 * with Cutout", one hole). Draws two ints: the centre row, then the centre column. After
 * {@link Normalize} a zero is the mean colour, as in the paper's code, which cuts out after normalising.
 *
 * <pre>{@code new Compose(new ToFloat(), Cifar10.normalize(), new Cutout(16))}</pre>
 */
public final class Cutout implements Transform {
    private final int size;

    /** A square hole of side {@code size >= 1}. */
    public Cutout(int size) {
        if (size < 1) throw new IllegalArgumentException("cutout size must be >= 1, got " + size);
        this.size = size;
    }

    @Override
    public Image apply(Image image, RandomGenerator rng) {
        int h = image.height(), w = image.width();
        int cy = rng.nextInt(h);
        int cx = rng.nextInt(w);
        int y0 = Math.max(0, cy - size / 2), y1 = Math.min(h, cy - size / 2 + size);
        int x0 = Math.max(0, cx - size / 2), x1 = Math.min(w, cx - size / 2 + size);
        float[] d = image.data();
        for (int ch = 0; ch < image.channels(); ch++) {
            for (int y = y0; y < y1; y++) {
                int row = (ch * h + y) * w;
                Arrays.fill(d, row + x0, row + x1, 0f);
            }
        }
        return image;
    }

    @Override
    public String toString() {
        return "Cutout(size=" + size + ")";
    }
}
