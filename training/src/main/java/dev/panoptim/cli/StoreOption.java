package dev.panoptim.cli;

import dev.panoptim.track.Liveness;
import dev.panoptim.track.RunStoreException;
import dev.panoptim.track.SqliteRunStore;
import dev.panoptim.track.Tracking;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --dir DIR}: which run store the {@code runs} and {@code report} commands read (a picocli mixin). */
final class StoreOption {
    @Option(names = "--dir", paramLabel = "DIR",
            description = "The panoptim directory, holding panoptim.db (default: -Dpanoptim.dir, else $PANOPTIM_DIR, else ./panoptim).")
    Path dir;

    Path directory() {
        return dir != null ? dir.toAbsolutePath().normalize() : Tracking.defaultDirectory();
    }

    Path file() {
        return directory().resolve(SqliteRunStore.FILE_NAME);
    }

    boolean exists() {
        return Files.isRegularFile(file());
    }

    /**
     * Opens the existing store (a missing one is an IllegalArgumentException naming it) and marks crashed the
     * running runs whose process is gone, so every command shows them so.
     */
    SqliteRunStore open(PrintWriter err) {
        SqliteRunStore store = SqliteRunStore.openExisting(file());
        try {
            store.markGoneRunsCrashed(Liveness.standard(), System.currentTimeMillis());
        } catch (RunStoreException e) {
            err.println("panoptim: could not mark runs whose process is gone as crashed (" + e.getMessage() + ")");
        }
        return store;
    }
}
