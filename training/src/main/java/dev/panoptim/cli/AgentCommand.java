package dev.panoptim.cli;

import dev.panoptim.sweep.Sweeps;
import dev.panoptim.track.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code panoptim agent SWEEP_ID [--count N]}: claims and runs the sweep's trials as subprocesses of its
 * program/command (any number of agents may share a sweep; run_cap holds across them).
 *
 * <pre>{@code bin/panoptim agent 3k2j9x0a --count 10}</pre>
 */
@Command(name = "agent", mixinStandardHelpOptions = true, description = "Run trials of a sweep (its program as subprocesses).")
final class AgentCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOption store;
    @Parameters(paramLabel = "SWEEP_ID", description = "The sweep id (from panoptim sweep create).") String sweepId;
    @Option(names = "--count", paramLabel = "N", description = "Run at most N trials (default: until the sweep is done).") Integer count;

    @Override
    public Integer call() {
        try (RunStore s = store.open(spec.commandLine().getErr())) {
            int ran = Sweeps.agentProcesses(s, store.directory(), sweepId, count);
            spec.commandLine().getOut().println("ran " + ran + (ran == 1 ? " trial" : " trials") + " of sweep " + sweepId);
        }
        return 0;
    }
}
