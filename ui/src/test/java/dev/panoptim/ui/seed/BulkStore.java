package dev.panoptim.ui.seed;

import dev.panoptim.track.ProcessIdentity;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunState;
import dev.panoptim.track.RunStore;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The scale benchmark's store: {@code runs} runs over 5 projects, each with a config of 6 keys (one nested),
 * {@code steps} steps of loss and accuracy and a summary, ended finished, failed or stopped; and one run of
 * {@code longSteps} steps of loss and accuracy. Runs are created and ended through the store's API; their steps go
 * in through {@link DirectLog} (checked first by {@link DirectLogCheck} to write what the store's log writes), many
 * steps per transaction: one log call per step would take about 340 us each here, over 6 minutes for the million.
 * {@link #seed} returns the manifest (the long run's id, and how long each part took).
 *
 * <pre>{@code Map<String, Object> manifest = new BulkStore(store, dir, 10_000, 20, 1_000_000).seed();}</pre>
 */
final class BulkStore {
    private static final List<String> PROJECTS = List.of("fashion", "cifar", "imagenet", "textgen", "speech");
    private static final List<String> OPTIMIZERS = List.of("sgd", "adam", "adamw", "lion", "rmsprop");
    private static final List<RunState> ENDS = List.of(RunState.FINISHED, RunState.FINISHED, RunState.FINISHED, RunState.FAILED,
            RunState.STOPPED);

    private static final int LONG_CHUNK = 100_000;

    private final RunStore store;
    private final Path dir;
    private final int runs, steps, longSteps;
    private final ProcessIdentity me = ProcessIdentity.current();
    private final Random random = new Random(7);

    BulkStore(RunStore store, Path dir, int runs, int steps, int longSteps) {
        this.store = store;
        this.dir = dir;
        this.runs = runs;
        this.steps = steps;
        this.longSteps = longSteps;
    }

    Map<String, Object> seed() throws IOException, SQLException {
        DirectLogCheck.verify();
        try (DirectLog direct = DirectLog.open(dir)) {
            return seed(direct);
        }
    }

    private Map<String, Object> seed(DirectLog direct) throws SQLException {
        long start = System.currentTimeMillis() - (runs + 10L) * 60_000L;
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            smallRun(direct, i, start + i * 60_000L);
            if ((i + 1) % 1000 == 0) System.out.printf("  %d runs (%.0f s)%n", i + 1, (System.nanoTime() - t0) / 1e9);
        }
        double smallSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        RunInfo long_ = longRun(direct, start + runs * 60_000L);
        double longSeconds = (System.nanoTime() - t1) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runCount", runs + 1);
        m.put("steps", steps);
        m.put("long", Map.of("id", long_.id(), "key", "loss", "steps", longSteps));
        m.put("smallRunsSeconds", smallSeconds);
        m.put("longRunSeconds", longSeconds);
        return m;
    }

    private void smallRun(DirectLog direct, int i, long created) throws SQLException {
        String project = PROJECTS.get(i % PROJECTS.size()), optimizer = OPTIMIZERS.get(random.nextInt(OPTIMIZERS.size()));
        double lr = Math.pow(10, -4 + 3 * random.nextDouble());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("optimizer", optimizer);
        config.put("lr", lr);
        config.put("batch_size", 32 << random.nextInt(4));
        config.put("weight_decay", random.nextDouble() * 0.1);
        config.put("model", Map.of("depth", List.of(18, 34, 50).get(random.nextInt(3))));
        config.put("seed", i);
        RunInfo run = store.createRun(new RunStore.NewRun(project, project + "-" + optimizer + "-" + i, DemoStore.json(config), null,
                me.pid(), me.host(), me.startedAt()), created);
        double[] loss = new double[steps], accuracy = new double[steps];
        for (int step = 0; step < steps; step++) {
            double progress = 1 - Math.exp(-step / (steps / 3.0));
            loss[step] = 2.3 * (1 - progress) + 0.05 + 0.02 * random.nextGaussian();
            accuracy[step] = 0.1 + 0.8 * progress;
        }
        Map<String, Object> summary = Map.of("loss", loss[steps - 1], "accuracy", accuracy[steps - 1]);
        direct.logSteps(run.id(), 0, steps, step -> Map.of("loss", loss[(int) step], "accuracy", accuracy[(int) step]),
                step -> created + step * 1000L, DemoStore.json(summary));
        store.setState(run.id(), ENDS.get(random.nextInt(ENDS.size())), DemoStore.json(summary), true, created + steps * 1000L);
    }

    private RunInfo longRun(DirectLog direct, long created) throws SQLException {
        RunInfo run = store.createRun(new RunStore.NewRun("fashion", "fashion-long-" + longSteps, DemoStore.json(Map.of("optimizer", "adamw",
                "lr", 1e-3)), null, me.pid(), me.host(), me.startedAt()), created);
        long t0 = System.nanoTime();
        DirectLog.Values values = step -> Map.of("loss", 2.3 * Math.exp(-step / (longSteps / 5.0)) + 0.05 + 0.01 * Math.sin(step * 0.37),
                "accuracy", 0.1 + 0.85 * (1 - Math.exp(-step / (longSteps / 5.0))));
        for (long from = 0; from < longSteps; from += LONG_CHUNK) {
            long to = Math.min(longSteps, from + LONG_CHUNK);
            direct.logSteps(run.id(), from, to, values, step -> created + step * 10L, "{}");
            System.out.printf("  long run: %d steps (%.0f s)%n", to, (System.nanoTime() - t0) / 1e9);
        }
        direct.checkpoint();
        store.setState(run.id(), RunState.FINISHED, DemoStore.json(values.at(longSteps - 1)), true, created + longSteps * 10L);
        return run;
    }
}
