package dev.panoptim.cli;

import dev.panoptim.report.Ticks;
import dev.panoptim.report.Times;
import dev.panoptim.sweep.ParameterImportance;
import dev.panoptim.sweep.SweepConfig;
import dev.panoptim.sweep.Sweeps;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SweepInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code panoptim sweep create FILE | run FILE --count N | list | show ID | report ID}: W&amp;B-style sweeps over the run store.
 * A config that W&amp;B would reject exits with 2, listing every problem by its path.
 *
 * <pre>{@code bin/panoptim sweep run examples/sweeps/course.yaml --count 5}</pre>
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, description = "Hyperparameter sweeps (W&B sweep configs).",
        subcommands = {SweepCommand.Create.class, SweepCommand.Run.class, SweepCommand.ListSweeps.class, SweepCommand.Show.class,
                SweepControlCommand.Pause.class, SweepControlCommand.Resume.class, SweepControlCommand.Stop.class, SweepControlCommand.Cancel.class,
                SweepReportCommand.class})
final class SweepCommand implements Runnable {
    @Spec
    CommandSpec spec;

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (create, run, list, show, report, pause, resume, stop, cancel)");
    }

    /** {@code panoptim sweep create FILE [--seed S]}: validates and stores; the sweep id alone on the last line. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Validate and store a sweep; print its id.")
    static final class Create implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin StoreOption store;
        @Parameters(paramLabel = "FILE", description = "The sweep config (YAML or JSON).") Path file;
        @Option(names = "--seed", paramLabel = "S", description = "The sampler's seed (default: random; stored).") Long seed;
        @Mixin SweepCreateOptions creation;

        @Override
        public Integer call() {
            SweepConfig config = SweepConfig.read(file);
            try (RunStore s = store.openOrCreate()) {
                PrintWriter out = spec.commandLine().getOut();
                SweepInfo sweep = creation.create(s, config, seed);
                out.println("created sweep " + sweep.name() + " (" + sweep.method() + ", seed " + sweep.seed() + ") in " + s.location());
                if (sweep.retries() > 0) out.println("crashed trials are retried up to " + sweep.retries() + (sweep.retries() == 1 ? " time" : " times"));
                out.println(sweep.id());
            }
            return 0;
        }
    }

    /**
     * {@code panoptim sweep run FILE [--count N] [train options]}: create, then run an agent on it; a config without
     * program/command trains panoptim's trainer in-process, the train options its base ({@link SweepTrials}).
     */
    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Create a sweep and run its trials: its program/command as subprocesses, or, for a config",
                "without one, panoptim's trainer in-process (the trial's values override the train options).",
                "Train options: see panoptim train --help (--seed is the trainer's; --sweep-seed the sampler's)."})
    static final class Run implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin StoreOption store;
        @Parameters(paramLabel = "FILE", description = "The sweep config (YAML or JSON).") Path file;
        @Option(names = "--count", paramLabel = "N", description = "Run at most N trials (default: until the sweep is done).") Integer count;
        @Option(names = "--sweep-seed", paramLabel = "S", description = "The sampler's seed (default: random; stored).") Long seed;
        @Mixin SweepCreateOptions creation;
        @Mixin TrainOptions train;

        @Override
        public Integer call() {
            SweepConfig config = SweepConfig.read(file);
            if (count != null && count < 1) throw new IllegalArgumentException("--count must be at least 1, not " + count);
            SweepTrials trials = SweepTrials.of(config, file.toString(), train, spec);
            try (RunStore s = store.openOrCreate()) {
                SweepInfo sweep = creation.create(s, config, seed);
                spec.commandLine().getOut().println("sweep " + sweep.id());
                spec.commandLine().getOut().flush();
                int ran = trials.run(s, store.directory(), sweep.id(), count);
                spec.commandLine().getOut().println("ran " + ran + (ran == 1 ? " trial" : " trials") + " of sweep " + sweep.id());
            }
            return trials.stopped() ? 130 : 0;
        }
    }

    /** {@code panoptim sweep list [--format table|json]}: oldest first. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the sweeps, oldest first.")
    static final class ListSweeps implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin StoreOption store;
        @Option(names = "--format", paramLabel = "F", description = "table (default) or json.") Format format = Format.table;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            List<SweepInfo> sweeps = List.of();
            if (store.exists()) {
                try (RunStore s = store.open(spec.commandLine().getErr())) {
                    sweeps = s.sweeps();
                }
            }
            if (format == Format.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (SweepInfo w : sweeps) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", w.id());
                    m.put("name", w.name());
                    m.put("method", w.method());
                    m.put("state", w.state());
                    m.put("runs", w.runCount());
                    m.put("created", w.createdAt());
                    rows.add(m);
                }
                out.println(JSON.writeValueAsString(rows));
                return 0;
            }
            if (sweeps.isEmpty()) {
                out.println("no sweeps in " + store.describe());
                return 0;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "NAME", "METHOD", "STATE", "RUNS", "CREATED"});
            for (SweepInfo w : sweeps) {
                rows.add(new String[] {w.id(), RunsListCommand.clip(w.name(), 32), w.method(), w.state(),
                        w.runCount() + (w.runCap() != null ? "/" + w.runCap() : ""), Times.local(w.createdAt())});
            }
            Table.print(out, rows, 4);
            return 0;
        }
    }

    enum Format { table, json }

    /**
     * {@code panoptim sweep show ID [--format table|json]}: the runs sorted by the metric, best first; the best config;
     * parameter importance ({@link ParameterImportance}).
     */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a sweep's runs, best first, the best config, and each parameter's importance and correlation.")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin StoreOption store;
        @Parameters(paramLabel = "ID", description = "The sweep id.") String id;
        @Option(names = "--format", paramLabel = "F", description = "table (default) or json.") Format format = Format.table;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (RunStore s = store.open(spec.commandLine().getErr())) {
                SweepInfo sweep = s.sweep(id).orElseThrow(() -> new IllegalArgumentException("unknown sweep id '" + id + "' in " + s.location()));
                SweepConfig config = Sweeps.config(sweep);
                List<RunInfo> runs = new ArrayList<>(s.sweepRuns(id));
                SweepConfig.Metric metric = config.metric();
                if (metric != null) {
                    Comparator<RunInfo> byMetric = (a, b) -> {
                        double x = value(a, metric.name()), y = value(b, metric.name());
                        return metric.better(x, y) ? -1 : metric.better(y, x) ? 1 : 0;
                    };
                    runs.sort(byMetric);
                }
                RunInfo best = metric != null && !runs.isEmpty() && !Double.isNaN(value(runs.getFirst(), metric.name())) ? runs.getFirst() : null;
                ParameterImportance.Result importance = ParameterImportance.of(config, runs);
                if (format == Format.json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", sweep.id());
                    m.put("name", sweep.name());
                    m.put("method", sweep.method());
                    m.put("state", sweep.state());
                    m.put("metric", metric == null ? null : Map.of("name", metric.name(), "goal", metric.maximize() ? "maximize" : "minimize"));
                    List<Map<String, Object>> rs = new ArrayList<>();
                    for (RunInfo r : runs) rs.add(runJson(r));
                    m.put("runs", rs);
                    m.put("best", best == null ? null : runJson(best));
                    m.put("importance", importance.parameters().stream().map(ParameterImportance.Importance::asMap).toList());
                    out.println(JSON.writeValueAsString(m));
                    return 0;
                }
                out.println("sweep " + sweep.id() + " (" + sweep.name() + "): " + sweep.method() + ", " + sweep.state() + ", "
                        + runs.size() + (runs.size() == 1 ? " run" : " runs")
                        + (metric != null ? ", " + (metric.maximize() ? "maximize " : "minimize ") + metric.name() : ""));
                if (runs.isEmpty()) return 0;
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"RUN", "STATE", metric != null ? metric.name().toUpperCase() : "SUMMARY", "SWEPT VALUES"});
                for (RunInfo r : runs) {
                    rows.add(new String[] {r.id(), r.state().id(),
                            metric != null ? Ticks.format(value(r, metric.name())) : RunsListCommand.highlights(r.summary()),
                            JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(Sweeps.sweptValues(config, r.config()))});
                }
                Table.print(out, rows, 2);
                if (best != null) {
                    out.println("best: run " + best.id() + ", " + metric.name() + " " + Ticks.format(value(best, metric.name())) + ", config "
                            + JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(Sweeps.sweptValues(config, best.config())));
                }
                printImportance(out, importance);
            }
            return 0;
        }

        /** The importance table, or why there is none; a categorical parameter lists a correlation per value. */
        static void printImportance(PrintWriter out, ParameterImportance.Result importance) {
            out.println();
            if (importance.reason() != null) {
                out.println("parameter importance: none (" + importance.reason() + ")");
                return;
            }
            out.println("parameter importance for " + importance.metric() + " (random forest over " + importance.runs()
                    + " runs; correlation: Pearson's r with the metric)");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"PARAMETER", "IMPORTANCE", "CORRELATION"});
            for (ParameterImportance.Importance p : importance.parameters()) {
                String correlation = Ticks.fixed(p.correlation());
                if (!p.levels().isEmpty()) {
                    List<String> parts = new ArrayList<>();
                    p.levels().forEach((level, r) -> parts.add(level + " " + Ticks.fixed(r)));
                    correlation = String.join(", ", parts);
                }
                rows.add(new String[] {p.parameter(), Ticks.fixed(p.importance()), correlation});
            }
            Table.print(out, rows, 1);
        }

        static double value(RunInfo r, String key) {
            return r.summary().get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
        }

        static Map<String, Object> runJson(RunInfo r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("state", r.state().id());
            m.put("config", r.config());
            m.put("summary", r.summary());
            return m;
        }
    }
}
