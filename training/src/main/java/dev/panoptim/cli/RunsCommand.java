package dev.panoptim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code panoptim runs}: the tracked runs in the local store ({@code list}, {@code show ID},
 * {@code export ID --format csv|json}).
 *
 * <pre>{@code bin/panoptim runs list --project fashion-mnist}</pre>
 */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = {"List, show and export the runs tracked in the local store (panoptim.db in the",
            "panoptim directory: --dir, -Dpanoptim.dir, $PANOPTIM_DIR, else ./panoptim)."},
        subcommands = {RunsListCommand.class, RunsShowCommand.class, RunsExportCommand.class})
final class RunsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (list, show, export)");
    }
}
