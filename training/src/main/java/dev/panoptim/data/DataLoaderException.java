package dev.panoptim.data;

/**
 * Preparing a batch failed (reading the dataset or a transform threw), on the prefetch thread or on the
 * caller's; the cause is the original exception, the message says which epoch and batch.
 *
 * <pre>{@code try (Batch b = it.next()) { ... } catch (DataLoaderException e) { throw e.getCause(); }}</pre>
 */
public final class DataLoaderException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    DataLoaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
