package dev.panoptim.cli;

import dev.panoptim.report.Ticks;
import dev.panoptim.report.Times;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code panoptim runs list [--project P]}: a table of runs, oldest first: id, project, name, state,
 * created, steps, and a few summary values (losses and accuracies first). A running run whose
 * process is gone is marked and shown crashed.
 *
 * <pre>{@code bin/panoptim runs list --project demo}</pre>
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the runs, oldest first.")
final class RunsListCommand implements Callable<Integer> {
    static final int SUMMARY_VALUES = 3;

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Option(names = {"-p", "--project"}, paramLabel = "P", description = "Only the runs of project P.")
    String project;

    @Option(names = {"-s", "--sweep"}, paramLabel = "ID", description = "Only the runs of sweep ID (its trials, retries included).")
    String sweep;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!store.exists() && project == null && sweep == null) {
            out.println("no runs yet: " + store.describe() + " does not exist (Tracking.init creates it)");
            return 0;
        }
        try (RunStore s = store.open(spec.commandLine().getErr())) {
            if (project != null && !s.projects().contains(project)) {
                throw new IllegalArgumentException("unknown project '" + project + "' in " + s.location()
                        + (s.projects().isEmpty() ? " (no projects yet)" : " (projects: " + String.join(", ", s.projects()) + ")"));
            }
            if (sweep != null && s.sweep(sweep).isEmpty()) throw new IllegalArgumentException("unknown sweep id '" + sweep + "' in " + s.location());
            List<RunInfo> runs = sweep == null ? s.runs(project)
                    : s.sweepRuns(sweep).stream().filter(r -> project == null || r.project().equals(project)).toList();
            if (runs.isEmpty()) {
                out.println("no runs in " + s.location());
                return 0;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "PROJECT", "NAME", "STATE", "CREATED", "STEPS", "SUMMARY"});
            for (RunInfo r : runs) {
                rows.add(new String[] {r.id(), clip(r.project(), 24), clip(r.name(), 32), r.state().id(), Times.local(r.createdAt()),
                        Long.toString(r.stepCount()), highlights(r.summary())});
            }
            Table.print(out, rows, 5);
        }
        return 0;
    }

    /** Up to {@link #SUMMARY_VALUES} numeric summary values as key=value: losses first, then accuracies, then the rest. */
    static String highlights(Map<String, Object> summary) {
        List<String> losses = new ArrayList<>(), accuracies = new ArrayList<>(), rest = new ArrayList<>();
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            if (!(e.getValue() instanceof Number n)) continue;
            String k = e.getKey().toLowerCase(Locale.ROOT);
            String text = e.getKey() + "=" + Ticks.format(n.doubleValue());
            (k.contains("loss") ? losses : k.contains("acc") ? accuracies : rest).add(text);
        }
        losses.addAll(accuracies);
        losses.addAll(rest);
        return String.join(" ", losses.subList(0, Math.min(SUMMARY_VALUES, losses.size())));
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
