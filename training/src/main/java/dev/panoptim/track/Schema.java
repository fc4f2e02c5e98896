package dev.panoptim.track;

import java.util.List;

/**
 * The run store's tables, as numbered migrations applied in order (each once, in one transaction,
 * recorded in {@code schema_migrations}). The SQL is kept to what SQLite and PostgreSQL both read.
 * Later features add a migration at the end, never edit an applied one.
 *
 * <pre>
 * projects   (name PK, created_at)
 * runs       (id PK: 8 chars [0-9a-z], project, name, state: running|finished|failed|crashed|stopped,
 *             created_at, updated_at, heartbeat_at (epoch ms), config, summary (JSON objects),
 *             last_step (-1 before the first log), step_count, pid, process_started_at, host, sweep_id)
 * metrics    (run_id, step, key, value; PK (run_id, step, key); NULL value = NaN)
 * histograms (run_id, step, key, bins: JSON {"min", "max", "counts": [..], "nonFinite"?}; PK (run_id, step, key))
 * sweeps     (2: id PK: 8 chars [0-9a-z], name, method, project, config (the sweep config as JSON), state: running|finished,
 *             created_at, updated_at, run_cap (the most trials, NULL for unbounded), seed;
 *             3: retries (how often a crashed trial is run again), grace_ms)
 * runs       (3: trial_index (the trial of its sweep, NULL outside sweeps), attempt (0 first, +1 per retry))
 * 4: indexes metrics_by_key_step (run_id, key, step, value), for one key's history in step order (value rides
 *    along so a bucketed read never leaves the index), and runs_by_updated (updated_at), for "what changed since"
 * runs       (5: tags: a JSON array of strings, '[]' for runs made before)
 * steps      (5: run_id, step, at: when the step was last logged (epoch ms); PK (run_id, step); steps logged before
 *             migration 5 have no row)
 * media      (5: run_id, step, key, idx (0, 1, ... within one log of the key), kind ("image", "classification"),
 *             caption (NULL for none), meta (JSON object, e.g. width, height, classes, probabilities, label),
 *             content_type (e.g. image/png), data (the bytes); PK (run_id, step, key, idx))
 * system_metrics (5: run_id, at (epoch ms), key (cpu.percent, memory.rss_mb, ...), value (NULL = NaN); PK (run_id, at, key))
 * metric_blocks (6: the roll-up of metrics by blocks of {@link MetricBlocks#BLOCK_STEPS} = 64 steps, kept by every log;
 *             run_id, key, block (step / 64), n (values), first_step, last_step, lo, hi (smallest and largest finite value,
 *             NULL when none), lo_step, hi_step (the first step holding each), last_value (the value at last_step, NULL = NaN),
 *             non_finite (1 when a NaN or an infinity fell in the block, else 0); PK (run_id, key, block); filled from the
 *             metrics rows logged before)
 * </pre>
 *
 * <p>Bytes: the media data column is declared BYTEA, PostgreSQL's byte string. SQLite reads that type name as NUMERIC
 * affinity, which converts only TEXT values and stores a BLOB (what {@code setBytes} binds) unchanged, so the one
 * statement serves both (no per-dialect SQL; SQLite's BLOB is not a PostgreSQL type).
 */
final class Schema {
    /** One migration: its version (1, 2, ...), what it does, and its statements. */
    record Migration(int version, String description, List<String> statements) {}

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "projects, runs, metrics, histograms", List.of(
                    """
                    CREATE TABLE projects (
                      name        TEXT PRIMARY KEY,
                      created_at  BIGINT NOT NULL
                    )""",
                    """
                    CREATE TABLE runs (
                      id                  TEXT PRIMARY KEY,
                      project             TEXT NOT NULL REFERENCES projects(name),
                      name                TEXT NOT NULL,
                      state               TEXT NOT NULL,
                      created_at          BIGINT NOT NULL,
                      updated_at          BIGINT NOT NULL,
                      heartbeat_at        BIGINT NOT NULL,
                      config              TEXT NOT NULL,
                      summary             TEXT NOT NULL,
                      last_step           BIGINT NOT NULL DEFAULT -1,
                      step_count          BIGINT NOT NULL DEFAULT 0,
                      pid                 BIGINT,
                      process_started_at  BIGINT,
                      host                TEXT,
                      sweep_id            TEXT
                    )""",
                    "CREATE INDEX runs_by_project ON runs (project, created_at)",
                    "CREATE INDEX runs_by_state ON runs (state)",
                    "CREATE INDEX runs_by_sweep ON runs (sweep_id)",
                    """
                    CREATE TABLE metrics (
                      run_id  TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                      step    BIGINT NOT NULL,
                      key     TEXT NOT NULL,
                      value   DOUBLE PRECISION,
                      PRIMARY KEY (run_id, step, key)
                    )""",
                    """
                    CREATE TABLE histograms (
                      run_id  TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                      step    BIGINT NOT NULL,
                      key     TEXT NOT NULL,
                      bins    TEXT NOT NULL,
                      PRIMARY KEY (run_id, step, key)
                    )""")),
            new Migration(2, "sweeps", List.of(
                    """
                    CREATE TABLE sweeps (
                      id          TEXT PRIMARY KEY,
                      name        TEXT NOT NULL,
                      method      TEXT NOT NULL,
                      project     TEXT NOT NULL,
                      config      TEXT NOT NULL,
                      state       TEXT NOT NULL,
                      created_at  BIGINT NOT NULL,
                      updated_at  BIGINT NOT NULL,
                      run_cap     BIGINT,
                      seed        BIGINT NOT NULL
                    )""",
                    "CREATE INDEX sweeps_by_created ON sweeps (created_at)")),
            new Migration(3, "trial index and attempt of sweep runs, sweep retries and grace", List.of(
                    "ALTER TABLE runs ADD COLUMN trial_index BIGINT",
                    "ALTER TABLE runs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0",
                    "ALTER TABLE sweeps ADD COLUMN retries INTEGER NOT NULL DEFAULT 0",
                    "ALTER TABLE sweeps ADD COLUMN grace_ms BIGINT NOT NULL DEFAULT 120000",
                    // the runs of earlier sweeps were claimed one per trial, in order of creation
                    """
                    UPDATE runs SET trial_index = (SELECT COUNT(*) FROM runs p WHERE p.sweep_id = runs.sweep_id
                      AND (p.created_at < runs.created_at OR (p.created_at = runs.created_at AND p.id < runs.id)))
                    WHERE sweep_id IS NOT NULL""",
                    "CREATE INDEX runs_by_sweep_trial ON runs (sweep_id, trial_index, attempt)")),
            new Migration(4, "indexes for one key's history by step and for runs changed since a time", List.of(
                    "CREATE INDEX metrics_by_key_step ON metrics (run_id, key, step, value)",
                    "CREATE INDEX runs_by_updated ON runs (updated_at)")),
            new Migration(5, "run tags, step times, media, system metrics", List.of(
                    "ALTER TABLE runs ADD COLUMN tags TEXT NOT NULL DEFAULT '[]'",
                    """
                    CREATE TABLE steps (
                      run_id  TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                      step    BIGINT NOT NULL,
                      at      BIGINT NOT NULL,
                      PRIMARY KEY (run_id, step)
                    )""",
                    """
                    CREATE TABLE media (
                      run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                      step          BIGINT NOT NULL,
                      key           TEXT NOT NULL,
                      idx           INTEGER NOT NULL,
                      kind          TEXT NOT NULL,
                      caption       TEXT,
                      meta          TEXT NOT NULL,
                      content_type  TEXT NOT NULL,
                      data          BYTEA NOT NULL,
                      PRIMARY KEY (run_id, step, key, idx)
                    )""",
                    // the media of one key in step order, without touching the rows' bytes
                    "CREATE INDEX media_by_key ON media (run_id, key, step, idx)",
                    """
                    CREATE TABLE system_metrics (
                      run_id  TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                      at      BIGINT NOT NULL,
                      key     TEXT NOT NULL,
                      value   DOUBLE PRECISION,
                      PRIMARY KEY (run_id, at, key)
                    )""",
                    "CREATE INDEX system_metrics_by_key ON system_metrics (run_id, key, at)")),
            new Migration(6, "metric blocks: the roll-up of metrics by 64 steps for charts of long runs", List.of(
                    """
                    CREATE TABLE metric_blocks (
                      run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                      key         TEXT NOT NULL,
                      block       BIGINT NOT NULL,
                      n           BIGINT NOT NULL,
                      first_step  BIGINT NOT NULL,
                      last_step   BIGINT NOT NULL,
                      lo          DOUBLE PRECISION,
                      lo_step     BIGINT,
                      hi          DOUBLE PRECISION,
                      hi_step     BIGINT,
                      last_value  DOUBLE PRECISION,
                      non_finite  INTEGER NOT NULL,
                      PRIMARY KEY (run_id, key, block)
                    )""",
                    MetricBlocks.backfill())));

    static final String MIGRATIONS_TABLE = """
            CREATE TABLE IF NOT EXISTS schema_migrations (
              version     INTEGER PRIMARY KEY,
              description TEXT NOT NULL,
              applied_at  BIGINT NOT NULL
            )""";

    static int latest() {
        return MIGRATIONS.getLast().version();
    }

    private Schema() {}
}
