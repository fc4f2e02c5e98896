package dev.panoptim.data;

import java.util.Arrays;
import java.util.List;

/**
 * A {@link Dataset} held in memory as one {@code byte[]} of uint8 pixels (N x C x H x W, CHW per image)
 * and one {@code byte[]} of labels: 47 MB for Fashion-MNIST's training set, 154 MB for CIFAR-10's.
 * The loaders ({@link FashionMnist}, {@link Cifar10}) build these; so can tests and users.
 *
 * <pre>{@code Dataset ds = new ImageDataset(pixels, labels, 1, 28, 28, FashionMnist.CLASSES);}</pre>
 */
public final class ImageDataset implements Dataset {
    private final byte[] pixels;
    private final byte[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classes;

    /**
     * Takes ownership of {@code pixels} ({@code labels.length * channels * height * width} bytes) and
     * {@code labels} (one byte per image, each below {@code classes.size()}); neither is copied.
     */
    public ImageDataset(byte[] pixels, byte[] labels, int channels, int height, int width, List<String> classes) {
        if (pixels == null || labels == null || classes == null) {
            throw new IllegalArgumentException("pixels, labels and classes must not be null");
        }
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        if (classes.isEmpty() || classes.size() > 256) {
            throw new IllegalArgumentException("a dataset needs 1 to 256 classes, got " + classes.size());
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(labels.length + " images of " + channels + "x" + height + "x" + width
                    + " need " + expected + " pixel bytes, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xFF) >= classes.size()) {
                throw new IllegalArgumentException("label " + (labels[i] & 0xFF) + " of example " + i
                        + " is not below the number of classes, " + classes.size());
            }
        }
        this.pixels = pixels;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = List.copyOf(classes);
    }

    @Override public int size() { return labels.length; }
    @Override public int channels() { return channels; }
    @Override public int height() { return height; }
    @Override public int width() { return width; }
    @Override public List<String> classes() { return classes; }

    @Override
    public int label(int index) {
        return labels[checkIndex(index)] & 0xFF;
    }

    @Override
    public void copyPixels(int index, byte[] dst, int offset) {
        int n = imageSize();
        System.arraycopy(pixels, checkIndex(index) * n, dst, offset, n);
    }

    @Override
    public void readImage(int index, float[] dst, int offset) {
        int n = imageSize();
        int base = checkIndex(index) * n;
        if (offset < 0 || offset > dst.length - n) {
            throw new IndexOutOfBoundsException("an image of " + n + " floats does not fit in " + dst.length + " at offset " + offset);
        }
        for (int i = 0; i < n; i++) dst[offset + i] = pixels[base + i] & 0xFF;
    }

    /** A copy of all labels (ints 0 .. classes - 1). */
    public int[] labels() {
        int[] out = new int[labels.length];
        for (int i = 0; i < out.length; i++) out[i] = labels[i] & 0xFF;
        return out;
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= labels.length) {
            throw new IndexOutOfBoundsException("example " + index + " of a dataset of " + labels.length);
        }
        return index;
    }

    @Override
    public String toString() {
        return "ImageDataset(" + labels.length + " x " + channels + "x" + height + "x" + width + ", classes="
                + Arrays.toString(classes.toArray()) + ")";
    }
}
