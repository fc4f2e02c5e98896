package dev.panoptim.runtime;

import dev.panoptim.bindings.c.panoptim_h;

/**
 * The status codes of panoptim.h, and the one place a native status becomes a Java exception.
 *
 * <pre>{@code NativeStatus.check(panoptim_h.pt_sgd_step(...), "SGD step");}</pre>
 */
public enum NativeStatus {
    OK(panoptim_h.PT_OK()),
    INVALID_ARGUMENT(panoptim_h.PT_ERR_INVALID_ARGUMENT()),
    UNSUPPORTED(panoptim_h.PT_ERR_UNSUPPORTED()),
    DEVICE(panoptim_h.PT_ERR_DEVICE()),
    OUT_OF_MEMORY(panoptim_h.PT_ERR_OUT_OF_MEMORY()),
    INTERNAL(panoptim_h.PT_ERR_INTERNAL()),
    UNKNOWN(-1);

    private final int code;

    NativeStatus(int code) {
        this.code = code;
    }

    /** The C value of this status. */
    public int code() {
        return code;
    }

    /** The status for a C value; {@link #UNKNOWN} for values the header does not define. */
    public static NativeStatus of(int code) {
        for (NativeStatus s : values()) if (s.code == code) return s;
        return UNKNOWN;
    }

    /** The native message of this thread's last failed call. */
    public static String lastError() {
        return panoptim_h.pt_last_error().getString(0);
    }

    /**
     * Throws when {@code code} is not PT_OK: {@link IllegalArgumentException} for invalid
     * arguments, {@link PanoptimException} otherwise, each with the native message.
     */
    public static void check(int code, String what) {
        if (code == panoptim_h.PT_OK()) return;
        NativeStatus status = of(code);
        String message = what + " failed (" + status + "): " + lastError();
        if (status == INVALID_ARGUMENT) throw new IllegalArgumentException(message);
        throw new PanoptimException(status, message);
    }
}
