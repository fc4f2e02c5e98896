package dev.panoptim.cli;

import dev.panoptim.track.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code panoptim agent SWEEP_ID [--count N] [train options]}: claims and runs the sweep's trials, as subprocesses
 * of its program/command, or, for a config without one, by training panoptim's trainer in-process over the
 * train options ({@link SweepTrials}). Any number of agents may share a sweep; run_cap holds across them.
 *
 * <pre>{@code bin/panoptim agent 3k2j9x0a --count 10}</pre>
 */
@Command(name = "agent", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run trials of a sweep: its program as subprocesses, or, for a config without one,",
            "panoptim's trainer in-process (the trial's values override the train options; see panoptim train --help)."})
final class AgentCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOption store;
    @Parameters(paramLabel = "SWEEP_ID", description = "The sweep id (from panoptim sweep create).") String sweepId;
    @Option(names = "--count", paramLabel = "N", description = "Run at most N trials (default: until the sweep is done).") Integer count;
    @Mixin TrainOptions train;

    @Override
    public Integer call() {
        try (RunStore s = store.open(spec.commandLine().getErr())) {
            SweepTrials trials = SweepTrials.of(s, sweepId, train, spec);
            int ran = trials.run(s, store.directory(), sweepId, count);
            spec.commandLine().getOut().println("ran " + ran + (ran == 1 ? " trial" : " trials") + " of sweep " + sweepId);
            return trials.stopped() ? 130 : 0;
        }
    }
}
