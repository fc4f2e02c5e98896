package dev.panoptim.track;

import java.nio.file.Path;
import java.util.Map;

/**
 * Opens a run store by its location: a {@code jdbc:postgresql:} URL is a {@link PostgresRunStore};
 * anything else is a panoptim directory, holding the {@link SqliteRunStore}'s {@value SqliteRunStore#FILE_NAME}.
 *
 * <pre>{@code try (RunStore store = RunStores.open(System.getenv("PANOPTIM_STORE"))) { ... }}</pre>
 */
public final class RunStores {
    private RunStores() {}

    /** Opens the store at {@code location}, creating it (and a SQLite store's directory) when missing. */
    public static RunStore open(String location) {
        check(location);
        if (isPostgres(location)) return PostgresRunStore.open(location.strip());
        return SqliteRunStore.inDirectory(Path.of(location));
    }

    /** Returns {@code location} when it names a store panoptim can open; else an IllegalArgumentException naming it. */
    public static String check(String location) {
        if (location == null || location.isBlank()) throw new IllegalArgumentException("the run store's location cannot be empty");
        if (location.startsWith("jdbc:") && !isPostgres(location)) {
            throw new IllegalArgumentException("unsupported run store URL '" + printable(location)
                    + "': panoptim stores runs in PostgreSQL (" + PostgresRunStore.URL_PREFIX + "//HOST/DATABASE) or in a directory (SQLite)");
        }
        return location;
    }

    /** {@code location} as messages may show it: a URL without its user and password. */
    public static String printable(String location) {
        return location != null && location.startsWith("jdbc:") ? PostgresRunStore.withoutCredentials(location) : location;
    }

    /** Whether {@code location} names a PostgreSQL store. */
    public static boolean isPostgres(String location) {
        return location != null && location.strip().startsWith(PostgresRunStore.URL_PREFIX);
    }

    /**
     * Points a child process's {@code environment} at {@code store}, so that its {@code Tracking.init} and
     * {@code panoptim log} reach the same store: {@code PANOPTIM_STORE} for PostgreSQL (the URL with its
     * credentials: the child must log in too), {@code PANOPTIM_DIR} (and no {@code PANOPTIM_STORE}) for SQLite.
     */
    public static void exportTo(RunStore store, Map<String, String> environment) {
        switch (store) {
            case PostgresRunStore pg -> environment.put(Tracking.STORE_ENV, pg.url());
            case SqliteRunStore sqlite -> {
                environment.remove(Tracking.STORE_ENV);
                environment.put(Tracking.DIR_ENV, sqlite.file().getParent().toString());
            }
            default -> throw new IllegalArgumentException("cannot hand the run store " + store.location() + " to a child process");
        }
    }
}
