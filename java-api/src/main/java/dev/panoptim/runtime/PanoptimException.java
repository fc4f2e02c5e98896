package dev.panoptim.runtime;

/**
 * A native panoptim call failed; carries the native status and the library's message.
 * Invalid arguments surface as {@link IllegalArgumentException} instead (see {@link NativeStatus#check}).
 *
 * <pre>{@code try { opt.step(); } catch (PanoptimException e) { log(e.status(), e.getMessage()); }}</pre>
 */
public class PanoptimException extends RuntimeException {
    private final NativeStatus status;

    public PanoptimException(NativeStatus status, String message) {
        super(message);
        this.status = status;
    }

    /** The status the native library returned. */
    public NativeStatus status() {
        return status;
    }
}
