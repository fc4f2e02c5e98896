package dev.panoptim.track;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Media images from pixels, bytes and BufferedImages, and Run.log storing them next to the numbers of a step. */
class MediaTest {
    @TempDir
    Path dir;
    SqliteRunStore store;

    @BeforeEach
    void open() {
        store = SqliteRunStore.inDirectory(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    @Test
    void grayPixelsBecomeAPngOfTheirLevels() throws IOException {
        float[] hw = {0f, 0.5f, 1f, 2f, -1f, Float.NaN};   // 2 x 3; outside [0, 1] clipped, NaN black
        Media m = Media.image(hw, 2, 3);
        assertEquals("image", m.kind());
        assertEquals("image/png", m.contentType());
        assertEquals(3, m.width());
        assertEquals(2, m.height());
        BufferedImage back = decode(m.bytes());
        int[] levels = new int[6];
        for (int i = 0; i < 6; i++) levels[i] = back.getRaster().getSample(i % 3, i / 3, 0);
        assertArrayEquals(new int[] {0, 128, 255, 255, 0, 0}, levels);
        assertEquals(Map.of("width", 3, "height", 2), Json.readObject(m.metaJson()));
    }

    @Test
    void channelsAreChwAndARangeMapsToBlackAndWhite() throws IOException {
        // 3 x 1 x 2: pixel 0 red, pixel 1 blue; the range -1 .. 1
        float[] chw = {1f, -1f, -1f, -1f, -1f, 1f};
        BufferedImage back = decode(Media.image(chw, 3, 1, 2, -1f, 1f).bytes());
        assertEquals(0xff0000, back.getRGB(0, 0) & 0xffffff);
        assertEquals(0x0000ff, back.getRGB(1, 0) & 0xffffff);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Media.image(chw, 3, 2, 2));
        assertEquals("6 pixel values are not 3 x 2 x 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Media.image(chw, 2, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> Media.image(chw, 3, 1, 2, 1f, 1f));
        assertThrows(IllegalArgumentException.class, () -> Media.image(new float[0], 0, 5));
    }

    @Test
    void encodedBytesAreKeptAndBufferedImagesEncoded() throws IOException {
        BufferedImage img = new BufferedImage(5, 4, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 2, 0x123456);
        Media fromImage = Media.image(img).withCaption("five by four");
        assertEquals("five by four", fromImage.caption());
        assertEquals(0x123456, decode(fromImage.bytes()).getRGB(1, 2) & 0xffffff);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", jpeg);
        Media fromJpeg = Media.image(jpeg.toByteArray());
        assertEquals("image/jpeg", fromJpeg.contentType());
        assertEquals(5, fromJpeg.width());
        assertEquals(4, fromJpeg.height());
        assertArrayEquals(jpeg.toByteArray(), fromJpeg.bytes(), "kept as given");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Media.image("GIF89a..".getBytes()));
        assertTrue(e.getMessage().startsWith("not a PNG or JPEG image (8 bytes starting 4749463839612e2e"), e.getMessage());
    }

    @Test
    void aClassificationCarriesClassesProbabilitiesAndLabel() {
        Media image = Media.image(new float[] {0.2f, 0.4f}, 1, 2).withCaption("#3");
        Media c = Media.classification(image, List.of("cat", "dog"), new float[] {0.25f, 0.75f}, 1);
        assertEquals("classification", c.kind());
        assertEquals("#3", c.caption());
        Map<String, Object> meta = Json.readObject(c.metaJson());
        assertEquals(List.of("cat", "dog"), meta.get("classes"));
        assertEquals(List.of(0.25, 0.75), meta.get("probabilities"));
        assertEquals(1, meta.get("label"));
        assertEquals(2, meta.get("width"));
        assertThrows(IllegalArgumentException.class, () -> Media.classification(image, List.of("cat"), new float[] {0.25f, 0.75f}, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Media.classification(image, List.of("cat", "dog"), new float[] {0.5f, 0.5f}, 2));
        assertEquals("the label must be a class index 0..1 or -1 (unknown), got 2", e.getMessage());
    }

    @Test
    void runLogStoresMediaAtTheStepOfItsNumbers() {
        Media a = Media.image(new float[] {0f, 1f}, 1, 2).withCaption("a");
        Media b = Media.classification(Media.image(new float[] {1f, 0f}, 1, 2), List.of("x", "y"), new float[] {0.9f, 0.1f}, 0);
        try (Run run = Tracking.init(store, "p", "media", null)) {
            run.log(Map.of("loss", 1.0, "sample", a));
            run.log(Map.of("examples", List.of(a, b)), 4);
            run.log(Map.of("examples", List.of(b)));   // step 5, media only: the step still advances
            assertEquals(5, run.step());

            assertEquals(List.of(new RunStore.MediaKey("examples", 2, 3, 4, 5), new RunStore.MediaKey("sample", 1, 1, 0, 0)),
                    store.mediaKeys(run.id()));
            List<RunStore.MediaInfo> examples = store.media(run.id(), "examples");
            assertEquals(List.of(4L, 4L, 5L), examples.stream().map(RunStore.MediaInfo::step).toList());
            assertEquals("a", examples.get(0).caption());
            assertEquals("classification", examples.get(1).kind());
            assertNull(examples.get(1).caption());
            assertEquals(0, examples.get(1).meta().get("label"));
            assertArrayEquals(b.bytes(), store.mediaData(run.id(), 4, "examples", 1).orElseThrow().data());
            assertEquals(Map.of("loss", 1.0), Map.copyOf(run.summary()), "media are not in the summary");

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run.log(Map.of("examples", List.of(a, "b"))));
            assertEquals("metric 'examples' is a List holding a String (b), not a number, a Media nor a non-empty List of Media; "
                    + "log takes those (other values can go in run.summary())", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> run.log(Map.of("examples", List.of())));
            assertTrue(e.getMessage().startsWith("metric 'examples' is an empty List, "), e.getMessage());
            assertEquals(5, run.step(), "nothing was logged");
        }
    }
}
