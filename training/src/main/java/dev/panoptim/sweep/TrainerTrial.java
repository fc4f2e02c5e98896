package dev.panoptim.sweep;

import dev.panoptim.data.DatasetException;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.Trials;
import dev.panoptim.train.Trainer;
import dev.panoptim.train.TrainingArgs;
import dev.panoptim.train.TrainingResult;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A sweep trial that trains panoptim's own ResNet trainer in-process, like the course's sweep trainer
 * under {@code wandb.agent}: the trial's values ({@link TrialArgs}) override {@code base}, the trainer's
 * {@code Tracking.init} attaches to the trial's run (whose config ends as the full {@link TrainingArgs}
 * with the sweep's values locked in) and it logs what {@link Trainer} logs, so a sweep can optimize any of
 * {@link Trainer#METRICS} ({@code accuracy}: the last epoch's validation accuracy). The trial's run keeps
 * the sweep's project and name. A trial stopped by Hyperband stops training at its next step (its run is
 * already marked stopped); one stopped by Ctrl-C ends its run as stopped, and {@link #interrupted()} tells
 * the agent to claim no more.
 *
 * <pre>{@code Sweeps.agent(store, sweepId, 2, new TrainerTrial(store, dir, TrainingArgs.defaults(), System.out));}</pre>
 */
public final class TrainerTrial implements TrialFunction {
    private final RunStore store;
    private final Path directory;
    private final TrainingArgs base;
    private final PrintStream out;
    private volatile TrainingResult last;
    private volatile boolean interrupted;

    /** Trials into {@code store}, checkpoints (when {@code base} has them) under the panoptim {@code directory}. */
    public TrainerTrial(RunStore store, Path directory, TrainingArgs base, PrintStream out) {
        if (store == null || directory == null || base == null || out == null) {
            throw new IllegalArgumentException("store, directory, base and out must not be null");
        }
        this.store = store;
        this.directory = directory;
        this.base = base;
        this.out = out;
    }

    @Override
    public void run() {
        last = null;
        interrupted = false;
        String runId = Trials.current(store);
        if (runId == null) throw new IllegalStateException("a TrainerTrial runs inside Sweeps.agent over the same store");
        RunInfo trial = store.run(runId).orElseThrow(() -> new IllegalStateException("the trial's run " + runId + " is gone"));
        TrainingArgs args = TrialArgs.apply(base, trial.config()).toBuilder().project(trial.project()).runName(trial.name()).build();
        try (Trainer trainer = Trainer.builder(args).store(store).directory(directory).out(out).build()) {
            last = trainer.train();
            interrupted = trainer.interrupted();
        } catch (DatasetException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The last trial's result, or null before one ended. */
    public TrainingResult lastResult() {
        return last;
    }

    /** Whether the last trial was stopped (Ctrl-C, or early termination) rather than trained to the end. */
    public boolean stopped() {
        TrainingResult r = last;
        return r != null && r.stopped();
    }

    /** Whether the JVM's exit (Ctrl-C, SIGTERM) stopped the last trial: then no more trials should start. */
    public boolean interrupted() {
        return interrupted;
    }
}
