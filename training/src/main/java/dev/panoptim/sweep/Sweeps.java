package dev.panoptim.sweep;

import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunNotRunningException;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.RunStores;
import dev.panoptim.track.SweepInfo;
import dev.panoptim.track.Tracking;
import dev.panoptim.track.Trials;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hyperparameter sweeps over the run store, like {@code wandb.sweep} and {@code wandb.agent}: {@link #create}
 * stores a validated config; an agent claims trials one at a time (atomically, so any number of agents in
 * threads, processes or machines share a sweep and its run_cap holds), runs each, and marks its run finished,
 * or failed when it threw or its command exited non-zero. Runs stopped by Hyperband are marked stopped, and
 * runs whose agent died crashed (retried when the sweep was created with retries). See {@link SweepAgent}.
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
    /** How long a trial's agent may send no heartbeat before its run counts as crashed, unless the sweep says otherwise. */
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(2);

    private Sweeps() {}

    /** Stores a new sweep without retries; {@code seed} null: a random one (stored, so the sweep can be replayed). */
    public static SweepInfo create(RunStore store, SweepConfig config, Long seed) {
        return create(store, config, seed, 0, DEFAULT_GRACE);
    }

    /**
     * Stores a new sweep whose crashed trials are run again up to {@code retries} times each; a trial whose agent
     * runs on another host counts as crashed after {@code grace} without a heartbeat (on the agent's own host, as
     * soon as its process is gone).
     */
    public static SweepInfo create(RunStore store, SweepConfig config, Long seed, int retries, Duration grace) {
        if (retries < 0) throw new IllegalArgumentException("--retries must be at least 0, not " + retries);
        if (grace.toMillis() < 300) throw new IllegalArgumentException("--grace must be at least 0.3 s, not " + grace.toMillis() / 1000.0 + " s");
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        return store.createSweep(new RunStore.NewSweep(config.name(), config.method().id(),
                config.project() != null ? config.project() : DEFAULT_PROJECT, config.json(), config.maxRuns(), s,
                retries, grace.toMillis()), System.currentTimeMillis());
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

    /** The sweep's own values in a trial run's config (which also holds what the program's Tracking.init added). */
    public static Map<String, Object> sweptValues(SweepConfig config, Map<String, Object> runConfig) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : config.parameters().keySet()) {
            if (runConfig.containsKey(key)) out.put(key, runConfig.get(key));
        }
        return out;
    }

    /** In-process agent over the default store ({@link Tracking#defaultStore()}). */
    public static int agent(String sweepId, Integer count, TrialFunction trial) {
        return agent(Tracking.defaultStore(), sweepId, count, trial);
    }

    /**
     * Runs up to {@code count} trials (null: until the sweep has none left) in this thread, each through
     * {@code trial} with its run bound so {@code Tracking.init} attaches to it; returns how many ran. A trial
     * stopped by Hyperband learns it from its next log ({@link RunNotRunningException}) and ends as stopped.
     */
    public static int agent(RunStore store, String sweepId, Integer count, TrialFunction trial) {
        return new SweepAgent(store, sweepId, count).run((run, values, monitor) -> {
            try {
                Trials.call(store, run.id(), () -> {
                    trial.run();
                    return null;
                });
                return true;
            } catch (RunNotRunningException e) {
                return false;   // stopped or marked crashed meanwhile: its state says so, setState leaves it
            } catch (Exception e) {
                System.err.println("panoptim: trial " + run.id() + " of sweep " + sweepId + " failed: " + e);
                return false;
            }
        });
    }

    /**
     * Runs up to {@code count} trials as subprocesses built from the sweep's {@code program}/{@code command},
     * their output inherited, with {@value Trials#RUN_ENV}, {@value Trials#SWEEP_ENV}, {@code PANOPTIM_DIR} and
     * {@code PANOPTIM_STORE} set (so {@code panoptim log} and {@code Tracking.init} find the trial). A trial whose
     * run is stopped (Hyperband) or marked crashed meanwhile has its process tree killed. A sweep without
     * {@code program} or {@code command} is an IllegalArgumentException: sweep it in-process instead.
     */
    public static int agentProcesses(RunStore store, Path dir, String sweepId, Integer count) {
        SweepInfo sweep = store.sweep(sweepId).orElseThrow(() -> unknown(store, sweepId));
        SweepConfig config = config(sweep);
        if (config.program() == null && config.command() == null) {
            throw new IllegalArgumentException("sweep " + sweepId + " has no program (nor command) to run; give the config a "
                    + "program, or run its trials in-process from Java with Sweeps.agent(sweepId, count, trialFunction)");
        }
        return new SweepAgent(store, sweepId, count).run((run, values, monitor) -> {
            List<String> argv = TrialCommand.build(config, values, sweep.project());
            ProcessBuilder pb = new ProcessBuilder(argv).inheritIO();
            pb.environment().put(Trials.RUN_ENV, run.id());
            pb.environment().put(Trials.SWEEP_ENV, sweepId);
            pb.environment().put(Tracking.DIR_ENV, dir.toString());
            RunStores.exportTo(store, pb.environment());   // PostgreSQL: PANOPTIM_STORE
            try {
                Process p = pb.start();
                monitor.onStop(() -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
                int code = p.waitFor();
                if (code != 0 && monitor.stopReason() == null) {
                    System.err.println("panoptim: trial " + run.id() + " (" + String.join(" ", argv) + ") exited with " + code);
                }
                return code == 0 && monitor.stopReason() == null;
            } catch (IOException e) {
                System.err.println("panoptim: trial " + run.id() + ": cannot start " + String.join(" ", argv) + ": " + e.getMessage());
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    static IllegalArgumentException unknown(RunStore store, String sweepId) {
        return new IllegalArgumentException("unknown sweep id '" + sweepId + "' in " + store.location());
    }
}
