package dev.panoptim.ui;

import dev.panoptim.track.RunStore;
import dev.panoptim.track.RunStores;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The dashboard's API over a SQLite store in a temporary panoptim directory. */
class UiApiSqliteTest extends UiApiContract {
    @TempDir
    Path dir;

    @Override
    RunStore openStore() {
        return RunStores.open(dir.toString());
    }

    @Override
    Path directory() {
        return dir;
    }
}
