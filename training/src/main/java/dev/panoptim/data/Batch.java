package dev.panoptim.data;

import dev.panoptim.tensor.Tensor;

/**
 * A batch from a {@link DataLoader}: {@code images} is an (N, C, H, W) float32 tensor that this batch
 * owns, {@code labels} its N labels. The caller closes each batch it takes (try-with-resources),
 * which frees the tensor; batches the loader prepared but never handed out are freed by the loader.
 * A use of the images after close is an {@link IllegalStateException}.
 *
 * <pre>{@code
 * for (Batch b : batches) {
 *     try (b) { float loss = model.step(b.images(), b.labels()); }
 * }
 * }</pre>
 */
public final class Batch implements AutoCloseable {
    private final Tensor images;
    private final int[] labels;
    private final int[] indices;
    private final int epoch;
    private final int index;

    Batch(Tensor images, int[] labels, int[] indices, int epoch, int index) {
        this.images = images;
        this.labels = labels;
        this.indices = indices;
        this.epoch = epoch;
        this.index = index;
    }

    /** The images, (N, C, H, W) float32, transformed; owned by this batch. */
    public Tensor images() {
        return images;
    }

    /** The labels of the N images, a copy. */
    public int[] labels() {
        return labels.clone();
    }

    /** The dataset indices of the N images, in batch order, a copy. */
    public int[] indices() {
        return indices.clone();
    }

    /** N, the number of images (the last batch of an epoch may be smaller than the batch size). */
    public int size() {
        return labels.length;
    }

    /** The epoch this batch belongs to. */
    public int epoch() {
        return epoch;
    }

    /** The position of this batch in its epoch, from 0. */
    public int index() {
        return index;
    }

    /** Frees the images. Idempotent. */
    @Override
    public void close() {
        images.close();
    }

    @Override
    public String toString() {
        return "Batch(epoch=" + epoch + ", index=" + index + ", size=" + labels.length + ")";
    }
}
