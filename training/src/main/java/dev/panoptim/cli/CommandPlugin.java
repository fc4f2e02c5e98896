package dev.panoptim.cli;

/**
 * A subcommand that lives in another module (as {@code panoptim ui} in panoptim-ui, which keeps the HTTP
 * stack out of the trainer): {@link PanoptimCli} adds every one found by {@link java.util.ServiceLoader} on
 * the class path, so the command is there exactly when its module's jar is.
 *
 * <pre>{@code // META-INF/services/dev.panoptim.cli.CommandPlugin: dev.panoptim.ui.UiCommand$Plugin}</pre>
 */
public interface CommandPlugin {
    /** A new picocli command object (a class annotated with {@code @Command}). */
    Object command();
}
