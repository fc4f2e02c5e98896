package dev.panoptim.ui;

import dev.panoptim.cli.CommandPlugin;
import dev.panoptim.cli.StoreOption;
import dev.panoptim.track.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.awt.Desktop;
import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code panoptim ui}: serves the live dashboard of the run store (docs/UI.md) until interrupted (Ctrl-C).
 * Binds to 127.0.0.1 unless {@code --host} says otherwise, and then warns that whoever can reach it can control
 * sweeps unless {@code --read-only}. The first line on stdout names the URL (with the port picked for
 * {@code --port 0}), so scripts and tests can read it.
 *
 * <pre>{@code bin/panoptim ui --port 0 --dir runs/}</pre>
 */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = "Serve the live dashboard of runs and sweeps (http://127.0.0.1:8080/ by default).")
public final class UiCommand implements Callable<Integer> {
    public static final int DEFAULT_PORT = 8080;
    /** How long Ctrl-C waits for the server to close its connections before the process ends anyway. */
    static final long STOP_WAIT_MS = 3_000;

    /** Registers {@code ui} with the panoptim command line when this jar is on the class path. */
    public static final class Plugin implements CommandPlugin {
        @Override
        public Object command() {
            return new UiCommand();
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + DEFAULT_PORT,
            description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one, printed).")
    int port;

    @Option(names = "--read-only", description = "The page cannot change anything: the sweep controls (pause, resume, stop, cancel) answer 403.")
    boolean readOnly;

    @Option(names = "--open", description = "Open the dashboard in the browser once it listens.")
    boolean open;

    /**
     * Helidon's log lines (features, sockets, a bind failure's stack trace) would bury the URL line and the messages
     * panoptim prints itself; held here so the setting is not collected.
     */
    private static final java.util.logging.Logger HELIDON_LOG = java.util.logging.Logger.getLogger("io.helidon");

    @Override
    public Integer call() throws InterruptedException {
        HELIDON_LOG.setLevel(java.util.logging.Level.OFF);
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
        if (host.isBlank()) throw new IllegalArgumentException("--host must not be empty");
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (!isLoopback(host)) {
            err.println("panoptim ui: WARNING: listening on " + host + ": anyone who can reach this machine's port can read every run"
                    + (readOnly ? "" : " and pause, stop or cancel sweeps (use --read-only to refuse that)"));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (RunStore s = store.open(err); UiServer ui = startOrExplain(s)) {
            String shownHost = host.contains(":") ? "[" + host + "]" : host;
            String url = "http://" + shownHost + ":" + ui.port() + "/";
            out.println("panoptim ui: serving " + store.describe() + " at " + url);
            out.println("panoptim ui: Ctrl-C stops it" + (readOnly ? " (read-only)" : ""));
            out.flush();
            if (open) openBrowser(url, err);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // Helidon's stop waits for the connections it serves; one whose client stopped reading (a write that
                // never returns) must not keep Ctrl-C from ending the process, so the wait is bounded.
                Thread stopper = Thread.ofPlatform().daemon().name("panoptim-ui-stop").start(ui::close);
                try {
                    stopper.join(STOP_WAIT_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stopped.countDown();
            }, "panoptim-ui-shutdown"));
            stopped.await();
        }
        return 0;
    }

    private UiServer startOrExplain(RunStore s) {
        return UiServer.start(s, new UiServer.Options(host, port, readOnly, store.directory()));
    }

    private static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }

    private static void openBrowser(String url, PrintWriter err) {
        try {
            if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(URI.create(url));
                return;
            }
            new ProcessBuilder("xdg-open", url).inheritIO().start();
        } catch (Exception e) {
            err.println("panoptim ui: could not open a browser (" + e.getMessage() + "); open " + url + " yourself");
        }
    }
}
