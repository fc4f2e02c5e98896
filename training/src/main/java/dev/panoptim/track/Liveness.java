package dev.panoptim.track;

import java.time.Duration;
import java.util.Optional;

/**
 * Decides whether a run marked running still has a live process. On the same host: the process
 * with the run's pid must exist and (where the OS tells start times) have started when the run's
 * process did, within a second, so a reused pid does not count. On another host, where pids cannot
 * be checked: its heartbeat (written at every log and every {@link #HEARTBEAT_INTERVAL} by a daemon
 * thread) must be younger than {@code staleAfter} (default {@link #DEFAULT_STALE_AFTER}).
 *
 * <pre>{@code store.markGoneRunsCrashed(Liveness.standard(), System.currentTimeMillis());}</pre>
 */
public final class Liveness {
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(2);

    private final String host;
    private final Duration staleAfter;

    public Liveness(String host, Duration staleAfter) {
        this.host = host;
        this.staleAfter = staleAfter;
    }

    /** How long a run on another host may send no heartbeat before it counts as gone. */
    public Duration staleAfter() {
        return staleAfter;
    }

    /** This host, heartbeats stale after two minutes. */
    public static Liveness standard() {
        return new Liveness(ProcessIdentity.current().host(), DEFAULT_STALE_AFTER);
    }

    /** Whether the process of a running run is gone (a run in another state is never "gone"). */
    public boolean isGone(RunInfo run, long now) {
        if (run.state() != RunState.RUNNING) return false;
        if (run.pid() != null && host.equals(run.host())) {
            Optional<ProcessHandle> p = ProcessHandle.of(run.pid());
            if (p.isEmpty() || !p.get().isAlive()) return true;
            if (run.processStartedAt() == null) return false;
            return ProcessIdentity.startOf(p.get()).map(s -> Math.abs(s - run.processStartedAt()) > 1000).orElse(false);
        }
        return now - run.heartbeatAt() > staleAfter.toMillis();
    }
}
