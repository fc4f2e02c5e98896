package dev.panoptim.report;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Times as the CLI and the report show them: local time to the second, {@code 2025-06-01 14:03:22}.
 *
 * <pre>{@code String created = Times.local(run.createdAt());}</pre>
 */
public final class Times {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Times() {}

    /** Epoch milliseconds as local date and time. */
    public static String local(long epochMillis) {
        return LOCAL.format(Instant.ofEpochMilli(epochMillis));
    }
}
