package dev.panoptim.sweep;

import dev.panoptim.report.Ticks;
import dev.panoptim.track.ProcessIdentity;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunState;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.RunStoreException;
import dev.panoptim.track.SweepInfo;
import dev.panoptim.track.Liveness;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The loop every agent runs, in-process or over subprocesses: before each claim it marks crashed the runs
 * whose agent died (its pid gone on this host, or no heartbeat within the sweep's grace period elsewhere) and
 * stops the sweep when the metric's target was reached; it then claims the next trial atomically (a crashed
 * trial's retry first, when the sweep allows retries), runs it under a {@link TrialMonitor} (heartbeats,
 * Hyperband), and marks its run finished or failed (a stopped or crashed run keeps its state). With nothing
 * left to claim it waits while the sweep is paused ({@link SweepControl}), and while other agents' trials are
 * still running and the sweep retries crashed ones, since such a trial may still need a retry; otherwise it
 * returns.
 *
 * <pre>{@code int ran = new SweepAgent(store, sweepId, 10).run((run, values, monitor) -> true);}</pre>
 */
final class SweepAgent {
    /** How often a trial is checked (its heartbeat, Hyperband) and an idle agent looks again. */
    static final Duration POLL = Duration.ofMillis(Long.getLong("panoptim.sweep.poll-ms", 500));

    /** One trial: returns whether it succeeded (false: failed, unless it was stopped or crashed first). */
    interface Trial {
        boolean run(RunInfo run, Map<String, Object> values, TrialMonitor monitor);
    }

    private final RunStore store;
    private final String sweepId;
    private final Integer count;
    private boolean saidPaused;

    SweepAgent(RunStore store, String sweepId, Integer count) {
        if (count != null && count < 1) throw new IllegalArgumentException("--count must be at least 1, not " + count);
        this.store = store;
        this.sweepId = sweepId;
        this.count = count;
    }

    int run(Trial trial) {
        SweepInfo sweep = sweep();
        SweepConfig config = Sweeps.config(sweep);
        Hyperband hyperband = config.earlyTerminate() == null ? null : Hyperband.of(config.earlyTerminate(), config.metric());
        ProcessIdentity me = ProcessIdentity.current();
        Liveness liveness = new Liveness(me.host(), Duration.ofMillis(sweep.graceMs()));
        int ran = 0;
        while (count == null || ran < count) {
            long now = System.currentTimeMillis();
            markCrashed(liveness, now);
            SweepProgress progress = SweepProgress.read(store, sweepId, config);
            if (progress.targetReached() != null && Set.of(SweepControl.RUNNING, SweepControl.PAUSED).contains(sweep().state())) {
                store.setSweepState(sweepId, "finished", now);
                System.err.println("panoptim: sweep " + sweepId + ": run " + progress.targetReached() + " reached "
                        + config.metric().name() + " target " + config.metric().target() + "; no new trials");
                break;
            }
            Optional<RunInfo> claimed = store.claimTrial(sweepId, me, proposer(config, sweep, progress.observations()), now);
            if (claimed.isEmpty()) {
                if (!shouldWait()) break;
                sleep(POLL);
                continue;
            }
            RunInfo run = claimed.get();
            Map<String, Object> values = Sweeps.sweptValues(config, run.config());
            if (run.attempt() > 0) {
                // A retry's run starts with the crashed run's whole config, which holds what its trainer or program
                // added (the trainer's every argument); the trial is the sweep's values again, as on the first attempt.
                store.updateConfig(run.id(), TrialCommand.json(values), System.currentTimeMillis());
                run = run.withConfig(TrialCommand.json(values));
            }
            System.err.println("panoptim: sweep " + sweepId + ": trial " + run.trialIndex()
                    + (run.attempt() > 0 ? " (retry " + run.attempt() + ")" : "") + " as run " + run.id() + ": " + TrialCommand.json(values));
            boolean ok;
            try (TrialMonitor monitor = TrialMonitor.start(store, sweepId, run.id(), config, hyperband, liveness)) {
                ok = trial.run(run, values, monitor);
                if (monitor.stopReason() != null) System.err.println("panoptim: trial " + run.id() + " " + monitor.stopReason());
            }
            store.setState(run.id(), ok ? RunState.FINISHED : RunState.FAILED, null, true, System.currentTimeMillis());
            ran++;
        }
        return ran;
    }

    /**
     * What the claim asks for trial {@code index}. Grid and random values are cheap, so computed inside the claim's
     * transaction for the index it gets. A bayes or tpe proposal can take a second on a long sweep, and the claim
     * holds the store's write lock, so it is made before, for the next free index; when another agent took that
     * index meanwhile, this proposal goes to the index this agent gets (it rests on the same history either way).
     */
    private RunStore.TrialMaker proposer(SweepConfig config, SweepInfo sweep, List<Observation> history) {
        if (config.method() != SweepConfig.Method.BAYES && config.method() != SweepConfig.Method.TPE) {
            return index -> {
                Map<String, Object> values = Sweeps.trialValues(config, sweep.seed(), index, List.of());
                return values == null ? null : TrialCommand.json(values);
            };
        }
        String proposal = TrialCommand.json(Sweeps.trialValues(config, sweep.seed(), sweep().trialCount(), history));
        return index -> proposal;
    }

    private SweepInfo sweep() {
        return store.sweep(sweepId).orElseThrow(() -> Sweeps.unknown(store, sweepId));
    }

    /**
     * Whether an agent with nothing to claim should wait: the sweep is paused (until it is resumed), or it is running,
     * retries crashed trials and has trials running (one may still crash and need a retry).
     */
    private boolean shouldWait() {
        SweepInfo s = sweep();
        if (s.state().equals(SweepControl.PAUSED)) {
            if (!saidPaused) System.err.println("panoptim: sweep " + sweepId + " is paused; waiting (panoptim sweep resume " + sweepId + ")");
            saidPaused = true;
            return true;
        }
        saidPaused = false;
        if (!s.state().equals(SweepControl.RUNNING) || s.retries() == 0) return false;
        return store.sweepRuns(sweepId).stream().anyMatch(r -> r.state() == RunState.RUNNING);
    }

    private void markCrashed(Liveness liveness, long now) {
        try {
            for (String id : store.markGoneRunsCrashed(liveness, now)) {
                System.err.println("panoptim: run " + id + " crashed (its process is gone or sent no heartbeat for "
                        + Ticks.format(liveness.staleAfter().toMillis() / 1000.0) + " s)");
            }
        } catch (RunStoreException e) {
            System.err.println("panoptim: could not mark runs whose agent died as crashed: " + e.getMessage());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the sweep agent was interrupted", e);
        }
    }
}
