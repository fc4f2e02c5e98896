package dev.panoptim.ui;

/**
 * A request the API answers with an error status and {@code {"error": message}}: 400 for a malformed
 * parameter, 403 for a write on a read-only server, 404 for an unknown run, sweep, key or file, 409 for a
 * sweep control its state refuses, 503 when the store cannot be read.
 *
 * <pre>{@code throw ApiException.notFound("unknown run id '" + id + "'");}</pre>
 */
public final class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
