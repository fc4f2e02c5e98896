package dev.panoptim.track;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What {@code metric_blocks} must hold for a key's points, computed point by point in Java, and what a store's table
 * holds, both as one line per block ("key|block|n|first|last|lo|loStep|hi|hiStep|last|nonFinite"), for the contract's
 * block tests.
 *
 * <pre>{@code assertEquals(BlockModel.expected("loss", points), BlockModel.stored(conn, runId));}</pre>
 */
final class BlockModel {
    private BlockModel() {}

    /** The blocks of {@code points} (step to value; NaN and infinities as logged) of one key. */
    static List<String> expected(String key, Map<Long, Double> points) {
        Map<Long, NavigableMap<Long, Double>> byBlock = new TreeMap<>();
        points.forEach((step, v) -> byBlock.computeIfAbsent(step / MetricBlocks.BLOCK_STEPS, b -> new TreeMap<>()).put(step, v));
        List<String> out = new ArrayList<>();
        byBlock.forEach((block, steps) -> {
            Double lo = null, hi = null;
            Long loStep = null, hiStep = null;
            boolean nonFinite = false;
            for (Map.Entry<Long, Double> e : steps.entrySet()) {
                double v = e.getValue();
                if (!Double.isFinite(v)) {
                    nonFinite = true;
                    continue;
                }
                if (lo == null || v < lo) { lo = v; loStep = e.getKey(); }
                if (hi == null || v > hi) { hi = v; hiStep = e.getKey(); }
            }
            double last = steps.lastEntry().getValue();
            out.add(String.join("|", key, "" + block, "" + steps.size(), "" + steps.firstKey(), "" + steps.lastKey(), "" + lo,
                    "" + loStep, "" + hi, "" + hiStep, Double.isNaN(last) ? "null" : "" + last, nonFinite ? "1" : "0"));
        });
        return out;
    }

    /** The blocks the store holds for run {@code runId}, by key then block. */
    static List<String> stored(Connection c, String runId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT key, block, n, first_step, last_step, lo, lo_step, hi, hi_step, "
                + "last_value, non_finite FROM metric_blocks WHERE run_id = ? ORDER BY key, block")) {
            p.setString(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    row.add(rs.getString(1));
                    for (int i = 2; i <= 11; i++) {
                        boolean real = i == 6 || i == 8 || i == 10;
                        Object v = real ? (Object) rs.getDouble(i) : (Object) rs.getLong(i);
                        row.add(rs.wasNull() ? "null" : v.toString());
                    }
                    out.add(String.join("|", row));
                }
            }
        }
        return out;
    }

    /** The expected blocks of several keys, by key then block. */
    static List<String> expected(Map<String, Map<Long, Double>> keys) {
        List<String> out = new ArrayList<>();
        new TreeMap<>(keys).forEach((key, points) -> out.addAll(expected(key, points)));
        return out;
    }

    /** The points of each key in {@code history}, by key. */
    static Map<String, Map<Long, Double>> byKey(List<RunStore.MetricPoint> history) {
        Map<String, Map<Long, Double>> out = new LinkedHashMap<>();
        for (RunStore.MetricPoint p : history) out.computeIfAbsent(p.key(), k -> new TreeMap<>()).put(p.step(), p.value());
        return out;
    }
}
