package dev.panoptim.ui;

import dev.panoptim.track.RunStore;
import dev.panoptim.track.RunStoreException;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.staticcontent.StaticContentService;

import java.nio.file.Path;

/**
 * The dashboard's HTTP server (Helidon SE on virtual threads): the JSON API of docs/UI.md over a {@link RunStore},
 * the live event stream, and the single-page app served from the jar (no CDN: it works offline). The store is the
 * caller's and stays open; {@link #close} stops the server and ends every open event stream.
 *
 * <pre>{@code
 * try (RunStore store = RunStores.open("panoptim");
 *      UiServer ui = UiServer.start(store, new UiServer.Options("127.0.0.1", 0, false, Path.of("panoptim")))) {
 *     System.out.println("http://127.0.0.1:" + ui.port() + "/");
 * }
 * }</pre>
 */
public final class UiServer implements AutoCloseable {
    /** Where to listen, whether writes (sweep controls) are refused, and the panoptim directory (run files, landscapes). */
    public record Options(String host, int port, boolean readOnly, Path directory) {}

    static final String WEB = "dev/panoptim/ui/web";

    private final WebServer server;
    private final ChangeFeed feed;
    private final RunsIndex index;

    private UiServer(WebServer server, ChangeFeed feed, RunsIndex index) {
        this.server = server;
        this.feed = feed;
        this.index = index;
    }

    /**
     * Reads the store's runs, then listens; a store that cannot be read is a {@link RunStoreException}, an address or
     * port it cannot listen on an IllegalArgumentException saying so.
     */
    public static UiServer start(RunStore store, Options options) {
        RunsIndex index = new RunsIndex(store);
        index.load();
        ChangeFeed feed = new ChangeFeed(store, index);
        try {
            WebServer server = WebServer.builder()
                    .host(options.host())
                    .port(options.port())
                    .shutdownHook(false)
                    .routing(r -> routes(r, store, index, feed, options))
                    .build()
                    .start();
            // Helidon logs a bind failure (port in use, an address not on this machine) and returns a stopped server.
            if (!server.isRunning() || server.port() < 0) {
                server.stop();
                throw new IllegalArgumentException("cannot listen on " + options.host() + ":" + options.port()
                        + ": the port is in use by another server, or the address is not this machine's; pick another with "
                        + "--port (0 for a free one) or --host");
            }
            return new UiServer(server, feed, index);
        } catch (RuntimeException e) {
            feed.close();
            throw e;
        }
    }

    private static void routes(HttpRouting.Builder r, RunStore store, RunsIndex index, ChangeFeed feed, Options options) {
        RunsApi runs = new RunsApi(store, index);
        RunApi run = new RunApi(store, index, new RunFiles(options.directory()));
        SweepsApi sweeps = new SweepsApi(store, index, options.readOnly());
        EventStream events = new EventStream(store, index, feed);
        Path landscapes = options.directory().resolve("landscapes");
        ReportPages pages = new ReportPages(store, landscapes);
        r.get("/api/info", (req, res) -> Responses.json(res, ServerInfo.of(store, options)))
                .get("/api/projects", runs::projects)
                .get("/api/runs", runs::runs)
                .get("/api/runs/{id}", run::detail)
                .get("/api/runs/{id}/history", run::history)
                .get("/api/runs/{id}/histograms", run::histograms)
                .get("/api/runs/{id}/media", run::media)
                .get("/api/runs/{id}/media/{key}/{step}/{index}", run::mediaBytes)
                .get("/api/runs/{id}/system", run::system)
                .get("/api/runs/{id}/files/{+path}", run::file)
                .get("/api/sweeps", sweeps::list)
                .get("/api/sweeps/{id}", sweeps::detail)
                .get("/api/sweeps/{id}/history", sweeps::history)
                .post("/api/sweeps/{id}/{action}", sweeps::control)
                .get("/api/events", events::handle)
                .any("/api/*", (req, res) -> {
                    throw ApiException.notFound("no API endpoint " + req.prologue().method().text() + " " + req.path().path()
                            + " (docs/UI.md lists them)");
                })
                .get("/reports/runs/{id}", pages::runReport)
                .get("/reports/sweeps/{id}", pages::sweepReport)
                .get("/landscapes", pages::landscapeIndex)
                .get("/landscapes/", pages::landscapeIndex)
                .get("/landscapes/{+path}", pages::landscapeFile)
                .register("/vendor/plotly", StaticContentService.builder("dev/panoptim/report/plotly/package").build())
                .register("/", StaticContentService.builder(WEB).welcomeFileName("index.html").build())
                .error(ApiException.class, (req, res, e) -> Responses.error(res, e.status(), e.getMessage()))
                .error(RunStoreException.class, (req, res, e) -> Responses.error(res, 503, "the store cannot be read: " + e.getMessage()))
                .error(IllegalArgumentException.class, (req, res, e) -> Responses.error(res, 400, e.getMessage()))
                .error(io.helidon.http.HttpException.class, (req, res, e) -> Responses.error(res, e.status().code(),
                        e.status().code() == 404 ? "not found: " + req.path().path() : e.getMessage()))
                .error(RuntimeException.class, (req, res, e) -> Responses.error(res, 500, e.toString()));
    }

    /** The port it listens on (the one picked when started with port 0). */
    public int port() {
        return server.port();
    }

    /** How many event streams are open (tests check a client that went away is let go). */
    int openStreams() {
        return feed.subscribers();
    }

    RunsIndex index() {
        return index;
    }

    @Override
    public void close() {
        feed.close();
        server.stop();
    }
}
