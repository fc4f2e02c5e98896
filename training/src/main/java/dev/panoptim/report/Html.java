package dev.panoptim.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Small helpers for the self-contained HTML pages (landscape, run report): escaping text, making
 * inlined scripts and JSON safe inside a {@code <script>} element, and filling {@code {{NAME}}}
 * placeholders of a template read from the classpath.
 *
 * <pre>{@code String page = Html.fill(Html.resource(MyPage.class, "page.html"), Map.of("TITLE", Html.escape(title)));}</pre>
 */
public final class Html {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z_]+)}}");

    private Html() {}

    /** Text for an element or an attribute value: {@code & < > " '} escaped. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    /** Text that cannot end its script element early: '<' only ever appears escaped. */
    public static String safeInScript(String js) {
        return js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT").replace("<!--", "<\\!--");
    }

    /** JSON is safe in a script element once every '<' is the escape \u003c (valid only inside strings). */
    public static String jsonSafe(String json) {
        return json.replace("<", "\\u003c");
    }

    /**
     * The script every panoptim page starts with: it collects script errors into the page (shown, and
     * readable by the headless-browser tests) so a broken plot never fails silently.
     */
    public static String errorCollector() {
        return resource(Html.class, "error-collector.js");
    }

    /**
     * The start of every page, for its {{PAGE_START}} placeholder: doctype, head, title and the opening of its style
     * element with the rules all pages share (body, h1, p.note); the page adds its own rules and closes it.
     */
    public static String pageStart(String generator, String title) {
        return fill(resource(Html.class, "page-start.html").stripTrailing(), Map.of("GENERATOR", escape(generator), "TITLE", escape(title)));
    }

    /**
     * The end of every plotly page's head, for its {{PLOTLY_HEAD}} placeholder: the error collector (first, so
     * it also sees plotly's errors), then plotly.js inlined, its version and license in a comment.
     */
    public static String plotlyHead(PlotlyBundle plotly) {
        return fill(resource(Html.class, "plotly-head.html"), Map.of("ERROR_COLLECTOR", errorCollector(),
                "PLOTLY_VERSION", escape(plotly.version()), "PLOTLY_PACKAGE", PlotlyBundle.PACKAGE, "PLOTLY_LICENSE", plotly.license().replace("--", "- -"),
                "PLOTLY", safeInScript(plotly.script())));
    }

    /** A UTF-8 text resource next to {@code owner} on the classpath, or an IllegalStateException naming it. */
    public static String resource(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("resource " + name + " missing from the panoptim-training jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces {{NAME}} in one pass, so inserted text is never scanned again; a placeholder without a value is an error. */
    public static String fill(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + values.values().stream().mapToInt(String::length).sum());
        int last = 0;
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) throw new IllegalStateException("no value for template placeholder " + m.group());
            out.append(template, last, m.start()).append(v);
            last = m.end();
        }
        return out.append(template, last, template.length()).toString();
    }
}
