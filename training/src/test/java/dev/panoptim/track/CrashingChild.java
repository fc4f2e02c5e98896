package dev.panoptim.track;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Run by {@link CrashTest} in a child JVM: logs N steps to the default store, says so, and waits to be killed.
 * Prints {@code logged ID sigint-ignored=BOOL} (whether SIGINT is ignored from the start, so Ctrl-C cannot reach it).
 */
public final class CrashingChild {
    private CrashingChild() {}

    public static void main(String[] args) throws Exception {
        int steps = Integer.parseInt(args[0]);
        Run run = Tracking.init("p", "child", Map.of("steps", steps));
        for (int i = 0; i < steps; i++) run.log(Map.of("loss", 1.0 / (i + 1)));
        System.out.println("logged " + run.id() + " sigint-ignored=" + sigintIgnored());
        System.out.flush();
        Thread.sleep(120_000);
        System.exit(3);   // never reached in the tests: they kill it first
    }

    /** Bit 1 (SIGINT = 2) of SigIgn in /proc/self/status. */
    static boolean sigintIgnored() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) return false;
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 2) != 0;
        }
        return false;
    }
}
