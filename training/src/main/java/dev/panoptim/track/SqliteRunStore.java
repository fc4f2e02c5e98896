package dev.panoptim.track;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The default {@link RunStore}: one SQLite file (sqlite-jdbc, SQLite bundled), {@value #FILE_NAME}
 * in the panoptim directory, for the processes of one machine. Write-ahead log (readers never block
 * the writer, nor it them), {@code synchronous=NORMAL} (a commit survives the process dying; only a
 * power cut can lose the last ones), writes in {@code BEGIN IMMEDIATE} transactions with a 30 s busy
 * timeout, so threads and processes sharing the file take turns (which also makes a trial's claim
 * atomic). One log call is one transaction: its values and histograms batch-inserted, the run's row
 * updated; it costs tens of microseconds.
 *
 * <pre>{@code try (SqliteRunStore store = SqliteRunStore.inDirectory(Path.of("panoptim"))) { ... }}</pre>
 */
public final class SqliteRunStore extends JdbcRunStore {
    /** The database's file name in the panoptim directory. */
    public static final String FILE_NAME = "panoptim.db";
    static final int BUSY_TIMEOUT_MS = 30_000;

    private final Path file;

    /** Opens (creating it and its directory when missing) the store in {@code file}. */
    public static SqliteRunStore open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of the run store " + file, e);
        }
        return new SqliteRunStore(file.toAbsolutePath());
    }

    /** Opens {@code dir}/{@value #FILE_NAME}, creating it when missing. */
    public static SqliteRunStore inDirectory(Path dir) {
        return open(dir.resolve(FILE_NAME));
    }

    /** Opens an existing store; a missing file is an IllegalArgumentException that names it. */
    public static SqliteRunStore openExisting(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no run store at " + file + " (runs are stored there by Tracking.init; "
                    + "choose the directory with --dir, -Dpanoptim.dir or PANOPTIM_DIR, or a PostgreSQL store with --store)");
        }
        return new SqliteRunStore(file.toAbsolutePath());
    }

    private SqliteRunStore(Path file) {
        super(connect(file), file.toString());
        this.file = file;
    }

    private static Connection connect(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        Connection c = null;
        try {
            c = config.createConnection("jdbc:sqlite:" + file);
            enableWal(c);
            return c;
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new RunStoreException("cannot open the run store " + file + ": " + e.getMessage(), e);
        }
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
    private static void enableWal(Connection conn) throws SQLException {
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

    /** BEGIN IMMEDIATE takes the file's write lock at once (waiting up to the busy timeout), so a claim reads and writes alone. */
    @Override
    void begin(Connection c) throws SQLException {
        execute(c, "BEGIN IMMEDIATE");
    }

    @Override
    void commit(Connection c) throws SQLException {
        execute(c, "COMMIT");
    }

    @Override
    void rollback(Connection c) throws SQLException {
        execute(c, "ROLLBACK");
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    String tableExistsQuery() {
        return "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?";
    }

    @Override
    void lockMigrations(Statement s) {
        // BEGIN IMMEDIATE holds the file's write lock already
    }

    @Override
    String lockSweepQuery() {
        return "SELECT id FROM sweeps WHERE id = ?";
    }

    /** A busy file has already been waited for (the busy timeout); trying again would only wait longer. */
    @Override
    boolean retryable(SQLException e) {
        return false;
    }
}
