package dev.panoptim.data;

/**
 * An image being transformed: {@code channels x height x width} floats in CHW order. Transforms may
 * change {@code data} in place and return the same image, or return a new one (e.g. of another size).
 *
 * <pre>{@code Image img = new Image(dataset.get(0).image(), 1, 28, 28);}</pre>
 *
 * @param data the pixels, {@code channels * height * width} floats, CHW
 */
public record Image(float[] data, int channels, int height, int width) {
    /** Checks that the shape is positive and matches the length of {@code data}. */
    public Image {
        if (data == null) throw new IllegalArgumentException("image data must not be null");
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        if ((long) channels * height * width != data.length) {
            throw new IllegalArgumentException("a " + channels + "x" + height + "x" + width + " image needs "
                    + (long) channels * height * width + " floats, got " + data.length);
        }
    }

    /** The pixel at (channel, row, column). */
    public float at(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }
}
