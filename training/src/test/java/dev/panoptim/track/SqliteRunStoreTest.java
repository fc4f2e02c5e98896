package dev.panoptim.track;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The run store contract on SQLite: each store a fresh directory. */
class SqliteRunStoreTest extends RunStoreContract {
    @TempDir
    Path dir;

    @Override
    String freshLocation() throws Exception {
        return Files.createTempDirectory(dir, "store").toString();
    }

    @Override
    Connection rawConnection(String location) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + Path.of(location).resolve(SqliteRunStore.FILE_NAME));
    }
}
