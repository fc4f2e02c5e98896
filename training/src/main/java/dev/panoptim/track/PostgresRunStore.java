package dev.panoptim.track;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@link RunStore} in PostgreSQL (through its JDBC driver), for sweep agents on several machines sharing
 * one store. Tables as in SQLite ({@link Schema}); the first process to open a fresh database migrates it
 * under an advisory lock while the others wait. Reads see what is committed; a trial's claim locks its
 * sweep's row ({@code SELECT ... FOR UPDATE}) so run_cap and retries hold across machines; a transaction
 * that meets a deadlock or a serialization failure is tried again. {@link #location()} is the URL without
 * its user and password, safe to print.
 *
 * <pre>{@code try (RunStore store = PostgresRunStore.open("jdbc:postgresql://db:5432/panoptim?user=me&password=...")) { ... }}</pre>
 */
public final class PostgresRunStore extends JdbcRunStore {
    /** What a PostgreSQL store's location starts with. */
    public static final String URL_PREFIX = "jdbc:postgresql:";
    /** The advisory lock that one migration at a time holds ("panoptim" in ASCII). */
    private static final long MIGRATION_LOCK = 0x70616e6f7074696dL;
    private static final Set<String> SECRET_PARAMETERS = Set.of("user", "password", "sslpassword");

    private final String url;

    /** Connects to the database at {@code jdbcUrl} ({@value #URL_PREFIX}...), creating panoptim's tables when missing. */
    public static PostgresRunStore open(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith(URL_PREFIX)) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: '" + (jdbcUrl == null ? null : withoutCredentials(jdbcUrl))
                    + "' (expected " + URL_PREFIX + "//HOST[:PORT]/DATABASE[?user=...&password=...])");
        }
        return new PostgresRunStore(jdbcUrl);
    }

    private PostgresRunStore(String url) {
        super(connect(url), withoutCredentials(url));
        this.url = url;
    }

    private static Connection connect(String url) {
        try {
            return DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw new RunStoreException("cannot open the run store " + withoutCredentials(url) + ": " + e.getMessage(), e);
        }
    }

    /** The URL as given, credentials included: for the environment of a trial's process, never for messages. */
    String url() {
        return url;
    }

    /** {@code url} without user info before the host nor user/password parameters. */
    static String withoutCredentials(String url) {
        String noUserInfo = url.replaceFirst("^([^?]*?//)[^/?@]*@", "$1");
        int q = noUserInfo.indexOf('?');
        if (q < 0) return noUserInfo;
        List<String> kept = new ArrayList<>();
        for (String parameter : noUserInfo.substring(q + 1).split("&")) {
            String name = parameter.split("=", 2)[0].toLowerCase(Locale.ROOT);
            if (!parameter.isEmpty() && !SECRET_PARAMETERS.contains(name)) kept.add(parameter);
        }
        return noUserInfo.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    }

    @Override
    void begin(Connection c) throws SQLException {
        c.setAutoCommit(false);
    }

    @Override
    void commit(Connection c) throws SQLException {
        c.commit();
        c.setAutoCommit(true);
    }

    @Override
    void rollback(Connection c) throws SQLException {
        try {
            c.rollback();
        } finally {
            c.setAutoCommit(true);
        }
    }

    @Override
    String tableExistsQuery() {
        return "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?)";
    }

    /** Two processes opening a fresh database at once: the second waits here, then finds it migrated. */
    @Override
    void lockMigrations(Statement s) throws SQLException {
        s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
    }

    @Override
    String lockSweepQuery() {
        return "SELECT id FROM sweeps WHERE id = ? FOR UPDATE";
    }

    /** serialization_failure and deadlock_detected: PostgreSQL asks for the transaction to be tried again. */
    @Override
    boolean retryable(SQLException e) {
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }
}
