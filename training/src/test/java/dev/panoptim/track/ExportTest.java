package dev.panoptim.track;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** runs export: the CSV history (a column per key, gaps empty) and the JSON run. */
class ExportTest {
    static String export(RunStore store, String id, RunExport.Format f) throws Exception {
        StringWriter w = new StringWriter();
        RunExport.write(store, id, f, w);
        return w.toString();
    }

    static Run sample(RunStore store) {
        Run run = Tracking.init(store, "exp", "sample", Map.of("lr", 0.001, "optimizer", Map.of("name", "adamw", "betas", List.of(0.9, 0.999))));
        run.log(Map.of("loss", 2.5, "accuracy", 0.125), 0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss", Double.NaN);
        m.put("val,loss", 3);   // a key that needs CSV quoting
        run.log(m, 2);
        run.log(Map.of("accuracy", 0.75), 3);
        run.summary().put("best", "epoch 3");
        run.finish();
        return run;
    }

    @Test
    void csvHasAColumnPerKeyInOrderOfFirstAppearance(@TempDir Path dir) throws Exception {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            Run run = sample(store);
            assertEquals("""
                    step,accuracy,loss,"val,loss"
                    0,0.125,2.5,
                    2,,NaN,3
                    3,0.75,,
                    """, export(store, run.id(), RunExport.Format.CSV));
            Run empty = Tracking.init(store, "exp", "empty", null);
            assertEquals("step\n", export(store, empty.id(), RunExport.Format.CSV));
            empty.finish();
        }
    }

    @Test
    void jsonHoldsTheWholeRun(@TempDir Path dir) throws Exception {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            Run run = sample(store);
            JsonNode j = new ObjectMapper().readTree(export(store, run.id(), RunExport.Format.JSON));
            assertEquals(run.id(), j.get("id").asText());
            assertEquals("exp", j.get("project").asText());
            assertEquals("sample", j.get("name").asText());
            assertEquals("finished", j.get("state").asText());
            assertEquals(3, j.get("steps").asInt());
            assertEquals(3, j.get("last_step").asInt());
            assertTrue(j.get("sweep_id").isNull());
            assertEquals(0.999, j.at("/config/optimizer/betas/1").asDouble());
            assertEquals("epoch 3", j.at("/summary/best").asText());
            assertEquals(0.75, j.at("/summary/accuracy").asDouble());
            JsonNode h = j.get("history");
            assertEquals(3, h.size());
            assertEquals(0, h.get(0).get("step").asInt());
            assertEquals(2.5, h.get(0).get("loss").asDouble());
            assertEquals("NaN", h.get(1).get("loss").asText(), "NaN as a string keeps the JSON valid");
            assertEquals(3, h.get(1).get("val,loss").asInt());
            assertEquals(List.of("step", "accuracy"), iterable(h.get(2)));
            assertEquals(0, j.get("histograms").size());
            assertTrue(j.get("created").asText().endsWith("Z"), "ISO-8601 UTC");
        }
    }

    @Test
    void unknownIdAndFormat(@TempDir Path dir) {
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            var e = assertThrows(IllegalArgumentException.class, () -> export(store, "zzzzzzzz", RunExport.Format.CSV));
            assertEquals("unknown run id 'zzzzzzzz' in " + store.location() + " (panoptim runs list shows the runs)", e.getMessage());
            var f = assertThrows(IllegalArgumentException.class, () -> RunExport.Format.parse("xml"));
            assertEquals("unknown format 'xml' (valid: csv, json)", f.getMessage());
            assertEquals(RunExport.Format.JSON, RunExport.Format.parse("JSON"));
        }
    }

    private static List<String> iterable(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
