package dev.panoptim.sweep;

import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunState;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SweepInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Controls a sweep from outside its agents, as {@code wandb sweep --pause|--resume|--stop|--cancel} does. The
 * sweep's state says what agents do: {@code running} (they claim trials), {@code paused} (they wait, claiming
 * none, until it is resumed), {@code stopped} (they claim none and exit; running trials go to their end),
 * {@code canceled} (as stopped, and its running runs are marked stopped, so their agents kill subprocess trials
 * and in-process ones end at their next log), {@code finished} (no trial left, or metric.target reached).
 *
 * <pre>{@code SweepControl.cancel(store, "3k2j9x0a");}</pre>
 */
public final class SweepControl {
    public static final String RUNNING = "running", PAUSED = "paused", STOPPED = "stopped", CANCELED = "canceled", FINISHED = "finished";

    private SweepControl() {}

    /** Agents stop claiming and wait; a sweep that is not running is an IllegalArgumentException naming its state. */
    public static SweepInfo pause(RunStore store, String sweepId) {
        return move(store, sweepId, Set.of(RUNNING), PAUSED, "pause");
    }

    /** A paused or stopped sweep runs again (agents started afterwards, or waiting on a paused one, claim trials). */
    public static SweepInfo resume(RunStore store, String sweepId) {
        return move(store, sweepId, Set.of(PAUSED, STOPPED), RUNNING, "resume");
    }

    /** No new trials; the running ones go to their end. */
    public static SweepInfo stop(RunStore store, String sweepId) {
        return move(store, sweepId, Set.of(RUNNING, PAUSED), STOPPED, "stop");
    }

    /** No new trials, and the running ones are stopped; returns the ids of the runs it stopped. */
    public static List<String> cancel(RunStore store, String sweepId) {
        move(store, sweepId, Set.of(RUNNING, PAUSED, STOPPED), CANCELED, "cancel");
        List<String> stopped = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (RunInfo r : store.sweepRuns(sweepId)) {
            if (r.state() == RunState.RUNNING && store.setState(r.id(), RunState.STOPPED, null, true, now)) stopped.add(r.id());
        }
        return stopped;
    }

    private static SweepInfo move(RunStore store, String sweepId, Set<String> from, String to, String verb) {
        SweepInfo s = store.sweep(sweepId).orElseThrow(() -> Sweeps.unknown(store, sweepId));
        if (!from.contains(s.state())) {
            throw new IllegalArgumentException("cannot " + verb + " sweep " + sweepId + ": it is " + s.state()
                    + " (only a " + String.join(" or ", from.stream().sorted().toList()) + " sweep can be)");
        }
        store.setSweepState(sweepId, to, System.currentTimeMillis());
        return store.sweep(sweepId).orElseThrow();
    }
}
