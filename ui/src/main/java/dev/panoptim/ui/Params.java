package dev.panoptim.ui;

import io.helidon.webserver.http.ServerRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a request's query parameters, turning a malformed one into a 400 that names it and its value.
 *
 * <pre>{@code int limit = Params.intIn(req, "limit", 100, 1, 1000);}</pre>
 */
final class Params {
    private Params() {}

    static String string(ServerRequest req, String name) {
        var q = req.query();
        if (!q.contains(name)) return null;
        String v = q.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** Every value of a repeated parameter, comma-separated lists split too ({@code key=a&key=b,c}). */
    static List<String> all(ServerRequest req, String name) {
        List<String> out = new ArrayList<>();
        var q = req.query();
        if (!q.contains(name)) return out;
        for (String v : q.all(name)) {
            for (String part : v.split(",")) if (!part.isBlank()) out.add(part.strip());
        }
        return out;
    }

    static long longAtLeast(ServerRequest req, String name, long dflt, long min) {
        String v = string(req, name);
        if (v == null) return dflt;
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + name + "' must be an integer, got '" + v + "'");
        }
        if (n < min) throw ApiException.badRequest("'" + name + "' must be >= " + min + ", got " + n);
        return n;
    }

    /** An optional long (null when absent). */
    static Long optionalLong(ServerRequest req, String name, long min) {
        return string(req, name) == null ? null : longAtLeast(req, name, 0, min);
    }

    static int intIn(ServerRequest req, String name, int dflt, int min, int max) {
        long n = longAtLeast(req, name, dflt, Long.MIN_VALUE);
        if (n < min || n > max) throw ApiException.badRequest("'" + name + "' must be in " + min + ".." + max + ", got " + n);
        return (int) n;
    }
}
