package dev.panoptim.track;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Who runs a run: pid, host name and the process's start time (to tell a reused pid from the
 * original process).
 *
 * <pre>{@code ProcessIdentity me = ProcessIdentity.current();}</pre>
 */
public record ProcessIdentity(long pid, String host, Long startedAt) {
    private static final ProcessIdentity CURRENT = of(ProcessHandle.current());

    public static ProcessIdentity current() {
        return CURRENT;
    }

    static ProcessIdentity of(ProcessHandle p) {
        return new ProcessIdentity(p.pid(), hostName(), startOf(p).orElse(null));
    }

    /** The start time of a live process in epoch milliseconds, where the OS tells it. */
    static Optional<Long> startOf(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toEpochMilli);
    }

    /** The kernel's host name (no DNS look-up), else InetAddress's, else "localhost". */
    static String hostName() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                String h = Files.readString(kernel, StandardCharsets.UTF_8).trim();
                if (!h.isEmpty()) return h;
            }
        } catch (IOException | SecurityException ignored) {
            // fall through
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | SecurityException e) {
            return "localhost";
        }
    }
}
