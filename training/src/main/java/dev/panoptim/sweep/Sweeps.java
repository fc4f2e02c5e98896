package dev.panoptim.sweep;

import dev.panoptim.track.ProcessIdentity;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunState;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.RunStores;
import dev.panoptim.track.SweepInfo;
import dev.panoptim.track.Tracking;
import dev.panoptim.track.Trials;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hyperparameter sweeps over the run store, like {@code wandb.sweep} and {@code wandb.agent}: {@link #create}
 * stores a validated config; an agent claims trials one at a time (atomically, so any number of agents in
 * threads or processes share a sweep and its run_cap holds), runs each, and marks its run finished, or
 * failed when it threw or its command exited non-zero. Search methods: grid, random, bayes (a Gaussian
 * process) and tpe (a Tree-structured Parzen Estimator); early_terminate is stored, not applied.
 *
 * <pre>{@code
 * String id = Sweeps.create(store, SweepConfig.read(Path.of("sweep.yaml")), null).id();
 * Sweeps.agent(store, id, 10, () -> {
 *     try (Run run = Tracking.init("course", null, Map.of())) {
 *         double lr = ((Number) run.config().get("learning_rate")).doubleValue();
 *         run.log(Map.of("accuracy", train(lr)));
 *     }
 * });
 * }</pre>
 */
public final class Sweeps {
    /** The project of a sweep's runs when its config names none. */
    public static final String DEFAULT_PROJECT = "sweeps";

    private Sweeps() {}

    /** Stores a new sweep; {@code seed} null: a random one (stored, so the sweep can be replayed). */
    public static SweepInfo create(RunStore store, SweepConfig config, Long seed) {
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        return store.createSweep(new RunStore.NewSweep(config.name(), config.method().id(),
                config.project() != null ? config.project() : DEFAULT_PROJECT, config.json(), config.maxRuns(), s),
                System.currentTimeMillis());
    }

    /** The stored sweep's config, parsed again. */
    public static SweepConfig config(SweepInfo sweep) {
        return SweepConfig.parse(sweep.configJson(), true, "of sweep " + sweep.id());
    }

    /**
     * The parameter values of trial {@code index}, or null when the sweep has none (a grid past its end).
     * {@code history} holds the sweep's earlier trials (only bayes and tpe look at it).
     */
    public static Map<String, Object> trialValues(SweepConfig config, long seed, long index, List<Observation> history) {
        return switch (config.method()) {
            case GRID -> Grid.trial(config.parameters(), index);
            case RANDOM -> RandomSearch.trial(config.parameters(), seed, index);
            case BAYES -> Bayes.trial(config, seed, index, history);
            case TPE -> Tpe.trial(config, seed, index, history);
        };
    }

    /** In-process agent over the default store ({@link Tracking#defaultStore()}). */
    public static int agent(String sweepId, Integer count, TrialFunction trial) {
        return agent(Tracking.defaultStore(), sweepId, count, trial);
    }

    /**
     * Runs up to {@code count} trials (null: until the sweep has none left) in this thread, each through
     * {@code trial} with its run bound so {@code Tracking.init} attaches to it; returns how many ran.
     */
    public static int agent(RunStore store, String sweepId, Integer count, TrialFunction trial) {
        return loop(store, sweepId, count, (run, values) -> {
            try {
                Trials.call(store, run.id(), () -> {
                    trial.run();
                    return null;
                });
                return true;
            } catch (Exception e) {
                System.err.println("panoptim: trial " + run.id() + " of sweep " + sweepId + " failed: " + e);
                return false;
            }
        });
    }

    /**
     * Runs up to {@code count} trials as subprocesses built from the sweep's {@code program}/{@code command},
     * their output inherited, with {@value Trials#RUN_ENV}, {@value Trials#SWEEP_ENV} and {@code PANOPTIM_DIR}
     * set (so {@code panoptim log} and {@code Tracking.init} find the trial). A sweep without {@code program}
     * or {@code command} is an IllegalArgumentException: sweep it in-process from Java instead.
     */
    public static int agentProcesses(RunStore store, Path dir, String sweepId, Integer count) {
        SweepInfo sweep = store.sweep(sweepId).orElseThrow(() -> unknown(store, sweepId));
        SweepConfig config = config(sweep);
        if (config.program() == null && config.command() == null) {
            throw new IllegalArgumentException("sweep " + sweepId + " has no program (nor command) to run; give the config a "
                    + "program, or run its trials in-process from Java with Sweeps.agent(sweepId, count, trialFunction)");
        }
        return loop(store, sweepId, count, (run, values) -> {
            List<String> argv = TrialCommand.build(config, values, sweep.project());
            ProcessBuilder pb = new ProcessBuilder(argv).inheritIO();
            pb.environment().put(Trials.RUN_ENV, run.id());
            pb.environment().put(Trials.SWEEP_ENV, sweepId);
            pb.environment().put(Tracking.DIR_ENV, dir.toString());
            RunStores.exportTo(store, pb.environment());   // PostgreSQL: PANOPTIM_STORE
            try {
                int code = pb.start().waitFor();
                if (code != 0) System.err.println("panoptim: trial " + run.id() + " (" + String.join(" ", argv) + ") exited with " + code);
                return code == 0;
            } catch (IOException e) {
                System.err.println("panoptim: trial " + run.id() + ": cannot start " + String.join(" ", argv) + ": " + e.getMessage());
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    private interface Body {
        boolean run(RunInfo run, Map<String, Object> values);
    }

    private static int loop(RunStore store, String sweepId, Integer count, Body body) {
        if (count != null && count < 1) throw new IllegalArgumentException("--count must be at least 1, not " + count);
        SweepInfo sweep = store.sweep(sweepId).orElseThrow(() -> unknown(store, sweepId));
        SweepConfig config = config(sweep);
        ProcessIdentity me = ProcessIdentity.current();
        int ran = 0;
        while (count == null || ran < count) {
            Optional<RunInfo> claimed = store.claimTrial(sweepId, me, index -> {
                Map<String, Object> values = trialValues(config, sweep.seed(), index, List.of());
                return values == null ? null : TrialCommand.json(values);
            }, System.currentTimeMillis());
            if (claimed.isEmpty()) break;
            RunInfo run = claimed.get();
            boolean ok = body.run(run, run.config());
            store.setState(run.id(), ok ? RunState.FINISHED : RunState.FAILED, null, true, System.currentTimeMillis());
            ran++;
        }
        return ran;
    }

    private static IllegalArgumentException unknown(RunStore store, String sweepId) {
        return new IllegalArgumentException("unknown sweep id '" + sweepId + "' in " + store.location());
    }
}
