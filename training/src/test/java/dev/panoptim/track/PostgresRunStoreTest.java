package dev.panoptim.track;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

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

    @Test
    void aServerThatIsNotThereIsARunStoreExceptionWithoutThePassword() {
        RunStoreException e = assertThrows(RunStoreException.class,
                () -> PostgresRunStore.open("jdbc:postgresql://127.0.0.1:1/none?password=s3cret&connectTimeout=2"));
        assertTrue(e.getMessage().startsWith("cannot open the run store jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2: "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RunStores.open("jdbc:mysql://db/runs"));
    }
}
