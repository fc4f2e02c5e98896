package dev.panoptim.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * plotly.js (MIT license) from the WebJar {@code org.webjars.npm:plotly.js-dist} on the classpath:
 * the version (from the WebJar's pom.properties), the script and its license text, for inlining into
 * a self-contained HTML file (the landscape page, the run report).
 *
 * <pre>{@code String js = Html.safeInScript(PlotlyBundle.load().script());}</pre>
 */
public record PlotlyBundle(String version, String script, String license) {
    public static final String ARTIFACT = "org.webjars.npm:plotly.js-dist";
    private static final String POM_PROPERTIES = "META-INF/maven/org.webjars.npm/plotly.js-dist/pom.properties";

    /** Loads it, or throws an IllegalStateException naming the missing WebJar. */
    public static PlotlyBundle load() {
        ClassLoader cl = PlotlyBundle.class.getClassLoader();
        String version;
        try (InputStream in = cl.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) throw missing(POM_PROPERTIES);
            Properties p = new Properties();
            p.load(in);
            version = p.getProperty("version");
            if (version == null) throw missing("the version in " + POM_PROPERTIES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String base = "META-INF/resources/webjars/plotly.js-dist/" + version + "/";
        return new PlotlyBundle(version, read(cl, base + "plotly.js"), read(cl, base + "LICENSE"));
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
        return new IllegalStateException("plotly.js not found on the classpath (" + what + "); the WebJar " + ARTIFACT
                + " must be on it (it is in training/target/lib after mvn package)");
    }
}
