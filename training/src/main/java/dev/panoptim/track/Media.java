package dev.panoptim.track;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image to log with a run, like {@code wandb.Image}: made from PNG or JPEG bytes, from pixels (a float array
 * H*W or C*H*W with C = 1, 3 or 4, values in [0, 1] or between a given min and max; stored as PNG) or from a
 * {@link BufferedImage}, with an optional caption; {@link #classification} adds a classifier's view of it (the class
 * names, its probabilities and the true label) for the dashboard's "classification probabilities" panel. Log one, or a
 * List of them, as a value of {@link Run#log}: they are stored under their key at that step ({@link RunStore#logMedia}).
 * Immutable.
 *
 * <pre>{@code
 * run.log(Map.of("loss", loss, "examples", List.of(
 *         Media.classification(Media.image(pixels, 1, 28, 28), classes, probs, label).withCaption("#17"))));
 * }</pre>
 */
public final class Media {
    /** The most pixels (width times height) of one image: 16 megapixels, far beyond what a dashboard shows. */
    public static final long MAX_PIXELS = 1L << 24;

    private final String kind;
    private final String caption;
    private final byte[] bytes;
    private final String contentType;
    private final int width;
    private final int height;
    private final Map<String, Object> meta;

    private Media(String kind, String caption, byte[] bytes, String contentType, int width, int height, Map<String, Object> meta) {
        this.kind = kind;
        this.caption = caption;
        this.bytes = bytes;
        this.contentType = contentType;
        this.width = width;
        this.height = height;
        this.meta = meta;
    }

    /** An image from the bytes of a PNG or JPEG file (kept as they are); anything else is an IllegalArgumentException. */
    public static Media image(byte[] encoded) {
        if (encoded == null) throw new IllegalArgumentException("the image bytes cannot be null");
        String type = contentType(encoded);
        BufferedImage decoded;
        try {
            decoded = ImageIO.read(new ByteArrayInputStream(encoded));
        } catch (IOException e) {
            throw new IllegalArgumentException("the " + type + " image cannot be read: " + e.getMessage(), e);
        }
        if (decoded == null) throw new IllegalArgumentException("the " + type + " image cannot be read (" + encoded.length + " bytes)");
        return new Media("image", null, encoded.clone(), type, decoded.getWidth(), decoded.getHeight(), Map.of());
    }

    /** The content type of PNG or JPEG bytes, by their first bytes; else an IllegalArgumentException. */
    static String contentType(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') return "image/png";
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) return "image/jpeg";
        throw new IllegalArgumentException("not a PNG or JPEG image (" + b.length + " bytes starting "
                + java.util.HexFormat.of().formatHex(b, 0, Math.min(8, b.length)) + ")");
    }

    /** A gray image from {@code height * width} values in [0, 1], row by row (values outside are clipped, NaN is black). */
    public static Media image(float[] pixels, int height, int width) {
        return image(pixels, 1, height, width, 0f, 1f);
    }

    /** An image from {@code channels * height * width} values in [0, 1], channel-major as a CHW tensor (1 gray, 3 RGB, 4 RGBA). */
    public static Media image(float[] pixels, int channels, int height, int width) {
        return image(pixels, channels, height, width, 0f, 1f);
    }

    /**
     * An image from {@code channels * height * width} values (CHW, as a tensor holds them), {@code min} shown black and
     * {@code max} white (values outside are clipped, NaN is black): for normalized inputs, pass their range.
     */
    public static Media image(float[] pixels, int channels, int height, int width, float min, float max) {
        if (pixels == null) throw new IllegalArgumentException("the pixels cannot be null");
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new IllegalArgumentException("an image has 1 (gray), 3 (RGB) or 4 (RGBA) channels, got " + channels);
        }
        checkSize(height, width);
        if ((long) channels * height * width != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " pixel values are not " + channels + " x " + height + " x " + width);
        }
        if (!(max > min) || !Float.isFinite(min) || !Float.isFinite(max)) {
            throw new IllegalArgumentException("the pixel range must be finite with max > min, got " + min + " .. " + max);
        }
        int type = channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : channels == 3 ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB;
        BufferedImage img = new BufferedImage(width, height, type);
        int plane = height * width;
        float scale = 255f / (max - min);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (channels == 1) {
                    img.getRaster().setSample(x, y, 0, level(pixels[i], min, scale));
                } else {
                    int r = level(pixels[i], min, scale), g = level(pixels[plane + i], min, scale), b = level(pixels[2 * plane + i], min, scale);
                    int a = channels == 4 ? level(pixels[3 * plane + i], min, scale) : 255;
                    img.setRGB(x, y, a << 24 | r << 16 | g << 8 | b);
                }
            }
        }
        return png(img);
    }

    private static int level(float v, float min, float scale) {
        if (Float.isNaN(v)) return 0;
        return Math.round(Math.clamp((v - min) * scale, 0f, 255f));
    }

    private static void checkSize(int height, int width) {
        if (height < 1 || width < 1) throw new IllegalArgumentException("an image's height and width must be >= 1, got " + height + " x " + width);
        if ((long) height * width > MAX_PIXELS) {
            throw new IllegalArgumentException("the image " + height + " x " + width + " has more than " + MAX_PIXELS + " pixels");
        }
    }

    /** An image from a {@link BufferedImage}, stored as PNG. */
    public static Media image(BufferedImage image) {
        if (image == null) throw new IllegalArgumentException("the image cannot be null");
        checkSize(image.getHeight(), image.getWidth());
        return png(image);
    }

    private static Media png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) throw new IllegalStateException("this JVM has no PNG writer (javax.imageio)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG: " + e.getMessage(), e);
        }
        return new Media("image", null, out.toByteArray(), "image/png", img.getWidth(), img.getHeight(), Map.of());
    }

    /**
     * {@code image} as a classifier saw it: {@code classes} (names, one per output), {@code probabilities} (the model's
     * softmax, one per class) and {@code label} (the true class, or -1 when unknown). The dashboard shows the image with its
     * top classes; kind "classification".
     */
    public static Media classification(Media image, List<String> classes, float[] probabilities, int label) {
        if (image == null) throw new IllegalArgumentException("the image cannot be null");
        if (classes == null || probabilities == null) throw new IllegalArgumentException("the classes and probabilities cannot be null");
        if (classes.size() != probabilities.length) {
            throw new IllegalArgumentException(classes.size() + " class names for " + probabilities.length + " probabilities");
        }
        if (classes.stream().anyMatch(java.util.Objects::isNull)) throw new IllegalArgumentException("class names cannot be null: " + classes);
        if (label < -1 || label >= classes.size()) {
            throw new IllegalArgumentException("the label must be a class index 0.." + (classes.size() - 1) + " or -1 (unknown), got " + label);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("classes", List.copyOf(classes));
        meta.put("probabilities", probabilities.clone());
        meta.put("label", label);
        return new Media("classification", image.caption, image.bytes, image.contentType, image.width, image.height, meta);
    }

    /** The same media with {@code caption} (null: none). */
    public Media withCaption(String caption) {
        return new Media(kind, caption, bytes, contentType, width, height, meta);
    }

    /** "image" or "classification". */
    public String kind() {
        return kind;
    }

    /** The caption, or null. */
    public String caption() {
        return caption;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** image/png or image/jpeg. */
    public String contentType() {
        return contentType;
    }

    /** The encoded image (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** What the store keeps besides the bytes: width, height and, for a classification, classes, probabilities and label. */
    public String metaJson() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("width", width);
        all.put("height", height);
        all.putAll(meta);
        return Json.write(all);
    }

    /** As the store takes it. */
    public RunStore.MediaItem item() {
        return new RunStore.MediaItem(kind, caption, metaJson(), contentType, bytes);
    }

    @Override
    public String toString() {
        return "Media[" + kind + ", " + width + "x" + height + " " + contentType + ", " + bytes.length + " bytes"
                + (caption == null ? "" : ", caption=" + caption) + "]";
    }
}
