package dev.panoptim.ui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /api/runs}: filters, sorts, groups and pages the runs of a {@link RunsIndex} snapshot in memory, and
 * lists the config and summary keys of the matching runs for the column picker (docs/UI.md).
 *
 * <pre>{@code Map<String, Object> page = new RunQuery(project, null, filter, "-createdAt", 0, 100, null, List.of()).answer(rows, columns);}</pre>
 */
record RunQuery(String project, String sweep, String filter, String sort, int offset, int limit, String group, List<String> stats) {
    static final String DEFAULT_SORT = "-createdAt";

    Map<String, Object> answer(List<RunRow> all, Columns columns, long now, long cursor) {
        RunFilter f = filter == null ? new RunFilter.All() : RunFilter.parse(filter);
        String column = sort == null ? DEFAULT_SORT : sort;
        boolean descending = column.startsWith("-");
        if (descending || column.startsWith("+")) column = column.substring(1);
        Columns.check(column);
        if (group != null) Columns.check(group);

        List<RunRow> matching = new ArrayList<>();
        for (RunRow r : all) {
            if (project != null && !project.equals(r.info().project())) continue;
            if (sweep != null && !sweep.equals(r.info().sweepId())) continue;
            if (f.test(r, columns)) matching.add(r);
        }
        final String by = column;
        Comparator<RunRow> order = (a, b) -> compareValues(columns.value(a, by), columns.value(b, by), descending);
        // Ties (and runs without the column) keep the newest first, so pages stay stable.
        order = order.thenComparing((a, b) -> Long.compare(b.info().createdAt(), a.info().createdAt()))
                .thenComparing(r -> r.info().id());
        matching.sort(order);

        Set<String> configKeys = new TreeSet<>(), summaryKeys = new TreeSet<>();
        for (RunRow r : matching) {
            configKeys.addAll(r.config().keySet());
            summaryKeys.addAll(r.summary().keySet());
        }
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = offset; i < Math.min(matching.size(), offset + limit); i++) {
            RunRow r = matching.get(i);
            Map<String, Object> row = r.json(now);
            if (!stats.isEmpty()) {
                Map<String, Object> s = new LinkedHashMap<>();
                for (String key : stats) s.put(key, columns.stats(r, key));
                row.put("stats", s);
            }
            page.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", matching.size());
        out.put("offset", offset);
        out.put("limit", limit);
        out.put("runs", page);
        out.put("columns", Map.of("config", configKeys, "summary", summaryKeys));
        if (group != null) out.put("groups", groups(matching, columns));
        out.put("cursor", cursor);
        return out;
    }

    private List<Map<String, Object>> groups(List<RunRow> matching, Columns columns) {
        Map<String, List<String>> byValue = new LinkedHashMap<>();
        for (RunRow r : matching) {
            Object v = columns.value(r, group);
            byValue.computeIfAbsent(v == null ? null : String.valueOf(v), k -> new ArrayList<>()).add(r.info().id());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (var e : byValue.entrySet()) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("value", e.getKey());
            g.put("count", e.getValue().size());
            g.put("runIds", e.getValue());
            out.add(g);
        }
        return out;
    }

    /** Numbers by value, anything else as text; a missing value sorts last in both directions. */
    static int compareValues(Object a, Object b, boolean descending) {
        if (a == null || b == null) return a == null ? (b == null ? 0 : 1) : -1;
        int c;
        if (a instanceof Number x && b instanceof Number y) {
            c = Double.compare(x.doubleValue(), y.doubleValue());
        } else if (a instanceof Number) {
            c = -1;
        } else if (b instanceof Number) {
            c = 1;
        } else {
            c = String.valueOf(a).compareToIgnoreCase(String.valueOf(b));
        }
        return descending ? -c : c;
    }
}
