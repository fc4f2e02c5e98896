package dev.panoptim.track;

import dev.panoptim.track.RunStore.HistoryBucket;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The roll-up of the metrics table that lets a chart of a long run read about a thousand rows instead of millions:
 * table {@code metric_blocks} (schema 6) holds, per run, key and block of {@value #BLOCK_STEPS} steps (block = step /
 * {@value #BLOCK_STEPS}), how many values the block holds, its first and last step, the smallest and largest finite
 * value with the first step holding each (NULL when the block has no finite value), the value at its last step (NULL
 * for NaN, as in metrics) and whether a NaN or an infinity fell in it. {@link RunStore#log} keeps the blocks current
 * in its transaction; {@link RunStore#historyBuckets} (wide buckets) and {@link RunStore#metricKeys} read them.
 *
 * <p>A tool that writes metrics rows straight into a store's tables (a benchmark's bulk seeding) brings the blocks up
 * to date afterwards, in its own transaction:
 *
 * <pre>{@code MetricBlocks.rebuild(conn, runId, 0, lastStep);}</pre>
 */
public final class MetricBlocks {
    /** Steps per block: block b holds steps b * BLOCK_STEPS .. (b + 1) * BLOCK_STEPS - 1. */
    public static final long BLOCK_STEPS = 64;

    /**
     * {@link RunStore#historyBuckets} answers from blocks when its bucket width is at least this many steps (8 blocks),
     * so that the up to one block by which a bucket's step range moves is at most an eighth of the bucket. With
     * blocks of 64 steps a chart of 1,000 px reads blocks from 512,000 steps on (17.6 ms for a million steps, against
     * 0.66 s exact), and below that the exact path reads at most about half a million rows.
     */
    static final long MIN_BLOCKS_WIDTH = 8 * BLOCK_STEPS;

    /**
     * True for finite values, without an infinity constant (neither database reads the other's): x - x is 0 for finite
     * x and NaN (PostgreSQL) or NULL (SQLite) for infinities; a NaN is stored as NULL.
     */
    private static final String FINITE = "value - value = 0";

    private static final String COLUMNS = "run_id, key, block, n, first_step, last_step, lo, lo_step, hi, hi_step, last_value, non_finite";

    private MetricBlocks() {}

    /**
     * The blocks of the metrics rows {@code where} selects (a condition on metrics' columns, none when empty), as rows
     * of {@code metric_blocks}: one GROUP BY, then index lookups per block for the steps of lo and hi and the last value.
     * Schema 6 backfills with it, so a change of what a block holds needs a migration that rebuilds them.
     */
    static String select(String where) {
        return """
                SELECT g.run_id, g.key, g.block, g.n, g.first_step, g.last_step,
                  g.lo, (SELECT MIN(s.step) FROM metrics s WHERE s.run_id = g.run_id AND s.key = g.key
                         AND s.step >= g.first_step AND s.step <= g.last_step AND s.value = g.lo),
                  g.hi, (SELECT MIN(s.step) FROM metrics s WHERE s.run_id = g.run_id AND s.key = g.key
                         AND s.step >= g.first_step AND s.step <= g.last_step AND s.value = g.hi),
                  (SELECT l.value FROM metrics l WHERE l.run_id = g.run_id AND l.key = g.key AND l.step = g.last_step),
                  g.non_finite
                FROM (SELECT run_id, key, step / %1$d AS block, COUNT(*) AS n, MIN(step) AS first_step, MAX(step) AS last_step,
                        MIN(CASE WHEN %2$s THEN value END) AS lo, MAX(CASE WHEN %2$s THEN value END) AS hi,
                        MAX(CASE WHEN %2$s THEN 0 ELSE 1 END) AS non_finite
                      FROM metrics %3$s GROUP BY run_id, key, step / %1$d) g""".formatted(BLOCK_STEPS, FINITE,
                where.isEmpty() ? "" : "WHERE " + where);
    }

    /** Schema 6's backfill: the blocks of every metrics row. */
    static String backfill() {
        return "INSERT INTO metric_blocks (" + COLUMNS + ") " + select("");
    }

    /**
     * Adds one value logged at a step after every step of its key so far to its block. When the key already holds
     * that step (logged again: the metrics row was replaced), the WHERE keeps the block as it is and the statement
     * counts 0 rows: {@link #rebuildBlock} then recomputes it.
     */
    static final String ADD_SQL = "INSERT INTO metric_blocks (" + COLUMNS + ") VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (run_id, key, block) DO UPDATE SET n = metric_blocks.n + 1, last_step = excluded.last_step, "
            + "lo = CASE WHEN excluded.lo < metric_blocks.lo OR metric_blocks.lo IS NULL THEN excluded.lo ELSE metric_blocks.lo END, "
            + "lo_step = CASE WHEN excluded.lo < metric_blocks.lo OR metric_blocks.lo IS NULL THEN excluded.lo_step ELSE metric_blocks.lo_step END, "
            + "hi = CASE WHEN excluded.hi > metric_blocks.hi OR metric_blocks.hi IS NULL THEN excluded.hi ELSE metric_blocks.hi END, "
            + "hi_step = CASE WHEN excluded.hi > metric_blocks.hi OR metric_blocks.hi IS NULL THEN excluded.hi_step ELSE metric_blocks.hi_step END, "
            + "last_value = excluded.last_value, "
            + "non_finite = CASE WHEN excluded.non_finite = 1 THEN 1 ELSE metric_blocks.non_finite END "
            + "WHERE metric_blocks.last_step < excluded.last_step";

    /** Binds {@link #ADD_SQL} for {@code value} of {@code key} at {@code step} and adds it to the batch. */
    static void addToBatch(PreparedStatement add, String runId, long step, String key, double value) throws SQLException {
        boolean finite = Double.isFinite(value);
        add.setString(1, runId);
        add.setString(2, key);
        add.setLong(3, step / BLOCK_STEPS);
        add.setLong(4, step);
        add.setLong(5, step);
        for (int column : new int[] {6, 8}) {   // lo, lo_step and hi, hi_step: the value itself, when finite
            if (finite) {
                add.setDouble(column, value);
                add.setLong(column + 1, step);
            } else {
                add.setNull(column, Types.DOUBLE);
                add.setNull(column + 1, Types.BIGINT);
            }
        }
        if (Double.isNaN(value)) add.setNull(10, Types.DOUBLE);
        else add.setDouble(10, value);
        add.setInt(11, finite ? 0 : 1);
        add.addBatch();
    }

    /** Recomputes the block of {@code key} holding {@code step} from the metrics rows. */
    static void rebuildBlock(Connection c, String runId, String key, long step) throws SQLException {
        long block = step / BLOCK_STEPS;
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM metric_blocks WHERE run_id = ? AND key = ? AND block = ?");
             PreparedStatement insert = c.prepareStatement("INSERT INTO metric_blocks (" + COLUMNS + ") "
                     + select("run_id = ? AND key = ? AND step >= ? AND step <= ?"))) {
            delete.setString(1, runId);
            delete.setString(2, key);
            delete.setLong(3, block);
            delete.executeUpdate();
            insert.setString(1, runId);
            insert.setString(2, key);
            insert.setLong(3, block * BLOCK_STEPS);
            insert.setLong(4, block * BLOCK_STEPS + BLOCK_STEPS - 1);
            insert.executeUpdate();
        }
    }

    /**
     * Recomputes, from the metrics rows, every block of run {@code runId} (all keys) holding a step of
     * {@code fromStep} .. {@code toStep}: for tools that write metrics rows without {@link RunStore#log}. Runs on
     * {@code c} as it is (call it inside the transaction that wrote the rows).
     */
    public static void rebuild(Connection c, String runId, long fromStep, long toStep) throws SQLException {
        if (fromStep < 0 || fromStep > toStep) {
            throw new IllegalArgumentException("steps " + fromStep + " .. " + toStep + " are no range of steps >= 0");
        }
        long first = fromStep / BLOCK_STEPS, last = toStep / BLOCK_STEPS;
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM metric_blocks WHERE run_id = ? AND block >= ? AND block <= ?");
             PreparedStatement insert = c.prepareStatement("INSERT INTO metric_blocks (" + COLUMNS + ") "
                     + select("run_id = ? AND step >= ? AND step <= ?"))) {
            delete.setString(1, runId);
            delete.setLong(2, first);
            delete.setLong(3, last);
            delete.executeUpdate();
            insert.setString(1, runId);
            insert.setLong(2, first * BLOCK_STEPS);
            insert.setLong(3, last * BLOCK_STEPS + BLOCK_STEPS - 1);   // <= Long.MAX_VALUE, whose block ends there
            insert.executeUpdate();
        }
    }

    /**
     * The run's metric keys from the blocks: a GROUP BY over one row per key and block. The last value is that of the
     * key's last block.
     */
    static final String METRIC_KEYS_SQL = """
            SELECT b.key, SUM(b.n), MIN(b.first_step), MAX(b.last_step),
              (SELECT l.last_value FROM metric_blocks l WHERE l.run_id = b.run_id AND l.key = b.key ORDER BY l.block DESC LIMIT 1)
            FROM metric_blocks b WHERE b.run_id = ? GROUP BY b.run_id, b.key ORDER BY MIN(b.first_step), b.key""";

    private static final String BLOCKS_SQL = "SELECT block, n, first_step, last_step, lo, lo_step, hi, hi_step, last_value, non_finite "
            + "FROM metric_blocks WHERE run_id = ? AND key = ? AND block >= ? AND block <= ? ORDER BY block";

    private static final String EDGES_SQL = "SELECT step, value FROM metrics WHERE run_id = ? AND key = ? AND step >= ? AND step <= ? "
            + "UNION ALL SELECT step, value FROM metrics WHERE run_id = ? AND key = ? AND step >= ? AND step <= ? ORDER BY step";

    /**
     * {@link RunStore#historyBuckets} from blocks, for {@code width >= MIN_BLOCKS_WIDTH}: the blocks wholly inside
     * {@code fromStep .. toStep} each go to the bucket of their first logged step, the steps of the partial blocks at
     * the two ends are read row by row and go to their own bucket; two queries, merged here in step order. Null when
     * no block lies wholly inside the range (the caller then buckets exactly).
     */
    static List<HistoryBucket> historyBuckets(Connection c, String runId, String key, long fromStep, long toStep, long width)
            throws SQLException {
        long firstBlock = Math.floorDiv(fromStep - 1, BLOCK_STEPS) + 1;      // the first block starting at or after fromStep
        long lastBlock = Math.floorDiv(toStep - (BLOCK_STEPS - 1), BLOCK_STEPS);   // the last block ending at or before toStep
        if (firstBlock > lastBlock) return null;
        long blocksEnd = lastBlock * BLOCK_STEPS + BLOCK_STEPS - 1;    // <= toStep, so no overflow
        Buckets out = new Buckets(fromStep, width);
        long blocksStart = firstBlock * BLOCK_STEPS;
        List<Long> edgeSteps = new ArrayList<>();
        List<Double> edgeValues = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(EDGES_SQL)) {
            p.setString(1, runId);
            p.setString(2, key);
            p.setLong(3, fromStep);
            p.setLong(4, blocksStart - 1);
            p.setString(5, runId);
            p.setString(6, key);
            p.setLong(7, blocksEnd == toStep ? 1 : blocksEnd + 1);   // 1 .. 0: no right edge
            p.setLong(8, blocksEnd == toStep ? 0 : toStep);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    edgeSteps.add(rs.getLong(1));
                    edgeValues.add(value(rs, 2));
                }
            }
        }
        int edge = 0;
        for (; edge < edgeSteps.size() && edgeSteps.get(edge) < blocksStart; edge++) out.addValue(edgeSteps.get(edge), edgeValues.get(edge));
        try (PreparedStatement p = c.prepareStatement(BLOCKS_SQL)) {
            p.setString(1, runId);
            p.setString(2, key);
            p.setLong(3, firstBlock);
            p.setLong(4, lastBlock);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    // by the block's first logged step, so that every bucket's firstStep still gives its index
                    long bucket = (rs.getLong(3) - fromStep) / width;
                    double lo = value(rs, 5);
                    long loStep = rs.getLong(6);
                    double hi = value(rs, 7);
                    long hiStep = rs.getLong(8);
                    out.add(bucket, rs.getLong(2), rs.getLong(3), rs.getLong(4), lo, Double.isNaN(lo) ? -1 : loStep,
                            hi, Double.isNaN(hi) ? -1 : hiStep, value(rs, 9), rs.getInt(10) != 0);
                }
            }
        }
        for (; edge < edgeSteps.size(); edge++) out.addValue(edgeSteps.get(edge), edgeValues.get(edge));
        return out.done();
    }

    private static double value(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }

    /** Folds pieces (single values, blocks) given in step order into buckets. */
    private static final class Buckets {
        private final long fromStep;
        private final long width;
        private final List<HistoryBucket> out = new ArrayList<>();
        private long bucket = -1;
        private long firstStep, lastStep, count, minStep, maxStep;
        private double min, max, last;
        private boolean nonFinite;

        Buckets(long fromStep, long width) {
            this.fromStep = fromStep;
            this.width = width;
        }

        void addValue(long step, double v) {
            boolean finite = Double.isFinite(v);
            add((step - fromStep) / width, 1, step, step, finite ? v : Double.NaN, finite ? step : -1,
                    finite ? v : Double.NaN, finite ? step : -1, v, !finite);
        }

        /** A piece with no finite value has NaN lo and hi and -1 for their steps. */
        void add(long pieceBucket, long n, long first, long lastOfPiece, double lo, long loStep, double hi, long hiStep,
                 double lastValue, boolean pieceNonFinite) {
            if (pieceBucket != bucket) {
                flush();
                bucket = pieceBucket;
                firstStep = first;
                count = 0;
                min = max = Double.NaN;
                minStep = maxStep = -1;
                nonFinite = false;
            }
            count += n;
            lastStep = lastOfPiece;
            last = lastValue;
            nonFinite |= pieceNonFinite;
            // pieces come in step order, so the strict comparisons keep the first step holding the min (max)
            if (loStep >= 0 && (minStep < 0 || lo < min)) {
                min = lo;
                minStep = loStep;
            }
            if (hiStep >= 0 && (maxStep < 0 || hi > max)) {
                max = hi;
                maxStep = hiStep;
            }
        }

        private void flush() {
            if (bucket >= 0) out.add(new HistoryBucket(firstStep, lastStep, count, min, minStep, max, maxStep, last, nonFinite));
        }

        List<HistoryBucket> done() {
            flush();
            bucket = -1;
            return out;
        }
    }
}
