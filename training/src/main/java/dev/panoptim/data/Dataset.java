package dev.panoptim.data;

import java.util.List;

/**
 * A labelled image dataset with random access: {@link #size()} examples of {@code channels x height x
 * width} uint8 pixels, each with a label in {@code 0 .. classes().size() - 1}. Implementations keep the
 * pixels as bytes and convert to float on access ({@link #get}); they are immutable and safe to read
 * from several threads (the {@link DataLoader}'s prefetch thread reads them).
 *
 * <pre>{@code
 * Dataset train = FashionMnist.load(Split.TRAIN).everyKth(10);   // the course's "subset 10": 6000 images
 * Example ex = train.get(0);                                   // ex.image(): 784 floats 0..255, CHW
 * }</pre>
 */
public interface Dataset {
    /** Number of examples. */
    int size();

    /** Channels per image (1 for Fashion-MNIST, 3 for CIFAR-10). */
    int channels();

    /** Image height in pixels. */
    int height();

    /** Image width in pixels. */
    int width();

    /** The class names; a label is an index into this list. */
    List<String> classes();

    /** The label of example {@code index}. */
    int label(int index);

    /**
     * Copies the {@link #imageSize()} uint8 pixels of example {@code index}, CHW, into {@code dst} at
     * {@code offset}.
     */
    void copyPixels(int index, byte[] dst, int offset);

    /** Pixels per image: {@code channels() * height() * width()}. */
    default int imageSize() {
        return channels() * height() * width();
    }

    /** The pixels of example {@code index} as floats 0..255 (CHW), written into {@code dst} at {@code offset}. */
    default void readImage(int index, float[] dst, int offset) {
        byte[] raw = new byte[imageSize()];
        copyPixels(index, raw, 0);
        for (int i = 0; i < raw.length; i++) dst[offset + i] = raw[i] & 0xFF;
    }

    /** Example {@code index}: its pixels as floats 0..255 (CHW) and its label. */
    default Example get(int index) {
        float[] image = new float[imageSize()];
        readImage(index, image, 0);
        return new Example(image, label(index));
    }

    /** The examples at indices 0, k, 2k, ... (the course's "subset k"); {@code k == 1} is the whole dataset. */
    default Dataset everyKth(int k) {
        return Subset.everyKth(this, k);
    }

    /** The examples at the given indices, in that order (repeats allowed). */
    default Dataset subset(int... indices) {
        return Subset.of(this, indices);
    }
}
