package dev.panoptim.cli;

import dev.panoptim.report.Flat;
import dev.panoptim.report.Ticks;
import dev.panoptim.report.Times;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code panoptim runs show ID}: a run's fields, config, summary, metric keys (values logged, steps,
 * last value) and histograms.
 *
 * <pre>{@code bin/panoptim runs show 3k2j9x0a}</pre>
 */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show a run: config, summary, metric keys with counts and last values.")
final class RunsShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Parameters(paramLabel = "ID", description = "The run's id (as runs list shows it).")
    String id;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (RunStore s = store.open(spec.commandLine().getErr())) {
            RunInfo r = s.run(id).orElseThrow(() -> new IllegalArgumentException("unknown run id '" + id + "' in " + s.location()
                    + " (panoptim runs list shows the runs)"));
            List<String[]> head = new ArrayList<>();
            head.add(new String[] {"run", r.id()});
            head.add(new String[] {"name", r.name()});
            head.add(new String[] {"project", r.project()});
            head.add(new String[] {"state", r.state().id()});
            head.add(new String[] {"created", Times.local(r.createdAt())});
            head.add(new String[] {"updated", Times.local(r.updatedAt())});
            head.add(new String[] {"process", (r.pid() == null ? "?" : "pid " + r.pid()) + " on " + (r.host() == null ? "?" : r.host())});
            if (r.sweepId() != null) head.add(new String[] {"sweep", r.sweepId()});
            if (!r.tags().isEmpty()) head.add(new String[] {"tags", String.join(", ", r.tags())});
            head.add(new String[] {"steps", r.stepCount() + (r.lastStep() >= 0 ? " (last step " + r.lastStep() + ")" : "")});
            Table.print(out, head);

            section(out, "config", Flat.of(r.config()));
            section(out, "summary", Flat.of(r.summary()));

            List<RunStore.MetricKey> keys = s.metricKeys(r.id());
            out.println();
            out.println("metrics (" + keys.size() + (keys.size() == 1 ? " key)" : " keys)"));
            if (!keys.isEmpty()) {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"  KEY", "VALUES", "STEPS", "LAST"});
                for (RunStore.MetricKey k : keys) {
                    rows.add(new String[] {"  " + k.key(), Long.toString(k.count()), k.firstStep() + ".." + k.lastStep(), Ticks.fixed(k.lastValue())});
                }
                Table.print(out, rows, 1, 3);
            }

            List<RunStore.HistogramPoint> hs = s.histograms(r.id());
            out.println();
            if (hs.isEmpty()) {
                out.println("histograms: none");
            } else {
                Set<String> hkeys = new LinkedHashSet<>();
                Set<Long> steps = new LinkedHashSet<>();
                for (RunStore.HistogramPoint h : hs) {
                    hkeys.add(h.key());
                    steps.add(h.step());
                }
                out.println("histograms: " + hkeys.size() + " keys at " + steps.size() + " steps (" + steps.stream().findFirst().orElseThrow()
                        + ".." + hs.getLast().step() + "): " + String.join(", ", hkeys.stream().limit(8).toList())
                        + (hkeys.size() > 8 ? ", ..." : ""));
            }
        }
        return 0;
    }

    private static void section(PrintWriter out, String title, Map<String, Object> values) {
        out.println();
        out.println(title + (values.isEmpty() ? ": none" : ""));
        if (values.isEmpty()) return;
        List<String[]> rows = new ArrayList<>();
        for (Map.Entry<String, Object> e : values.entrySet()) rows.add(new String[] {"  " + e.getKey(), Flat.text(e.getValue())});
        Table.print(out, rows);
    }
}
