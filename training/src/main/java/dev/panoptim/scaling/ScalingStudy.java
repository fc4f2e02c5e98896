package dev.panoptim.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panoptim.sweep.SweepConfig;
import dev.panoptim.sweep.Sweeps;
import dev.panoptim.sweep.TrainerTrial;
import dev.panoptim.sweep.TrialFunction;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunState;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SweepInfo;
import dev.panoptim.train.TrainingArgs;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A scaling-law study (Kaplan et al., Chinchilla; the course's bonus): panoptim's small CNN trained at
 * every (width, data fraction, seed, dropout) of a grid, each run one trial of a grid sweep in the run
 * store, so agents on several machines share the study ({@code panoptim agent SWEEP_ID}) and a study
 * that was interrupted resumes, running only the cells that have no finished run. Its output folder
 * holds {@value #STUDY_FILE} (the sweep's id and the options), and, once every cell has a finished run,
 * the analysis ({@link ScalingAnalysis}, {@link ScalingReport}).
 *
 * <pre>{@code
 * ScalingStudy study = ScalingStudy.open(store, Path.of("scaling"), ScalingStudy.Options.defaults());
 * study.run(store, panoptimDir, System.out);                   // trains what is missing
 * ScalingAnalysis analysis = ScalingAnalysis.of(study.rows(store));
 * }</pre>
 */
public final class ScalingStudy {
    /** The file in the output folder that ties it to its sweep. */
    public static final String STUDY_FILE = "study.json";
    /** A cell whose trial crashed (or was interrupted) is run again up to this many times. */
    static final int RETRIES = 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path out;
    private final Options options;
    private final String sweepId;

    private ScalingStudy(Path out, Options options, String sweepId) {
        this.out = out;
        this.options = options;
        this.sweepId = sweepId;
    }

    /**
     * The grid and the training setting of a study. Widths are the exponents k of the channel count
     * {@code round(8 * sqrt(2)^k)}; fractions of the training set; seeds 1..{@code seeds}.
     */
    public record Options(List<Integer> widths, List<Double> fractions, int seeds, List<Double> dropouts, String dataset,
                          Path data, int epochs, int batchSize, int valSubset, String device, double learningRate,
                          String lrRule) {
        public Options {
            widths = List.copyOf(require("widths", widths));
            fractions = List.copyOf(require("fractions", fractions));
            dropouts = List.copyOf(require("dropout", dropouts));
            if (new HashSet<>(widths).size() != widths.size()) throw new IllegalArgumentException("--widths repeats a value: " + widths);
            for (double f : fractions) {
                if (!(f > 0 && f <= 1)) throw new IllegalArgumentException("--fractions must be in (0, 1], got " + f);
            }
            if (new HashSet<>(fractions).size() != fractions.size()) throw new IllegalArgumentException("--fractions repeats a value: " + fractions);
            for (double p : dropouts) {
                if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("--dropout must be in [0, 1), got " + p);
            }
            if (new HashSet<>(dropouts).size() != dropouts.size()) throw new IllegalArgumentException("--dropout repeats a value: " + dropouts);
            if (seeds < 1) throw new IllegalArgumentException("--seeds must be at least 1, got " + seeds);
            if (epochs < 1) throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
            if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
            if (valSubset < 1) throw new IllegalArgumentException("--val-subset must be at least 1, got " + valSubset);
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) throw new IllegalArgumentException("--lr must be > 0, got " + learningRate);
            data = data == null ? null : data.toAbsolutePath().normalize();
        }

        /** The default study (sized in docs/BENCHMARKS.md to finish in under 30 minutes on 2 cores). */
        public static Options defaults() {
            return new Options(List.of(0, 1, 2, 3, 4, 5), List.of(1.0, 0.5, 0.25, 0.125), 2, List.of(0.0, 0.2),
                    "fashion-mnist", null, 1, 64, 1, "cpu", 3e-2, "fan-in");
        }

        /** Grid cells: widths x fractions x seeds x dropouts. */
        public int cells() {
            return widths.size() * fractions.size() * seeds * dropouts.size();
        }

        private static <T> List<T> require(String name, List<T> values) {
            if (values == null || values.isEmpty()) throw new IllegalArgumentException("--" + name + " needs at least one value");
            for (T v : values) if (v == null) throw new IllegalArgumentException("--" + name + " has an empty value");
            return values;
        }
    }

    /**
     * The study in {@code out}: the sweep recorded in its {@value #STUDY_FILE} when there is one (its
     * options must be these: another study's folder is an IllegalArgumentException saying how they
     * differ), else a new grid sweep in {@code store}, recorded there.
     */
    public static ScalingStudy open(RunStore store, Path out, Options options) {
        Path file = out.resolve(STUDY_FILE);
        ObjectNode wanted = optionsJson(options);
        if (Files.isRegularFile(file)) {
            JsonNode saved;
            try {
                saved = JSON.readTree(file.toFile());
            } catch (IOException e) {
                throw new IllegalArgumentException(file + " is not a study file (" + e.getMessage() + "); use another --out", e);
            }
            String id = saved.path("sweep").asText(null);
            if (id == null || !saved.has("options")) throw new IllegalArgumentException(file + " names no sweep; use another --out");
            if (!saved.get("options").equals(wanted)) {
                throw new IllegalArgumentException(out + " holds the study of sweep " + id + ", made with other options ("
                        + differences(saved.get("options"), wanted) + "); give the same options to resume it, or another --out");
            }
            if (store.sweep(id).isEmpty()) {
                throw new IllegalArgumentException(out + " holds the study of sweep " + id + ", which is not in " + store.location()
                        + " (give the --dir/--store it was made in)");
            }
            return new ScalingStudy(out, options, id);
        }
        SweepConfig config = SweepConfig.parse(configJson(options).toString(), true, "the scaling study");
        SweepInfo sweep = Sweeps.create(store, config, 0L, RETRIES, Sweeps.DEFAULT_GRACE);
        ObjectNode study = JSON.createObjectNode();
        study.put("sweep", sweep.id());
        study.put("store", store.location());
        study.set("options", wanted);
        try {
            Files.createDirectories(out);
            Files.writeString(file, JSON.writeValueAsString(study));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return new ScalingStudy(out, options, sweep.id());
    }

    /**
     * What the study trained, for its results: the grid, the data, and how the learning rate was set per
     * width (the course's rule of thumb, or one rate for all).
     */
    public String describe() {
        Options o = options;
        String lr = o.lrRule().equals("fan-in")
                ? "AdamW, each conv/linear layer at lr " + o.learningRate() + " / sqrt(its fan-in) (--lr-rule fan-in: the course's"
                        + " Adam lr proportional to 1/sqrt(fan_in))"
                : "AdamW at lr " + o.learningRate() + " for every layer and width (--lr-rule fixed)";
        return String.format(java.util.Locale.ROOT, "study: sweep %s; smallcnn, channels round(8*sqrt(2)^k) for k in %s; data fractions %s"
                        + " of %s; seeds 1..%d; dropout %s; %d epoch(s), batch %d, validated on %s%n"
                        + "learning rate: %s%n"
                        + "compute: C = 3 x forward FLOPs (2 x multiply-accumulates of conv and linear layers) x examples seen",
                sweepId, o.widths(), o.fractions(), o.dataset(), o.seeds(), o.dropouts(), o.epochs(), o.batchSize(),
                o.valSubset() == 1 ? "the full validation set" : "every " + o.valSubset() + "th validation example", lr);
    }

    public String sweepId() {
        return sweepId;
    }

    public Options options() {
        return options;
    }

    public Path out() {
        return out;
    }

    /**
     * Trains every cell that has no finished run yet, in this process, and returns how many trials ran.
     * Cells whose run was interrupted or crashed are made claimable again first; agents elsewhere may
     * share the work. Stops early (returning) when Ctrl-C stopped a trial: {@link #interrupted()}.
     */
    public int run(RunStore store, Path panoptimDir, PrintStream log) {
        TrainerTrial trial = new TrainerTrial(store, panoptimDir, TrainingArgs.defaults().toBuilder().checkpoints(false).build(), log);
        return run(store, trial, trial::interrupted);
    }

    /** {@link #run(RunStore, Path, PrintStream)} with any trial function (tests script one); stops when {@code interrupted} says so. */
    int run(RunStore store, TrialFunction trial, BooleanSupplier interrupted) {
        reopenUnfinished(store);
        int ran = 0;
        while (!interrupted.getAsBoolean()) {
            int one = Sweeps.agent(store, sweepId, 1, trial);
            if (one == 0) break;
            ran += one;
        }
        this.interrupted = interrupted.getAsBoolean();
        return ran;
    }

    private boolean interrupted;

    /** Whether Ctrl-C stopped the last trial of {@link #run}. */
    public boolean interrupted() {
        return interrupted;
    }

    /** How many of the grid's cells have a finished run. */
    public int finishedCells(RunStore store) {
        return finishedByCell(store).size();
    }

    /** One row per cell with a finished run (the latest, where a cell was run more than once). */
    public List<ScalingRow> rows(RunStore store) {
        List<ScalingRow> rows = new ArrayList<>();
        for (RunInfo r : finishedByCell(store).values()) rows.add(row(r));
        rows.sort(Comparator.comparingDouble(ScalingRow::dropout).thenComparingInt(ScalingRow::widthExponent)
                .thenComparingDouble(ScalingRow::dataFraction).thenComparingLong(ScalingRow::seed));
        return rows;
    }

    /** The finished run of each cell, by cell ("width/fraction/seed/dropout"). */
    private Map<String, RunInfo> finishedByCell(RunStore store) {
        Map<String, RunInfo> byCell = new HashMap<>();
        for (RunInfo r : store.sweepRuns(sweepId)) {
            if (r.state() != RunState.FINISHED) continue;
            byCell.merge(cell(r.config()), r, (a, b) -> a.createdAt() >= b.createdAt() ? a : b);
        }
        return byCell;
    }

    /** Makes the cells whose trials were interrupted (stopped) or crashed claimable again, and the sweep running. */
    void reopenUnfinished(RunStore store) {
        Set<String> done = finishedByCell(store).keySet();
        long now = System.currentTimeMillis();
        boolean reopened = false;
        Map<Long, RunInfo> latestByTrial = new HashMap<>();
        for (RunInfo r : store.sweepRuns(sweepId)) {
            if (r.trialIndex() == null) continue;
            latestByTrial.merge(r.trialIndex(), r, (a, b) -> a.attempt() >= b.attempt() ? a : b);
        }
        for (RunInfo r : latestByTrial.values()) {
            if (done.contains(cell(r.config()))) continue;
            if (r.state() == RunState.STOPPED || r.state() == RunState.FAILED) {
                store.setState(r.id(), RunState.CRASHED, null, false, now);
                reopened = true;
            } else if (r.state() == RunState.CRASHED) {
                reopened = true;
            }
        }
        SweepInfo sweep = store.sweep(sweepId).orElseThrow();
        if (!sweep.state().equals("running") && (reopened || done.size() < options.cells())) {
            store.setSweepState(sweepId, "running", now);
        }
    }

    private static String cell(Map<String, Object> config) {
        return number(config, "width") + "/" + number(config, "dataFraction") + "/" + number(config, "seed") + "/"
                + number(config, "dropout");
    }

    private static ScalingRow row(RunInfo r) {
        Map<String, Object> c = r.config(), s = r.summary();
        return new ScalingRow(r.id(), (int) number(c, "width"), (long) number(s, "params"), number(c, "dataFraction"),
                (long) number(c, "seed"), number(c, "dropout"), number(s, "train_flops"), number(s, "val_loss"),
                number(s, "val_accuracy"));
    }

    private static double number(Map<String, Object> map, String key) {
        Object v = map.get(key);
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof String str) {
            try {
                return Double.parseDouble(str);
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new IllegalStateException("a run of the study has no number '" + key + "' (got " + v + ")");
    }

    /** The grid sweep of a study: the grid's four axes, every other training setting a constant. */
    static ObjectNode configJson(Options o) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", "scaling " + o.dataset() + " widths " + o.widths() + " fractions " + o.fractions());
        root.put("project", "scaling");
        root.put("method", "grid");
        ObjectNode metric = root.putObject("metric");
        metric.put("name", "val_loss");
        metric.put("goal", "minimize");
        ObjectNode p = root.putObject("parameters");
        constant(p, "model", "smallcnn");
        constant(p, "dataset", o.dataset());
        if (o.data() != null) constant(p, "data", o.data().toString());
        constant(p, "epochs", o.epochs());
        constant(p, "subset", 1);
        constant(p, "valSubset", o.valSubset());
        constant(p, "batchSize", o.batchSize());
        constant(p, "device", o.device());
        constant(p, "learningRate", o.learningRate());
        constant(p, "lrRule", o.lrRule());
        constant(p, "schedule", "constant");
        constant(p, "examples", 0);
        constant(p, "evalBefore", false);   // a study reads only the trained model's loss: skip the step-0 pass
        ArrayNode widths = p.putObject("width").putArray("values");
        o.widths().forEach(widths::add);
        ArrayNode fractions = p.putObject("dataFraction").putArray("values");
        o.fractions().forEach(fractions::add);
        ArrayNode seeds = p.putObject("seed").putArray("values");
        for (int s = 1; s <= o.seeds(); s++) seeds.add(s);
        ArrayNode dropouts = p.putObject("dropout").putArray("values");
        o.dropouts().forEach(dropouts::add);
        return root;
    }

    private static void constant(ObjectNode parameters, String key, Object value) {
        ObjectNode n = parameters.putObject(key);
        if (value instanceof Integer i) n.put("value", i);
        else if (value instanceof Boolean b) n.put("value", b);
        else if (value instanceof Double d) n.put("value", d);
        else n.put("value", value.toString());
    }

    private static ObjectNode optionsJson(Options o) {
        ObjectNode n = JSON.valueToTree(o);
        if (o.data() != null) n.put("data", o.data().toString());
        return n;
    }

    private static String differences(JsonNode saved, JsonNode wanted) {
        List<String> d = new ArrayList<>();
        Set<String> keys = new java.util.TreeSet<>();
        saved.fieldNames().forEachRemaining(keys::add);
        wanted.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            if (!saved.path(k).equals(wanted.path(k))) d.add(k + " " + saved.path(k) + " there, " + wanted.path(k) + " now");
        }
        return String.join("; ", d);
    }
}
