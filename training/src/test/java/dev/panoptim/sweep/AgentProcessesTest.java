package dev.panoptim.sweep;

import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunState;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SweepInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Agents as real processes ({@code panoptim agent}, one JVM each) sharing a sweep through the store: eight of them
 * over 200 short trials, and one killed with SIGKILL in the middle of a trial. The PostgreSQL variants are in
 * {@link PostgresAgentProcessesTest}.
 */
class AgentProcessesTest {

    /** The store's location as the CLI's --store takes it, and a way to open it here. */
    interface StoreUnderTest {
        String location();

        RunStore open();
    }

    static StoreUnderTest sqlite(Path dir) {
        return new StoreUnderTest() {
            public String location() {
                return dir.toString();
            }

            public RunStore open() {
                return dev.panoptim.track.RunStores.open(dir.toString());
            }
        };
    }

    @Test
    void eightAgentProcessesRun200TrialsEachOnce(@TempDir Path dir) throws Exception {
        eightAgents(sqlite(dir.resolve("store")), dir);
    }

    @Test
    void aTrialWhoseAgentIsKilledIsMarkedCrashedAndRetried(@TempDir Path dir) throws Exception {
        killedAgent(sqlite(dir.resolve("store")), dir);
    }

    static void eightAgents(StoreUnderTest s, Path dir) throws Exception {
        SweepConfig config = SweepConfig.parse("""
                {"method": "random", "run_cap": 200, "command": ["/bin/true"],
                 "parameters": {"x": {"min": 0.0, "max": 1.0}, "k": {"values": [1, 2, 3]}}}""", true, "test");
        String sweepId;
        try (RunStore store = s.open()) {
            sweepId = Sweeps.create(store, config, 11L).id();
        }
        List<Process> agents = new ArrayList<>();
        for (int i = 0; i < 8; i++) agents.add(agent(s, dir, sweepId, "agent" + i));
        int ran = 0;
        for (int i = 0; i < agents.size(); i++) {
            Process p = agents.get(i);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "agent " + i + " finished");
            assertEquals(0, p.exitValue(), () -> "agent exit code; its output:\n" + output(dir, p));
            String out = output(dir, p);
            var m = java.util.regex.Pattern.compile("ran (\\d+) trials? of sweep").matcher(out);
            assertTrue(m.find(), out);
            ran += Integer.parseInt(m.group(1));
        }
        assertEquals(200, ran, "every trial ran once in all");
        try (RunStore store = s.open()) {
            List<RunInfo> runs = store.sweepRuns(sweepId);
            assertEquals(200, runs.size(), "run_cap holds across eight processes");
            Set<Long> indices = runs.stream().map(RunInfo::trialIndex).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(LongStream.range(0, 200).boxed().collect(Collectors.toCollection(TreeSet::new)), indices,
                    "no trial twice, none lost");
            assertTrue(runs.stream().allMatch(r -> r.state() == RunState.FINISHED), "all finished");
            assertTrue(runs.stream().map(RunInfo::pid).distinct().count() > 1, "more than one agent claimed trials");
            SweepInfo sweep = store.sweep(sweepId).orElseThrow();
            assertEquals("finished", sweep.state());
            for (RunInfo r : runs) {
                assertEquals(RandomSearch.trial(config.parameters(), 11L, r.trialIndex()).get("x"), r.config().get("x"),
                        "trial " + r.trialIndex() + " ran its own values");
            }
        }
    }

    static void killedAgent(StoreUnderTest s, Path dir) throws Exception {
        SweepConfig config = SweepConfig.parse("""
                {"method": "grid", "command": ["/bin/sh", "-c", "sleep 1.5"],
                 "parameters": {"x": {"values": [1, 2, 3, 4, 5, 6]}}}""", true, "test");
        String sweepId;
        try (RunStore store = s.open()) {
            sweepId = Sweeps.create(store, config, 1L, 1, Duration.ofSeconds(3)).id();
        }
        Process victim = agent(s, dir, sweepId, "victim");
        RunInfo victimsTrial;
        try (RunStore store = s.open()) {
            victimsTrial = waitForRunningTrialOf(store, sweepId, victim.pid());
        }
        Process survivor = agent(s, dir, sweepId, "survivor");
        victim.destroyForcibly();   // SIGKILL: nothing of the victim can mark its trial
        assertTrue(victim.waitFor(30, TimeUnit.SECONDS));
        assertTrue(survivor.waitFor(2, TimeUnit.MINUTES), "the survivor finished the sweep");
        assertEquals(0, survivor.exitValue(), () -> output(dir, survivor));
        try (RunStore store = s.open()) {
            RunInfo killed = store.run(victimsTrial.id()).orElseThrow();
            assertEquals(RunState.CRASHED, killed.state(), "the killed agent's trial");
            List<RunInfo> runs = store.sweepRuns(sweepId);
            List<RunInfo> retries = runs.stream().filter(r -> r.attempt() == 1).toList();
            assertEquals(1, retries.size(), "one retry");
            assertEquals(killed.trialIndex(), retries.getFirst().trialIndex());
            assertEquals(killed.config().get("x"), retries.getFirst().config().get("x"));
            assertEquals(RunState.FINISHED, retries.getFirst().state());
            Set<Long> done = runs.stream().filter(r -> r.state() == RunState.FINISHED).map(RunInfo::trialIndex)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of(0L, 1L, 2L, 3L, 4L, 5L), done, "every trial of the grid finished once");
            assertEquals("finished", store.sweep(sweepId).orElseThrow().state());
        }
    }

    static RunInfo waitForRunningTrialOf(RunStore store, String sweepId, long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (RunInfo r : store.sweepRuns(sweepId)) {
                if (r.state() == RunState.RUNNING && r.pid() != null && r.pid() == pid) return r;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("agent " + pid + " claimed no trial within 60 s");
    }

    static Process agent(StoreUnderTest s, Path dir, String sweepId, String name) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "dev.panoptim.cli.PanoptimCli", "agent", sweepId, "--store", s.location());
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LOGS.put(p.pid(), log);
        return p;
    }

    private static final java.util.Map<Long, Path> LOGS = new java.util.concurrent.ConcurrentHashMap<>();

    static String output(Path dir, Process p) {
        try {
            return Files.readString(LOGS.get(p.pid()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
