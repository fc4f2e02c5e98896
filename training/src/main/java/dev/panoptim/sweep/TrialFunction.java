package dev.panoptim.sweep;

/**
 * One trial of a sweep, run in-process by {@link Sweeps#agent}: it calls {@code Tracking.init(..)}, which
 * attaches to the trial's run, reads its values from {@code run.config()}, trains and logs the metric
 * (like the function given to {@code wandb.agent}). Throwing marks the run failed; returning, finished.
 *
 * <pre>{@code TrialFunction train = () -> { try (Run run = Tracking.init("p", null, Map.of())) { run.log(Map.of("loss", 1.0)); } };}</pre>
 */
@FunctionalInterface
public interface TrialFunction {
    void run() throws Exception;
}
