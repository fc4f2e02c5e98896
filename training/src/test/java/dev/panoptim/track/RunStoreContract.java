package dev.panoptim.track;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link RunStore} does, run against each real store by a subclass ({@link SqliteRunStoreTest},
 * {@link PostgresRunStoreTest}): each test gets a fresh, empty store at {@link #freshLocation()}.
 */
abstract class RunStoreContract {
    static final long NOW = 1_700_000_000_000L;
    static final ProcessIdentity AGENT = new ProcessIdentity(4242, "agent-host", 1_699_999_000_000L);

    /** The location ({@link RunStores#open}) of a new, empty store; skips the test when the database is not there. */
    abstract String freshLocation() throws Exception;

    /** A plain JDBC connection to the store at {@code location}, to build old schemas by hand. */
    abstract Connection rawConnection(String location) throws SQLException;

    RunStore store;
    /** Where {@link #store} is. */
    String location;

    @BeforeEach
    void open() throws Exception {
        location = freshLocation();
        store = RunStores.open(location);
    }

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    static RunStore.NewRun newRun(String project, String name) {
        return new RunStore.NewRun(project, name, "{\"lr\":0.1}", null, 7, "host-a", 99L);
    }

    static String config(long index) {
        return "{\"i\":" + index + "}";
    }

    SweepInfo sweep(Long cap, int retries) {
        return store.createSweep(new RunStore.NewSweep("s", "grid", "sweeps", "{\"method\":\"grid\"}", cap, 7, retries, 5_000), NOW);
    }

    Optional<RunInfo> claim(SweepInfo s, long now) {
        return store.claimTrial(s.id(), AGENT, RunStoreContract::config, now);
    }

    @Test
    void runsLogSummariesStatesAndHistograms() {
        RunInfo r = store.createRun(newRun("fashion", "first"), NOW);
        assertTrue(r.id().matches("[0-9a-z]{8}"), r.id());
        assertEquals(RunState.RUNNING, r.state());
        assertNull(r.trialIndex());
        assertEquals(0, r.attempt());
        Histogram h = Histogram.of(new float[] {1, 2, 3, 4}, 4);
        Map<String, Double> first = new LinkedHashMap<>();
        first.put("loss", Double.NaN);
        first.put("grad", Double.POSITIVE_INFINITY);
        store.log(r.id(), 0, first, List.of(new RunStore.HistogramPoint(0, "parameters/w", h)), "{\"loss\":\"NaN\"}", NOW + 1);
        store.log(r.id(), 3, Map.of("loss", 0.5), List.of(), "{\"loss\":0.5}", NOW + 2);
        store.log(r.id(), 3, Map.of("loss", 0.25), List.of(), "{\"loss\":0.25}", NOW + 3);
        IllegalArgumentException back = assertThrows(IllegalArgumentException.class,
                () -> store.log(r.id(), 2, Map.of("loss", 1.0), List.of(), "{}", NOW + 4));
        assertTrue(back.getMessage().contains("step 2 is smaller than the last logged step 3 of run " + r.id()), back.getMessage());
        store.updateSummary(r.id(), "{\"loss\":0.25,\"best\":1}", NOW + 5);
        store.updateConfig(r.id(), "{\"lr\":0.2}", NOW + 5);
        assertTrue(store.setState(r.id(), RunState.FINISHED, null, true, NOW + 6));
        assertFalse(store.setState(r.id(), RunState.CRASHED, null, true, NOW + 7), "only if running");

        RunInfo back2 = store.run(r.id()).orElseThrow();
        assertEquals(RunState.FINISHED, back2.state());
        assertEquals(Map.of("loss", 0.25, "best", 1), back2.summary());
        assertEquals(Map.of("lr", 0.2), back2.config());
        assertEquals(3, back2.lastStep());
        assertEquals(2, back2.stepCount());
        assertEquals(NOW + 3, back2.heartbeatAt());
        assertEquals(7L, back2.pid());
        assertEquals(99L, back2.processStartedAt());
        List<RunStore.MetricPoint> history = store.history(r.id());
        assertEquals(3, history.size());
        assertEquals(new RunStore.MetricPoint(0, "grad", Double.POSITIVE_INFINITY), history.get(0));
        assertTrue(Double.isNaN(history.get(1).value()), "NaN is kept");
        assertEquals(new RunStore.MetricPoint(3, "loss", 0.25), history.get(2), "the later value at one step");
        assertEquals(List.of("grad", "loss"), store.metricKeys(r.id()).stream().map(RunStore.MetricKey::key).toList());
        assertEquals(new RunStore.MetricKey("loss", 2, 0, 3, 0.25), store.metricKeys(r.id()).get(1));
        List<RunStore.HistogramPoint> hs = store.histograms(r.id());
        assertEquals(1, hs.size());
        assertEquals(h, hs.getFirst().histogram());

        RunInfo other = store.createRun(newRun("cifar", null), NOW + 10);
        assertEquals(other.id(), other.name(), "no name: the id");
        assertEquals(List.of("fashion", "cifar"), store.projects());
        assertEquals(List.of(r.id(), other.id()), store.runs(null).stream().map(RunInfo::id).toList());
        assertEquals(List.of(other.id()), store.runs("cifar").stream().map(RunInfo::id).toList());
        assertTrue(store.run("zzzzzzzz").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> store.updateSummary("zzzzzzzz", "{}", NOW));
    }

    @Test
    void aRunThatIsNotRunningTakesNoLogsNorHeartbeats() {
        RunInfo r = store.createRun(newRun("p", "n"), NOW);
        store.log(r.id(), 0, Map.of("loss", 1.0), List.of(), "{}", NOW);
        store.setState(r.id(), RunState.STOPPED, null, false, NOW + 1);
        RunNotRunningException e = assertThrows(RunNotRunningException.class,
                () -> store.log(r.id(), 1, Map.of("loss", 0.5), List.of(), "{}", NOW + 2));
        assertEquals(r.id(), e.runId());
        assertEquals(RunState.STOPPED, e.state());
        assertEquals("run " + r.id() + " is stopped; it takes no more logs", e.getMessage());
        assertEquals(RunState.STOPPED, assertThrows(RunNotRunningException.class, () -> store.heartbeat(r.id(), NOW + 3)).state());
        assertEquals(1, store.history(r.id()).size(), "nothing written");
        assertEquals(NOW, store.run(r.id()).orElseThrow().heartbeatAt());
        assertThrows(IllegalArgumentException.class, () -> store.log("zzzzzzzz", 0, Map.of(), List.of(), "{}", NOW));
    }

    /** A Run whose store row was ended by someone else stops too: its log throws, and finish leaves the state alone. */
    @Test
    void aRunEndedInItsStoreStopsAndKeepsThatState() {
        Run run = Tracking.init(store, "p", "n", Map.of());
        run.log(Map.of("loss", 1.0));
        store.setState(run.id(), RunState.CRASHED, null, false, NOW);
        assertThrows(RunNotRunningException.class, () -> run.log(Map.of("loss", 0.5)));
        assertEquals(RunState.CRASHED, run.state());
        run.finish();
        assertEquals(RunState.CRASHED, store.run(run.id()).orElseThrow().state());

        Run other = Tracking.init(store, "p", "m", Map.of());
        store.setState(other.id(), RunState.STOPPED, null, false, NOW);
        other.finish();   // did not log since: it learns at finish
        assertEquals(RunState.STOPPED, other.state());
        assertEquals(RunState.STOPPED, store.run(other.id()).orElseThrow().state());
    }

    @Test
    void sweepsKeepTheirSettingsAndCounts() {
        SweepInfo s = sweep(10L, 2);
        assertEquals("running", s.state());
        assertEquals(2, s.retries());
        assertEquals(5_000, s.graceMs());
        assertEquals(10L, s.runCap());
        assertEquals(0, s.runCount());
        SweepInfo unbounded = store.createSweep(new RunStore.NewSweep(null, "random", "p", "{}", null, 1), NOW + 1);
        assertEquals(unbounded.id(), unbounded.name());
        assertEquals(0, unbounded.retries());
        assertEquals(RunStore.NewSweep.DEFAULT_GRACE_MS, unbounded.graceMs());
        assertEquals(List.of(s.id(), unbounded.id()), store.sweeps().stream().map(SweepInfo::id).toList());
        assertThrows(IllegalArgumentException.class, () -> new RunStore.NewSweep("s", "grid", "p", "{}", null, 1, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> store.claimTrial("zzzzzzzz", AGENT, RunStoreContract::config, NOW));
    }

    @Test
    void claimsStopAtTheCapAndTheSweepFinishesWhenNothingRuns() {
        SweepInfo s = sweep(3L, 0);
        List<RunInfo> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) runs.add(claim(s, NOW + i).orElseThrow());
        for (int i = 0; i < 3; i++) {
            RunInfo r = runs.get(i);
            assertEquals((long) i, r.trialIndex());
            assertEquals(0, r.attempt());
            assertEquals(Map.of("i", i), r.config());
            assertEquals("sweeps", r.project());
            assertEquals(r.id(), r.name());
            assertEquals(s.id(), r.sweepId());
            assertEquals(4242L, r.pid());
            assertEquals("agent-host", r.host());
            assertEquals(AGENT.startedAt(), r.processStartedAt());
            assertEquals(NOW + i, r.heartbeatAt());
        }
        assertTrue(claim(s, NOW + 5).isEmpty(), "the cap");
        assertEquals("running", store.sweep(s.id()).orElseThrow().state(), "runs still running may crash and be retried");
        store.setState(runs.get(0).id(), RunState.FINISHED, null, true, NOW);
        store.setState(runs.get(1).id(), RunState.FAILED, null, true, NOW);
        assertTrue(claim(s, NOW + 6).isEmpty());
        assertEquals("running", store.sweep(s.id()).orElseThrow().state());
        store.setState(runs.get(2).id(), RunState.CRASHED, null, true, NOW);
        assertTrue(claim(s, NOW + 7).isEmpty(), "no retries allowed");
        SweepInfo done = store.sweep(s.id()).orElseThrow();
        assertEquals("finished", done.state());
        assertEquals(3, done.runCount());
        assertEquals(3, done.trialCount());
    }

    @Test
    void aSamplerWithoutMoreTrialsEndsTheSweep() {
        SweepInfo s = sweep(null, 0);
        RunStore.TrialMaker twoTrials = i -> i < 2 ? config(i) : null;
        RunInfo a = store.claimTrial(s.id(), AGENT, twoTrials, NOW).orElseThrow();
        RunInfo b = store.claimTrial(s.id(), AGENT, twoTrials, NOW).orElseThrow();
        assertEquals(List.of(0L, 1L), List.of(a.trialIndex(), b.trialIndex()));
        store.setState(a.id(), RunState.FINISHED, null, true, NOW);
        store.setState(b.id(), RunState.FINISHED, null, true, NOW);
        assertTrue(store.claimTrial(s.id(), AGENT, twoTrials, NOW).isEmpty());
        assertEquals("finished", store.sweep(s.id()).orElseThrow().state());
        assertTrue(store.claimTrial(s.id(), AGENT, i -> config(i), NOW).isEmpty(), "a finished sweep gives nothing");
    }

    @Test
    void crashedTrialsAreRetriedFirstUpToTheirRetries() {
        SweepInfo s = sweep(2L, 2);
        RunInfo t0 = claim(s, NOW).orElseThrow();
        RunInfo t1 = claim(s, NOW).orElseThrow();
        store.setState(t0.id(), RunState.CRASHED, null, true, NOW);
        RunInfo retry1 = claim(s, NOW + 1).orElseThrow();
        assertEquals(0L, retry1.trialIndex());
        assertEquals(1, retry1.attempt());
        assertEquals(t0.config(), retry1.config());
        store.setState(retry1.id(), RunState.CRASHED, null, true, NOW);
        RunInfo retry2 = claim(s, NOW + 2).orElseThrow();
        assertEquals(0L, retry2.trialIndex());
        assertEquals(2, retry2.attempt());
        store.setState(retry2.id(), RunState.CRASHED, null, true, NOW);
        assertTrue(claim(s, NOW + 3).isEmpty(), "two retries used, and the cap reached");
        assertEquals("running", store.sweep(s.id()).orElseThrow().state(), "trial 1 still runs");
        store.setState(t1.id(), RunState.FAILED, null, true, NOW);
        assertTrue(claim(s, NOW + 4).isEmpty(), "a failed trial is not retried");
        SweepInfo done = store.sweep(s.id()).orElseThrow();
        assertEquals("finished", done.state());
        assertEquals(4, done.runCount());
        assertEquals(2, done.trialCount());
    }

    @Test
    void aRetryComesBeforeANewTrialAndOnlyOncePerCrash() {
        SweepInfo s = sweep(null, 1);
        RunInfo t0 = claim(s, NOW).orElseThrow();
        RunInfo t1 = claim(s, NOW + 1).orElseThrow();
        store.setState(t1.id(), RunState.CRASHED, null, true, NOW);
        store.setState(t0.id(), RunState.CRASHED, null, true, NOW);
        RunInfo r0 = claim(s, NOW + 2).orElseThrow();
        RunInfo r1 = claim(s, NOW + 3).orElseThrow();
        assertEquals(List.of(0L, 1L), List.of(r0.trialIndex(), r1.trialIndex()), "the oldest crashed run first");
        assertEquals(List.of(1, 1), List.of(r0.attempt(), r1.attempt()));
        RunInfo t2 = claim(s, NOW + 4).orElseThrow();
        assertEquals(2L, t2.trialIndex());
        assertEquals(0, t2.attempt());
    }

    @Test
    void sweepHistoryHoldsOneMetricOfEveryRun() {
        SweepInfo s = sweep(null, 0);
        RunInfo a = claim(s, NOW).orElseThrow();
        RunInfo b = claim(s, NOW + 1).orElseThrow();
        RunInfo c = claim(s, NOW + 2).orElseThrow();
        RunInfo outside = store.createRun(newRun("sweeps", "outside"), NOW);
        store.log(a.id(), 0, Map.of("acc", 0.1, "loss", 2.0), List.of(), "{}", NOW);
        store.log(a.id(), 1, Map.of("acc", 0.2), List.of(), "{}", NOW);
        store.log(b.id(), 0, Map.of("loss", 1.0), List.of(), "{}", NOW);
        store.log(c.id(), 4, Map.of("acc", Double.NaN), List.of(), "{}", NOW);
        store.log(outside.id(), 0, Map.of("acc", 0.9), List.of(), "{}", NOW);
        Map<String, List<RunStore.MetricPoint>> h = store.sweepHistory(s.id(), "acc");
        assertEquals(List.of(a.id(), b.id(), c.id()), List.copyOf(h.keySet()));
        assertEquals(List.of(new RunStore.MetricPoint(0, "acc", 0.1), new RunStore.MetricPoint(1, "acc", 0.2)), h.get(a.id()));
        assertEquals(List.of(), h.get(b.id()));
        assertEquals(1, h.get(c.id()).size());
        assertTrue(Double.isNaN(h.get(c.id()).getFirst().value()));
        assertEquals(Map.of(), store.sweepHistory("zzzzzzzz", "acc"));
    }

    /** Agents on separate connections (processes, machines) claiming at once: the cap holds, every trial once. */
    @Test
    void concurrentClaimsHoldTheCap() throws Exception {
        SweepInfo s = sweep(150L, 0);
        int threads = 8;
        String location = locationOf(store);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        try {
            List<Future<List<RunInfo>>> claimed = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                claimed.add(pool.submit(() -> {
                    try (RunStore mine = RunStores.open(location)) {
                        start.await();
                        List<RunInfo> got = new ArrayList<>();
                        Optional<RunInfo> r;
                        while ((r = mine.claimTrial(s.id(), AGENT, i -> i < 200 ? config(i) : null, NOW)).isPresent()) got.add(r.get());
                        return got;
                    }
                }));
            }
            Set<Long> indices = new HashSet<>();
            int total = 0;
            for (Future<List<RunInfo>> f : claimed) {
                for (RunInfo r : f.get()) {
                    total++;
                    assertTrue(indices.add(r.trialIndex()), "trial " + r.trialIndex() + " claimed twice");
                    assertEquals(Map.of("i", r.trialIndex().intValue()), r.config());
                }
            }
            assertEquals(150, total);
            assertEquals(LongStream.range(0, 150).boxed().collect(Collectors.toSet()), indices);
            assertEquals(150, store.sweepRuns(s.id()).size());
        } finally {
            pool.shutdownNow();
        }
    }

    /** What {@link RunStores#open} opens {@code s} again with (a PostgreSQL store's location() hides credentials). */
    static String locationOf(RunStore s) {
        return s instanceof PostgresRunStore pg ? pg.url() : ((SqliteRunStore) s).file().getParent().toString();
    }

    /** A trial's subprocess, given the environment exportTo writes, opens the agent's store (not a stale one). */
    @Test
    void aChildProcessEnvironmentPointsAtTheSameStore() {
        RunInfo r = store.createRun(newRun("p", "parent"), NOW);
        Map<String, String> env = new java.util.HashMap<>(Map.of(Tracking.STORE_ENV, "/somewhere/stale", Tracking.DIR_ENV, "/else"));
        RunStores.exportTo(store, env);
        String childLocation = env.containsKey(Tracking.STORE_ENV) ? env.get(Tracking.STORE_ENV) : env.get(Tracking.DIR_ENV);
        try (RunStore child = RunStores.open(childLocation)) {
            assertEquals(store.location(), child.location());
            assertEquals("parent", child.run(r.id()).orElseThrow().name());
        }
    }

    /** Processes opening a fresh store at once: one migrates, the others wait and find it done. */
    @Test
    void openingAFreshStoreConcurrently() throws Exception {
        String location = freshLocation();
        int n = 4;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CyclicBarrier start = new CyclicBarrier(n);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add(pool.submit(() -> {
                    start.await();
                    try (RunStore s = RunStores.open(location)) {
                        return s.createRun(newRun("p", null), NOW).id();
                    }
                }));
            }
            for (Future<String> f : ids) assertTrue(f.get().matches("[0-9a-z]{8}"));
            try (RunStore s = RunStores.open(location)) {
                assertEquals(n, s.runs(null).size());
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = rawConnection(location); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), MAX(version) FROM schema_migrations")) {
            rs.next();
            assertEquals(Schema.latest(), rs.getInt(1), "each migration once");
            assertEquals(Schema.latest(), rs.getInt(2));
        }
    }

    /** The history of "loss" planted for the bucket tests: steps 0, 3, 6, ... with a spike, a NaN and an infinity. */
    static final long SPIKE_STEP = 4_323, NAN_STEP = 777, INF_STEP = 6_003;

    Map<Long, Double> plantLoss(String runId) {
        Map<Long, Double> loss = new LinkedHashMap<>();
        for (long step = 0; step < 9_000; step += 3) {
            double v = step == SPIKE_STEP ? 1e6 : step == NAN_STEP ? Double.NaN : step == INF_STEP ? Double.NEGATIVE_INFINITY
                    : 2.0 + Math.sin(step * 0.01);   // values repeat, so "the first step of the min" is tested too
            loss.put(step, v);
            store.log(runId, step, Map.of("loss", v, "other", -1e9), List.of(), "{}", NOW + step);
        }
        return loss;
    }

    /** What {@link RunStore#historyBuckets} must give, computed point by point in Java. */
    static List<RunStore.HistoryBucket> expectedBuckets(Map<Long, Double> points, long from, long to, int buckets) {
        long width = (to - from + 1 + buckets - 1) / buckets;
        Map<Long, List<Map.Entry<Long, Double>>> byBucket = new LinkedHashMap<>();
        points.entrySet().stream().filter(e -> e.getKey() >= from && e.getKey() <= to)
                .forEach(e -> byBucket.computeIfAbsent((e.getKey() - from) / width, b -> new ArrayList<>()).add(e));
        List<RunStore.HistoryBucket> out = new ArrayList<>();
        for (List<Map.Entry<Long, Double>> b : byBucket.values()) {
            double min = Double.NaN, max = Double.NaN;
            long minStep = -1, maxStep = -1;
            boolean nonFinite = false;
            for (Map.Entry<Long, Double> e : b) {
                double v = e.getValue();
                if (!Double.isFinite(v)) {
                    nonFinite = true;
                    continue;
                }
                if (minStep < 0 || v < min) { min = v; minStep = e.getKey(); }
                if (maxStep < 0 || v > max) { max = v; maxStep = e.getKey(); }
            }
            out.add(new RunStore.HistoryBucket(b.getFirst().getKey(), b.getLast().getKey(), b.size(), min, minStep, max, maxStep,
                    b.getLast().getValue(), nonFinite));
        }
        return out;
    }

    @Test
    void bucketedHistoryKeepsSpikesNanAndLastAtEveryWidth() {
        RunInfo r = store.createRun(newRun("charts", "long"), NOW);
        Map<Long, Double> loss = plantLoss(r.id());
        // narrow widths (under MetricBlocks.MIN_BLOCKS_WIDTH), where the geometry is exact; wide ones: the block tests
        for (int buckets : new int[] {1, 20, 100, 10_000}) {
            List<RunStore.HistoryBucket> got = store.historyBuckets(r.id(), "loss", 0, 8_997, buckets);
            assertEquals(expectedBuckets(loss, 0, 8_997, buckets), got, buckets + " buckets");
            assertTrue(got.size() <= buckets, buckets + " buckets gave " + got.size());
            assertEquals(loss.size(), got.stream().mapToLong(RunStore.HistoryBucket::count).sum(), "every point in one bucket");
            assertEquals(0, got.getFirst().firstStep());
            assertEquals(8_997, got.getLast().lastStep());
            RunStore.HistoryBucket top = got.stream().filter(b -> b.maxStep() >= 0).max((a, b) -> Double.compare(a.max(), b.max())).orElseThrow();
            assertEquals(1e6, top.max(), "the spike survives " + buckets + " buckets");
            assertEquals(SPIKE_STEP, top.maxStep());
            assertTrue(got.stream().anyMatch(b -> b.hasNonFinite() && b.firstStep() <= NAN_STEP && NAN_STEP <= b.lastStep()),
                    "the NaN is flagged at " + buckets + " buckets");
        }
        List<RunStore.HistoryBucket> perStep = store.historyBuckets(r.id(), "loss", 0, 8_997, 10_000);
        assertTrue(Double.isNaN(perStep.get((int) (NAN_STEP / 3)).last()), "a bucket of one NaN step has last NaN");
        assertEquals(-1, perStep.get((int) (NAN_STEP / 3)).minStep(), "and no finite min");
        assertEquals(Double.NEGATIVE_INFINITY, perStep.get((int) (INF_STEP / 3)).last());
        // a window inside the run, its ends between logged steps
        assertEquals(expectedBuckets(loss, 1_000, 5_000, 13), store.historyBuckets(r.id(), "loss", 1_000, 5_000, 13));
        RunStore.HistoryBucket one = store.historyBuckets(r.id(), "loss", 0, 8_997, 1).getFirst();
        assertEquals(loss.get(8_997L), one.last(), "last is the last step's value");
        assertEquals(List.of(), store.historyBuckets(r.id(), "loss", 9_000, 20_000, 10), "past the last step");
        assertEquals(List.of(), store.historyBuckets(r.id(), "no-such-key", 0, 10, 10));
        assertEquals(List.of(), store.historyBuckets("nosuchid", "loss", 0, 10, 10), "an unknown run reads empty, as history()");
        assertEquals(1, store.historyBuckets(r.id(), "loss", 0, Long.MAX_VALUE, 100_000).size(), "the widest range, no overflow");
    }

    @Test
    void bucketedHistoryRejectsBadArgumentsByName() {
        RunInfo r = store.createRun(newRun("charts", "args"), NOW);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.historyBuckets(r.id(), "loss", 0, 10, 0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> store.historyBuckets(r.id(), "loss", 0, 10, 100_001));
        assertTrue(e.getMessage().contains("got 100001"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> store.historyBuckets(r.id(), "loss", 11, 10, 5));
        assertTrue(e.getMessage().contains("fromStep 11 is after toStep 10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> store.historyBuckets(r.id(), "loss", -1, 10, 5));
        assertTrue(e.getMessage().contains("got -1"), e.getMessage());
    }

    @Test
    void runsUpdatedAfterSeeLogsAndStateChangesButNotHeartbeats() {
        RunInfo a = store.createRun(newRun("live", "a"), NOW);
        RunInfo b = store.createRun(newRun("live", "b"), NOW);
        assertEquals(List.of(), store.runsUpdatedAfter(NOW));
        store.log(a.id(), 5, Map.of("loss", 1.0), List.of(), "{}", NOW + 10);
        List<RunInfo> changed = store.runsUpdatedAfter(NOW);
        assertEquals(List.of(a.id()), changed.stream().map(RunInfo::id).toList());
        assertEquals(5, changed.getFirst().lastStep());
        assertEquals(NOW + 10, changed.getFirst().updatedAt());
        store.setState(b.id(), RunState.FINISHED, null, true, NOW + 20);
        assertEquals(List.of(a.id(), b.id()), store.runsUpdatedAfter(NOW).stream().map(RunInfo::id).toList(), "oldest change first");
        changed = store.runsUpdatedAfter(NOW + 10);
        assertEquals(List.of(b.id()), changed.stream().map(RunInfo::id).toList());
        assertEquals(RunState.FINISHED, changed.getFirst().state());
        store.heartbeat(a.id(), NOW + 30);
        assertEquals(List.of(), store.runsUpdatedAfter(NOW + 20), "a heartbeat is no change");
    }

    /** A store written before migration 3 (sweeps without retries, runs without trial indices) upgrades in place. */
    @Test
    void aStoreOfSchemaTwoUpgradesInPlace() throws Exception {
        String location = freshLocation();
        try (Connection c = rawConnection(location); Statement st = c.createStatement()) {
            st.execute(Schema.MIGRATIONS_TABLE);
            for (Schema.Migration m : Schema.MIGRATIONS.subList(0, 2)) {
                for (String sql : m.statements()) st.execute(sql);
                st.execute("INSERT INTO schema_migrations (version, description, applied_at) VALUES (" + m.version() + ", 'old', 0)");
            }
            st.execute("INSERT INTO projects (name, created_at) VALUES ('p', 0)");
            st.execute("INSERT INTO sweeps (id, name, method, project, config, state, created_at, updated_at, run_cap, seed) "
                    + "VALUES ('sweep001', 'old', 'grid', 'p', '{}', 'running', 0, 0, 5, 1)");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO runs (id, project, name, state, created_at, updated_at, "
                    + "heartbeat_at, config, summary, sweep_id) VALUES (?, 'p', ?, 'finished', ?, 0, 0, '{}', '{}', ?)")) {
                Object[][] rows = {{"run00002", 20L, "sweep001"}, {"run00001", 10L, "sweep001"}, {"run00003", 30L, null}};
                for (Object[] row : rows) {
                    p.setString(1, (String) row[0]);
                    p.setString(2, (String) row[0]);
                    p.setLong(3, (Long) row[1]);
                    p.setString(4, (String) row[2]);
                    p.executeUpdate();
                }
            }
        }
        try (RunStore upgraded = RunStores.open(location)) {
            SweepInfo s = upgraded.sweep("sweep001").orElseThrow();
            assertEquals(0, s.retries());
            assertEquals(RunStore.NewSweep.DEFAULT_GRACE_MS, s.graceMs());
            assertEquals(2, s.trialCount());
            assertEquals(0L, upgraded.run("run00001").orElseThrow().trialIndex(), "in order of creation");
            assertEquals(1L, upgraded.run("run00002").orElseThrow().trialIndex());
            assertNull(upgraded.run("run00003").orElseThrow().trialIndex(), "outside the sweep");
            RunInfo next = upgraded.claimTrial("sweep001", AGENT, RunStoreContract::config, NOW).orElseThrow();
            assertEquals(2L, next.trialIndex());
        }
    }
    /** A store written at schema 4 (before tags, step times, media and system metrics) upgrades in place, its runs readable. */
    @Test
    void aStoreOfSchemaFourUpgradesInPlace() throws Exception {
        String location = freshLocation();
        try (Connection c = rawConnection(location); Statement st = c.createStatement()) {
            st.execute(Schema.MIGRATIONS_TABLE);
            for (Schema.Migration m : Schema.MIGRATIONS.subList(0, 4)) {
                for (String sql : m.statements()) st.execute(sql);
                st.execute("INSERT INTO schema_migrations (version, description, applied_at) VALUES (" + m.version() + ", 'old', 0)");
            }
            st.execute("INSERT INTO projects (name, created_at) VALUES ('p', 0)");
            st.execute("INSERT INTO runs (id, project, name, state, created_at, updated_at, heartbeat_at, config, summary, last_step, "
                    + "step_count) VALUES ('run00001', 'p', 'old', 'running', 0, 0, 0, '{}', '{}', 1, 2)");
            st.execute("INSERT INTO metrics (run_id, step, key, value) VALUES ('run00001', 0, 'loss', 2.0), ('run00001', 1, 'loss', 1.0)");
        }
        try (RunStore upgraded = RunStores.open(location)) {
            RunInfo old = upgraded.run("run00001").orElseThrow();
            assertEquals(List.of(), old.tags());
            assertEquals(2, upgraded.history(old.id()).size());
            assertEquals(List.of(), upgraded.stepTimes(old.id(), 0, 10, 10), "steps logged before schema 5 have no time");
            upgraded.log(old.id(), 2, Map.of("loss", 0.5), List.of(), "{}", NOW);
            assertEquals(List.of(new RunStore.StepTimes(2, NOW, 2, NOW)), upgraded.stepTimes(old.id(), 0, 10, 10));
            upgraded.setTags(old.id(), List.of("legacy"), NOW);
            assertEquals(List.of("legacy"), upgraded.run(old.id()).orElseThrow().tags());
            assertEquals(List.of(), upgraded.mediaKeys(old.id()));
            assertEquals(List.of(), upgraded.systemKeys(old.id()));
        }
    }

    /**
     * The long run of the block tests: every step of 0 .. 4,999, then every 16th up to 200,000 (so blocks hold 64 or 4
     * values), "loss" with repeating values, spikes at both ends, a NaN, an infinity and values logged twice at one step
     * (a spike replaced by a plain value, a plain value by a spike, a NaN by a number); "lr" at every 1,000th step.
     * Gives the points as logged last, by key.
     */
    Map<String, Map<Long, Double>> plantLongRun(String runId) {
        Map<Long, Double> loss = new java.util.TreeMap<>(), lr = new java.util.TreeMap<>();
        List<Long> steps = new ArrayList<>();
        for (long s = 0; s < 5_000; s++) steps.add(s);
        for (long s = 5_000; s <= 200_000; s += 16) steps.add(s);
        for (long step : steps) {
            double v = step == 2_500 ? 1e6 : step == 53_000 ? -1e6 : step == 85_000 ? Double.NaN
                    : step == 117_000 ? Double.POSITIVE_INFINITY : step == 149_000 ? 1e7 : step == 181_000 ? Double.NaN
                    : 2.0 + Math.round(Math.sin(step * 1e-3) * 20) / 20.0;   // values repeat: the first step of a min/max counts
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("loss", v);
            if (step % 1_000 == 0) values.put("lr", 1.0 / (step + 1));
            store.log(runId, step, values, List.of(), "{}", NOW + step);
            loss.put(step, v);
            values.forEach((k, x) -> (k.equals("lr") ? lr : loss).put(step, x));
            double again = step == 149_000 ? 1.5 : step == 165_000 ? 5e5 : step == 181_000 ? 2.25 : Double.NaN;
            if (!Double.isNaN(again)) {   // logged again at the same step: the row is replaced, its block recomputed
                store.log(runId, step, Map.of("loss", again), List.of(), "{}", NOW + step);
                loss.put(step, again);
            }
        }
        return Map.of("loss", loss, "lr", lr);
    }

    @Test
    void logKeepsTheBlocksOfEveryKeyCurrent() throws Exception {
        RunInfo r = store.createRun(newRun("charts", "blocks"), NOW);
        Map<String, Map<Long, Double>> points = plantLongRun(r.id());
        try (Connection c = rawConnection(location)) {
            assertEquals(BlockModel.expected(points), BlockModel.stored(c, r.id()));
            MetricBlocks.rebuild(c, r.id(), 3_000, 150_000);   // what bulk writers call: the same blocks again
            assertEquals(BlockModel.expected(points), BlockModel.stored(c, r.id()), "rebuilt from the rows");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricBlocks.rebuild(c, r.id(), 5, 4));
            assertTrue(e.getMessage().contains("5 .. 4"), e.getMessage());
        }
        List<RunStore.MetricKey> expectedKeys = BlockModel.byKey(store.history(r.id())).entrySet().stream()
                .map(e -> {
                    java.util.TreeMap<Long, Double> p = new java.util.TreeMap<>(e.getValue());
                    return new RunStore.MetricKey(e.getKey(), p.size(), p.firstKey(), p.lastKey(), p.lastEntry().getValue());
                })
                .sorted(java.util.Comparator.comparingLong(RunStore.MetricKey::firstStep).thenComparing(RunStore.MetricKey::key))
                .toList();
        assertEquals(expectedKeys, store.metricKeys(r.id()), "metricKeys as the GROUP BY over every row gave it");
    }

    /**
     * Wide buckets come from the blocks: every bucket is exact over its own step range (count, min and max with their
     * first steps, last, the NaN/inf flag), the buckets are in step order inside the range, and together they hold every
     * value and the global min and max of the exact (narrow) buckets.
     */
    @Test
    void wideBucketsFromBlocksKeepSpikesNanAndCounts() {
        RunInfo r = store.createRun(newRun("charts", "wide"), NOW);
        Map<Long, Double> loss = plantLongRun(r.id()).get("loss");
        long[][] ranges = {{0, 200_000, 24}, {0, 200_000, 10}, {1_000, 150_007, 7}, {2_049, 199_000, 17}, {0, 250_000, 3}};
        for (long[] range : ranges) {
            long from = range[0], to = range[1];
            int n = (int) range[2];
            String what = from + " .. " + to + " in " + n;
            assertTrue(RunStore.bucketWidth(from, to, n) >= MetricBlocks.MIN_BLOCKS_WIDTH, what + " is wide");
            List<RunStore.HistoryBucket> got = store.historyBuckets(r.id(), "loss", from, to, n);
            assertTrue(got.size() <= n, what + " gave " + got.size());
            long before = from - 1, width = RunStore.bucketWidth(from, to, n), index = -1;
            for (RunStore.HistoryBucket b : got) {
                assertTrue(b.firstStep() > before && b.firstStep() <= b.lastStep() && b.lastStep() <= to, what + ": " + b);
                before = b.lastStep();
                long i = (b.firstStep() - from) / width;
                assertTrue(i > index && i < n, what + ": the index " + i + " of " + b + " after " + index);   // pairs by index
                index = i;
                assertEquals(expectedBuckets(loss, b.firstStep(), b.lastStep(), 1), List.of(b), what + ": exact over its steps");
            }
            Map<Long, Double> inRange = new LinkedHashMap<>();
            loss.forEach((step, v) -> { if (step >= from && step <= to) inRange.put(step, v); });
            assertEquals(inRange.size(), got.stream().mapToLong(RunStore.HistoryBucket::count).sum(), what + ": every value once");
            // the narrow (exact) buckets of the same range agree on the whole
            int narrow = (int) ((to - from + 1) / (MetricBlocks.MIN_BLOCKS_WIDTH / 2) + 1);
            List<RunStore.HistoryBucket> exact = store.historyBuckets(r.id(), "loss", from, to, narrow);
            assertTrue(RunStore.bucketWidth(from, to, narrow) < MetricBlocks.MIN_BLOCKS_WIDTH);
            assertEquals(expectedBuckets(loss, from, to, narrow), exact, what + ": narrow buckets stay exact");
            assertEquals(summary(exact), summary(got), what + ": global min, max, count, last and non-finite");
        }
        List<RunStore.HistoryBucket> all = store.historyBuckets(r.id(), "loss", 0, 200_000, 24);
        RunStore.HistoryBucket spike = all.stream().filter(b -> b.maxStep() == 165_000).findFirst().orElseThrow();
        assertEquals(5e5, spike.max(), "a spike logged over a plain value is kept");
        assertTrue(all.stream().noneMatch(b -> b.max() == 1e7), "a spike replaced by a plain value is gone");
        assertEquals(1e6, all.stream().filter(b -> b.maxStep() == 2_500).findFirst().orElseThrow().max());
        assertEquals(-1e6, all.stream().filter(b -> b.minStep() == 53_000).findFirst().orElseThrow().min());
        for (long step : new long[] {85_000, 117_000}) {
            assertTrue(all.stream().anyMatch(b -> b.hasNonFinite() && b.firstStep() <= step && step <= b.lastStep()), "flag at " + step);
        }
        assertEquals(1, store.historyBuckets(r.id(), "loss", 0, Long.MAX_VALUE, 100_000).size(), "the widest range, no overflow");
        assertEquals(List.of(), store.historyBuckets(r.id(), "no-such-key", 0, 200_000, 10));
        assertEquals(List.of(), store.historyBuckets(r.id(), "loss", 300_000, 400_000, 10), "past the last step");
    }

    /** Global min (value, step), max (value, step), count, last step and value, whether any bucket holds a NaN or inf. */
    private static List<Object> summary(List<RunStore.HistoryBucket> buckets) {
        RunStore.HistoryBucket lo = null, hi = null;
        for (RunStore.HistoryBucket b : buckets) {
            if (b.minStep() >= 0 && (lo == null || b.min() < lo.min())) lo = b;
            if (b.maxStep() >= 0 && (hi == null || b.max() > hi.max())) hi = b;
        }
        return List.of(lo.min(), lo.minStep(), hi.max(), hi.maxStep(), buckets.stream().mapToLong(RunStore.HistoryBucket::count).sum(),
                buckets.getLast().lastStep(), buckets.getLast().last(), buckets.stream().anyMatch(RunStore.HistoryBucket::hasNonFinite));
    }

    /** A store of schema 5 gets its blocks from the metrics rows it holds, NaN and infinities included. */
    @Test
    void aStoreOfSchemaFiveGetsItsBlocks() throws Exception {
        String old = freshLocation();
        Map<Long, Double> loss = new java.util.TreeMap<>(), acc = new java.util.TreeMap<>();
        for (long step = 0; step < 40_000; step += 5) {
            loss.put(step, step == 9_000 ? Double.NaN : step == 30_005 ? Double.NEGATIVE_INFINITY : step == 21_000 ? 99.0
                    : Math.round(Math.cos(step * 1e-3) * 10) / 10.0);
            if (step % 2_000 == 0) acc.put(step, step / 40_000.0);
        }
        try (Connection c = rawConnection(old); Statement st = c.createStatement()) {
            st.execute(Schema.MIGRATIONS_TABLE);
            for (Schema.Migration m : Schema.MIGRATIONS.subList(0, 5)) {
                for (String sql : m.statements()) st.execute(sql);
                st.execute("INSERT INTO schema_migrations (version, description, applied_at) VALUES (" + m.version() + ", 'old', 0)");
            }
            st.execute("INSERT INTO projects (name, created_at) VALUES ('p', 0)");
            st.execute("INSERT INTO runs (id, project, name, state, created_at, updated_at, heartbeat_at, config, summary, last_step, "
                    + "step_count) VALUES ('run00001', 'p', 'old', 'running', 0, 0, 0, '{}', '{}', 39995, 8000)");
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO metrics (run_id, step, key, value) VALUES ('run00001', ?, ?, ?)")) {
                for (Map.Entry<String, Map<Long, Double>> key : Map.of("loss", loss, "acc", acc).entrySet()) {
                    for (Map.Entry<Long, Double> e : key.getValue().entrySet()) {
                        p.setLong(1, e.getKey());
                        p.setString(2, key.getKey());
                        if (Double.isNaN(e.getValue())) p.setNull(3, java.sql.Types.DOUBLE);
                        else p.setDouble(3, e.getValue());
                        p.addBatch();
                    }
                }
                p.executeBatch();
            }
            c.commit();
        }
        try (RunStore upgraded = RunStores.open(old); Connection c = rawConnection(old)) {
            assertEquals(BlockModel.expected(Map.of("loss", loss, "acc", acc)), BlockModel.stored(c, "run00001"));
            assertEquals(List.of(new RunStore.MetricKey("acc", acc.size(), 0, 38_000, 38_000 / 40_000.0),
                    new RunStore.MetricKey("loss", loss.size(), 0, 39_995, loss.get(39_995L))), upgraded.metricKeys("run00001"));
            upgraded.log("run00001", 39_995, Map.of("loss", 1e9), List.of(), "{}", NOW);   // the last step again: replaced
            loss.put(39_995L, 1e9);
            assertEquals(BlockModel.expected(Map.of("loss", loss, "acc", acc)), BlockModel.stored(c, "run00001"));
            assertEquals(1e9, upgraded.historyBuckets("run00001", "loss", 0, 39_995, 2).getLast().max());
        }
    }

    /** When {@link #stepTimesHaveTheBucketsOfTheHistory} logs {@code step} (597 twice, the later time kept). */
    private static long loggedAt(long step) {
        return step == 597 ? NOW + 99_999 : NOW + 10 * step;
    }

    @Test
    void stepTimesHaveTheBucketsOfTheHistory() {
        RunInfo r = store.createRun(newRun("charts", "times"), NOW);
        for (long step = 0; step < 600; step += 3) {
            store.log(r.id(), step, Map.of("loss", step * 0.5), List.of(), "{}", NOW + 10 * step);
        }
        store.log(r.id(), 597, Map.of("acc", 0.5), List.of(), "{}", NOW + 99_999);   // the same step again: the later time
        long[][] windows = {{0, 597}, {0, 10_000}, {5, 301}, {100, 100}};
        for (long[] w : windows) {
            for (int buckets : new int[] {1, 7, 64, 1_000}) {
                List<RunStore.HistoryBucket> history = store.historyBuckets(r.id(), "loss", w[0], w[1], buckets);
                List<RunStore.StepTimes> times = store.stepTimes(r.id(), w[0], w[1], buckets);
                String at = buckets + " buckets over " + w[0] + ".." + w[1];
                assertEquals(history.size(), times.size(), at);
                for (int i = 0; i < times.size(); i++) {
                    RunStore.StepTimes t = times.get(i);
                    assertEquals(history.get(i).firstStep(), t.firstStep(), at);
                    assertEquals(history.get(i).lastStep(), t.lastStep(), at);
                    assertEquals(loggedAt(t.firstStep()), t.firstAt(), at);
                    assertEquals(loggedAt(t.lastStep()), t.lastAt(), at);
                }
            }
        }
        assertEquals(List.of(), store.stepTimes("nosuchid", 0, 10, 10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.stepTimes(r.id(), 0, 10, 0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> store.stepTimes(r.id(), 11, 10, 5));
        assertTrue(e.getMessage().contains("fromStep 11 is after toStep 10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> store.stepTimes(r.id(), -1, 10, 5));
        assertTrue(e.getMessage().contains("got -1"), e.getMessage());
        assertEquals(RunStore.bucketWidth(5, 301, 7), 43);
    }

    @Test
    void tagsAreKeptCleanedAndReplaced() {
        RunInfo r = store.createRun(new RunStore.NewRun("p", "tagged", "{}", null, 1, "h", null, List.of(" baseline", "resnet18", "baseline")), NOW);
        assertEquals(List.of("baseline", "resnet18"), r.tags());
        assertEquals(List.of(), store.createRun(newRun("p", "plain"), NOW).tags());
        store.setTags(r.id(), List.of("best"), NOW + 5);
        RunInfo back = store.run(r.id()).orElseThrow();
        assertEquals(List.of("best"), back.tags());
        assertEquals(NOW + 5, back.updatedAt(), "a tag change is a change");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.setTags(r.id(), List.of("a,b"), NOW));
        assertTrue(e.getMessage().contains("'a,b'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.setTags(r.id(), java.util.Arrays.asList("ok", null), NOW));
        assertThrows(IllegalArgumentException.class, () -> store.setTags("zzzzzzzz", List.of("x"), NOW));

        Run run = Tracking.init(store, "p", "api", Map.of(), List.of("x", "y"));
        assertEquals(List.of("x", "y"), run.tags());
        run.tags(List.of("z"));
        assertEquals(List.of("z"), store.run(run.id()).orElseThrow().tags());
        run.finish();
    }

    @Test
    void mediaKeepTheirBytesAndDescriptions() {
        RunInfo r = store.createRun(newRun("p", "media"), NOW);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 0, (byte) 0xff, 1};
        byte[] digits = "12345".getBytes(java.nio.charset.StandardCharsets.US_ASCII);   // a number to SQLite's NUMERIC affinity, were it text
        store.log(r.id(), 3, Map.of("loss", 1.0), List.of(), "{}", NOW);
        store.logMedia(r.id(), 3, "examples", List.of(
                new RunStore.MediaItem("classification", "a shirt", "{\"width\":2,\"height\":1,\"label\":3}", "image/png", png),
                new RunStore.MediaItem("image", null, null, "image/jpeg", digits)), NOW + 1);
        store.logMedia(r.id(), 5, "examples", List.of(new RunStore.MediaItem("image", null, "{}", "image/png", png)), NOW + 2);
        store.logMedia(r.id(), 5, "other", List.of(new RunStore.MediaItem("image", null, "{}", "image/png", digits)), NOW + 3);

        assertEquals(List.of(new RunStore.MediaKey("examples", 2, 3, 3, 5), new RunStore.MediaKey("other", 1, 1, 5, 5)), store.mediaKeys(r.id()));
        List<RunStore.MediaInfo> items = store.media(r.id(), "examples");
        assertEquals(List.of(new RunStore.MediaInfo(3, 0, "classification", "a shirt", "{\"width\":2,\"height\":1,\"label\":3}", "image/png"),
                new RunStore.MediaInfo(3, 1, "image", null, "{}", "image/jpeg"),
                new RunStore.MediaInfo(5, 0, "image", null, "{}", "image/png")), items);
        assertEquals(Map.of("width", 2, "height", 1, "label", 3), items.getFirst().meta());
        RunStore.MediaData first = store.mediaData(r.id(), 3, "examples", 0).orElseThrow();
        assertEquals("image/png", first.contentType());
        assertArrayEquals(png, first.data());
        assertArrayEquals(digits, store.mediaData(r.id(), 3, "examples", 1).orElseThrow().data(), "bytes stay bytes");
        assertTrue(store.mediaData(r.id(), 3, "examples", 2).isEmpty());
        assertTrue(store.mediaData(r.id(), 4, "examples", 0).isEmpty());
        assertEquals(NOW + 3, store.run(r.id()).orElseThrow().updatedAt(), "media are a change");
        assertEquals(3, store.run(r.id()).orElseThrow().lastStep(), "media do not move the last step");

        store.logMedia(r.id(), 5, "examples", List.of(new RunStore.MediaItem("image", "again", "{}", "image/png", digits)), NOW + 4);
        assertEquals("again", store.media(r.id(), "examples").getLast().caption(), "a key logged again at one step replaces its media");
        assertEquals(3, store.media(r.id(), "examples").size());

        store.log(r.id(), 9, Map.of(), List.of(), "{}", NOW + 5);
        IllegalArgumentException back = assertThrows(IllegalArgumentException.class,
                () -> store.logMedia(r.id(), 8, "examples", List.of(), NOW + 6));
        assertTrue(back.getMessage().contains("step 8 is smaller than the last logged step 9"), back.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RunStore.MediaItem("image", null, "[1]", "image/png", png));
        assertThrows(IllegalArgumentException.class, () -> store.logMedia(r.id(), 9, " ", List.of(), NOW));
        assertThrows(IllegalArgumentException.class, () -> store.logMedia("zzzzzzzz", 9, "k", List.of(), NOW));
        store.setState(r.id(), RunState.FINISHED, null, true, NOW + 7);
        assertThrows(RunNotRunningException.class,
                () -> store.logMedia(r.id(), 10, "examples", List.of(new RunStore.MediaItem("image", null, "{}", "image/png", png)), NOW + 8));
        assertEquals(3, store.media(r.id(), "examples").size());
        assertEquals(List.of(), store.media(r.id(), "nope"));
        assertEquals(List.of(), store.mediaKeys("zzzzzzzz"));
    }

    @Test
    void systemMetricsAreKeptByTimeAndKey() {
        RunInfo r = store.createRun(newRun("p", "system"), NOW);
        Map<String, Double> first = new LinkedHashMap<>();
        first.put("memory.rss_mb", 512.5);
        first.put("cpu.percent", Double.NaN);
        store.logSystem(r.id(), NOW + 10_000, first);
        store.logSystem(r.id(), NOW + 20_000, Map.of("cpu.percent", 95.0, "gpu0.memory_mb", 1024.0));
        store.logSystem(r.id(), NOW + 20_000, Map.of("cpu.percent", 96.0));   // the same time and key again: replaced
        assertEquals(List.of("cpu.percent", "gpu0.memory_mb", "memory.rss_mb"), store.systemKeys(r.id()));
        List<RunStore.SystemPoint> cpu = store.systemMetrics(r.id(), "cpu.percent");
        assertEquals(2, cpu.size());
        assertEquals(NOW + 10_000, cpu.getFirst().at());
        assertTrue(Double.isNaN(cpu.getFirst().value()), "NaN is kept");
        assertEquals(new RunStore.SystemPoint(NOW + 20_000, 96.0), cpu.get(1));
        assertEquals(List.of(new RunStore.SystemPoint(NOW + 10_000, 512.5)), store.systemMetrics(r.id(), "memory.rss_mb"));
        assertEquals(List.of(), store.runsUpdatedAfter(NOW), "system metrics are no change");
        assertEquals(List.of(), store.systemMetrics(r.id(), "nope"));
        assertThrows(IllegalArgumentException.class, () -> store.logSystem("zzzzzzzz", NOW, Map.of("cpu.percent", 1.0)));
        assertThrows(IllegalArgumentException.class, () -> store.logSystem(r.id(), NOW, Map.of("", 1.0)));
        store.setState(r.id(), RunState.CRASHED, null, true, NOW + 1);
        assertEquals(RunState.CRASHED, assertThrows(RunNotRunningException.class,
                () -> store.logSystem(r.id(), NOW + 30_000, Map.of("cpu.percent", 1.0))).state());
        assertEquals(2, store.systemMetrics(r.id(), "cpu.percent").size());
    }
}
