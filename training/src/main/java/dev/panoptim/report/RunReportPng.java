package dev.panoptim.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The run report's main plot as a PNG, drawn with Java2D (headless): the loss curves on the left axis,
 * the accuracy on a right axis, steps along x, gaps where a value is NaN, and a legend with each
 * metric's last value (and its axis).
 */
final class RunReportPng {
    static final int WIDTH = 1200;
    private static final int LEFT = 100, TOP = 80, PLOT_W = 960, PLOT_H = 520, LEGEND_ROW = 22;

    private RunReportPng() {}

    static void write(Path file, ReportData d) throws IOException {
        if (!ImageIO.write(render(d), "png", file.toFile())) throw new IOException("no PNG writer in this JVM");
    }

    static BufferedImage render(ReportData d) {
        List<Series> all = d.main();
        int legendRows = Math.max(1, all.size());
        int height = TOP + PLOT_H + 70 + legendRows * LEGEND_ROW + 20;
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            title(g, d.title(), d.subtitle());
            if (all.isEmpty()) {
                g.setColor(Color.DARK_GRAY);
                g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 16));
                g.drawString("No metrics were logged in this run.", LEFT + 20, TOP + PLOT_H / 2);
                return img;
            }
            long[] xs = stepRange(all);
            double[] left = valueRange(d.left()), right = valueRange(d.right());
            Frame f = new Frame(xs[0], xs[1]);
            grid(g, f, left);
            for (Series s : d.left()) curve(g, f, s, left, Color.decode(d.colour(s)));
            for (Series s : d.right()) curve(g, f, s, right, Color.decode(d.colour(s)));
            axes(g, f, left, d.leftTitle(), d.right().isEmpty() ? null : right, d.rightTitle());
            legend(g, d, TOP + PLOT_H + 75);
            return img;
        } finally {
            g.dispose();
        }
    }

    /** Pixel positions of steps; y ranges are passed per axis. */
    private record Frame(long x0, long x1) {
        double px(double step) {
            return LEFT + (step - x0) / (double) (x1 - x0) * PLOT_W;
        }

        static double py(double v, double[] range) {
            return TOP + PLOT_H - (v - range[0]) / (range[1] - range[0]) * PLOT_H;
        }
    }

    private static long[] stepRange(List<Series> all) {
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (Series s : all) {
            for (long x : s.steps()) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        if (lo == hi) {
            lo = Math.max(0, lo - 1);
            hi = lo + 2;
        }
        return new long[] {lo, hi};
    }

    /** The finite values' range with 5% padding; [v - 0.5, v + 0.5] for a single value; [0, 1] for none. */
    static double[] valueRange(List<Series> list) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Series s : list) {
            for (double v : s.values()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) return new double[] {0, 1};
        if (lo == hi) return new double[] {lo - 0.5, hi + 0.5};
        double pad = (hi - lo) * 0.05;
        return new double[] {lo - pad, hi + pad};
    }

    private static void grid(Graphics2D g, Frame f, double[] left) {
        g.setColor(new Color(0xE6E6E6));
        g.setStroke(new BasicStroke(1f));
        for (double y : Ticks.nice(left[0], left[1], 8)) {
            int py = (int) Math.round(Frame.py(y, left));
            g.drawLine(LEFT, py, LEFT + PLOT_W, py);
        }
        for (double x : Ticks.nice(f.x0(), f.x1(), 10)) {
            int px = (int) Math.round(f.px(x));
            g.drawLine(px, TOP, px, TOP + PLOT_H);
        }
    }

    private static void curve(Graphics2D g, Frame f, Series s, double[] range, Color colour) {
        Path2D.Double path = new Path2D.Double();
        boolean pen = false;
        int drawn = 0;
        for (int i = 0; i < s.steps().length; i++) {
            double v = s.values()[i];
            if (!Double.isFinite(v)) {
                pen = false;
                continue;
            }
            double x = f.px(s.steps()[i]), y = Frame.py(v, range);
            if (pen) path.lineTo(x, y);
            else path.moveTo(x, y);
            pen = true;
            drawn++;
        }
        g.setColor(colour);
        g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.clipRect(LEFT - 4, TOP - 4, PLOT_W + 8, PLOT_H + 8);
        g.draw(path);
        if (drawn <= 50) {   // few points: mark each, so a single value shows
            for (int i = 0; i < s.steps().length; i++) {
                double v = s.values()[i];
                if (Double.isFinite(v)) g.fill(new Ellipse2D.Double(f.px(s.steps()[i]) - 3.5, Frame.py(v, range) - 3.5, 7, 7));
            }
        }
        g.setClip(null);
    }

    private static void axes(Graphics2D g, Frame f, double[] left, String leftTitle, double[] right, String rightTitle) {
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(LEFT, TOP, PLOT_W, PLOT_H);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        for (double x : Ticks.nice(f.x0(), f.x1(), 10)) {
            int px = (int) Math.round(f.px(x));
            g.drawLine(px, TOP + PLOT_H, px, TOP + PLOT_H + 5);
            String s = Ticks.format(x);
            g.drawString(s, px - fm.stringWidth(s) / 2, TOP + PLOT_H + 20);
        }
        for (double y : Ticks.nice(left[0], left[1], 8)) {
            int py = (int) Math.round(Frame.py(y, left));
            g.drawLine(LEFT - 5, py, LEFT, py);
            String s = Ticks.format(y);
            g.drawString(s, LEFT - 9 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
        }
        if (right != null) {
            for (double y : Ticks.nice(right[0], right[1], 8)) {
                int py = (int) Math.round(Frame.py(y, right));
                g.drawLine(LEFT + PLOT_W, py, LEFT + PLOT_W + 5, py);
                g.drawString(Ticks.format(y), LEFT + PLOT_W + 9, py + fm.getAscent() / 2 - 1);
            }
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        fm = g.getFontMetrics();
        g.drawString("step", LEFT + PLOT_W / 2 - fm.stringWidth("step") / 2, TOP + PLOT_H + 42);
        vertical(g, leftTitle, 30, TOP + PLOT_H / 2, -Math.PI / 2);
        if (right != null) vertical(g, rightTitle, LEFT + PLOT_W + 70, TOP + PLOT_H / 2, Math.PI / 2);
    }

    private static void vertical(Graphics2D g, String text, int x, int y, double angle) {
        AffineTransform saved = g.getTransform();
        g.rotate(angle, x, y);
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, y);
        g.setTransform(saved);
    }

    private static void title(Graphics2D g, String title, String subtitle) {
        g.setColor(Color.BLACK);
        int size = 20;
        do {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size--));
        } while (g.getFontMetrics().stringWidth(title) > WIDTH - 40 && size > 9);
        g.drawString(title, (WIDTH - g.getFontMetrics().stringWidth(title)) / 2, 34);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.drawString(subtitle, (WIDTH - g.getFontMetrics().stringWidth(subtitle)) / 2, 58);
    }

    private static void legend(Graphics2D g, ReportData d, int top) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        FontMetrics fm = g.getFontMetrics();
        int y = top;
        for (Series s : d.main()) {
            g.setColor(Color.decode(d.colour(s)));
            g.setStroke(new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.drawLine(LEFT, y - 5, LEFT + 30, y - 5);
            g.setColor(Color.BLACK);
            String axis = d.right().isEmpty() ? "" : d.right().contains(s) ? "  (right axis)" : "  (left axis)";
            g.drawString(s.key() + "   last " + Ticks.format(s.last()) + axis, LEFT + 42, y + fm.getAscent() / 2 - 5);
            y += LEGEND_ROW;
        }
    }
}
