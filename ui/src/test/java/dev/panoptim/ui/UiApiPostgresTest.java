package dev.panoptim.ui;

import dev.panoptim.track.RunStore;
import dev.panoptim.track.RunStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The dashboard's API over the test PostgreSQL server ($PANOPTIM_TEST_POSTGRES_URL, started by bin/test), each test
 * in a schema of its own; skipped, saying why, without one.
 */
class UiApiPostgresTest extends UiApiContract {
    @TempDir
    Path dir;
    String schema;

    @Override
    RunStore openStore() throws Exception {
        String url = System.getenv("PANOPTIM_TEST_POSTGRES_URL");
        Assumptions.assumeTrue(url != null && !url.isBlank(),
                "PANOPTIM_TEST_POSTGRES_URL is not set (bin/test starts a PostgreSQL server and sets it); PostgreSQL UI tests skipped");
        schema = "ui_" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return RunStores.open(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
    }

    @Override
    Path directory() {
        return dir;
    }

    /** A database that lost the store's tables (its schema dropped under the server): reads answer 503 with the reason. */
    @Test
    void aStoreThatCannotBeReadIs503WithTheReason() throws Exception {
        try (Connection c = DriverManager.getConnection(System.getenv("PANOPTIM_TEST_POSTGRES_URL")); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
        schema = null;
        assertError(503, "GET", "/api/runs/" + seed.spiky, "the store cannot be read");
        assertError(503, "GET", "/api/sweeps", "the store cannot be read");
        assertEquals(200, send("GET", "/").statusCode(), "the app itself is still served");
    }

    @AfterEach
    void dropSchema() throws Exception {
        stop();
        if (schema == null) return;
        try (Connection c = DriverManager.getConnection(System.getenv("PANOPTIM_TEST_POSTGRES_URL")); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
