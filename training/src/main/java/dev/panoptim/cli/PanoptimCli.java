package dev.panoptim.cli;

import dev.panoptim.track.RunStoreException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code panoptim} command line (run through {@code bin/panoptim}): {@code demo}, {@code train}, {@code landscape},
 * {@code runs}, {@code report}, {@code sweep}, {@code agent}, {@code log}, {@code info},
 * {@code classpath}, {@code --version}, and {@code ui} where the panoptim-ui jar is on the class path ({@link CommandPlugin}). Bad arguments print the usage and exit with 2.
 *
 * <pre>{@code bin/panoptim info}</pre>
 */
@Command(name = "panoptim", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Fused optimizer kernels for the JVM (SGD, RMSprop, Adam, AdamW with torch.optim semantics).",
        subcommands = {DemoCommand.class, TrainCommand.class, LandscapeCommand.class, RunsCommand.class, ReportCommand.class,
                SweepCommand.class, AgentCommand.class, ScalingCommand.class, LogCommand.class, InfoCommand.class, ClasspathCommand.class,
                CommandLine.HelpCommand.class})
public final class PanoptimCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (demo, train, landscape, runs, report, info, classpath, help)");
    }

    /** Builds the command line with panoptim's error handling: usage errors exit 2, failures exit 1. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new PanoptimCli());
        for (CommandPlugin plugin : java.util.ServiceLoader.load(CommandPlugin.class)) cmd.addSubcommand(plugin.command());
        // picocli's default prints only "Did you mean ...?" when it has a suggestion; always show the usage too.
        cmd.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(c.getColorScheme().errorText(ex.getMessage()));
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr());
            c.usage(c.getErr(), c.getColorScheme());
            return c.getCommandSpec().exitCodeOnInvalidInput();
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof IllegalArgumentException) {
                commandLine.getErr().println("panoptim: " + ex.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
            // A store that cannot be reached or written says so in its own words; anything else names its class too.
            commandLine.getErr().println("panoptim: " + (ex instanceof RunStoreException ? ex.getMessage() : ex));
            return CommandLine.ExitCode.SOFTWARE;
        });
        return cmd;
    }

    public static void main(String[] args) {
        int code;
        try {
            code = commandLine().execute(args);
        } catch (LinkageError e) {
            // The native library could not be found or loaded: say what was looked for, no stack trace.
            System.err.println("panoptim: " + e.getMessage());
            code = CommandLine.ExitCode.SOFTWARE;
        }
        System.exit(code);
    }
}
