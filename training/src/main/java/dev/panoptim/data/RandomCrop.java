package dev.panoptim.data;

import java.util.random.RandomGenerator;

/**
 * Pads the image with {@code padding} zero pixels on every side, then cuts a {@code size x size}
 * window at a uniformly random position (torchvision's {@code RandomCrop(size, padding)} with
 * {@code fill=0}): the content shifts by up to {@code padding} pixels each way and zeros come in.
 * Draws two ints: the top row, then the left column.
 *
 * <pre>{@code new RandomCrop(32, 4)   // CIFAR-10's standard augmentation}</pre>
 */
public final class RandomCrop implements Transform {
    private final int size;
    private final int padding;

    /** A square crop of side {@code size >= 1} after zero-padding by {@code padding >= 0}. */
    public RandomCrop(int size, int padding) {
        if (size < 1) throw new IllegalArgumentException("crop size must be >= 1, got " + size);
        if (padding < 0) throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        this.size = size;
        this.padding = padding;
    }

    @Override
    public Image apply(Image image, RandomGenerator rng) {
        int h = image.height(), w = image.width();
        int ph = h + 2 * padding, pw = w + 2 * padding;
        if (ph < size || pw < size) {
            throw new IllegalArgumentException(this + " does not fit a " + h + "x" + w + " image padded to " + ph + "x" + pw);
        }
        int top = rng.nextInt(ph - size + 1);
        int left = rng.nextInt(pw - size + 1);
        return crop(image, top - padding, left - padding);
    }

    /** The {@code size x size} window whose top-left corner is (row y0, column x0) of the image; zeros outside it. */
    Image crop(Image image, int y0, int x0) {
        int h = image.height(), w = image.width(), c = image.channels();
        float[] src = image.data();
        float[] out = new float[c * size * size];
        int ys = Math.max(0, -y0), ye = Math.min(size, h - y0);   // rows of the window that fall inside the image
        int xs = Math.max(0, -x0), xe = Math.min(size, w - x0);
        if (ye > ys && xe > xs) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = ys; y < ye; y++) {
                    System.arraycopy(src, (ch * h + y0 + y) * w + x0 + xs, out, (ch * size + y) * size + xs, xe - xs);
                }
            }
        }
        return new Image(out, c, size, size);
    }

    @Override
    public String toString() {
        return "RandomCrop(size=" + size + ", padding=" + padding + ")";
    }
}
