package dev.panoptim.cli;

import dev.panoptim.track.Liveness;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.RunStoreException;
import dev.panoptim.track.RunStores;
import dev.panoptim.track.SqliteRunStore;
import dev.panoptim.track.Tracking;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --store URL} and {@code --dir DIR}: which run store a command reads and writes (a picocli mixin):
 * {@code --store}, else {@code --dir}'s SQLite file, else {@link Tracking#defaultLocation()} ({@code -Dpanoptim.store},
 * {@code $PANOPTIM_STORE}, then the directory rule). Public for the subcommands of other modules ({@link CommandPlugin}).
 *
 * <pre>{@code @Mixin StoreOption store;  ...  try (RunStore s = store.open(err)) { ... }}</pre>
 */
public final class StoreOption {
    @Option(names = "--dir", paramLabel = "DIR",
            description = "The panoptim directory, holding panoptim.db (default: -Dpanoptim.dir, else $PANOPTIM_DIR, else ./panoptim).")
    Path dir;

    @Option(names = "--store", paramLabel = "URL",
            description = "The run store: a jdbc:postgresql://HOST/DB?user=...&password=... URL, shared by agents on several "
                    + "machines, or a panoptim directory (default: --dir, else $PANOPTIM_STORE, else the --dir rule).")
    String store;

    /** The store's location for {@link RunStores#open}. */
    public String location() {
        if (store != null && !store.isBlank()) return RunStores.check(store.strip());
        return dir != null ? directory().toString() : Tracking.defaultLocation();
    }

    public boolean postgres() {
        return RunStores.isPostgres(location());
    }

    /** The panoptim directory, for what lives next to the store (reports, checkpoints): --dir, a --store directory, else the default. */
    public Path directory() {
        if (dir != null) return dir.toAbsolutePath().normalize();
        if (store != null && !store.isBlank() && !postgres()) return Path.of(store.strip()).toAbsolutePath().normalize();
        return Tracking.defaultDirectory();
    }

    /** Where a message says the store is: the SQLite file, or the PostgreSQL URL without credentials. */
    public String describe() {
        return postgres() ? RunStores.printable(location()) : file().toString();
    }

    private Path file() {
        return Path.of(location()).resolve(SqliteRunStore.FILE_NAME);
    }

    /** Whether the store exists (a PostgreSQL one always does: opening creates its tables). */
    public boolean exists() {
        return postgres() || Files.isRegularFile(file());
    }

    /** Opens the store, creating it when missing (for commands that write: sweep create, sweep run). */
    public RunStore openOrCreate() {
        return RunStores.open(location());
    }

    /** Opens the existing store; a missing SQLite file is an IllegalArgumentException naming it. */
    public RunStore openExisting() {
        return postgres() ? RunStores.open(location()) : SqliteRunStore.openExisting(file());
    }

    /**
     * Opens the existing store (a missing SQLite file is an IllegalArgumentException naming it) and marks crashed
     * the running runs whose process is gone, so every command shows them so.
     */
    public RunStore open(PrintWriter err) {
        RunStore s = openExisting();
        try {
            s.markGoneRunsCrashed(Liveness.standard(), System.currentTimeMillis());
        } catch (RunStoreException e) {
            err.println("panoptim: could not mark runs whose process is gone as crashed (" + e.getMessage() + ")");
        }
        return s;
    }
}
