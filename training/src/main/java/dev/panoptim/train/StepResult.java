package dev.panoptim.train;

/**
 * What one training or validation step measured on its batch: the mean loss, the correct predictions
 * and the batch size.
 *
 * <pre>{@code StepResult r = trainer.trainingStep(batch);   // r.loss(), r.accuracy()}</pre>
 *
 * @param loss    the batch's mean cross-entropy (with label smoothing when training with it)
 * @param correct images whose highest logit is their label
 * @param size    images in the batch
 */
public record StepResult(double loss, long correct, int size) {
    /** correct / size (0 for an empty batch). */
    public double accuracy() {
        return size == 0 ? 0 : (double) correct / size;
    }
}
