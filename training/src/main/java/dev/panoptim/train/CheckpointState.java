package dev.panoptim.train;

import java.util.Map;

/**
 * Where a training run stands, as a checkpoint's {@code trainer.json} keeps it (beside the model's and the
 * optimizer's tensors): the arguments, the data-loader position (the next batch to train is batch
 * {@code nextBatch} of epoch {@code epoch}, both from 0; {@code nextBatch} may equal the batches per epoch
 * when the epoch's training is done and its validation is not), the optimizer steps taken so far, the
 * tracked run, the scheduler's state and the running sums of the current epoch, so that its metrics come
 * out the same after a resume. Randomness: the data order and the augmentations derive from
 * ({@code seed}, epoch, position) and nothing else draws random numbers after the initialisation, so the
 * seed is the whole generator state.
 *
 * <pre>{@code CheckpointState s = Checkpoints.load(dir).state();   // s.epoch(), s.nextBatch(), s.globalStep()}</pre>
 *
 * @param format             the layout version, {@link Checkpoints#FORMAT}
 * @param args               the run's arguments
 * @param epoch              the epoch to continue in (0-based; {@code args.epochs()} when training is done)
 * @param nextBatch          the next batch of that epoch
 * @param globalStep         optimizer steps taken so far
 * @param runId              the tracked run that wrote the checkpoint
 * @param seed               the seed of the data order and augmentations
 * @param scheduler          the LR scheduler's state dict
 * @param epochLossSum       the current epoch's sum of batch loss x batch size
 * @param epochCorrect       its correct predictions so far
 * @param epochSeen          its training images so far
 * @param epochTrainSeconds  its training time so far
 * @param wallSeconds        the run's wall time so far, over all its sessions
 * @param gradScaler         the fp16 loss scaler's state dict (torch's GradScaler names), empty for fp32 and bf16
 *                           (and in checkpoints written before mixed precision)
 */
public record CheckpointState(int format, TrainingArgs args, int epoch, int nextBatch, long globalStep, String runId,
                              long seed, Map<String, Object> scheduler, double epochLossSum, long epochCorrect,
                              long epochSeen, double epochTrainSeconds, double wallSeconds,
                              Map<String, Object> gradScaler) {
    public CheckpointState {
        gradScaler = gradScaler == null ? Map.of() : Map.copyOf(gradScaler);
    }
}
