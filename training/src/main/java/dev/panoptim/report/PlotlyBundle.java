package dev.panoptim.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * plotly.js (MIT license), minified: the npm package {@value #PACKAGE} that the training module's build
 * downloads from the npm registry (checked against its sha512) into the jar under {@value #BASE}: the version
 * (from its package.json), the script and its license text, for inlining into a self-contained HTML file (the
 * landscape page, the run and sweep reports).
 *
 * <pre>{@code String js = Html.safeInScript(PlotlyBundle.load().script());}</pre>
 */
public record PlotlyBundle(String version, String script, String license) {
    public static final String PACKAGE = "plotly.js-dist-min";
    static final String BASE = "dev/panoptim/report/plotly/package/";

    /** Loads it, or throws an IllegalStateException naming what is missing. */
    public static PlotlyBundle load() {
        ClassLoader cl = PlotlyBundle.class.getClassLoader();
        JsonNode pkg;
        try {
            pkg = new ObjectMapper().readTree(read(cl, BASE + "package.json"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BASE + "package.json of " + PACKAGE, e);
        }
        String version = pkg.path("version").asText(null);
        if (version == null) throw missing("the version in " + BASE + "package.json");
        return new PlotlyBundle(version, read(cl, BASE + "plotly.min.js"), read(cl, BASE + "LICENSE"));
    }

    private static String read(ClassLoader cl, String path) {
        try (InputStream in = cl.getResourceAsStream(path)) {
            if (in == null) throw missing(path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static IllegalStateException missing(String what) {
        return new IllegalStateException("plotly.js not found on the classpath (" + what + "); the training module's build "
                + "puts the npm package " + PACKAGE + " there (mvn package downloads it from registry.npmjs.org)");
    }
}
