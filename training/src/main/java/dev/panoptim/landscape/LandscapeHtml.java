package dev.panoptim.landscape;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panoptim.report.Html;
import dev.panoptim.report.PlotlyBundle;
import dev.panoptim.report.Ticks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a self-contained interactive HTML page of a landscape: a Plotly contour plot of the surface
 * (log colour scale where the surface asks for it), every trajectory with its start and end, the
 * known minima, and a table of final points. plotly.js is inlined from its WebJar, so the file
 * (about 11 MB) opens offline. Script errors are shown on the page and collected into
 * {@code <html data-errors>}; once drawn, the page sets {@code <html data-rendered="true">}.
 *
 * <pre>{@code Files.writeString(dir.resolve("landscape.html"), LandscapeHtml.render(surface, trajectories, window));}</pre>
 */
public final class LandscapeHtml {
    /** Grid resolution of the contour plot, in each direction. */
    static final int GRID = 161;

    private LandscapeHtml() {}

    /** The page as a string. */
    public static String render(LossSurface surface, List<Trajectory> trajectories, LossSurface.Window window) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("PAGE_START", Html.pageStart("panoptim landscape", "panoptim landscape: " + surface.name()));
        values.put("HEADING", Html.escape("panoptim landscape: " + surface.name()));
        values.put("NOTE", Html.escape(note(surface, trajectories)));
        values.put("FINALS", finalsTable(trajectories));
        values.put("PLOTLY_HEAD", Html.plotlyHead(PlotlyBundle.load()));
        values.put("DATA", Html.jsonSafe(json(data(surface, trajectories, window))));
        values.put("SCRIPT", Html.resource(LandscapeHtml.class, "landscape.js"));
        return Html.fill(Html.resource(LandscapeHtml.class, "landscape.html"), values);
    }

    private static String note(LossSurface surface, List<Trajectory> trajectories) {
        StringBuilder s = new StringBuilder();
        if (!trajectories.isEmpty()) {
            Trajectory.Point start = trajectories.getFirst().points().getFirst();
            s.append(trajectories.getFirst().points().size()).append(" steps of panoptim's fused optimizers from (")
                    .append(Ticks.format(start.x())).append(", ").append(Ticks.format(start.y())).append("). ");
        }
        s.append("Gradient: ").append(surface.gradientMethod()).append(". ");
        if (surface.logScale()) s.append("Colours follow log f. ");
        for (LossSurface.Minimum m : surface.minima()) {
            s.append(m.isFinite() ? "Star: " : "Triangle on the edge: ").append(m.label()).append(". ");
        }
        s.append("Drag to zoom, double-click to reset, click a legend entry to hide it.");
        return s.toString();
    }

    private static String finalsTable(List<Trajectory> trajectories) {
        StringBuilder s = new StringBuilder("<table class=\"finals\"><tr><th>optimizer</th><th>steps</th><th>final x</th>"
                + "<th>final y</th><th>final loss</th></tr>\n");
        for (int i = 0; i < trajectories.size(); i++) {
            Trajectory t = trajectories.get(i);
            Trajectory.Point e = t.end();
            s.append("<tr><td><span class=\"swatch\" style=\"background:").append(Palette.trajectory(i)).append("\"></span>")
                    .append(Html.escape(t.label())).append("</td><td>").append(t.points().size()).append("</td><td>")
                    .append(Ticks.fixed(e.x())).append("</td><td>").append(Ticks.fixed(e.y())).append("</td><td>").append(Ticks.fixed(e.loss()))
                    .append(t.diverged() ? " (diverged)" : "").append("</td></tr>\n");
        }
        return s.append("</table>").toString();
    }

    /** The JSON the page's script draws from. */
    static Map<String, Object> data(LossSurface surface, List<Trajectory> trajectories, LossSurface.Window window) {
        SurfaceGrid grid = new SurfaceGrid(surface, window, GRID, GRID);
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("x", floats(grid.xs));
        g.put("y", floats(grid.ys));
        List<List<Float>> c = new ArrayList<>();
        List<List<String>> f = grid.log ? new ArrayList<>() : null;
        for (double[] row : grid.c) {
            c.add(floats(row));
            if (f != null) {
                List<String> labels = new ArrayList<>(row.length);
                for (double v : row) labels.add(Double.isFinite(v) ? Ticks.format(grid.valueOf(v)) : "");
                f.add(labels);
            }
        }
        g.put("c", c);
        g.put("f", f);
        g.put("cMin", grid.cMin);
        g.put("cMax", grid.cMax);
        List<Double> tickVals = new ArrayList<>();
        List<String> tickText = new ArrayList<>();
        for (SurfaceGrid.Tick t : grid.colourTicks()) {
            tickVals.add(t.at());
            tickText.add(t.label());
        }
        g.put("tickVals", tickVals);
        g.put("tickText", tickText);
        g.put("colourTitle", grid.colourTitle());
        List<Object[]> scale = new ArrayList<>();
        for (int i = 0; i < Palette.VIRIDIS.length; i++) scale.add(new Object[] {(double) i / (Palette.VIRIDIS.length - 1), Palette.VIRIDIS[i]});
        g.put("colorscale", scale);

        List<Map<String, Object>> paths = new ArrayList<>();
        List<double[]> starts = new ArrayList<>();
        for (int i = 0; i < trajectories.size(); i++) {
            Trajectory t = trajectories.get(i);
            List<Trajectory.Point> all = t.allPoints();
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>(), loss = new ArrayList<>();
            List<Integer> step = new ArrayList<>();
            for (int k = 0; k < all.size(); k++) {
                Trajectory.Point p = all.get(k);
                boolean ok = Double.isFinite(p.x()) && Double.isFinite(p.y());
                xs.add(ok ? p.x() : null);   // null breaks the line, as Plotly draws gaps
                ys.add(ok ? p.y() : null);
                loss.add(finite(p.loss()));
                step.add(k);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", t.label());
            m.put("color", Palette.trajectory(i));
            m.put("x", xs);
            m.put("y", ys);
            m.put("step", step);
            m.put("loss", loss);
            Trajectory.Point e = t.end();
            m.put("end", Double.isFinite(e.x()) && Double.isFinite(e.y()) ? new double[] {e.x(), e.y()} : null);
            paths.add(m);
            Trajectory.Point s = all.getFirst();
            if (starts.stream().noneMatch(p -> p[0] == s.x() && p[1] == s.y())) starts.add(new double[] {s.x(), s.y()});
        }

        Map<String, Object> d = new LinkedHashMap<>();
        d.put("title", "f(x, y) = " + surface.formula());
        d.put("window", new double[] {window.xMin(), window.xMax(), window.yMin(), window.yMax()});
        d.put("grid", g);
        d.put("trajectories", paths);
        d.put("starts", starts);
        d.put("minima", minima(surface, window));
        return d;
    }

    /** Minima as markers; one at infinity sits on the window's edge as a triangle pointing that way. */
    static List<Map<String, Object>> minima(LossSurface surface, LossSurface.Window w) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (LossSurface.Minimum m : surface.minima()) {
            double x = edge(m.x(), w.xMin(), w.xMax()), y = edge(m.y(), w.yMin(), w.yMax());
            String symbol = m.isFinite() ? "star"
                    : m.y() == Double.NEGATIVE_INFINITY ? "triangle-down" : m.y() == Double.POSITIVE_INFINITY ? "triangle-up"
                    : m.x() == Double.NEGATIVE_INFINITY ? "triangle-left" : "triangle-right";
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("x", x);
            e.put("y", y);
            e.put("symbol", symbol);
            e.put("label", m.label() + ", f = " + Ticks.format(m.value()));
            out.add(e);
        }
        return out;
    }

    static double edge(double v, double lo, double hi) {
        return v == Double.NEGATIVE_INFINITY ? lo : v == Double.POSITIVE_INFINITY ? hi : v;
    }

    private static List<Float> floats(double[] v) {
        List<Float> out = new ArrayList<>(v.length);
        for (double d : v) out.add(Double.isFinite(d) ? (float) d : null);
        return out;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }


    private static String json(Object o) {
        try {
            return new ObjectMapper().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the plot data as JSON", e);
        }
    }
}
