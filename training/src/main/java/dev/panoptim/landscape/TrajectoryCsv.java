package dev.panoptim.landscape;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes trajectories as CSV (RFC 4180): header {@code optimizer,step,x,y,loss}, then for each
 * trajectory one row per position, {@code step} = steps taken before it (0 is the start, the last
 * row is the end point), so steps + 1 rows per optimizer. x and y are the float32 values the
 * optimizer held, written so that they read back exactly; a diverged run shows {@code NaN} or
 * {@code Infinity}. Labels holding commas or quotes are quoted.
 *
 * <pre>{@code try (Writer w = Files.newBufferedWriter(path)) { TrajectoryCsv.write(w, trajectories); }}</pre>
 */
public final class TrajectoryCsv {
    /** The header row's columns. */
    public static final List<String> COLUMNS = List.of("optimizer", "step", "x", "y", "loss");

    private TrajectoryCsv() {}

    /** Writes the header and every trajectory's rows. */
    public static void write(Writer out, List<Trajectory> trajectories) throws IOException {
        out.write(String.join(",", COLUMNS));
        out.write('\n');
        StringBuilder row = new StringBuilder();
        for (Trajectory t : trajectories) {
            String label = quote(t.label());
            List<Trajectory.Point> all = t.allPoints();
            for (int step = 0; step < all.size(); step++) {
                Trajectory.Point p = all.get(step);
                row.setLength(0);
                row.append(label).append(',').append(step).append(',')
                        .append((float) p.x()).append(',').append((float) p.y()).append(',').append(p.loss()).append('\n');
                out.write(row.toString());
            }
        }
    }

    /** The CSV as a string. */
    public static String toCsv(List<Trajectory> trajectories) {
        var sw = new java.io.StringWriter();
        try {
            write(sw, trajectories);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    /** An RFC 4180 field: as it is, or quoted (quotes doubled) when it holds a comma, a quote or a line break. */
    public static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) return field;
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
