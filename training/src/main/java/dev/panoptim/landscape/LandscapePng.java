package dev.panoptim.landscape;

import dev.panoptim.report.Ticks;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a landscape as a static PNG with Java2D (headless): the surface as a Viridis heatmap with
 * contour lines (log colours where the surface asks for them) and a colour bar, every trajectory with
 * its start and end, the known minima as stars (a minimum at infinity as a triangle on the window's
 * edge), axes, and a legend with each optimizer's final point and loss. Same colours as the HTML page.
 *
 * <pre>{@code LandscapePng.write(Path.of("landscape.png"), surface, trajectories, window);}</pre>
 */
public final class LandscapePng {
    static final int WIDTH = 1200;
    private static final int LEFT = 90, TOP = 64, PLOT_W = 930, PLOT_H = 640;
    private static final int LEGEND_ROW = 22;
    /** Contour lines are traced on a grid this many pixels apart. */
    private static final int CONTOUR_CELL = 4;
    private static final int CONTOUR_LEVELS = 24;

    private LandscapePng() {}

    /** Renders and writes {@code file} as PNG. */
    public static void write(Path file, LossSurface surface, List<Trajectory> trajectories, LossSurface.Window window)
            throws IOException {
        BufferedImage image = render(surface, trajectories, window);
        if (!ImageIO.write(image, "png", file.toFile())) throw new IOException("no PNG writer in this JDK");
    }

    /** The picture as an image. */
    public static BufferedImage render(LossSurface surface, List<Trajectory> trajectories, LossSurface.Window window) {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        int legendRows = trajectories.size() + 1;
        int height = TOP + PLOT_H + 56 + legendRows * LEGEND_ROW + 12;
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            Frame f = new Frame(window);
            SurfaceGrid pixels = new SurfaceGrid(surface, window, PLOT_W, PLOT_H);
            heatmap(img, pixels);
            contours(g, f, new SurfaceGrid(surface, window, PLOT_W / CONTOUR_CELL + 1, PLOT_H / CONTOUR_CELL + 1), pixels);
            trajectories(g, f, trajectories);
            minima(g, f, surface);
            axes(g, f, window);
            colourBar(g, pixels);
            title(g, surface.name() + ": f(x, y) = " + surface.formula());
            legend(g, trajectories, surface, TOP + PLOT_H + 52);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Data to pixel coordinates of the plot area. */
    private record Frame(LossSurface.Window w) {
        double px(double x) {
            return LEFT + (x - w.xMin()) / (w.xMax() - w.xMin()) * PLOT_W;
        }

        double py(double y) {
            return TOP + PLOT_H - (y - w.yMin()) / (w.yMax() - w.yMin()) * PLOT_H;
        }
    }

    private static void heatmap(BufferedImage img, SurfaceGrid grid) {
        double span = grid.cMax - grid.cMin;
        for (int j = 0; j < PLOT_H; j++) {
            int row = TOP + PLOT_H - 1 - j;   // grid row j is the j-th y from the bottom
            for (int i = 0; i < PLOT_W; i++) {
                double c = grid.c[j][i];
                img.setRGB(LEFT + i, row, Double.isFinite(c) ? Palette.viridis((c - grid.cMin) / span) : 0xBBBBBB);
            }
        }
    }

    /** Marching squares over a coarse grid: one polyline piece per cell and level. */
    private static void contours(Graphics2D g, Frame f, SurfaceGrid grid, SurfaceGrid range) {
        g.setColor(new Color(255, 255, 255, 80));
        g.setStroke(new BasicStroke(0.9f));
        g.setClip(new Rectangle(LEFT, TOP, PLOT_W, PLOT_H));
        double[][] c = grid.c;
        for (int l = 1; l < CONTOUR_LEVELS; l++) {
            double level = range.cMin + (range.cMax - range.cMin) * l / CONTOUR_LEVELS;
            for (int j = 0; j + 1 < grid.ys.length; j++) {
                for (int i = 0; i + 1 < grid.xs.length; i++) {
                    double a = c[j][i], b = c[j][i + 1], d = c[j + 1][i], e = c[j + 1][i + 1];
                    if (!(Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(d) && Double.isFinite(e))) continue;
                    List<double[]> cross = new ArrayList<>(4);
                    edge(cross, a, b, level, grid.xs[i], grid.ys[j], grid.xs[i + 1], grid.ys[j]);        // bottom
                    edge(cross, b, e, level, grid.xs[i + 1], grid.ys[j], grid.xs[i + 1], grid.ys[j + 1]); // right
                    edge(cross, e, d, level, grid.xs[i + 1], grid.ys[j + 1], grid.xs[i], grid.ys[j + 1]); // top
                    edge(cross, d, a, level, grid.xs[i], grid.ys[j + 1], grid.xs[i], grid.ys[j]);         // left
                    for (int k = 0; k + 1 < cross.size(); k += 2) {   // 2 crossings, or 4 at a saddle
                        g.draw(new Line2D.Double(f.px(cross.get(k)[0]), f.py(cross.get(k)[1]),
                                f.px(cross.get(k + 1)[0]), f.py(cross.get(k + 1)[1])));
                    }
                }
            }
        }
        g.setClip(null);
    }

    private static void edge(List<double[]> out, double v0, double v1, double level, double x0, double y0, double x1, double y1) {
        if ((v0 < level) == (v1 < level)) return;
        double t = (level - v0) / (v1 - v0);
        out.add(new double[] {x0 + (x1 - x0) * t, y0 + (y1 - y0) * t});
    }

    private static void trajectories(Graphics2D g, Frame f, List<Trajectory> trajectories) {
        g.setClip(new Rectangle(LEFT, TOP, PLOT_W, PLOT_H));
        // A little beyond the window, so lines leave it at the right angle; far-off points never reach Java2D.
        LossSurface.Window w = f.w();
        double mx = (w.xMax() - w.xMin()) * 0.05, my = (w.yMax() - w.yMin()) * 0.05;
        LossSurface.Window clip = new LossSurface.Window(w.xMin() - mx, w.xMax() + mx, w.yMin() - my, w.yMax() + my);
        for (int i = 0; i < trajectories.size(); i++) {
            Color colour = Color.decode(Palette.trajectory(i));
            List<Trajectory.Point> all = trajectories.get(i).allPoints();
            Path2D.Double path = new Path2D.Double();
            for (int k = 0; k + 1 < all.size(); k++) {
                double[] s = clipSegment(all.get(k).x(), all.get(k).y(), all.get(k + 1).x(), all.get(k + 1).y(), clip);
                if (s == null) continue;
                path.moveTo(f.px(s[0]), f.py(s[1]));
                path.lineTo(f.px(s[2]), f.py(s[3]));
            }
            g.setStroke(new BasicStroke(4.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(new Color(0, 0, 0, 140));
            g.draw(path);
            g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(colour);
            g.draw(path);
            for (Trajectory.Point p : all) {
                if (!Double.isFinite(p.x()) || !Double.isFinite(p.y()) || !clip.contains(p.x(), p.y())) continue;
                g.fill(new Ellipse2D.Double(f.px(p.x()) - 2, f.py(p.y()) - 2, 4, 4));
            }
            Trajectory.Point end = trajectories.get(i).end();
            if (Double.isFinite(end.x()) && Double.isFinite(end.y()) && clip.contains(end.x(), end.y())) {
                cross(g, f.px(end.x()), f.py(end.y()), colour);
            }
        }
        for (Trajectory t : trajectories) {   // starts on top of every path
            Trajectory.Point s = t.points().getFirst();
            if (clip.contains(s.x(), s.y())) marker(g, new Ellipse2D.Double(f.px(s.x()) - 6, f.py(s.y()) - 6, 12, 12));
        }
        g.setClip(null);
    }

    /** The part of segment (x0, y0)-(x1, y1) inside the window (Liang-Barsky), or null. */
    static double[] clipSegment(double x0, double y0, double x1, double y1, LossSurface.Window w) {
        if (!(Double.isFinite(x0) && Double.isFinite(y0) && Double.isFinite(x1) && Double.isFinite(y1))) return null;
        double dx = x1 - x0, dy = y1 - y0, t0 = 0, t1 = 1;
        double[] p = {-dx, dx, -dy, dy};
        double[] q = {x0 - w.xMin(), w.xMax() - x0, y0 - w.yMin(), w.yMax() - y0};
        for (int k = 0; k < 4; k++) {
            if (p[k] == 0) {
                if (q[k] < 0) return null;
            } else {
                double r = q[k] / p[k];
                if (p[k] < 0) t0 = Math.max(t0, r);
                else t1 = Math.min(t1, r);
            }
        }
        if (t0 > t1) return null;
        return new double[] {x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy};
    }

    private static void minima(Graphics2D g, Frame f, LossSurface surface) {
        LossSurface.Window w = f.w();
        for (LossSurface.Minimum m : surface.minima()) {
            double x = LandscapeHtml.edge(m.x(), w.xMin(), w.xMax()), y = LandscapeHtml.edge(m.y(), w.yMin(), w.yMax());
            if (!w.contains(x, y)) continue;
            double px = f.px(x), py = f.py(y);
            if (m.isFinite()) {
                marker(g, star(px, py, 11, 4.5));
            } else {   // a triangle on the edge, pointing towards the infimum
                double dx = m.x() == Double.NEGATIVE_INFINITY ? -1 : m.x() == Double.POSITIVE_INFINITY ? 1 : 0;
                double dy = m.y() == Double.NEGATIVE_INFINITY ? 1 : m.y() == Double.POSITIVE_INFINITY ? -1 : 0;
                double n = Math.hypot(dx, dy);
                dx /= n;
                dy /= n;
                Path2D.Double tri = new Path2D.Double();
                tri.moveTo(px, py);
                tri.lineTo(px - dx * 16 - dy * 9, py - dy * 16 + dx * 9);
                tri.lineTo(px - dx * 16 + dy * 9, py - dy * 16 - dx * 9);
                tri.closePath();
                marker(g, tri);
            }
        }
    }

    private static Shape star(double cx, double cy, double outer, double inner) {
        Path2D.Double s = new Path2D.Double();
        for (int k = 0; k < 10; k++) {
            double r = k % 2 == 0 ? outer : inner, a = -Math.PI / 2 + k * Math.PI / 5;
            if (k == 0) s.moveTo(cx + r * Math.cos(a), cy + r * Math.sin(a));
            else s.lineTo(cx + r * Math.cos(a), cy + r * Math.sin(a));
        }
        s.closePath();
        return s;
    }

    /** A white marker with a black outline (start, minima). */
    private static void marker(Graphics2D g, Shape s) {
        g.setColor(Color.WHITE);
        g.fill(s);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.5f));
        g.draw(s);
    }

    private static void cross(Graphics2D g, double x, double y, Color colour) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(x - 6, y - 6);
        p.lineTo(x + 6, y + 6);
        p.moveTo(x - 6, y + 6);
        p.lineTo(x + 6, y - 6);
        g.setStroke(new BasicStroke(5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(Color.BLACK);
        g.draw(p);
        g.setStroke(new BasicStroke(2.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(colour);
        g.draw(p);
    }

    private static void axes(Graphics2D g, Frame f, LossSurface.Window w) {
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(LEFT, TOP, PLOT_W, PLOT_H);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        for (double x : Ticks.nice(w.xMin(), w.xMax(), 10)) {
            int px = (int) Math.round(f.px(x));
            g.drawLine(px, TOP + PLOT_H, px, TOP + PLOT_H + 5);
            String s = Ticks.format(x);
            g.drawString(s, px - fm.stringWidth(s) / 2, TOP + PLOT_H + 20);
        }
        for (double y : Ticks.nice(w.yMin(), w.yMax(), 8)) {
            int py = (int) Math.round(f.py(y));
            g.drawLine(LEFT - 5, py, LEFT, py);
            String s = Ticks.format(y);
            g.drawString(s, LEFT - 9 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 15));
        g.drawString("x", LEFT + PLOT_W / 2 - 4, TOP + PLOT_H + 40);
        g.drawString("y", 22, TOP + PLOT_H / 2);
    }

    private static void colourBar(Graphics2D g, SurfaceGrid grid) {
        int x = LEFT + PLOT_W + 24, w = 18;
        Palette.drawViridisBar(g, x, TOP, w, PLOT_H);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (SurfaceGrid.Tick t : grid.colourTicks()) {
            double c = t.at();
            int py = (int) Math.round(TOP + PLOT_H - (c - grid.cMin) / (grid.cMax - grid.cMin) * PLOT_H);
            if (py < TOP - 1 || py > TOP + PLOT_H + 1) continue;
            g.drawLine(x + w, py, x + w + 4, py);
            g.drawString(t.label(), x + w + 7, py + fm.getAscent() / 2 - 1);
        }
        g.drawString(grid.colourTitle(), x - 6, TOP - 10);
    }

    private static void title(Graphics2D g, String text) {
        int size = 19;
        g.setColor(Color.BLACK);
        do {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size--));
        } while (g.getFontMetrics().stringWidth(text) > WIDTH - 40 && size > 9);
        g.drawString(text, (WIDTH - g.getFontMetrics().stringWidth(text)) / 2, 36);
    }

    private static void legend(Graphics2D g, List<Trajectory> trajectories, LossSurface surface, int top) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        int y = top;
        for (int i = 0; i < trajectories.size(); i++) {
            Trajectory t = trajectories.get(i);
            Color colour = Color.decode(Palette.trajectory(i));
            g.setStroke(new BasicStroke(6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(Color.BLACK);
            g.drawLine(LEFT, y - 4, LEFT + 28, y - 4);
            g.setStroke(new BasicStroke(3.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(colour);
            g.drawLine(LEFT, y - 4, LEFT + 28, y - 4);
            String text = t.label() + "   " + t.summary();
            g.setColor(Color.BLACK);
            g.drawString(text, LEFT + 40, y + fm.getAscent() / 2 - 4);
            y += LEGEND_ROW;
        }
        int x = LEFT;
        marker(g, new Ellipse2D.Double(x + 8, y - 10, 12, 12));
        g.setColor(Color.BLACK);
        g.drawString("start", x + 40, y + fm.getAscent() / 2 - 4);
        x += 40 + fm.stringWidth("start") + 30;
        g.setStroke(new BasicStroke(2.8f));
        cross(g, x + 14, y - 4, Color.LIGHT_GRAY);
        g.setColor(Color.BLACK);
        g.drawString("end", x + 40, y + fm.getAscent() / 2 - 4);
        x += 40 + fm.stringWidth("end") + 30;
        if (!surface.minima().isEmpty()) {
            if (surface.minima().getFirst().isFinite()) {
                marker(g, star(x + 14, y - 4, 10, 4));
            } else {
                Path2D.Double tri = new Path2D.Double();
                tri.moveTo(x + 14, y + 4);
                tri.lineTo(x + 5, y - 12);
                tri.lineTo(x + 23, y - 12);
                tri.closePath();
                marker(g, tri);
            }
            g.setColor(Color.BLACK);
            List<String> labels = new ArrayList<>();
            for (LossSurface.Minimum m : surface.minima()) labels.add(m.label());
            String text = surface.minima().size() == 1 ? labels.getFirst() : "known minima";
            g.drawString(text, x + 40, y + fm.getAscent() / 2 - 4);
        }
    }

}
