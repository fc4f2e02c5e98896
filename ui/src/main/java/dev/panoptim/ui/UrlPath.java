package dev.panoptim.ui;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A metric or media key as one URL path segment: percent-encoded (a key may hold '/', ' ' or '?'), spaces as %20.
 *
 * <pre>{@code "/api/runs/" + id + "/media/" + UrlPath.segment("val/examples") + "/3/0"}</pre>
 */
final class UrlPath {
    private UrlPath() {}

    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
