package dev.panoptim.track;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A run's data for other tools. CSV: the metric history, one row per logged step, columns {@code step}
 * then one per metric key (in order of first appearance), empty where a key was not logged at that
 * step; numbers in Java's shortest round-trip form (integers without ".0"), NaN as {@code NaN}.
 * JSON: the whole run: its fields, config, summary, {@code history} (one object per step:
 * {@code {"step": 0, "loss": 2.3, ...}}) and {@code histograms}; NaN and infinities as the strings
 * "NaN", "Infinity", "-Infinity".
 *
 * <pre>{@code try (Writer w = Files.newBufferedWriter(path)) { RunExport.write(store, id, RunExport.Format.CSV, w); }}</pre>
 */
public final class RunExport {
    /** The export formats. */
    public enum Format {
        CSV, JSON;

        /** "csv" or "json" (any case), or an IllegalArgumentException listing them. */
        public static Format parse(String s) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(s)) return f;
            }
            throw new IllegalArgumentException("unknown format '" + s + "' (valid: "
                    + Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ")");
        }
    }

    private RunExport() {}

    /** Writes run {@code runId} of {@code store} as {@code format}; an unknown id is an IllegalArgumentException. */
    public static void write(RunStore store, String runId, Format format, Writer out) throws IOException {
        RunInfo run = require(store, runId);
        if (format == Format.CSV) csv(store, run, out);
        else json(store, run, out);
    }

    static RunInfo require(RunStore store, String runId) {
        return store.run(runId).orElseThrow(() -> new IllegalArgumentException("unknown run id '" + runId + "' in "
                + store.location() + " (panoptim runs list shows the runs)"));
    }

    private static void csv(RunStore store, RunInfo run, Writer out) throws IOException {
        List<String> keys = store.metricKeys(run.id()).stream().map(RunStore.MetricKey::key).toList();
        Map<String, Integer> column = new LinkedHashMap<>();
        for (String k : keys) column.put(k, column.size());
        StringBuilder line = new StringBuilder("step");
        for (String k : keys) line.append(',').append(csvField(k));
        out.write(line.append('\n').toString());
        String[] row = new String[keys.size()];
        long step = -1;
        for (RunStore.MetricPoint p : store.history(run.id())) {
            if (p.step() != step) {
                if (step >= 0) writeRow(out, step, row);
                Arrays.fill(row, "");
                step = p.step();
            }
            row[column.get(p.key())] = number(p.value());
        }
        if (step >= 0) writeRow(out, step, row);
    }

    private static void writeRow(Writer out, long step, String[] row) throws IOException {
        StringBuilder s = new StringBuilder().append(step);
        for (String v : row) s.append(',').append(v);
        out.write(s.append('\n').toString());
    }

    /** Shortest round-trip text; integral values without ".0". */
    static String number(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static void json(RunStore store, RunInfo run, Writer out) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", run.id());
        root.put("project", run.project());
        root.put("name", run.name());
        root.put("state", run.state().id());
        root.put("created", Instant.ofEpochMilli(run.createdAt()).toString());
        root.put("updated", Instant.ofEpochMilli(run.updatedAt()).toString());
        root.put("heartbeat", Instant.ofEpochMilli(run.heartbeatAt()).toString());
        root.put("host", run.host());
        if (run.pid() != null) root.put("pid", run.pid());
        else root.putNull("pid");
        root.put("sweep_id", run.sweepId());
        root.put("steps", run.stepCount());
        root.put("last_step", run.lastStep());
        root.set("config", tree(run.configJson()));
        root.set("summary", tree(run.summaryJson()));
        ArrayNode history = root.putArray("history");
        ObjectNode row = null;
        for (RunStore.MetricPoint p : store.history(run.id())) {
            if (row == null || row.get("step").asLong() != p.step()) {
                row = history.addObject();
                row.put("step", p.step());
            }
            row.put(p.key(), p.value());
        }
        ArrayNode histograms = root.putArray("histograms");
        for (RunStore.HistogramPoint h : store.histograms(run.id())) {
            ObjectNode n = histograms.addObject();
            n.put("step", h.step());
            n.put("key", h.key());
            n.put("min", h.histogram().min());
            n.put("max", h.histogram().max());
            ArrayNode counts = n.putArray("counts");
            for (long c : h.histogram().counts()) counts.add(c);
            if (h.histogram().nonFinite() != 0) n.put("nonFinite", h.histogram().nonFinite());
        }
        out.write(Json.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
        out.write('\n');
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not valid: " + e.getOriginalMessage(), e);
        }
    }
}
