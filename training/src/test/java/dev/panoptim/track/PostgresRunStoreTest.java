package dev.panoptim.track;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run store contract on a real PostgreSQL server ({@link TestPostgres}): each store a fresh schema. */
class PostgresRunStoreTest extends RunStoreContract {
    final TestPostgres postgres = new TestPostgres();

    @Override
    String freshLocation() throws SQLException {
        return postgres.freshSchema();
    }

    @Override
    Connection rawConnection(String location) throws SQLException {
        return DriverManager.getConnection(location);
    }

    @AfterEach
    void dropSchemas() throws SQLException {
        close();
        postgres.dropSchemas();
    }

    @Test
    void theLocationHidesCredentials() throws SQLException {
        assertEquals("jdbc:postgresql://db:5432/runs?ssl=true",
                PostgresRunStore.withoutCredentials("jdbc:postgresql://db:5432/runs?user=me&password=s3cret&ssl=true"));
        assertEquals("jdbc:postgresql://db/runs", PostgresRunStore.withoutCredentials("jdbc:postgresql://me:s3cret@db/runs?PASSWORD=x"));
        String url = postgres.freshSchema() + "&password=s3cret";   // trust authentication ignores it
        try (RunStore s = RunStores.open(url)) {
            assertInstanceOf(PostgresRunStore.class, s);
            assertFalse(s.location().contains("s3cret"), s.location());
            assertFalse(s.location().contains("user="), s.location());
            assertTrue(s.location().contains("currentSchema="), s.location());
        }
    }

    /** The command line on PostgreSQL: --store URL, and no password in what it prints. */
    @Test
    void theCommandLineTakesAStoreUrl(@TempDir Path dir) throws Exception {
        String url = postgres.freshSchema() + "&password=s3cret";
        Path config = Files.writeString(dir.resolve("sweep.yaml"), "method: grid\nproject: pg\nparameters:\n  lr: {values: [0.1, 0.2]}\n");
        RunsCliTest.Result created = RunsCliTest.run("sweep", "create", config.toString(), "--store", url).expect(0);
        String id = created.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        try (RunStore s = RunStores.open(url)) {
            assertEquals("running", s.sweep(id).orElseThrow().state());
            s.createRun(new RunStore.NewRun("pg", "by-hand", "{}", null, 1, "elsewhere", null), System.currentTimeMillis());
        }
        RunsCliTest.Result sweeps = RunsCliTest.run("sweep", "list", "--store", url).expect(0);
        assertTrue(sweeps.out().contains(id), sweeps.out());
        RunsCliTest.Result runs = RunsCliTest.run("runs", "list", "--store", url).expect(0);
        assertTrue(runs.out().contains("by-hand"), runs.out());
        for (RunsCliTest.Result r : List.of(created, sweeps, runs)) assertFalse((r.out() + r.err()).contains("s3cret"), r.out() + r.err());
        RunsCliTest.Result bad = RunsCliTest.run("runs", "list", "--store", "jdbc:mysql://db/x?password=s3cret").expect(2);
        assertTrue(bad.err().contains("unsupported run store URL 'jdbc:mysql://db/x'"), bad.err());
    }

    @Test
    void aServerThatIsNotThereIsARunStoreExceptionWithoutThePassword() {
        RunStoreException e = assertThrows(RunStoreException.class,
                () -> PostgresRunStore.open("jdbc:postgresql://127.0.0.1:1/none?password=s3cret&connectTimeout=2"));
        assertTrue(e.getMessage().startsWith("cannot open the run store jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2: "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RunStores.open("jdbc:mysql://db/runs"));
    }
}
