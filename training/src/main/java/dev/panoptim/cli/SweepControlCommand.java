package dev.panoptim.cli;

import dev.panoptim.sweep.SweepControl;
import dev.panoptim.track.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code panoptim sweep pause|resume|stop|cancel ID}: controls a sweep's agents, like {@code wandb sweep --pause}
 * and its siblings ({@link SweepControl} says what each state makes agents do). A sweep not in a state the
 * action applies to exits 2, naming its state.
 *
 * <pre>{@code bin/panoptim sweep cancel 3k2j9x0a}</pre>
 */
abstract class SweepControlCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOption store;
    @Parameters(paramLabel = "ID", description = "The sweep id.") String id;

    abstract String act(RunStore store);

    @Override
    public Integer call() {
        try (RunStore s = store.open(spec.commandLine().getErr())) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(act(s));
        }
        return 0;
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Agents claim no trials (they wait) until the sweep is resumed.")
    static final class Pause extends SweepControlCommand {
        String act(RunStore s) {
            SweepControl.pause(s, id);
            return "sweep " + id + " paused: agents wait (panoptim sweep resume " + id + ")";
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "A paused or stopped sweep runs again.")
    static final class Resume extends SweepControlCommand {
        String act(RunStore s) {
            SweepControl.resume(s, id);
            return "sweep " + id + " running: waiting agents claim trials again; start agents with panoptim agent " + id;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "No new trials; the running ones go to their end.")
    static final class Stop extends SweepControlCommand {
        String act(RunStore s) {
            SweepControl.stop(s, id);
            return "sweep " + id + " stopped: no new trials; running ones go to their end";
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "No new trials, and the running ones are stopped.")
    static final class Cancel extends SweepControlCommand {
        String act(RunStore s) {
            List<String> stopped = SweepControl.cancel(s, id);
            return "sweep " + id + " canceled: " + (stopped.isEmpty() ? "no run was running"
                    : "stopped " + String.join(", ", stopped) + " (their agents end them)");
        }
    }
}
