package dev.panoptim.data;

import java.util.random.RandomGenerator;

/**
 * Mirrors the image left to right with probability {@code p} (torchvision's {@code RandomHorizontalFlip}).
 * Draws one double, and flips when it is below {@code p}.
 *
 * <pre>{@code new RandomHorizontalFlip(0.5)}</pre>
 */
public final class RandomHorizontalFlip implements Transform {
    private final double p;

    /** Flips with probability {@code p} in [0, 1]. */
    public RandomHorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("flip probability must be in [0, 1], got " + p);
        this.p = p;
    }

    /** Flips with probability 0.5. */
    public RandomHorizontalFlip() {
        this(0.5);
    }

    @Override
    public Image apply(Image image, RandomGenerator rng) {
        if (rng.nextDouble() >= p) return image;
        float[] d = image.data();
        int w = image.width();
        for (int row = 0, rows = image.channels() * image.height(); row < rows; row++) {
            for (int a = row * w, b = a + w - 1; a < b; a++, b--) {
                float t = d[a];
                d[a] = d[b];
                d[b] = t;
            }
        }
        return image;
    }

    @Override
    public String toString() {
        return "RandomHorizontalFlip(p=" + p + ")";
    }
}
