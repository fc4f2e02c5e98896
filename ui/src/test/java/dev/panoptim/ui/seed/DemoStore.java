package dev.panoptim.ui.seed;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.panoptim.sweep.SweepConfig;
import dev.panoptim.sweep.Sweeps;
import dev.panoptim.track.Histogram;
import dev.panoptim.track.Media;
import dev.panoptim.track.ProcessIdentity;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunState;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SweepInfo;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The browser tests' store: projects fashion, cifar and textgen with 20 runs in every state (running ones owned
 * by a keeper process, so the ui keeps them running), configs with a nested key, summaries, tags, a bookkeeping key
 * {@code _timestamp} (hidden from the metric panels), a diverging run with NaN losses, one run with histograms,
 * classified example images and system metrics ({@link #FULL_RUN}), a pair of runs
 * whose configs differ only in {@code lr}, a run with one planted spike in 20,000 steps of {@code loss}, and a
 * random-search sweep of 8 finished runs in project {@code sweeps} (accuracy driven by lr alone, so importance ranks
 * it first). {@link #seed} returns the manifest the tests check against.
 *
 * <pre>{@code Map<String, Object> manifest = new DemoStore(store, keeperPid).seed();}</pre>
 */
final class DemoStore {
    static final String SPIKE_KEY = "loss";
    static final long SPIKE_STEPS = 20_000, SPIKE_STEP = 12_345;
    static final double SPIKE_VALUE = 1000.0;
    static final int SWEEP_RUNS = 8;

    /** One plain run to make: where, what, how it ended, and how long it logged. */
    record Spec(String project, String name, RunState state, String optimizer, double lr, int batchSize, int depth, int steps,
                boolean gradNorm, List<String> tags) {
        Spec(String project, String name, RunState state, String optimizer, double lr, int batchSize, int depth, int steps, boolean gradNorm) {
            this(project, name, state, optimizer, lr, batchSize, depth, steps, gradNorm, List.of());
        }
    }

    /** The run with everything: histograms, media (classified images) and system metrics besides its metrics. */
    static final String FULL_RUN = "cifar-sgd-cosine";
    static final List<String> CLASSES = List.of("cat", "dog", "ship");

    private final RunStore store;
    private final ProcessIdentity keeper, me;
    private final Random random = new Random(42);
    private final long start = System.currentTimeMillis() - 3 * 86_400_000L;
    private long clock = start;
    private final List<Map<String, Object>> runs = new ArrayList<>();

    DemoStore(RunStore store, long keeperPid) {
        this.store = store;
        ProcessHandle k = ProcessHandle.of(keeperPid).orElseThrow(() -> new IllegalArgumentException("no process " + keeperPid + " (the keeper)"));
        this.keeper = new ProcessIdentity(keeperPid, ProcessIdentity.current().host(), k.info().startInstant().map(i -> i.toEpochMilli()).orElse(null));
        this.me = ProcessIdentity.current();
    }

    Map<String, Object> seed() {
        List<Spec> specs = List.of(
                new Spec("fashion", "fashion-adamw-base", RunState.FINISHED, "adamw", 1e-3, 64, 18, 120, false, List.of("baseline")),
                new Spec("fashion", "fashion-adamw-wide", RunState.FINISHED, "adamw", 3e-3, 128, 34, 150, false),
                new Spec("fashion", "fashion-sgd-mom", RunState.FINISHED, "sgd", 1e-1, 64, 18, 200, false),
                new Spec("fashion", "fashion-sgd-nesterov", RunState.FAILED, "sgd", 5e-2, 32, 18, 40, false),
                new Spec("fashion", "fashion-lion-small", RunState.STOPPED, "lion", 1e-4, 256, 18, 80, false),
                new Spec("fashion", "fashion-rmsprop", RunState.CRASHED, "rmsprop", 1e-3, 64, 18, 60, false),
                new Spec("fashion", "fashion-adam-live", RunState.RUNNING, "adam", 1e-3, 64, 18, 90, false),
                new Spec("fashion", "fashion-adam-second", RunState.RUNNING, "adam", 2e-3, 64, 18, 30, false),
                new Spec("cifar", "cifar-adamw-lr1em3", RunState.FINISHED, "adamw", 1e-3, 128, 50, 160, true, List.of("baseline", "resnet")),
                new Spec("cifar", "cifar-adamw-lr1em2", RunState.FINISHED, "adamw", 1e-2, 128, 50, 160, true),
                new Spec("cifar", "cifar-sgd-diverged", RunState.FAILED, "sgd", 2.0, 128, 50, 100, true),
                new Spec("cifar", "cifar-sgd-cosine", RunState.FINISHED, "sgd", 1e-1, 256, 50, 180, true, List.of("best", "resnet")),
                new Spec("cifar", "cifar-lamb-big", RunState.STOPPED, "lamb", 4e-3, 1024, 101, 70, true),
                new Spec("cifar", "cifar-adam-crash", RunState.CRASHED, "adam", 1e-3, 128, 50, 20, true),
                new Spec("cifar", "cifar-adamw-long", RunState.RUNNING, "adamw", 5e-4, 128, 50, 110, true),
                new Spec("cifar", "cifar-adagrad", RunState.FINISHED, "adagrad", 1e-2, 64, 18, 90, true),
                new Spec("textgen", "textgen-adamw-124m", RunState.FINISHED, "adamw", 6e-4, 32, 12, 140, false),
                new Spec("textgen", "textgen-adamw-350m", RunState.FINISHED, "adamw", 3e-4, 32, 24, 130, false),
                new Spec("textgen", "textgen-lion-124m", RunState.FAILED, "lion", 1e-4, 32, 12, 50, false),
                new Spec("textgen", "textgen-sophia", RunState.FINISHED, "sophia", 2e-4, 32, 12, 100, false));
        Map<String, RunInfo> byName = new LinkedHashMap<>();
        for (Spec s : specs) byName.put(s.name(), plainRun(s));
        RunInfo spike = spikeRun();
        SweepInfo sweep = sweep();

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("projects", store.projects());
        m.put("runCount", runs.size());
        m.put("runs", runs);
        RunInfo panels = byName.get(FULL_RUN);
        m.put("panels", Map.of("id", panels.id(), "keys", List.of("loss", "accuracy", "lr", "grad_norm"), "hidden", List.of("_timestamp"),
                "histograms", List.of("fc.weight"), "media", List.of("examples"), "system", List.of("cpu.percent", "memory.rss_mb")));
        m.put("spike", Map.of("id", spike.id(), "key", SPIKE_KEY, "steps", SPIKE_STEPS, "step", SPIKE_STEP, "value", SPIKE_VALUE));
        RunInfo live = store.run(byName.get("fashion-adam-live").id()).orElseThrow();
        m.put("live", Map.of("id", live.id(), "key", "loss", "lastStep", live.lastStep()));
        RunInfo other = store.run(byName.get("fashion-adam-second").id()).orElseThrow();
        m.put("otherLive", Map.of("id", other.id(), "lastStep", other.lastStep()));
        m.put("compare", Map.of("ids", List.of(byName.get("cifar-adamw-lr1em3").id(), byName.get("cifar-adamw-lr1em2").id()),
                "differs", List.of("lr"), "same", List.of("optimizer", "batch_size", "model.depth")));
        m.put("diverged", byName.get("cifar-sgd-diverged").id());
        m.put("sweep", sweepManifest(sweep));
        return m;
    }

    private RunInfo plainRun(Spec s) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("optimizer", s.optimizer());
        config.put("lr", s.lr());
        config.put("batch_size", s.batchSize());
        config.put("model", new TreeMap<>(Map.of("depth", s.depth(), "arch", s.project().equals("textgen") ? "gpt" : "resnet")));
        config.put("seed", random.nextInt(1000));
        boolean running = s.state() == RunState.RUNNING;
        // running runs are recent, so their durations and heartbeats look live
        long created = running ? System.currentTimeMillis() - 600_000L + runs.size() * 1000L : (clock += 3_600_000L);
        ProcessIdentity owner = running ? keeper : me;
        RunInfo run = store.createRun(new RunStore.NewRun(s.project(), s.name(), json(config), null, owner.pid(), owner.host(),
                owner.startedAt(), s.tags()), created);
        boolean full = s.name().equals(FULL_RUN);
        Map<String, Object> summary = new LinkedHashMap<>();
        double tau = s.steps() / 3.0;
        for (int step = 0; step < s.steps(); step++) {
            Map<String, Double> values = new LinkedHashMap<>();
            double progress = 1 - Math.exp(-step / tau);
            double loss = s.name().endsWith("diverged") && step >= 60 ? Double.NaN : 2.3 * (1 - progress) + 0.05 + 0.02 * random.nextGaussian();
            values.put("loss", loss);
            values.put("accuracy", 0.1 + 0.8 * progress + 0.01 * random.nextGaussian());
            values.put("lr", s.lr() * 0.5 * (1 + Math.cos(Math.PI * step / s.steps())));
            if (s.gradNorm()) values.put("grad_norm", 5 * (1 - progress) + 0.5 + random.nextDouble());
            if (s.name().startsWith("cifar")) values.put("_timestamp", (double) (created + step * 1000L));
            List<RunStore.HistogramPoint> histograms = full && step % 40 == 0
                    ? List.of(new RunStore.HistogramPoint(step, "fc.weight", histogram(step))) : List.of();
            values.forEach((k, v) -> {
                if (!k.startsWith("_")) summary.put(k, v);
            });
            store.log(run.id(), step, values, histograms, json(summary), created + step * 1000L);
            if (full && step % 60 == 0) store.logMedia(run.id(), step, "examples", examples(), created + step * 1000L);
            if (full && step % 10 == 0) {
                store.logSystem(run.id(), created + step * 1000L, Map.of("cpu.percent", 150 + 40 * random.nextDouble(),
                        "memory.rss_mb", 900.0 + step));
            }
        }
        if (!running) store.setState(run.id(), s.state(), json(summary), true, created + s.steps() * 1000L);
        record(run.id(), s.project(), s.name(), s.state(), s.tags());
        return run;
    }

    /** Three 8x8 grey images, each classified over {@link #CLASSES}. */
    private List<RunStore.MediaItem> examples() {
        List<RunStore.MediaItem> items = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            float[] pixels = new float[64];
            for (int p = 0; p < pixels.length; p++) pixels[p] = random.nextFloat();
            float a = random.nextFloat(), b = (1 - a) * random.nextFloat();
            Media image = Media.image(pixels, 1, 8, 8).withCaption("example " + i);
            items.add(Media.classification(image, CLASSES, new float[] {a, b, 1 - a - b}, i).item());
        }
        return items;
    }

    private Histogram histogram(int step) {
        float[] weights = new float[2000];
        double spread = 1.0 / (1 + step / 50.0);
        for (int i = 0; i < weights.length; i++) weights[i] = (float) (spread * random.nextGaussian());
        return Histogram.of(weights, Histogram.DEFAULT_BINS);
    }

    /** 20,000 steps of a smooth loss in [0.05, 2.4], and one value of 1000 at step 12,345. */
    private RunInfo spikeRun() {
        long created = (clock += 3_600_000L);
        RunInfo run = store.createRun(new RunStore.NewRun("fashion", "fashion-spike-20k", json(Map.of("optimizer", "adamw", "lr", 3e-3,
                "batch_size", 512)), null, me.pid(), me.host(), me.startedAt()), created);
        Map<String, Object> summary = new LinkedHashMap<>();
        for (long step = 0; step < SPIKE_STEPS; step++) {
            double loss = step == SPIKE_STEP ? SPIKE_VALUE : 2.3 * Math.exp(-step / 4000.0) + 0.05 + 0.02 * random.nextDouble();
            double accuracy = 0.1 + 0.85 * (1 - Math.exp(-step / 4000.0));
            summary.put("loss", loss);
            summary.put("accuracy", accuracy);
            // the summary is written once at the end: 20,000 JSON documents would only slow the seeding down
            store.log(run.id(), step, Map.of("loss", loss, "accuracy", accuracy), List.of(), "{}", created + step * 50L);
        }
        store.setState(run.id(), RunState.FINISHED, json(summary), true, created + SPIKE_STEPS * 50L);
        record(run.id(), "fashion", "fashion-spike-20k", RunState.FINISHED, List.of());
        return run;
    }

    private SweepInfo sweep() {
        // ordered maps: the sampler draws the parameters in the config's order, so the same seed gives the same trials
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("lr", Map.of("distribution", "log_uniform_values", "min", 1e-4, "max", 1e-1));
        parameters.put("batch_size", Map.of("values", List.of(32, 64, 128)));
        parameters.put("optimizer", Map.of("values", List.of("sgd", "adamw")));
        parameters.put("dropout", Map.of("min", 0.0, "max", 0.5));
        Map<String, Object> sweepConfig = new LinkedHashMap<>();
        sweepConfig.put("name", "ui-demo-sweep");
        sweepConfig.put("method", "random");
        sweepConfig.put("project", "sweeps");
        sweepConfig.put("run_cap", SWEEP_RUNS);
        sweepConfig.put("metric", Map.of("name", "accuracy", "goal", "maximize"));
        sweepConfig.put("parameters", parameters);
        String config = json(sweepConfig);
        SweepConfig parsed = SweepConfig.parse(config, true, "of the ui test seed");
        SweepInfo sweep = Sweeps.create(store, parsed, 7L);
        for (int t = 0; t < SWEEP_RUNS; t++) {
            long created = (clock += 600_000L);
            RunInfo run = store.claimTrial(sweep.id(), me, index -> {
                Map<String, Object> values = Sweeps.trialValues(parsed, sweep.seed(), index, List.of());
                return values == null ? null : json(values);
            }, created).orElseThrow(() -> new IllegalStateException("the sweep gave no trial " + runs.size()));
            double lr = ((Number) run.config().get("lr")).doubleValue();
            // accuracy grows with log lr alone (0.6 at 1e-4 .. 0.84 at 1e-1), so importance ranks lr first
            double peak = 0.6 + 0.08 * (Math.log10(lr) + 4);
            Map<String, Object> summary = new LinkedHashMap<>();
            for (int step = 0; step < 50; step++) {
                double progress = 1 - Math.exp(-step / 12.0);
                double accuracy = 0.1 + (peak - 0.1) * progress + 0.002 * random.nextGaussian();
                double loss = 2.3 * (1 - progress) + (1 - peak);
                summary.put("accuracy", accuracy);
                summary.put("loss", loss);
                store.log(run.id(), step, Map.of("accuracy", accuracy, "loss", loss), List.of(), json(summary), created + step * 2000L);
            }
            store.setState(run.id(), RunState.FINISHED, json(summary), true, created + 100_000L);
            record(run.id(), "sweeps", run.name(), RunState.FINISHED, List.of());
        }
        return store.sweep(sweep.id()).orElseThrow();
    }

    private Map<String, Object> sweepManifest(SweepInfo sweep) {
        List<RunInfo> sweepRuns = store.sweepRuns(sweep.id());
        RunInfo best = sweepRuns.stream().max((a, b) -> Double.compare(accuracy(a), accuracy(b))).orElseThrow();
        return Map.of("id", sweep.id(), "name", sweep.name(), "metric", "accuracy", "parameters", List.of("lr", "batch_size", "optimizer", "dropout"),
                "runIds", sweepRuns.stream().map(RunInfo::id).toList(), "best", best.id());
    }

    private static double accuracy(RunInfo r) {
        return ((Number) r.summary().get("accuracy")).doubleValue();
    }

    private void record(String id, String project, String name, RunState state, List<String> tags) {
        runs.add(Map.of("id", id, "project", project, "name", name, "state", state.id(), "tags", tags));
    }

    static String json(Object value) {
        try {
            return SeedStore.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
