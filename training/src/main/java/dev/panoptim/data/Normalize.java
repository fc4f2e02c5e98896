package dev.panoptim.data;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * {@code (x - mean[c]) / std[c]} for every pixel of channel c (torchvision's {@code Normalize}); one
 * mean and std apply to every channel. Expects pixels in [0, 1] (after {@link ToFloat}).
 * {@link Cifar10#normalize()} is ImageNet's (0.485, 0.456, 0.406) / (0.229, 0.224, 0.225), as the course
 * uses; {@link FashionMnist#normalize()} is the training set's 0.2860 / 0.3530.
 *
 * <pre>{@code Transform n = new Normalize(new float[]{0.2860f}, new float[]{0.3530f});}</pre>
 */
public final class Normalize implements Transform {
    private final float[] mean;
    private final float[] std;

    /** Per-channel mean and std, of equal length (1 applies to every channel); every std must be positive. */
    public Normalize(float[] mean, float[] std) {
        if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("mean and std need the same number (>= 1) of values, got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (float s : std) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("every std must be positive and finite, got " + Arrays.toString(std));
            }
        }
        for (float m : mean) {
            if (!Float.isFinite(m)) throw new IllegalArgumentException("every mean must be finite, got " + Arrays.toString(mean));
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** The per-channel means, a copy. */
    public float[] mean() {
        return mean.clone();
    }

    /** The per-channel standard deviations, a copy. */
    public float[] std() {
        return std.clone();
    }

    @Override
    public Image apply(Image image, RandomGenerator rng) {
        int c = image.channels();
        if (mean.length != 1 && mean.length != c) {
            throw new IllegalArgumentException(this + " has " + mean.length + " channels, the image has " + c);
        }
        float[] d = image.data();
        int plane = image.height() * image.width();
        for (int ch = 0; ch < c; ch++) {
            float m = mean[mean.length == 1 ? 0 : ch];
            float s = std[std.length == 1 ? 0 : ch];
            for (int i = ch * plane, end = i + plane; i < end; i++) d[i] = (d[i] - m) / s;
        }
        return image;
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
