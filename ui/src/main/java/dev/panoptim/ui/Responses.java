package dev.panoptim.ui;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import java.util.Map;

/**
 * Writes the API's answers: JSON bodies, and errors as {@code {"error": message}} with their status.
 *
 * <pre>{@code Responses.json(res, Map.of("projects", projects));}</pre>
 */
final class Responses {
    private Responses() {}

    static void json(ServerResponse res, Object body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(JsonOut.write(body));
    }

    static void error(ServerResponse res, int status, String message) {
        res.status(Status.create(status));
        json(res, Map.of("error", message == null ? "error" : message));
    }

    static void bytes(ServerResponse res, String contentType, byte[] body) {
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        res.send(body);
    }

    static void html(ServerResponse res, String html) {
        res.headers().contentType(MediaTypes.TEXT_HTML);
        res.send(html);
    }
}
