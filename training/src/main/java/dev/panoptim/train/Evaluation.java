package dev.panoptim.train;

/**
 * A pass over an evaluation set: the mean loss and accuracy over its images, and how fast it went.
 * {@code complete} is false when a stop request cut it short (its numbers then cover the batches done).
 *
 * <pre>{@code Evaluation e = trainer.evaluate(loader);   // e.accuracy(), e.imagesPerSecond()}</pre>
 *
 * @param loss     mean cross-entropy per image
 * @param accuracy correct / images
 * @param images   images evaluated
 * @param seconds  wall time of the pass
 * @param complete whether every batch was evaluated
 */
public record Evaluation(double loss, double accuracy, long images, double seconds, boolean complete) {
    /** images / seconds. */
    public double imagesPerSecond() {
        return seconds > 0 ? images / seconds : 0;
    }
}
