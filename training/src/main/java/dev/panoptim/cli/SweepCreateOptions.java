package dev.panoptim.cli;

import dev.panoptim.sweep.SweepConfig;
import dev.panoptim.sweep.Sweeps;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SweepInfo;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * What {@code sweep create} and {@code sweep run} store with a new sweep besides its config and seed: how often a crashed trial is run again, and how long an agent on another host may be silent (a picocli mixin).
 *
 * <pre>{@code bin/panoptim sweep create sweep.yaml --seed 7 --retries 1 --grace 30}</pre>
 */
final class SweepCreateOptions {
    @Option(names = "--retries", paramLabel = "N",
            description = "Run a crashed trial (its agent died) again, up to N times, before new trials (default: 0).")
    int retries;

    @Option(names = "--grace", paramLabel = "SECONDS",
            description = "A trial whose agent runs on another host and sent no heartbeat for this long is crashed "
                    + "(default: 120; on the agent's own host, as soon as its process is gone).")
    double graceSeconds = Sweeps.DEFAULT_GRACE.toSeconds();

    SweepInfo create(RunStore store, SweepConfig config, Long seed) {
        if (!(graceSeconds > 0) || graceSeconds > 86_400) {
            throw new IllegalArgumentException("--grace must be between 0.3 and 86400 seconds, not " + graceSeconds);
        }
        return Sweeps.create(store, config, seed, retries, Duration.ofMillis(Math.round(graceSeconds * 1000)));
    }
}
