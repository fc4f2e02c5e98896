package dev.panoptim.ui.seed;

import dev.panoptim.track.MetricBlocks;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Map;

/**
 * Writes many steps of a running run into a SQLite run store in one transaction: the rows and run update that as many
 * {@code RunStore.log} calls (one per step, steps increasing) would leave, for the benchmark's store, where a million
 * one-transaction log calls would take several minutes. {@link DirectLogCheck} proves before use that the result equals
 * the store's own log, table by table, so a change of what {@code log} writes stops the seeding instead of skewing it.
 *
 * <pre>{@code try (DirectLog d = DirectLog.open(dir)) { d.logSteps(runId, 0, 1000, step -> Map.of("loss", 1.0 / (step + 1)), s -> t0 + s, "{}"); }}</pre>
 */
final class DirectLog implements AutoCloseable {
    /** The values of one step. */
    @FunctionalInterface
    interface Values {
        Map<String, Double> at(long step);
    }

    /** When one step was logged (epoch ms). */
    @FunctionalInterface
    interface Clock {
        long at(long step);
    }

    private final Connection conn;
    /** Whether the store records when each step was logged (schema 5's {@code steps} table). */
    private final boolean stepTimes;
    /** Whether the store rolls metrics up by blocks (schema 6's {@code metric_blocks} table). */
    private final boolean blocks;

    private DirectLog(Connection conn) throws SQLException {
        this.conn = conn;
        this.stepTimes = hasTable(conn, "steps");
        this.blocks = hasTable(conn, "metric_blocks");
    }

    private static boolean hasTable(Connection conn, String name) throws SQLException {
        try (var p = conn.prepareStatement("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            p.setString(1, name);
            try (var rs = p.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }
    }

    /** A connection of its own to {@code dir}'s panoptim.db (the store must exist: it made the tables). */
    static DirectLog open(Path dir) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(30_000);
        config.enforceForeignKeys(true);
        Connection c = config.createConnection("jdbc:sqlite:" + dir.resolve("panoptim.db").toAbsolutePath());
        // the look at the tables runs before transactions start: a (deferred) transaction begun with a read would keep a
        // snapshot that the store's writes in between (createRun, setState) make stale (SQLITE_BUSY_SNAPSHOT); each
        // logSteps transaction starts with its insert instead. (IMMEDIATE mode would hold the write lock between them.)
        DirectLog d = new DirectLog(c);
        c.setAutoCommit(false);
        return d;
    }

    /**
     * Steps {@code from} .. {@code to - 1} of the running run {@code runId}, whose last step is below {@code from}:
     * each step's values, then the run row as the last of those log calls leaves it ({@code summaryJson} its summary).
     */
    void logSteps(String runId, long from, long to, Values values, Clock clock, String summaryJson) throws SQLException {
        if (to <= from) throw new IllegalArgumentException("no steps in " + from + " .. " + (to - 1));
        try (PreparedStatement insert = conn.prepareStatement("INSERT INTO metrics (run_id, step, key, value) VALUES (?, ?, ?, ?)");
             PreparedStatement time = conn.prepareStatement(stepTimes ? "INSERT INTO steps (run_id, step, at) VALUES (?, ?, ?)" : "SELECT 1");
             PreparedStatement update = conn.prepareStatement("UPDATE runs SET step_count = step_count + ?, last_step = ?, summary = ?, "
                     + "updated_at = ?, heartbeat_at = ? WHERE id = ? AND last_step < ? AND state = 'running'")) {
            int batched = 0;
            for (long step = from; step < to; step++) {
                for (Map.Entry<String, Double> e : values.at(step).entrySet()) {
                    insert.setString(1, runId);
                    insert.setLong(2, step);
                    insert.setString(3, e.getKey());
                    if (Double.isNaN(e.getValue())) insert.setNull(4, Types.DOUBLE);
                    else insert.setDouble(4, e.getValue());
                    insert.addBatch();
                    if (++batched % 10_000 == 0) insert.executeBatch();
                }
                if (stepTimes) {
                    time.setString(1, runId);
                    time.setLong(2, step);
                    time.setLong(3, clock.at(step));
                    time.addBatch();
                    if (step % 10_000 == 0) time.executeBatch();
                }
            }
            insert.executeBatch();
            if (stepTimes) time.executeBatch();
            if (blocks) MetricBlocks.rebuild(conn, runId, from, to - 1);
            long last = to - 1, at = clock.at(last);
            update.setLong(1, to - from);
            update.setLong(2, last);
            update.setString(3, summaryJson);
            update.setLong(4, at);
            update.setLong(5, at);
            update.setString(6, runId);
            update.setLong(7, from);
            if (update.executeUpdate() != 1) throw new IllegalStateException("run " + runId + " is not running, or has steps at or after " + from);
            conn.commit();
        } catch (SQLException | RuntimeException e) {
            conn.rollback();
            throw e;
        }
    }

    /** Every row of {@code table} (for {@link DirectLogCheck}). */
    Connection connection() {
        return conn;
    }

    void checkpoint() throws SQLException {
        try (Statement s = conn.createStatement()) {
            conn.commit();
            conn.setAutoCommit(true);
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            conn.setAutoCommit(false);
        }
    }

    @Override
    public void close() throws SQLException {
        conn.close();
    }
}
