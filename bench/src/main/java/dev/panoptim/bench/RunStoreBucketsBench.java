package dev.panoptim.bench;

import dev.panoptim.track.MetricBlocks;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SqliteRunStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How long a chart's read of one metric takes from a SQLite run store ({@link RunStore#historyBuckets}, {@code buckets}
 * buckets, the whole run) for a run of {@code steps} steps of one key: the dashboard's cost per chart redraw; and
 * {@link RunStore#metricKeys} of that run.
 * The history is written straight into the store's file in one transaction (a million logs through
 * {@link RunStore#log}, one transaction each, would take the setup minutes) with its metric blocks
 * ({@link MetricBlocks#rebuild}); the store then reads it as its own.
 *
 * <pre>java -jar bench/target/benchmarks.jar RunStoreBucketsBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RunStoreBucketsBench {
    @Param({"1000", "1000000"})
    public int steps;

    /** Chart width: 1,000 and 100 buckets both read a million steps from the metric blocks (widths 1,000 and 10,000 >= 512), a thousand exactly. */
    @Param({"1000", "100"})
    public int buckets;

    private Path dir;
    private RunStore store;
    private String runId;

    @Setup(Level.Trial)
    public void fill() throws IOException, SQLException {
        dir = Files.createTempDirectory("panoptim-buckets-bench");
        store = SqliteRunStore.inDirectory(dir);
        RunInfo run = store.createRun(new RunStore.NewRun("bench", "long", "{}", null, 1, "bench", null), 0);
        runId = run.id();
        store.log(runId, 0, Map.of("loss", 1.0), List.of(), "{}", 0);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteRunStore.FILE_NAME))) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO metrics (run_id, step, key, value) VALUES (?, ?, 'loss', ?)")) {
                for (int step = 1; step < steps; step++) {
                    p.setString(1, runId);
                    p.setLong(2, step);
                    p.setDouble(3, 2.0 + Math.sin(step * 1e-3));
                    p.addBatch();
                    if (step % 10_000 == 0) p.executeBatch();
                }
                p.executeBatch();
            }
            MetricBlocks.rebuild(c, runId, 0, steps - 1);   // what log keeps current, rolled up once for the rows written here
            c.commit();
        }
    }

    @Benchmark
    public List<RunStore.HistoryBucket> historyBuckets() {
        return store.historyBuckets(runId, "loss", 0, steps - 1, buckets);
    }

    /** What the dashboard's history endpoint asks first (its keys); does not depend on {@code buckets}. */
    @Benchmark
    public List<RunStore.MetricKey> metricKeys() {
        return store.metricKeys(runId);
    }

    @TearDown(Level.Trial)
    public void remove() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
