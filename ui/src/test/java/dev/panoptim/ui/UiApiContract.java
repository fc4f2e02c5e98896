package dev.panoptim.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panoptim.track.RunStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's JSON API (docs/UI.md) against a {@link SeededStore}, over real HTTP on a free loopback port;
 * run on SQLite ({@link UiApiSqliteTest}) and PostgreSQL ({@link UiApiPostgresTest}).
 */
abstract class UiApiContract {
    static final ObjectMapper JSON = new ObjectMapper();

    RunStore store;
    SeededStore seed;
    UiServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    abstract RunStore openStore() throws Exception;

    abstract Path directory();

    @BeforeEach
    void start() throws Exception {
        store = openStore();
        seed = new SeededStore(store);
        server = UiServer.start(store, new UiServer.Options("127.0.0.1", 0, false, directory()));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (store != null) store.close();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    HttpResponse<String> send(String method, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(String pathAndQuery) throws Exception {
        HttpResponse<String> r = send("GET", pathAndQuery);
        assertEquals(200, r.statusCode(), pathAndQuery + ": " + r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), pathAndQuery);
        return JSON.readTree(r.body());
    }

    /** Asserts the status and that the error message mentions {@code mentions}. */
    void assertError(int status, String method, String pathAndQuery, String mentions) throws Exception {
        HttpResponse<String> r = send(method, pathAndQuery);
        assertEquals(status, r.statusCode(), pathAndQuery + ": " + r.body());
        String error = JSON.readTree(r.body()).path("error").asText();
        assertTrue(error.contains(mentions), pathAndQuery + ": the message '" + error + "' should mention '" + mentions + "'");
    }

    static List<String> ids(JsonNode runs) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : runs) out.add(r.get("id").asText());
        return out;
    }

    @Test
    void runsTableListsSortsFiltersPagesAndGroups() throws Exception {
        JsonNode all = get("/api/runs");
        assertEquals(11, all.get("total").asInt(), "3 finished-ish + live + spiky + 6 sweep runs");
        // default: newest first
        List<Long> created = new ArrayList<>();
        for (JsonNode r : all.get("runs")) created.add(r.get("createdAt").asLong());
        List<Long> sorted = new ArrayList<>(created);
        sorted.sort(java.util.Comparator.reverseOrder());
        assertEquals(sorted, created);
        assertTrue(all.get("columns").get("config").toString().contains("model.depth"), "nested config is flattened");

        JsonNode byLr = get("/api/runs?sort=config.lr&project=vision");
        double previous = -1;
        for (JsonNode r : byLr.get("runs")) {
            if (!r.get("config").has("lr")) continue;
            double lr = r.get("config").get("lr").asDouble();
            assertTrue(lr >= previous, "ascending lr: " + byLr);
            previous = lr;
        }
        JsonNode desc = get("/api/runs?sort=-name&project=vision&filter=" + enc("sweep != x or name ~ a"));
        List<String> names = new ArrayList<>();
        for (JsonNode r : desc.get("runs")) names.add(r.get("name").asText());
        List<String> expected = new ArrayList<>(names);
        expected.sort(String.CASE_INSENSITIVE_ORDER.reversed());
        assertEquals(expected, names);

        JsonNode filtered = get("/api/runs?filter=" + enc("config.lr >= 0.05 and state = finished"));
        for (JsonNode r : filtered.get("runs")) {
            assertTrue(r.get("config").get("lr").asDouble() >= 0.05);
            assertEquals("finished", r.get("state").asText());
        }
        assertTrue(ids(filtered.get("runs")).contains(seed.finished.get(0)));
        assertEquals(List.of(seed.finished.get(2)), ids(get("/api/runs?filter=" + enc("(name ~ GAM) and not state = finished")).get("runs")));

        JsonNode page2 = get("/api/runs?offset=4&limit=4");
        assertEquals(4, page2.get("runs").size());
        assertEquals(ids(all.get("runs")).subList(4, 8), ids(page2.get("runs")));

        JsonNode grouped = get("/api/runs?group=config.optimizer");
        int counted = 0;
        for (JsonNode g : grouped.get("groups")) counted += g.get("count").asInt();
        assertEquals(11, counted);

        JsonNode withStats = get("/api/runs?filter=" + enc("name = spiky") + "&stats=loss");
        JsonNode stats = withStats.get("runs").get(0).get("stats").get("loss");
        assertEquals(SeededStore.SPIKE, stats.get("max").asDouble(), "the spike is the max, the NaN is skipped");
        assertEquals(seed.spiky, ids(get("/api/runs?sort=-max.loss").get("runs")).getFirst());
    }

    @Test
    void malformedParametersAre400NamingThem() throws Exception {
        assertError(400, "GET", "/api/runs?limit=abc", "'limit'");
        assertError(400, "GET", "/api/runs?limit=0", "'limit'");
        assertError(400, "GET", "/api/runs?offset=-1", "'offset'");
        assertError(400, "GET", "/api/runs?sort=bogus", "unknown column 'bogus'");
        assertError(400, "GET", "/api/runs?filter=" + enc("state ="), "expected a value");
        assertError(400, "GET", "/api/runs?filter=" + enc("(state = running"), "')'");
        assertError(400, "GET", "/api/runs?filter=" + enc("name = \"open"), "never closed");
        assertError(400, "GET", "/api/runs?filter=" + enc("config.lr >= and"), "found 'and'");
        assertError(400, "GET", "/api/runs/" + seed.spiky + "/history?key=loss&buckets=0", "'buckets'");
        assertError(400, "GET", "/api/runs/" + seed.spiky + "/history?key=loss&from=9&to=3", "'from'");
        assertError(400, "GET", "/api/runs/" + seed.spiky + "/history", "'key'");
        assertError(400, "GET", "/api/events?since=yesterday", "'since'");
    }

    @Test
    void unknownIdsAre404WithAMessage() throws Exception {
        assertError(404, "GET", "/api/runs/zzzzzzzz", "unknown run id 'zzzzzzzz'");
        assertError(404, "GET", "/api/runs/zzzzzzzz/history?key=loss", "unknown run id");
        assertError(404, "GET", "/api/runs/" + seed.spiky + "/history?key=nope", "no metric 'nope'");
        assertError(404, "GET", "/api/runs/" + seed.spiky + "/histograms?key=nope", "no histogram 'nope'");
        assertError(404, "GET", "/api/runs/" + seed.spiky + "/files/checkpoints/%2E%2E/%2E%2E/panoptim.db", "no file");
        assertError(404, "GET", "/api/sweeps/zzzzzzzz", "unknown sweep id 'zzzzzzzz'");
        assertError(404, "POST", "/api/sweeps/zzzzzzzz/pause", "unknown sweep id");
        assertError(404, "GET", "/api/nothing-here", "no API endpoint");
        assertError(404, "GET", "/api/events?run=zzzzzzzz", "unknown run id");
        assertError(404, "GET", "/reports/runs/zzzzzzzz", "unknown run id");
    }

    @Test
    void historyBucketsKeepTheSpikeAndTheNanAtAnyWidth() throws Exception {
        for (int buckets : new int[] {1, 3, 7, 64, 1000, SeededStore.STEPS}) {
            JsonNode h = get("/api/runs/" + seed.spiky + "/history?key=loss&buckets=" + buckets);
            JsonNode rows = h.get("series").get(0).get("rows");
            assertTrue(rows.size() <= buckets);
            double max = Double.NEGATIVE_INFINITY;
            boolean nan = false;
            long maxStep = -1, count = 0;
            for (JsonNode row : rows) {
                count += row.get(2).asLong();
                if (!row.get(5).isNull() && row.get(5).asDouble() > max) { max = row.get(5).asDouble(); maxStep = row.get(6).asLong(); }
                nan |= row.get(8).asBoolean();
            }
            assertEquals(SeededStore.SPIKE, max, "buckets=" + buckets);
            assertEquals(SeededStore.SPIKE_STEP, maxStep, "buckets=" + buckets);
            assertTrue(nan, "the NaN step is flagged at buckets=" + buckets);
            assertEquals(SeededStore.STEPS, count, "every step counted once at buckets=" + buckets);
        }
        // zoom: only the visible range, at full detail
        JsonNode zoom = get("/api/runs/" + seed.spiky + "/history?key=loss&from=3200&to=3219&buckets=100");
        JsonNode rows = zoom.get("series").get(0).get("rows");
        assertEquals(20, rows.size());
        assertEquals("NaN", rows.get(10).get(7).asText(), "the NaN step's last value is the string NaN");
        assertTrue(rows.get(10).get(3).isNull(), "a bucket of only NaN has no min");
    }

    @Test
    void runDetailListsMetricsAndHidesBookkeepingKeys() throws Exception {
        JsonNode run = get("/api/runs/" + seed.finished.getFirst());
        assertEquals("alpha", run.get("name").asText());
        List<String> keys = new ArrayList<>();
        for (JsonNode m : run.get("metrics")) keys.add(m.get("key").asText());
        assertEquals(List.of("accuracy", "loss"), keys.stream().sorted().toList());
        assertEquals(18, run.get("config").get("model.depth").asInt());
        assertEquals(18, run.get("configJson").get("model").get("depth").asInt());
    }

    @Test
    void tagsMediaSystemMetricsAndStepTimes() throws Exception {
        assertEquals(List.of(seed.live), ids(get("/api/runs?filter=" + enc("tag = resnet")).get("runs")));
        JsonNode run = get("/api/runs/" + seed.live);
        assertEquals("[\"baseline\",\"resnet\"]", run.get("tags").toString());
        assertEquals("examples", run.get("media").get(0).get("key").asText());
        assertEquals("[\"cpu.percent\",\"memory.rss_mb\"]", run.get("system").toString());

        JsonNode media = get("/api/runs/" + seed.live + "/media?key=examples").get("items").get(0);
        assertEquals("classification", media.get("kind").asText());
        assertEquals(9, media.get("step").asLong());
        assertEquals(0.75, media.get("probabilities").get(1).asDouble(), 1e-6);
        assertEquals(1, media.get("label").asInt());
        HttpResponse<byte[]> png = http.send(HttpRequest.newBuilder(uri(media.get("url").asText())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("content-type").orElseThrow());
        assertEquals(8, javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.body())).getWidth());
        assertError(404, "GET", "/api/runs/" + seed.live + "/media?key=nope", "no media 'nope'");
        assertError(404, "GET", "/api/runs/" + seed.live + "/media/examples/9/5", "no media 'examples' at step 9, index 5");
        assertError(400, "GET", "/api/runs/" + seed.live + "/media/examples/nine/0", "integers");

        JsonNode system = get("/api/runs/" + seed.live + "/system").get("series");
        assertEquals("cpu.percent", system.get(0).get("key").asText());
        assertEquals(70.0, system.get(0).get("points").get(1).get(1).asDouble());

        JsonNode h = get("/api/runs/" + seed.spiky + "/history?key=loss&buckets=10");
        JsonNode rows = h.get("series").get(0).get("rows"), times = h.get("times");
        assertEquals(rows.size(), times.size(), "one time row per bucket");
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(rows.get(i).get(0).asLong(), times.get(i).get(0).asLong(), "same bucket geometry");
            assertEquals(SeededStore.T0 + 3000 + times.get(i).get(2).asLong(), times.get(i).get(3).asLong(), "the step's log time");
        }
    }

    @Test
    void sweepPageHasRunsBestImportanceAndControls() throws Exception {
        JsonNode sweep = get("/api/sweeps/" + seed.sweepId);
        assertEquals(6, sweep.get("runs").size());
        assertEquals("accuracy", sweep.get("metric").get("name").asText());
        double bestAccuracy = sweep.get("best").get("summary").get("accuracy").asDouble();
        for (JsonNode r : sweep.get("runs")) assertTrue(r.get("summary").get("accuracy").asDouble() <= bestAccuracy);
        assertTrue(sweep.get("importance").get("parameters").size() > 0, sweep.get("importance").toString());
        assertEquals(6, get("/api/sweeps/" + seed.sweepId + "/history").get("runs").size());
        assertEquals(1, get("/api/sweeps").get("sweeps").size());

        assertEquals("paused", send200("POST", "/api/sweeps/" + seed.sweepId + "/pause").get("state").asText());
        assertError(409, "POST", "/api/sweeps/" + seed.sweepId + "/pause", "cannot pause");
        assertEquals("running", send200("POST", "/api/sweeps/" + seed.sweepId + "/resume").get("state").asText());
        assertError(404, "POST", "/api/sweeps/" + seed.sweepId + "/explode", "unknown sweep action");
    }

    @Test
    void aReadOnlyServerRefusesSweepControls() throws Exception {
        try (UiServer ro = UiServer.start(store, new UiServer.Options("127.0.0.1", 0, true, directory()))) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ro.port() + "/api/sweeps/"
                    + seed.sweepId + "/cancel")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode(), r.body());
            assertTrue(r.body().contains("read-only"));
        }
        assertEquals("running", store.sweep(seed.sweepId).orElseThrow().state(), "nothing changed");
    }

    JsonNode send200(String method, String path) throws Exception {
        HttpResponse<String> r = send(method, path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void aLoggedPointReachesAnOpenStreamWithinTwoSeconds() throws Exception {
        long cursor = get("/api/runs").get("cursor").asLong();
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(uri("/api/events?since=" + cursor + "&run=" + seed.live))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        BlockingQueue<String[]> events = new ArrayBlockingQueue<>(1000);
        Thread reader = Thread.ofVirtual().start(() -> readEvents(stream.body(), events));
        try {
            assertEquals("ready", events.poll(10, TimeUnit.SECONDS)[0]);
            long logged = System.nanoTime();
            store.log(seed.live, 10, Map.of("loss", 0.5, "acc", 0.9), List.of(), "{\"loss\": 0.5}", System.currentTimeMillis());
            boolean sawRun = false, sawLoss = false, sawAcc = false;
            while (!(sawRun && sawLoss && sawAcc)) {
                String[] e = events.poll(2_000 - (System.nanoTime() - logged) / 1_000_000, TimeUnit.MILLISECONDS);
                assertNotNull(e, "within 2 s of the log: run " + sawRun + ", loss " + sawLoss + ", acc " + sawAcc);
                JsonNode data = JSON.readTree(e[1]);
                if (e[0].equals("runs")) sawRun |= data.get("runs").toString().contains(seed.live);
                if (e[0].equals("points")) {
                    assertEquals(seed.live, data.get("run").asText());
                    JsonNode rows = data.get("rows");
                    assertEquals(1, rows.size(), "only the new step: " + data);
                    assertEquals(10, rows.get(0).get(0).asLong());
                    sawLoss |= data.get("key").asText().equals("loss");
                    sawAcc |= data.get("key").asText().equals("acc");
                }
            }
        } finally {
            stream.body().close();
            reader.interrupt();
        }
    }

    @Test
    void aClientThatLeavesMidStreamIsLetGo() throws Exception {
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(uri("/api/events?run=" + seed.live)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        stream.body().read(new byte[16]);
        assertEquals(1, server.openStreams());
        stream.body().close();
        // the server notices at its next write: a change (or the 15 s ping)
        long deadline = System.currentTimeMillis() + 20_000;
        int step = 10;
        while (server.openStreams() > 0 && System.currentTimeMillis() < deadline) {
            store.log(seed.live, step++, Map.of("loss", 0.1), List.of(), "{}", System.currentTimeMillis());
            Thread.sleep(300);
        }
        assertEquals(0, server.openStreams(), "the stream of the client that left is closed");
        assertEquals(200, send("GET", "/api/projects").statusCode(), "and the server still answers");
    }

    private static void readEvents(InputStream in, BlockingQueue<String[]> out) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("event:")) name = line.substring(6).strip();
                else if (line.startsWith("data:")) data.append(line.substring(5));
                else if (line.isEmpty() && name != null) {
                    out.offer(new String[] {name, data.toString()});
                    name = null;
                    data.setLength(0);
                }
            }
        } catch (java.io.IOException e) {
            // closed by the test
        }
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
