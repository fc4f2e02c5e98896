package dev.panoptim.data;

import java.util.random.RandomGenerator;

/**
 * Scales raw pixels 0..255 to [0, 1] by dividing by 255 (the scaling of torchvision's {@code ToTensor}).
 * Datasets hand out raw values; put this before {@link Normalize}, whose statistics are for [0, 1].
 *
 * <pre>{@code new Compose(new ToFloat(), FashionMnist.normalize())}</pre>
 */
public final class ToFloat implements Transform {
    @Override
    public Image apply(Image image, RandomGenerator rng) {
        float[] d = image.data();
        for (int i = 0; i < d.length; i++) d[i] = d[i] / 255f;
        return image;
    }

    @Override
    public String toString() {
        return "ToFloat()";
    }
}
