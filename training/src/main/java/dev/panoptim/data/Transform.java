package dev.panoptim.data;

import java.util.random.RandomGenerator;

/**
 * One step of an image pipeline (torchvision's transforms). Random transforms draw only from the
 * {@code rng} they are given: the {@link DataLoader} hands each example a generator derived from
 * (seed, epoch, position in the epoch), so a seed gives identical batches, with or without prefetch,
 * and resuming mid-epoch replays the same augmentations. Implementations must be stateless (they run
 * on the prefetch thread) and have a {@code toString} in torchvision's style, e.g.
 * {@code RandomCrop(size=32, padding=4)}.
 *
 * <pre>{@code Transform t = new Compose(new RandomHorizontalFlip(0.5), new ToFloat()); Image out = t.apply(img, rng);}</pre>
 */
@FunctionalInterface
public interface Transform {
    /** The transformed image: {@code image} changed in place, or a new image. */
    Image apply(Image image, RandomGenerator rng);
}
