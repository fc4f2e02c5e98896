package dev.panoptim.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's chromium headless on a local file: its DOM after scripts ran, or a screenshot.
 * Offline-safe flags (without the background-networking ones it waits on the closed network), a
 * fresh profile per run, a time limit, and the browser's console log (stderr) kept for the caller.
 */
public final class HeadlessChromium {
    private static final List<String> CANDIDATES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");

    /** What a run printed: stdout (the DOM for --dump-dom) and stderr (console messages with --enable-logging). */
    public record Output(String stdout, String stderr) {}

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** $PANOPTIM_CHROMIUM if set (and executable), else the first of chromium, chromium-browser, google-chrome on the PATH. */
    public static Optional<HeadlessChromium> find() {
        String env = System.getenv("PANOPTIM_CHROMIUM");
        if (env != null && !env.isBlank()) {
            return Files.isExecutable(Path.of(env)) ? Optional.of(new HeadlessChromium(Path.of(env))) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : CANDIDATES) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(p)) return Optional.of(new HeadlessChromium(p));
            }
        }
        return Optional.empty();
    }

    public Path binary() {
        return binary;
    }

    /** The DOM of {@code page} after its scripts ran (up to 10 s of virtual time). */
    public Output dumpDom(Path page, Path scratch) throws IOException, InterruptedException {
        return run(page, scratch, "--dump-dom");
    }

    /** A PNG screenshot of {@code page} into {@code png}, at width x height. */
    public Output screenshot(Path page, Path png, int width, int height, Path scratch) throws IOException, InterruptedException {
        return run(page, scratch, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, "--hide-scrollbars");
    }

    private Output run(Path page, Path scratch, String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(scratch, "chromium-profile-");
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND",
                "--user-data-dir=" + profile.toAbsolutePath(), "--enable-logging=stderr", "--v=0",
                "--virtual-time-budget=10000"));
        cmd.addAll(List.of(extra));
        cmd.add(page.toAbsolutePath().toUri().toString());
        Path out = scratch.resolve("chromium-" + System.nanoTime() + ".out"), err = scratch.resolve("chromium-" + System.nanoTime() + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IOException("chromium did not finish within 120 s: " + String.join(" ", cmd) + "\n"
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8), stderr = Files.readString(err, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new IOException("chromium exited with " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + stderr);
        return new Output(stdout, stderr);
    }
}
