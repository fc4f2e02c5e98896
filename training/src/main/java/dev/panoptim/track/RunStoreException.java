package dev.panoptim.track;

/**
 * A run store could not be read or written (the database failed: a locked or corrupt file, a full
 * disk); the message names the store.
 *
 * <pre>{@code try { run.log(Map.of("loss", loss)); } catch (RunStoreException e) { ... }}</pre>
 */
public class RunStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
