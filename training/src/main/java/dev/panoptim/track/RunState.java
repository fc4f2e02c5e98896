package dev.panoptim.track;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A run's state, with W&amp;B's names: {@code running} while it logs, {@code finished} after
 * {@link Run#finish()}, {@code crashed} when its process died before that (its logged data is kept),
 * {@code failed} and {@code stopped} for callers that end a run so (sweeps: a failed trial, an early
 * termination).
 *
 * <pre>{@code if (store.run(id).orElseThrow().state() == RunState.CRASHED) ...}</pre>
 */
public enum RunState {
    RUNNING, FINISHED, FAILED, CRASHED, STOPPED;

    /** The name stored and shown: lower case, as W&amp;B writes it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state named {@code id} (as {@link #id()} writes it), or an IllegalArgumentException listing the names. */
    public static RunState parse(String id) {
        for (RunState s : values()) {
            if (s.id().equals(id)) return s;
        }
        throw new IllegalArgumentException("unknown run state '" + id + "' (valid: "
                + Arrays.stream(values()).map(RunState::id).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return id();
    }
}
