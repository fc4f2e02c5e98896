package dev.panoptim.data;

/**
 * One example of a {@link Dataset}: its image as floats in CHW order (channel planes of rows), with the
 * raw pixel values 0..255 before {@link ToFloat}, and its class label.
 *
 * <pre>{@code Example ex = dataset.get(0); int cls = ex.label(); float firstPixel = ex.image()[0];}</pre>
 *
 * @param image the pixels, {@code channels * height * width} floats, CHW
 * @param label the class, {@code 0 <= label < classes().size()}
 */
public record Example(float[] image, int label) {}
