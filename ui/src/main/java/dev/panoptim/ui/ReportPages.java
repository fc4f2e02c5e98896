package dev.panoptim.ui;

import dev.panoptim.report.Html;
import dev.panoptim.report.RunReport;
import dev.panoptim.report.SweepReport;
import dev.panoptim.track.RunStore;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The static pages the app links to: a run's and a sweep's HTML report (as {@code panoptim report} and
 * {@code panoptim sweep report} write them, made on request from the store), and the list of landscape pages
 * under the landscapes folder ({@code panoptim landscape --out DIR/landscapes/NAME}), served from there.
 *
 * <pre>{@code routing.get("/reports/runs/{id}", pages::runReport);}</pre>
 */
final class ReportPages {
    private final RunStore store;
    private final Path landscapes;

    ReportPages(RunStore store, Path landscapes) {
        this.store = store;
        this.landscapes = landscapes;
    }

    void runReport(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        if (store.run(id).isEmpty()) throw ApiException.notFound("unknown run id '" + id + "' in " + store.location());
        Responses.html(res, RunReport.html(store, id));
    }

    void sweepReport(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        if (store.sweep(id).isEmpty()) throw ApiException.notFound("unknown sweep id '" + id + "' in " + store.location());
        Responses.html(res, SweepReport.html(store, id));
    }

    /** {@code /landscapes/PATH}: a file under the landscapes folder (a path that leaves it is a 404). */
    void landscapeFile(ServerRequest req, ServerResponse res) {
        String rel = req.path().pathParameters().get("path");
        Path root = landscapes.toAbsolutePath().normalize(), p = root.resolve(rel).normalize();
        if (!p.startsWith(root) || !Files.isRegularFile(p)) throw ApiException.notFound("no landscape file '" + rel + "' in " + root);
        try {
            Responses.bytes(res, rel.endsWith(".html") ? "text/html; charset=utf-8" : rel.endsWith(".png") ? "image/png"
                    : rel.endsWith(".csv") ? "text/csv; charset=utf-8" : "application/octet-stream", Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code /landscapes/}: every HTML page under the landscapes folder, linked. */
    void landscapeIndex(ServerRequest req, ServerResponse res) {
        StringBuilder items = new StringBuilder();
        List<Path> pages = List.of();
        if (Files.isDirectory(landscapes)) {
            try (Stream<Path> walk = Files.walk(landscapes, 4)) {
                pages = walk.filter(p -> p.getFileName().toString().endsWith(".html")).sorted().limit(1000).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (Path p : pages) {
            String rel = landscapes.relativize(p).toString().replace('\\', '/');
            items.append("<li><a href=\"/landscapes/").append(Html.escape(rel)).append("\">").append(Html.escape(rel)).append("</a></li>\n");
        }
        String body = pages.isEmpty()
                ? "<p>No landscape pages in " + Html.escape(landscapes.toString()) + " yet: <code>bin/panoptim landscape ... --out "
                        + Html.escape(landscapes.resolve("NAME").toString()) + "</code> makes one.</p>"
                : "<ul>\n" + items + "</ul>";
        Responses.html(res, "<!doctype html><html><head><meta charset=\"utf-8\"><title>panoptim: landscapes</title>"
                + "<link rel=\"stylesheet\" href=\"/style.css\"></head><body class=\"plain-page\"><p><a href=\"/\">&larr; runs</a></p>"
                + "<h1>Loss landscapes</h1>" + body + "</body></html>");
    }
}
