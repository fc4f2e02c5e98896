package dev.panoptim.data;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * Transforms applied one after the other, in order (torchvision's {@code Compose}).
 *
 * <pre>{@code Transform t = new Compose(new RandomCrop(32, 4), new RandomHorizontalFlip(0.5), new ToFloat(), Cifar10.normalize());}</pre>
 */
public final class Compose implements Transform {
    private final List<Transform> steps;

    /** The steps, applied first to last. */
    public Compose(List<? extends Transform> steps) {
        if (steps == null) throw new IllegalArgumentException("transforms must not be null");
        for (Transform t : steps) {
            if (t == null) throw new IllegalArgumentException("transforms must not be null, got " + steps);
        }
        this.steps = List.copyOf(steps);
    }

    /** The steps, applied first to last. */
    public Compose(Transform... steps) {
        this(steps == null ? null : Arrays.asList(steps));
    }

    /** The steps, in order. */
    public List<Transform> steps() {
        return steps;
    }

    @Override
    public Image apply(Image image, RandomGenerator rng) {
        Image out = image;
        for (Transform t : steps) {
            out = t.apply(out, rng);
            if (out == null) throw new IllegalStateException(t + " returned no image");
        }
        return out;
    }

    @Override
    public String toString() {
        return "Compose(" + steps.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
    }
}
