package dev.panoptim.ui.seed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.RunStores;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Fills a run store for the browser tests and the scale benchmark of {@code panoptim ui}, through the
 * store's own API (so it holds exactly what training writes), and writes a manifest (JSON) naming what
 * it planted, for the tests to check against.
 * <ul>
 *   <li>{@code demo DIR MANIFEST KEEPER_PID}: a few projects, about 30 runs in every state, a run with a
 *       spike in 20,000 steps, a sweep of 8 runs ({@link DemoStore}). Running runs belong to the process
 *       {@code KEEPER_PID} (alive while the tests run, so the server keeps them running).</li>
 *   <li>{@code bulk DIR MANIFEST [RUNS [STEPS [LONG_STEPS]]]}: RUNS runs (default 10,000) of STEPS steps
 *       (default 20) and one run of LONG_STEPS steps (default 1,000,000) ({@link BulkStore}).</li>
 * </ul>
 *
 * <pre>{@code java -cp "$(bin/panoptim classpath):classes" dev.panoptim.ui.seed.SeedStore demo /tmp/store /tmp/seed.json 1234}</pre>
 */
public final class SeedStore {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SeedStore() {}

    public static void main(String[] args) throws IOException, java.sql.SQLException {
        if (args.length < 3 || !(args[0].equals("demo") || args[0].equals("bulk"))) {
            System.err.println("usage: SeedStore demo DIR MANIFEST KEEPER_PID | bulk DIR MANIFEST [RUNS [STEPS [LONG_STEPS]]]");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        if (Files.exists(dir.resolve("panoptim.db"))) {
            System.err.println("SeedStore: " + dir.resolve("panoptim.db") + " exists already; seed into a fresh directory");
            System.exit(2);
        }
        long started = System.nanoTime();
        Map<String, Object> manifest;
        try (RunStore store = RunStores.open(dir.toString())) {
            manifest = switch (args[0]) {
                case "demo" -> {
                    if (args.length != 4) throw new IllegalArgumentException("demo needs KEEPER_PID");
                    yield new DemoStore(store, Long.parseLong(args[3])).seed();
                }
                default -> new BulkStore(store, dir, intArg(args, 3, 10_000), intArg(args, 4, 20), intArg(args, 5, 1_000_000)).seed();
            };
        }
        manifest.put("store", dir.toAbsolutePath().toString());
        manifest.put("seedSeconds", (System.nanoTime() - started) / 1e9);
        JSON.writeValue(Path.of(args[2]).toFile(), manifest);
        System.out.printf("seeded %s (%s) in %.1f s; manifest %s%n", dir, args[0], (System.nanoTime() - started) / 1e9, args[2]);
    }

    private static int intArg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i].replace("_", "")) : fallback;
    }
}
