package dev.panoptim.track;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run that dies is marked crashed and keeps what it logged: a run left running with a dead pid
 * (or a stale heartbeat on another host), and real child JVMs killed with SIGKILL, SIGTERM and SIGINT.
 */
class CrashTest {
    static final long NOW = System.currentTimeMillis();

    /** A pid that no process has: one of a process that ran and exited. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        return pid;
    }

    static RunInfo create(RunStore store, String name, long pid, String host, Long started, long now) {
        return store.createRun(new RunStore.NewRun("p", name, "{}", null, pid, host, started), now);
    }

    @Test
    void runningRunsWhoseProcessIsGoneAreMarkedCrashed(@TempDir Path dir) throws Exception {
        String here = ProcessIdentity.current().host();
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            RunInfo dead = create(store, "dead pid", deadPid(), here, null, NOW);
            store.log(dead.id(), 0, Map.of("loss", 1.0), List.of(), "{\"loss\":1.0}", NOW);
            RunInfo alive = create(store, "this process", ProcessHandle.current().pid(), here, ProcessIdentity.current().startedAt(), NOW - 3_600_000);
            RunInfo reused = create(store, "reused pid", ProcessHandle.current().pid(), here, ProcessIdentity.current().startedAt() - 60_000, NOW);
            RunInfo farStale = create(store, "other host, stale", 1, "elsewhere", null, NOW - Duration.ofMinutes(3).toMillis());
            RunInfo farFresh = create(store, "other host, fresh", 1, "elsewhere", null, NOW - Duration.ofSeconds(30).toMillis());
            RunInfo finished = create(store, "finished", deadPid(), here, null, NOW);
            store.setState(finished.id(), RunState.FINISHED, null, false, NOW);

            List<String> marked = store.markGoneRunsCrashed(Liveness.standard(), NOW);
            assertEquals(List.of(dead.id(), reused.id(), farStale.id()).stream().sorted().toList(), marked.stream().sorted().toList());
            assertEquals(RunState.CRASHED, store.run(dead.id()).orElseThrow().state());
            assertEquals(RunState.RUNNING, store.run(alive.id()).orElseThrow().state(), "alive though its heartbeat is an hour old");
            assertEquals(RunState.RUNNING, store.run(farFresh.id()).orElseThrow().state());
            assertEquals(RunState.FINISHED, store.run(finished.id()).orElseThrow().state());
            assertEquals(List.of(new RunStore.MetricPoint(0, "loss", 1.0)), store.history(dead.id()), "its data is kept");
            assertEquals(List.of(), store.markGoneRunsCrashed(Liveness.standard(), NOW), "once");
        }
    }

    @Test
    void aChildKilledWithSigkillKeepsItsMetricsAndShowsCrashed(@TempDir Path dir) throws Exception {
        Child c = Child.start(dir, 5);
        c.process.destroyForcibly();   // SIGKILL: no shutdown hook runs
        assertTrue(c.process.waitFor(20, TimeUnit.SECONDS));
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            assertEquals(RunState.RUNNING, store.run(c.runId).orElseThrow().state(), "nothing could mark it");
            assertEquals(List.of(c.runId), store.markGoneRunsCrashed(Liveness.standard(), System.currentTimeMillis()));
            RunInfo r = store.run(c.runId).orElseThrow();
            assertEquals(RunState.CRASHED, r.state());
            assertEquals(5, store.history(c.runId).size(), "every logged step is kept");
            assertEquals(4, r.lastStep());
            assertEquals(0.2, r.summary().get("loss"));
        }
    }

    @Test
    void aChildStoppedWithSigtermIsMarkedCrashedByItsShutdownHook(@TempDir Path dir) throws Exception {
        Child c = Child.start(dir, 3);
        c.process.destroy();   // SIGTERM
        assertTrue(c.process.waitFor(20, TimeUnit.SECONDS));
        assertTrue(c.stderr().contains("run " + c.runId + " (child) ended without finish(): marked crashed"), c.stderr());
        assertFalse(Files.exists(dir.resolve(SqliteRunStore.FILE_NAME + "-wal")),
                "the hook closed the default store, which folds the write-ahead log into panoptim.db");
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            assertEquals(RunState.CRASHED, store.run(c.runId).orElseThrow().state(), "marked by the hook, before any check");
            assertEquals(3, store.history(c.runId).size());
        }
    }

    @Test
    void ctrlCIsMarkedCrashedByTheShutdownHook(@TempDir Path dir) throws Exception {
        Child c = Child.start(dir, 2);
        Assumptions.assumeFalse(c.sigintIgnored, "SIGINT is ignored in this environment (inherited, as for background jobs), "
                + "so the JVM cannot see Ctrl-C here; SIGTERM is tested instead");
        new ProcessBuilder("kill", "-INT", Long.toString(c.process.pid())).inheritIO().start().waitFor();
        assertTrue(c.process.waitFor(20, TimeUnit.SECONDS));
        assertEquals(130, c.process.exitValue(), "128 + SIGINT");
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            assertEquals(RunState.CRASHED, store.run(c.runId).orElseThrow().state());
            assertEquals(2, store.history(c.runId).size());
        }
    }

    /** A child JVM running {@link CrashingChild}, once it has logged. */
    record Child(Process process, String runId, boolean sigintIgnored, Path err) {
        static Child start(Path dir, int steps) throws IOException {
            Path err = Files.createTempFile(dir, "child", ".err");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "-D" + Tracking.DIR_PROPERTY + "=" + dir, CrashingChild.class.getName(), Integer.toString(steps)));
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();   // "logged ID sigint-ignored=BOOL", then it sleeps
            if (line == null || !line.startsWith("logged ")) {
                p.destroyForcibly();
                throw new AssertionError("the child did not log: " + line + "\n" + Files.readString(err));
            }
            String[] f = line.split(" ");
            return new Child(p, f[1], f[2].equals("sigint-ignored=true"), err);
        }

        String stderr() throws IOException {
            return Files.readString(err);
        }
    }
}
