package dev.panoptim.track;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The default {@link RunStore}: one SQLite file (sqlite-jdbc, SQLite bundled), {@value #FILE_NAME}
 * in the panoptim directory. Write-ahead log (readers never block the writer, nor it them),
 * {@code synchronous=NORMAL} (a commit survives the process dying; only a power cut can lose the
 * last ones), writes in {@code BEGIN IMMEDIATE} transactions with a 30 s busy timeout, so threads
 * and processes sharing the file take turns. One log call is one transaction: its values and
 * histograms batch-inserted, the run's row updated; it costs tens of microseconds.
 *
 * <pre>{@code try (SqliteRunStore store = SqliteRunStore.inDirectory(Path.of("panoptim"))) { ... }}</pre>
 */
public final class SqliteRunStore implements RunStore {
    /** The database's file name in the panoptim directory. */
    public static final String FILE_NAME = "panoptim.db";
    static final int BUSY_TIMEOUT_MS = 30_000;

    private static final String RUN_COLUMNS = "id, project, name, state, created_at, updated_at, heartbeat_at, config, summary, "
            + "last_step, step_count, pid, process_started_at, host, sweep_id";

    private final Path file;
    private final Connection conn;
    private final PreparedStatement insertMetric;
    private final PreparedStatement insertHistogram;
    private final PreparedStatement updateOnLog;
    private boolean closed;

    /** Opens (creating it and its directory when missing) the store in {@code file}. */
    public static SqliteRunStore open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of the run store " + file, e);
        }
        return new SqliteRunStore(file);
    }

    /** Opens {@code dir}/{@value #FILE_NAME}, creating it when missing. */
    public static SqliteRunStore inDirectory(Path dir) {
        return open(dir.resolve(FILE_NAME));
    }

    /** Opens an existing store; a missing file is an IllegalArgumentException that names it. */
    public static SqliteRunStore openExisting(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no run store at " + file + " (runs are stored there by Tracking.init; "
                    + "choose the directory with --dir, -Dpanoptim.dir or PANOPTIM_DIR)");
        }
        return new SqliteRunStore(file);
    }

    private SqliteRunStore(Path file) {
        this.file = file.toAbsolutePath();
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        Connection c = null;
        try {
            c = config.createConnection("jdbc:sqlite:" + this.file);
            this.conn = c;
            enableWal();
            migrate();
            insertMetric = conn.prepareStatement("INSERT INTO metrics (run_id, step, key, value) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (run_id, step, key) DO UPDATE SET value = excluded.value");
            insertHistogram = conn.prepareStatement("INSERT INTO histograms (run_id, step, key, bins) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (run_id, step, key) DO UPDATE SET bins = excluded.bins");
            updateOnLog = conn.prepareStatement("UPDATE runs SET step_count = step_count + CASE WHEN ? > last_step THEN 1 ELSE 0 END, "
                    + "last_step = ?, summary = ?, updated_at = ?, heartbeat_at = ? WHERE id = ? AND last_step <= ?");
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw failure("cannot open", e);
        }
    }

    @Override
    public String location() {
        return file.toString();
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /**
     * Switches the file to write-ahead logging (it stays so). Processes opening a new file at once may find
     * it locked, and SQLite answers the switch with SQLITE_BUSY at once rather than through the busy
     * timeout; so retry for up to that timeout.
     */
    private void enableWal() throws SQLException {
        long deadline = System.nanoTime() + BUSY_TIMEOUT_MS * 1_000_000L;
        while (true) {
            try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
                rs.next();   // "wal"; a file system without shared memory may keep another mode, which still works
                return;
            } catch (SQLException e) {
                int code = e.getErrorCode() & 0xff;
                if ((code != 5 && code != 6) || System.nanoTime() > deadline) throw e;   // SQLITE_BUSY, SQLITE_LOCKED
                try {
                    Thread.sleep(10 + (long) (Math.random() * 20));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void migrate() throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(Schema.MIGRATIONS_TABLE);
        }
        int current = schemaVersion();
        if (current == Schema.latest()) return;
        if (current > Schema.latest()) {
            throw new SQLException("written by a newer panoptim (schema version " + current + "; this one knows up to "
                    + Schema.latest() + ")");
        }
        transaction(() -> {
            int now = schemaVersion();   // another process may have migrated it meanwhile
            try (Statement s = conn.createStatement();
                 PreparedStatement record = conn.prepareStatement("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)")) {
                for (Schema.Migration m : Schema.MIGRATIONS) {
                    if (m.version() <= now) continue;
                    for (String sql : m.statements()) s.execute(sql);
                    record.setInt(1, m.version());
                    record.setString(2, m.description());
                    record.setLong(3, System.currentTimeMillis());
                    record.executeUpdate();
                }
            }
            return null;
        });
    }

    private int schemaVersion() throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public synchronized RunInfo createRun(NewRun r, long now) {
        return write("create a run in", () -> insertRun(r, now));
    }

    private RunInfo insertRun(NewRun r, long now) throws SQLException {
        try (PreparedStatement p = conn.prepareStatement("INSERT INTO projects (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
            p.setString(1, r.project());
            p.setLong(2, now);
            p.executeUpdate();
        }
        String id;
        do {
            id = RunIds.next();
        } while (find(id).isPresent());
        try (PreparedStatement p = conn.prepareStatement("INSERT INTO runs (" + RUN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, id);
            p.setString(2, r.project());
            p.setString(3, r.name() == null ? id : r.name());
            p.setString(4, RunState.RUNNING.id());
            p.setLong(5, now);
            p.setLong(6, now);
            p.setLong(7, now);
            p.setString(8, r.configJson());
            p.setString(9, "{}");
            p.setLong(10, -1);
            p.setLong(11, 0);
            p.setLong(12, r.pid());
            setLong(p, 13, r.processStartedAt());
            p.setString(14, r.host());
            p.setString(15, r.sweepId());
            p.executeUpdate();
        }
        return find(id).orElseThrow();
    }

    private static final String SWEEP_COLUMNS = "s.id, s.name, s.method, s.project, s.config, s.state, s.created_at, s.updated_at, "
            + "s.run_cap, s.seed, (SELECT COUNT(*) FROM runs r WHERE r.sweep_id = s.id)";

    @Override
    public synchronized SweepInfo createSweep(NewSweep n, long now) {
        return write("create a sweep in", () -> {
            String id;
            do {
                id = RunIds.next();
            } while (findSweep(id).isPresent());
            try (PreparedStatement p = conn.prepareStatement("INSERT INTO sweeps (id, name, method, project, config, state, created_at, "
                    + "updated_at, run_cap, seed) VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)")) {
                p.setString(1, id);
                p.setString(2, n.name() == null ? id : n.name());
                p.setString(3, n.method());
                p.setString(4, n.project());
                p.setString(5, n.configJson());
                p.setLong(6, now);
                p.setLong(7, now);
                setLong(p, 8, n.runCap());
                p.setLong(9, n.seed());
                p.executeUpdate();
            }
            return findSweep(id).orElseThrow();
        });
    }

    @Override
    public synchronized Optional<SweepInfo> sweep(String id) {
        return read("read a sweep in", () -> findSweep(id));
    }

    private Optional<SweepInfo> findSweep(String id) throws SQLException {
        try (PreparedStatement p = conn.prepareStatement("SELECT " + SWEEP_COLUMNS + " FROM sweeps s WHERE s.id = ?")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(sweepInfo(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public synchronized List<SweepInfo> sweeps() {
        return read("list the sweeps of", () -> {
            List<SweepInfo> out = new ArrayList<>();
            try (Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery("SELECT " + SWEEP_COLUMNS + " FROM sweeps s ORDER BY s.created_at, s.id")) {
                while (rs.next()) out.add(sweepInfo(rs));
            }
            return out;
        });
    }

    @Override
    public synchronized List<RunInfo> sweepRuns(String sweepId) {
        return read("list the runs of a sweep in", () -> {
            List<RunInfo> out = new ArrayList<>();
            try (PreparedStatement p = conn.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE sweep_id = ? ORDER BY created_at, id")) {
                p.setString(1, sweepId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(runInfo(rs));
                }
            }
            return out;
        });
    }

    @Override
    public synchronized Optional<RunInfo> claimTrial(String sweepId, TrialMaker maker, long now) {
        return write("claim a trial in", () -> {
            SweepInfo s = findSweep(sweepId).orElseThrow(() -> new IllegalArgumentException("unknown sweep id '" + sweepId + "' in " + file));
            if (!s.state().equals("running")) return Optional.<RunInfo>empty();
            NewRun r = s.runCap() != null && s.runCount() >= s.runCap() ? null : maker.make(s.runCount());
            if (r == null) {
                sweepState(sweepId, "finished", now);
                return Optional.<RunInfo>empty();
            }
            return Optional.of(insertRun(new NewRun(r.project(), r.name(), r.configJson(), sweepId, r.pid(), r.host(),
                    r.processStartedAt()), now));
        });
    }

    @Override
    public synchronized void setSweepState(String sweepId, String state, long now) {
        write("set a sweep's state in", () -> {
            sweepState(sweepId, state, now);
            return null;
        });
    }

    private void sweepState(String sweepId, String state, long now) throws SQLException {
        try (PreparedStatement p = conn.prepareStatement("UPDATE sweeps SET state = ?, updated_at = ? WHERE id = ?")) {
            p.setString(1, state);
            p.setLong(2, now);
            p.setString(3, sweepId);
            if (p.executeUpdate() == 0) throw new IllegalArgumentException("unknown sweep id '" + sweepId + "' in " + file);
        }
    }

    @Override
    public synchronized void updateConfig(String runId, String configJson, long now) {
        write("update a config in", () -> {
            try (PreparedStatement p = conn.prepareStatement("UPDATE runs SET config = ?, updated_at = ? WHERE id = ?")) {
                p.setString(1, configJson);
                p.setLong(2, now);
                p.setString(3, runId);
                if (p.executeUpdate() == 0) throw new IllegalArgumentException("unknown run id '" + runId + "' in " + file);
            }
            return null;
        });
    }

    private static SweepInfo sweepInfo(ResultSet rs) throws SQLException {
        return new SweepInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getLong(7), rs.getLong(8), nullableLong(rs, 9), rs.getLong(10), rs.getLong(11));
    }

    @Override
    public synchronized void log(String runId, long step, Map<String, Double> values, List<HistogramPoint> histograms,
                                 String summaryJson, long now) {
        write("log to", () -> {
            updateOnLog.setLong(1, step);
            updateOnLog.setLong(2, step);
            updateOnLog.setString(3, summaryJson);
            updateOnLog.setLong(4, now);
            updateOnLog.setLong(5, now);
            updateOnLog.setString(6, runId);
            updateOnLog.setLong(7, step);
            if (updateOnLog.executeUpdate() == 0) {
                RunInfo r = find(runId).orElseThrow(() -> new IllegalArgumentException("unknown run id '" + runId + "' in " + file));
                throw new IllegalArgumentException(stepError(runId, step, r.lastStep()));
            }
            if (!values.isEmpty()) {
                for (Map.Entry<String, Double> e : values.entrySet()) {
                    insertMetric.setString(1, runId);
                    insertMetric.setLong(2, step);
                    insertMetric.setString(3, e.getKey());
                    double v = e.getValue();
                    if (Double.isNaN(v)) insertMetric.setNull(4, Types.DOUBLE);
                    else insertMetric.setDouble(4, v);
                    insertMetric.addBatch();
                }
                insertMetric.executeBatch();
            }
            if (!histograms.isEmpty()) {
                for (HistogramPoint h : histograms) {
                    insertHistogram.setString(1, runId);
                    insertHistogram.setLong(2, h.step());
                    insertHistogram.setString(3, h.key());
                    insertHistogram.setString(4, Json.histogram(h.histogram()));
                    insertHistogram.addBatch();
                }
                insertHistogram.executeBatch();
            }
            return null;
        });
    }

    static String stepError(String runId, long step, long lastStep) {
        return "step " + step + " is smaller than the last logged step " + lastStep + " of run " + runId
                + "; steps must not decrease (as in wandb): log at step " + lastStep + " or later, or leave the step out";
    }

    @Override
    public synchronized void updateSummary(String runId, String summaryJson, long now) {
        write("update a summary in", () -> {
            try (PreparedStatement p = conn.prepareStatement("UPDATE runs SET summary = ?, updated_at = ? WHERE id = ?")) {
                p.setString(1, summaryJson);
                p.setLong(2, now);
                p.setString(3, runId);
                if (p.executeUpdate() == 0) throw new IllegalArgumentException("unknown run id '" + runId + "' in " + file);
            }
            return null;
        });
    }

    @Override
    public synchronized boolean setState(String runId, RunState state, String summaryJson, boolean onlyIfRunning, long now) {
        return write("set a run's state in", () -> {
            String sql = "UPDATE runs SET state = ?, updated_at = ?" + (summaryJson != null ? ", summary = ?" : "") + " WHERE id = ?"
                    + (onlyIfRunning ? " AND state = 'running'" : "");
            try (PreparedStatement p = conn.prepareStatement(sql)) {
                int i = 1;
                p.setString(i++, state.id());
                p.setLong(i++, now);
                if (summaryJson != null) p.setString(i++, summaryJson);
                p.setString(i, runId);
                return p.executeUpdate() == 1;
            }
        });
    }

    @Override
    public synchronized void heartbeat(String runId, long now) {
        write("write a heartbeat to", () -> {
            try (PreparedStatement p = conn.prepareStatement("UPDATE runs SET heartbeat_at = ? WHERE id = ?")) {
                p.setLong(1, now);
                p.setString(2, runId);
                p.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public synchronized Optional<RunInfo> run(String id) {
        return read("read", () -> find(id));
    }

    private Optional<RunInfo> find(String id) throws SQLException {
        try (PreparedStatement p = conn.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(runInfo(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public synchronized List<RunInfo> runs(String project) {
        return read("list the runs of", () -> {
            String sql = "SELECT " + RUN_COLUMNS + " FROM runs" + (project != null ? " WHERE project = ?" : "") + " ORDER BY created_at, id";
            try (PreparedStatement p = conn.prepareStatement(sql)) {
                if (project != null) p.setString(1, project);
                List<RunInfo> out = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(runInfo(rs));
                }
                return out;
            }
        });
    }

    @Override
    public synchronized List<String> projects() {
        return read("list the projects of", () -> {
            List<String> out = new ArrayList<>();
            try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM projects ORDER BY created_at, name")) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        });
    }

    @Override
    public synchronized List<MetricPoint> history(String runId) {
        return read("read the history of a run in", () -> {
            List<MetricPoint> out = new ArrayList<>();
            try (PreparedStatement p = conn.prepareStatement("SELECT step, key, value FROM metrics WHERE run_id = ? ORDER BY step, key")) {
                p.setString(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(new MetricPoint(rs.getLong(1), rs.getString(2), value(rs, 3)));
                }
            }
            return out;
        });
    }

    @Override
    public synchronized List<MetricKey> metricKeys(String runId) {
        return read("read the metric keys of a run in", () -> {
            List<MetricKey> out = new ArrayList<>();
            String sql = "SELECT m.key, COUNT(*), MIN(m.step), MAX(m.step), (SELECT l.value FROM metrics l WHERE l.run_id = m.run_id "
                    + "AND l.key = m.key ORDER BY l.step DESC LIMIT 1) FROM metrics m WHERE m.run_id = ? GROUP BY m.key "
                    + "ORDER BY MIN(m.step), m.key";
            try (PreparedStatement p = conn.prepareStatement(sql)) {
                p.setString(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new MetricKey(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), value(rs, 5)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public synchronized List<HistogramPoint> histograms(String runId) {
        return read("read the histograms of a run in", () -> {
            List<HistogramPoint> out = new ArrayList<>();
            try (PreparedStatement p = conn.prepareStatement("SELECT step, key, bins FROM histograms WHERE run_id = ? ORDER BY step, key")) {
                p.setString(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(new HistogramPoint(rs.getLong(1), rs.getString(2), Json.readHistogram(rs.getString(3))));
                }
            }
            return out;
        });
    }

    @Override
    public synchronized List<String> markGoneRunsCrashed(Liveness liveness, long now) {
        List<RunInfo> running = read("list the running runs of", () -> {
            List<RunInfo> out = new ArrayList<>();
            try (Statement s = conn.createStatement();
                 ResultSet rs = s.executeQuery("SELECT " + RUN_COLUMNS + " FROM runs WHERE state = 'running' ORDER BY created_at")) {
                while (rs.next()) out.add(runInfo(rs));
            }
            return out;
        });
        List<RunInfo> gone = running.stream().filter(r -> liveness.isGone(r, now)).toList();
        if (gone.isEmpty()) return List.of();
        return write("mark crashed runs in", () -> {
            List<String> marked = new ArrayList<>();
            try (PreparedStatement p = conn.prepareStatement(
                    "UPDATE runs SET state = 'crashed', updated_at = ? WHERE id = ? AND state = 'running' AND heartbeat_at = ?")) {
                for (RunInfo r : gone) {
                    p.setLong(1, now);
                    p.setString(2, r.id());
                    p.setLong(3, r.heartbeatAt());
                    if (p.executeUpdate() == 1) marked.add(r.id());
                }
            }
            return marked;
        });
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            insertMetric.close();
            insertHistogram.close();
            updateOnLog.close();
            conn.close();
        } catch (SQLException e) {
            throw failure("cannot close", e);
        }
    }

    private static RunInfo runInfo(ResultSet rs) throws SQLException {
        return new RunInfo(rs.getString(1), rs.getString(2), rs.getString(3), RunState.parse(rs.getString(4)), rs.getLong(5),
                rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getString(9), rs.getLong(10), rs.getLong(11),
                nullableLong(rs, 12), nullableLong(rs, 13), rs.getString(14), rs.getString(15));
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static double value(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }

    private static void setLong(PreparedStatement p, int i, Long v) throws SQLException {
        if (v == null) p.setNull(i, Types.BIGINT);
        else p.setLong(i, v);
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    private <T> T read(String what, Work<T> work) {
        ensureOpen();
        try {
            return work.run();
        } catch (SQLException e) {
            throw failure("cannot " + what, e);
        }
    }

    private <T> T write(String what, Work<T> work) {
        ensureOpen();
        try {
            return transaction(work);
        } catch (SQLException e) {
            throw failure("cannot " + what, e);
        }
    }

    /** Runs {@code work} in BEGIN IMMEDIATE .. COMMIT (waiting up to the busy timeout for the write lock); rolls back on any failure. */
    private <T> T transaction(Work<T> work) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
        }
        try {
            T result = work.run();
            try (Statement s = conn.createStatement()) {
                s.execute("COMMIT");
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            try (Statement s = conn.createStatement()) {
                s.execute("ROLLBACK");
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("the run store " + file + " is closed");
    }

    private RunStoreException failure(String what, SQLException e) {
        return new RunStoreException(what + " the run store " + file + ": " + e.getMessage(), e);
    }
}
