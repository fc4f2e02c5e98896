package dev.panoptim.track;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of a {@link RunStore}, shared by {@link SqliteRunStore} and {@link PostgresRunStore}: one JDBC
 * connection per store object (its methods synchronized), every write one transaction. What differs is
 * how a database is opened, how a write transaction begins and locks (SQLite's {@code BEGIN IMMEDIATE}
 * takes the whole file; PostgreSQL locks the sweep's row for a claim and takes an advisory lock for
 * migrations), and which failures are worth trying again.
 *
 * <pre>{@code RunStore store = SqliteRunStore.inDirectory(dir);   // or PostgresRunStore.open(url)}</pre>
 */
abstract sealed class JdbcRunStore implements RunStore permits SqliteRunStore, PostgresRunStore {
    private static final String RUN_COLUMNS = "id, project, name, state, created_at, updated_at, heartbeat_at, config, summary, "
            + "last_step, step_count, pid, process_started_at, host, sweep_id, trial_index, attempt, tags";

    private static final String SWEEP_COLUMNS = "s.id, s.name, s.method, s.project, s.config, s.state, s.created_at, s.updated_at, "
            + "s.run_cap, s.seed, (SELECT COUNT(*) FROM runs r WHERE r.sweep_id = s.id), s.retries, s.grace_ms, "
            + "(SELECT COUNT(*) FROM runs r WHERE r.sweep_id = s.id AND r.attempt = 0)";

    /** A transaction that failed this often on a retryable error (a deadlock, a serialization failure) gives up. */
    private static final int MAX_ATTEMPTS = 10;

    private final Connection conn;
    private final String location;
    private final PreparedStatement insertMetric;
    private final PreparedStatement insertHistogram;
    private final PreparedStatement updateOnLog;
    private final PreparedStatement insertStep;
    private final PreparedStatement addToBlock;
    private boolean closed;

    /**
     * Takes {@code conn} (closing it when the store cannot open) and brings its tables to the latest schema;
     * {@code location} names the store in messages.
     */
    JdbcRunStore(Connection conn, String location) {
        this.conn = conn;
        this.location = location;
        try {
            migrate();
            insertMetric = conn.prepareStatement("INSERT INTO metrics (run_id, step, key, value) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (run_id, step, key) DO UPDATE SET value = excluded.value");
            insertHistogram = conn.prepareStatement("INSERT INTO histograms (run_id, step, key, bins) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (run_id, step, key) DO UPDATE SET bins = excluded.bins");
            updateOnLog = conn.prepareStatement("UPDATE runs SET step_count = step_count + CASE WHEN ? > last_step THEN 1 ELSE 0 END, "
                    + "last_step = ?, summary = ?, updated_at = ?, heartbeat_at = ? WHERE id = ? AND last_step <= ? AND state = 'running'");
            insertStep = conn.prepareStatement("INSERT INTO steps (run_id, step, at) VALUES (?, ?, ?) "
                    + "ON CONFLICT (run_id, step) DO UPDATE SET at = excluded.at");
            addToBlock = conn.prepareStatement(MetricBlocks.ADD_SQL);
        } catch (SQLException e) {
            try {
                conn.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw failure("cannot open", e);
        }
    }

    @Override
    public final String location() {
        return location;
    }

    // ------------------------------------------------------------------ what each database does its own way

    /** Begins a write transaction; when it returns, this connection may write. */
    abstract void begin(Connection c) throws SQLException;

    abstract void commit(Connection c) throws SQLException;

    abstract void rollback(Connection c) throws SQLException;

    /** A query with one parameter, a table name, answering one row whose first column is whether the table exists. */
    abstract String tableExistsQuery();

    /** Inside the migration's transaction, before anything is read: keeps other processes from migrating at once. */
    abstract void lockMigrations(Statement s) throws SQLException;

    /** The query that reads the sweep's id (one parameter) and, inside a write transaction, keeps other claims out until it ends. */
    abstract String lockSweepQuery();

    /** Whether the transaction that failed so may succeed when tried again. */
    abstract boolean retryable(SQLException e);

    // ------------------------------------------------------------------ schema

    private void migrate() throws SQLException {
        int current = schemaVersion(false);
        if (current == Schema.latest()) return;
        if (current > Schema.latest()) throw newerSchema(current);
        transaction(() -> {
            try (Statement s = conn.createStatement()) {
                lockMigrations(s);
                s.execute(Schema.MIGRATIONS_TABLE);
            }
            int now = schemaVersion(true);   // another process may have migrated it meanwhile
            if (now > Schema.latest()) throw newerSchema(now);
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

    private static SQLException newerSchema(int version) {
        return new SQLException("written by a newer panoptim (schema version " + version + "; this one knows up to " + Schema.latest() + ")");
    }

    /** The latest applied migration, 0 for a fresh database. */
    private int schemaVersion(boolean tableExists) throws SQLException {
        if (!tableExists) {
            try (PreparedStatement p = conn.prepareStatement(tableExistsQuery())) {
                p.setString(1, "schema_migrations");
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) return 0;
                }
            }
        }
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    // ------------------------------------------------------------------ runs

    @Override
    public synchronized RunInfo createRun(NewRun r, long now) {
        return write("create a run in", () -> insertRun(r, null, 0, now));
    }

    private RunInfo insertRun(NewRun r, Long trialIndex, int attempt, long now) throws SQLException {
        try (PreparedStatement p = conn.prepareStatement("INSERT INTO projects (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
            p.setString(1, r.project());
            p.setLong(2, now);
            p.executeUpdate();
        }
        String id;
        do {
            id = RunIds.next();
        } while (find(id).isPresent());
        try (PreparedStatement p = conn.prepareStatement("INSERT INTO runs (" + RUN_COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
            setLong(p, 16, trialIndex);
            p.setInt(17, attempt);
            p.setString(18, Json.write(r.tags()));
            p.executeUpdate();
        }
        return find(id).orElseThrow();
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
                RunInfo r = running(runId);
                throw new IllegalArgumentException(stepError(runId, step, r.lastStep()));
            }
            insertStep.setString(1, runId);
            insertStep.setLong(2, step);
            insertStep.setLong(3, now);
            insertStep.executeUpdate();
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
                List<String> keys = new ArrayList<>(values.size());
                for (Map.Entry<String, Double> e : values.entrySet()) {
                    MetricBlocks.addToBatch(addToBlock, runId, step, e.getKey(), e.getValue());
                    keys.add(e.getKey());
                }
                int[] added = addToBlock.executeBatch();
                for (int i = 0; i < keys.size(); i++) {
                    if (added[i] == 0) MetricBlocks.rebuildBlock(conn, runId, keys.get(i), step);   // logged again: the row was replaced
                }
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

    /** The run, when it is running; else an IllegalArgumentException (unknown id) or a RunNotRunningException. */
    private RunInfo running(String runId) throws SQLException {
        RunInfo r = find(runId).orElseThrow(() -> unknownRun(runId));
        if (r.state() != RunState.RUNNING) throw new RunNotRunningException(runId, r.state());
        return r;
    }

    static String stepError(String runId, long step, long lastStep) {
        return "step " + step + " is smaller than the last logged step " + lastStep + " of run " + runId
                + "; steps must not decrease (as in wandb): log at step " + lastStep + " or later, or leave the step out";
    }

    @Override
    public synchronized void updateSummary(String runId, String summaryJson, long now) {
        updateRun("update a summary in", "summary", runId, summaryJson, now);
    }

    @Override
    public synchronized void updateConfig(String runId, String configJson, long now) {
        updateRun("update a config in", "config", runId, configJson, now);
    }

    private void updateRun(String what, String column, String runId, String json, long now) {
        write(what, () -> {
            try (PreparedStatement p = conn.prepareStatement("UPDATE runs SET " + column + " = ?, updated_at = ? WHERE id = ?")) {
                p.setString(1, json);
                p.setLong(2, now);
                p.setString(3, runId);
                if (p.executeUpdate() == 0) throw unknownRun(runId);
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
            try (PreparedStatement p = conn.prepareStatement("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND state = 'running'")) {
                p.setLong(1, now);
                p.setString(2, runId);
                if (p.executeUpdate() == 0) running(runId);
            }
            return null;
        });
    }

    @Override
    public synchronized Optional<RunInfo> run(String id) {
        return read("read", () -> find(id));
    }

    private Optional<RunInfo> find(String id) throws SQLException {
        List<RunInfo> found = runs("WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    /** The runs {@code where} (with one parameter, or none when {@code parameter} is null) selects, oldest first. */
    private List<RunInfo> runs(String where, String parameter) throws SQLException {
        try (PreparedStatement p = conn.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs " + where + " ORDER BY created_at, id")) {
            if (parameter != null) p.setString(1, parameter);
            List<RunInfo> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(runInfo(rs));
            }
            return out;
        }
    }

    @Override
    public synchronized List<RunInfo> runs(String project) {
        return read("list the runs of", () -> project == null ? runs("", null) : runs("WHERE project = ?", project));
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
            try (PreparedStatement p = conn.prepareStatement(MetricBlocks.METRIC_KEYS_SQL)) {
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

    /**
     * Buckets by {@code (step - from) / width} in one GROUP BY over the (run_id, key, step, value) index; the steps
     * of min and max and the last value are then read per bucket by index lookups. NaN is stored as NULL, so
     * "finite" is {@code ABS(value) < +inf}, the infinity bound as a parameter (both databases take it so).
     */
    private static final String HISTORY_BUCKETS_SQL = """
            SELECT g.first_step, g.last_step, g.n,
              g.lo, (SELECT s.step FROM metrics s WHERE s.run_id = ? AND s.key = ? AND s.step >= g.first_step
                     AND s.step <= g.last_step AND s.value = g.lo ORDER BY s.step LIMIT 1),
              g.hi, (SELECT s.step FROM metrics s WHERE s.run_id = ? AND s.key = ? AND s.step >= g.first_step
                     AND s.step <= g.last_step AND s.value = g.hi ORDER BY s.step LIMIT 1),
              (SELECT l.value FROM metrics l WHERE l.run_id = ? AND l.key = ? AND l.step = g.last_step),
              g.non_finite
            FROM (SELECT MIN(m.step) AS first_step, MAX(m.step) AS last_step, COUNT(*) AS n,
                    MIN(CASE WHEN ABS(m.value) < ? THEN m.value END) AS lo,
                    MAX(CASE WHEN ABS(m.value) < ? THEN m.value END) AS hi,
                    MAX(CASE WHEN m.value IS NULL OR ABS(m.value) >= ? THEN 1 ELSE 0 END) AS non_finite
                  FROM (SELECT (step - ?) / ? AS bucket, step, value FROM metrics
                        WHERE run_id = ? AND key = ? AND step >= ? AND step <= ?) m
                  GROUP BY m.bucket) g
            ORDER BY g.first_step""";

    @Override
    public synchronized List<HistoryBucket> historyBuckets(String runId, String key, long fromStep, long toStep, int buckets) {
        long width = RunStore.bucketWidth(fromStep, toStep, buckets);
        return read("read the bucketed history of a run in", () -> {
            if (width >= MetricBlocks.MIN_BLOCKS_WIDTH) {
                List<HistoryBucket> fromBlocks = MetricBlocks.historyBuckets(conn, runId, key, fromStep, toStep, width);
                if (fromBlocks != null) return fromBlocks;
            }
            List<HistoryBucket> out = new ArrayList<>();
            try (PreparedStatement p = conn.prepareStatement(HISTORY_BUCKETS_SQL)) {
                int i = 1;
                for (int lookup = 0; lookup < 3; lookup++) {
                    p.setString(i++, runId);
                    p.setString(i++, key);
                }
                for (int bound = 0; bound < 3; bound++) p.setDouble(i++, Double.POSITIVE_INFINITY);
                p.setLong(i++, fromStep);
                p.setLong(i++, width);
                p.setString(i++, runId);
                p.setString(i++, key);
                p.setLong(i++, fromStep);
                p.setLong(i, toStep);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        long minStep = rs.getLong(5);
                        if (rs.wasNull()) minStep = -1;
                        long maxStep = rs.getLong(7);
                        if (rs.wasNull()) maxStep = -1;
                        out.add(new HistoryBucket(rs.getLong(1), rs.getLong(2), rs.getLong(3), value(rs, 4), minStep,
                                value(rs, 6), maxStep, value(rs, 8), rs.getInt(9) != 0));
                    }
                }
            }
            return out;
        });
    }

    /** Buckets the run's logged steps as {@link #HISTORY_BUCKETS_SQL} buckets its values; the times are read by primary key. */
    private static final String STEP_TIMES_SQL = """
            SELECT g.first_step, (SELECT f.at FROM steps f WHERE f.run_id = ? AND f.step = g.first_step),
              g.last_step, (SELECT l.at FROM steps l WHERE l.run_id = ? AND l.step = g.last_step)
            FROM (SELECT MIN(s.step) AS first_step, MAX(s.step) AS last_step
                  FROM (SELECT (step - ?) / ? AS bucket, step FROM steps
                        WHERE run_id = ? AND step >= ? AND step <= ?) s
                  GROUP BY s.bucket) g
            ORDER BY g.first_step""";

    @Override
    public synchronized List<StepTimes> stepTimes(String runId, long fromStep, long toStep, int buckets) {
        long width = RunStore.bucketWidth(fromStep, toStep, buckets);
        return read("read the step times of a run in", () -> {
            List<StepTimes> out = new ArrayList<>();
            try (PreparedStatement p = conn.prepareStatement(STEP_TIMES_SQL)) {
                p.setString(1, runId);
                p.setString(2, runId);
                p.setLong(3, fromStep);
                p.setLong(4, width);
                p.setString(5, runId);
                p.setLong(6, fromStep);
                p.setLong(7, toStep);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(new StepTimes(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                }
            }
            return out;
        });
    }

    /** How many steps one lookup of {@link #stepTimesAt} names (bind variables stay well under both databases' limits). */
    private static final int STEP_LOOKUP_BATCH = 500;

    @Override
    public synchronized Map<Long, Long> stepTimesAt(String runId, java.util.Collection<Long> steps) {
        List<Long> wanted = new ArrayList<>(new java.util.TreeSet<>(steps));
        return read("read the step times of a run in", () -> {
            Map<Long, Long> out = new java.util.HashMap<>();
            for (int start = 0; start < wanted.size(); start += STEP_LOOKUP_BATCH) {
                List<Long> batch = wanted.subList(start, Math.min(wanted.size(), start + STEP_LOOKUP_BATCH));
                String marks = String.join(", ", java.util.Collections.nCopies(batch.size(), "?"));
                try (PreparedStatement p = conn.prepareStatement("SELECT step, at FROM steps WHERE run_id = ? AND step IN (" + marks + ")")) {
                    p.setString(1, runId);
                    for (int i = 0; i < batch.size(); i++) p.setLong(i + 2, batch.get(i));
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) out.put(rs.getLong(1), rs.getLong(2));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public synchronized void setTags(String runId, List<String> tags, long now) {
        updateRun("set the tags of a run in", "tags", runId, Json.write(RunStore.checkTags(tags)), now);
    }

    @Override
    public synchronized List<RunInfo> runsUpdatedAfter(long afterMillis) {
        return read("list the changed runs of", () -> {
            List<RunInfo> out = new ArrayList<>();
            try (PreparedStatement p = conn.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE updated_at > ? ORDER BY updated_at, id")) {
                p.setLong(1, afterMillis);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(runInfo(rs));
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
    public synchronized Map<String, List<MetricPoint>> sweepHistory(String sweepId, String key) {
        return read("read the history of a sweep in", () -> {
            Map<String, List<MetricPoint>> out = new LinkedHashMap<>();
            String sql = "SELECT r.id, m.step, m.value FROM runs r LEFT JOIN metrics m ON m.run_id = r.id AND m.key = ? "
                    + "WHERE r.sweep_id = ? ORDER BY r.created_at, r.id, m.step";
            try (PreparedStatement p = conn.prepareStatement(sql)) {
                p.setString(1, key);
                p.setString(2, sweepId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        List<MetricPoint> points = out.computeIfAbsent(rs.getString(1), id -> new ArrayList<>());
                        long step = rs.getLong(2);
                        if (!rs.wasNull()) points.add(new MetricPoint(step, key, value(rs, 3)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public synchronized List<String> markGoneRunsCrashed(Liveness liveness, long now) {
        List<RunInfo> running = read("list the running runs of", () -> runs("WHERE state = 'running'", null));
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

    // ------------------------------------------------------------------ media and system metrics

    @Override
    public synchronized void logMedia(String runId, long step, String key, List<MediaItem> items, long now) {
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
        checkKey("media", key);
        if (items == null || items.stream().anyMatch(java.util.Objects::isNull)) {   // List.of's contains(null) throws
            throw new IllegalArgumentException("the media items of '" + key + "' cannot be or hold null");
        }
        write("log media to", () -> {
            try (PreparedStatement p = conn.prepareStatement(
                    "UPDATE runs SET updated_at = ?, heartbeat_at = ? WHERE id = ? AND state = 'running' AND last_step <= ?")) {
                p.setLong(1, now);
                p.setLong(2, now);
                p.setString(3, runId);
                p.setLong(4, step);
                if (p.executeUpdate() == 0) throw new IllegalArgumentException(stepError(runId, step, running(runId).lastStep()));
            }
            try (PreparedStatement p = conn.prepareStatement("DELETE FROM media WHERE run_id = ? AND step = ? AND key = ?")) {
                p.setString(1, runId);
                p.setLong(2, step);
                p.setString(3, key);
                p.executeUpdate();
            }
            if (items.isEmpty()) return null;
            try (PreparedStatement p = conn.prepareStatement("INSERT INTO media (run_id, step, key, idx, kind, caption, meta, "
                    + "content_type, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < items.size(); i++) {
                    MediaItem m = items.get(i);
                    p.setString(1, runId);
                    p.setLong(2, step);
                    p.setString(3, key);
                    p.setInt(4, i);
                    p.setString(5, m.kind());
                    p.setString(6, m.caption());
                    p.setString(7, m.metaJson());
                    p.setString(8, m.contentType());
                    p.setBytes(9, m.data());
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
    }

    private static void checkKey(String what, String key) {
        if (key == null || key.isBlank()) throw new IllegalArgumentException(what + " keys cannot be empty, got " + (key == null ? "null" : "'" + key + "'"));
    }

    @Override
    public synchronized List<MediaKey> mediaKeys(String runId) {
        return read("read the media keys of a run in", () -> {
            List<MediaKey> out = new ArrayList<>();
            try (PreparedStatement p = conn.prepareStatement("SELECT key, COUNT(DISTINCT step), COUNT(*), MIN(step), MAX(step) "
                    + "FROM media WHERE run_id = ? GROUP BY key ORDER BY key")) {
                p.setString(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(new MediaKey(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                }
            }
            return out;
        });
    }

    @Override
    public synchronized List<MediaInfo> media(String runId, String key) {
        return read("read the media of a run in", () -> {
            List<MediaInfo> out = new ArrayList<>();
            try (PreparedStatement p = conn.prepareStatement("SELECT step, idx, kind, caption, meta, content_type FROM media "
                    + "WHERE run_id = ? AND key = ? ORDER BY step, idx")) {
                p.setString(1, runId);
                p.setString(2, key);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new MediaInfo(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public synchronized Optional<MediaData> mediaData(String runId, long step, String key, int index) {
        return read("read a media item of a run in", () -> {
            try (PreparedStatement p = conn.prepareStatement("SELECT content_type, data FROM media "
                    + "WHERE run_id = ? AND step = ? AND key = ? AND idx = ?")) {
                p.setString(1, runId);
                p.setLong(2, step);
                p.setString(3, key);
                p.setInt(4, index);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(new MediaData(rs.getString(1), rs.getBytes(2))) : Optional.<MediaData>empty();
                }
            }
        });
    }

    @Override
    public synchronized void logSystem(String runId, long at, Map<String, Double> values) {
        if (values == null) throw new IllegalArgumentException("system metrics cannot be null");
        for (Map.Entry<String, Double> e : values.entrySet()) {
            checkKey("system metric", e.getKey());
            if (e.getValue() == null) throw new IllegalArgumentException("system metric '" + e.getKey() + "' is null, not a number");
        }
        write("log system metrics to", () -> {
            running(runId);
            if (values.isEmpty()) return null;
            try (PreparedStatement p = conn.prepareStatement("INSERT INTO system_metrics (run_id, at, key, value) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (run_id, at, key) DO UPDATE SET value = excluded.value")) {
                for (Map.Entry<String, Double> e : values.entrySet()) {
                    p.setString(1, runId);
                    p.setLong(2, at);
                    p.setString(3, e.getKey());
                    double v = e.getValue();
                    if (Double.isNaN(v)) p.setNull(4, Types.DOUBLE);
                    else p.setDouble(4, v);
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
    }

    @Override
    public synchronized List<String> systemKeys(String runId) {
        return read("read the system metric keys of a run in", () -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement p = conn.prepareStatement("SELECT DISTINCT key FROM system_metrics WHERE run_id = ? ORDER BY key")) {
                p.setString(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Override
    public synchronized List<SystemPoint> systemMetrics(String runId, String key) {
        return read("read the system metrics of a run in", () -> {
            List<SystemPoint> out = new ArrayList<>();
            try (PreparedStatement p = conn.prepareStatement("SELECT at, value FROM system_metrics WHERE run_id = ? AND key = ? ORDER BY at")) {
                p.setString(1, runId);
                p.setString(2, key);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(new SystemPoint(rs.getLong(1), value(rs, 2)));
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ sweeps

    @Override
    public synchronized SweepInfo createSweep(NewSweep n, long now) {
        return write("create a sweep in", () -> {
            String id;
            do {
                id = RunIds.next();
            } while (findSweep(id).isPresent());
            try (PreparedStatement p = conn.prepareStatement("INSERT INTO sweeps (id, name, method, project, config, state, created_at, "
                    + "updated_at, run_cap, seed, retries, grace_ms) VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, id);
                p.setString(2, n.name() == null ? id : n.name());
                p.setString(3, n.method());
                p.setString(4, n.project());
                p.setString(5, n.configJson());
                p.setLong(6, now);
                p.setLong(7, now);
                setLong(p, 8, n.runCap());
                p.setLong(9, n.seed());
                p.setInt(10, n.retries());
                p.setLong(11, n.graceMs());
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
        return read("list the runs of a sweep in", () -> runs("WHERE sweep_id = ?", sweepId));
    }

    @Override
    public synchronized Optional<RunInfo> claimTrial(String sweepId, ProcessIdentity claimant, TrialMaker maker, long now) {
        return write("claim a trial in", () -> {
            try (PreparedStatement lock = conn.prepareStatement(lockSweepQuery())) {
                lock.setString(1, sweepId);
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next()) throw new IllegalArgumentException("unknown sweep id '" + sweepId + "' in " + location());
                }
            }
            // read after the lock: in PostgreSQL each statement sees what the claims before this one committed
            SweepInfo s = findSweep(sweepId).orElseThrow();
            if (!s.state().equals("running")) return Optional.<RunInfo>empty();
            Optional<RunInfo> retry = crashedTrialToRetry(s);
            if (retry.isPresent()) {
                RunInfo crashed = retry.get();
                return Optional.of(insertRun(trialRun(s, crashed.configJson(), claimant), crashed.trialIndex(), crashed.attempt() + 1, now));
            }
            if (s.runCap() == null || s.trialCount() < s.runCap()) {
                String config = maker.configJson(s.trialCount());
                if (config != null) return Optional.of(insertRun(trialRun(s, config, claimant), s.trialCount(), 0, now));
            }
            if (runs("WHERE sweep_id = ? AND state = 'running'", sweepId).isEmpty()) sweepState(sweepId, "finished", now);
            return Optional.<RunInfo>empty();
        });
    }

    private static NewRun trialRun(SweepInfo s, String configJson, ProcessIdentity claimant) {
        return new NewRun(s.project(), null, configJson, s.id(), claimant.pid(), claimant.host(), claimant.startedAt());
    }

    /** The oldest crashed run of the sweep that may be tried again: attempts left, and no later attempt of its trial. */
    private Optional<RunInfo> crashedTrialToRetry(SweepInfo s) throws SQLException {
        String sql = "SELECT " + RUN_COLUMNS + " FROM runs c WHERE c.sweep_id = ? AND c.state = 'crashed' AND c.trial_index IS NOT NULL "
                + "AND c.attempt < ? AND NOT EXISTS (SELECT 1 FROM runs n WHERE n.sweep_id = c.sweep_id "
                + "AND n.trial_index = c.trial_index AND n.attempt > c.attempt) ORDER BY c.created_at, c.id LIMIT 1";
        try (PreparedStatement p = conn.prepareStatement(sql)) {
            p.setString(1, s.id());
            p.setInt(2, s.retries());
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(runInfo(rs)) : Optional.empty();
            }
        }
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
            if (p.executeUpdate() == 0) throw new IllegalArgumentException("unknown sweep id '" + sweepId + "' in " + location());
        }
    }

    // ------------------------------------------------------------------ rows

    private static SweepInfo sweepInfo(ResultSet rs) throws SQLException {
        return new SweepInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getLong(7), rs.getLong(8), nullableLong(rs, 9), rs.getLong(10), rs.getLong(11), rs.getInt(12), rs.getLong(13),
                rs.getLong(14));
    }

    private static RunInfo runInfo(ResultSet rs) throws SQLException {
        return new RunInfo(rs.getString(1), rs.getString(2), rs.getString(3), RunState.parse(rs.getString(4)), rs.getLong(5),
                rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getString(9), rs.getLong(10), rs.getLong(11),
                nullableLong(rs, 12), nullableLong(rs, 13), rs.getString(14), rs.getString(15), nullableLong(rs, 16), rs.getInt(17),
                Json.readStrings(rs.getString(18)));
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

    private IllegalArgumentException unknownRun(String runId) {
        return new IllegalArgumentException("unknown run id '" + runId + "' in " + location());
    }

    // ------------------------------------------------------------------ transactions

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            insertMetric.close();
            insertHistogram.close();
            updateOnLog.close();
            insertStep.close();
            addToBlock.close();
            conn.close();
        } catch (SQLException e) {
            throw failure("cannot close", e);
        }
    }

    @FunctionalInterface
    interface Work<T> {
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

    /**
     * Runs {@code work} in a write transaction; rolls back on any failure, and tries again (after a short random
     * pause) when the database says another try may succeed.
     */
    private <T> T transaction(Work<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            begin(conn);
            try {
                T result = work.run();
                commit(conn);
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    rollback(conn);
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                if (!(e instanceof SQLException sql) || !retryable(sql) || attempt == MAX_ATTEMPTS) throw e;
            }
            pause(attempt);
        }
    }

    private static void pause(int attempt) throws SQLException {
        try {
            Thread.sleep((long) (Math.random() * 10 * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting to try a transaction again", e);
        }
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("the run store " + location() + " is closed");
    }

    RunStoreException failure(String what, SQLException e) {
        return new RunStoreException(what + " the run store " + location() + ": " + e.getMessage(), e);
    }
}
