package dev.panoptim.train;

import java.nio.file.Path;

/**
 * How a {@link Trainer#train()} call ended.
 *
 * <pre>{@code TrainingResult r = trainer.train(); System.out.println(r.runId() + " " + r.testAccuracy());}</pre>
 *
 * @param runId                the tracked run
 * @param stopped              true when a stop request (Ctrl-C) ended it early; then there is no test accuracy
 * @param testAccuracy         accuracy on the whole test set after training (NaN when stopped)
 * @param testLoss             mean loss on the whole test set (NaN when stopped)
 * @param epochsDone           epochs fully trained (and validated)
 * @param globalStep           optimizer steps taken, over all sessions of the run
 * @param checkpoint           the last checkpoint written, or null
 * @param wallSeconds          wall time of the run, over all its sessions
 * @param trainImagesPerSecond training throughput of the last epoch
 * @param evalImagesPerSecond  evaluation throughput of the final test pass (else the last validation)
 */
public record TrainingResult(String runId, boolean stopped, double testAccuracy, double testLoss, int epochsDone,
                             long globalStep, Path checkpoint, double wallSeconds, double trainImagesPerSecond,
                             double evalImagesPerSecond) {
}
