package dev.panoptim.ui;

import dev.panoptim.track.RunStore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/info}: what the page needs to know about the server: whether it refuses writes (the sweep
 * controls are hidden then), which store it shows, and panoptim's version.
 *
 * <pre>{@code Responses.json(res, ServerInfo.of(store, options));}</pre>
 */
final class ServerInfo {
    private ServerInfo() {}

    static Map<String, Object> of(RunStore store, UiServer.Options options) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("readOnly", options.readOnly());
        m.put("store", store.location());
        String version = UiServer.class.getPackage().getImplementationVersion();
        m.put("version", version == null ? "dev" : version);
        return m;
    }
}
