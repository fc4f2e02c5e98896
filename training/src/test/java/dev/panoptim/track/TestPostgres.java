package dev.panoptim.track;

import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL server of the tests, named by {@value #URL_ENV} (bin/test starts one: bin/lib/postgres.sh),
 * handing each test a fresh schema of its own (dropped by {@link #dropSchemas()}).
 */
public final class TestPostgres {
    static final String URL_ENV = "PANOPTIM_TEST_POSTGRES_URL";

    private final List<String> schemas = new ArrayList<>();

    /** The server's URL, or the test is skipped, saying why. */
    static String url() {
        String url = System.getenv(URL_ENV);
        Assumptions.assumeTrue(url != null && !url.isBlank(), URL_ENV + " is not set (bin/test starts a PostgreSQL server "
                + "with bin/lib/postgres.sh and sets it; it printed why it could not); PostgreSQL tests skipped");
        return url;
    }

    /** The URL of a new, empty schema in the test database. */
    public String freshSchema() throws SQLException {
        String url = url();
        String schema = "t_" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        synchronized (schemas) {
            schemas.add(schema);
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public void dropSchemas() throws SQLException {
        if (schemas.isEmpty()) return;
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            for (String schema : schemas) s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
        schemas.clear();
    }
}
