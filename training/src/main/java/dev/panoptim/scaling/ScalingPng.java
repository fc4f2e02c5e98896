package dev.panoptim.scaling;

import dev.panoptim.landscape.Palette;
import dev.panoptim.report.Ticks;

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
 * The study's main plot as a PNG of {@value #WIDTH} x {@value #HEIGHT} pixels, drawn with Java2D (headless): a
 * log-log panel of training compute against validation loss per dropout value, side by side on the same axes, each
 * with its runs (coloured by width exponent, Viridis as in the HTML page), the frontier (a step line: the best loss
 * so far) and the fitted law (dashed, its equation and exponent interval above the panel).
 *
 * <pre>{@code ScalingPng.write(Path.of("scaling.png"), analysis);}</pre>
 */
final class ScalingPng {
    static final int WIDTH = 1400, HEIGHT = 760;
    private static final int LEFT = 90, TOP = 110, RIGHT = 110, GAP = 70, BOTTOM = 120;
    private static final Color FIT = new Color(0xD62728);

    private ScalingPng() {}

    static void write(Path file, ScalingAnalysis a) throws IOException {
        if (!ImageIO.write(render(a), "png", file.toFile())) throw new IOException("no PNG writer in this JVM");
    }

    static BufferedImage render(ScalingAnalysis a) {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            List<ScalingAnalysis.Group> groups = a.groups();
            int n = groups.size(), plotH = HEIGHT - TOP - BOTTOM, plotW = (WIDTH - LEFT - RIGHT - (n - 1) * GAP) / n;
            double[] x = range(a.rows().stream().mapToDouble(ScalingRow::trainFlops).toArray());
            double[] y = range(a.rows().stream().mapToDouble(ScalingRow::valLoss).toArray());
            int kMin = a.rows().stream().mapToInt(ScalingRow::widthExponent).min().orElse(0);
            int kMax = a.rows().stream().mapToInt(ScalingRow::widthExponent).max().orElse(0);
            title(g, "Validation loss against training compute: runs, compute-efficient frontier and fitted law");
            for (int i = 0; i < n; i++) {
                Frame f = new Frame(LEFT + i * (plotW + GAP), TOP, plotW, plotH, x, y);
                panel(g, f, groups.get(i), kMin, kMax);
            }
            colourBar(g, WIDTH - RIGHT + 30, TOP, plotH, kMin, kMax);
            legend(g, HEIGHT - 40);
            return img;
        } finally {
            g.dispose();
        }
    }

    /** A panel's pixel box and its log10 axis ranges. */
    private record Frame(int left, int top, int w, int h, double[] x, double[] y) {
        double px(double c) {
            return left + (Math.log10(c) - x[0]) / (x[1] - x[0]) * w;
        }

        double py(double v) {
            return top + h - (Math.log10(v) - y[0]) / (y[1] - y[0]) * h;
        }
    }

    /** log10 range of positive values, padded by 4% (a decade around a single value). */
    private static double[] range(double[] values) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            lo = Math.min(lo, Math.log10(v));
            hi = Math.max(hi, Math.log10(v));
        }
        if (hi - lo < 1e-9) return new double[] {lo - 0.5, hi + 0.5};
        double pad = (hi - lo) * 0.04;
        return new double[] {lo - pad, hi + pad};
    }

    private static void panel(Graphics2D g, Frame f, ScalingAnalysis.Group group, int kMin, int kMax) {
        List<Double> xTicks = Ticks.log(Math.pow(10, f.x()[0]), Math.pow(10, f.x()[1]));
        List<Double> yTicks = Ticks.log(Math.pow(10, f.y()[0]), Math.pow(10, f.y()[1]));
        g.setStroke(new BasicStroke(1f));
        g.setColor(new Color(0xE6E6E6));
        for (double t : xTicks) g.drawLine((int) Math.round(f.px(t)), f.top(), (int) Math.round(f.px(t)), f.top() + f.h());
        for (double t : yTicks) g.drawLine(f.left(), (int) Math.round(f.py(t)), f.left() + f.w(), (int) Math.round(f.py(t)));
        g.clipRect(f.left(), f.top(), f.w(), f.h());
        for (ScalingRow r : group.rows()) {
            double t = kMax == kMin ? 0.5 : (r.widthExponent() - kMin) / (double) (kMax - kMin);
            Ellipse2D dot = new Ellipse2D.Double(f.px(r.trainFlops()) - 4, f.py(r.valLoss()) - 4, 8, 8);
            g.setColor(new Color(Palette.viridis(t)));
            g.fill(dot);
            g.setColor(new Color(0x444444));
            g.draw(dot);
        }
        Path2D.Double frontier = new Path2D.Double();
        List<ScalingRow> points = group.lossFrontier();
        for (int i = 0; i < points.size(); i++) {
            ScalingRow r = points.get(i);
            if (i == 0) frontier.moveTo(f.px(r.trainFlops()), f.py(r.valLoss()));
            else frontier.lineTo(f.px(r.trainFlops()), f.py(points.get(i - 1).valLoss()));
            frontier.lineTo(f.px(r.trainFlops()), f.py(r.valLoss()));
        }
        frontier.lineTo(f.left() + f.w(), f.py(points.getLast().valLoss()));   // flat to the right: nothing beats it
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(frontier);
        if (group.lossFit() != null) {
            PowerLaw law = group.lossFit().chosen();
            Path2D.Double fit = new Path2D.Double();
            for (int i = 0; i <= 100; i++) {
                double c = Math.pow(10, f.x()[0] + (f.x()[1] - f.x()[0]) * i / 100);
                if (i == 0) fit.moveTo(f.px(c), f.py(law.at(c)));
                else fit.lineTo(f.px(c), f.py(law.at(c)));
            }
            g.setColor(FIT);
            g.setStroke(new BasicStroke(2.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 6f}, 0f));
            g.draw(fit);
        }
        g.setClip(null);
        axes(g, f, xTicks, yTicks);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString("dropout " + ScalingAnalysis.fmt(group.dropout()) + "   (" + group.rows().size() + " runs, " + points.size() + " on the frontier)",
                f.left(), f.top() - 32);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.setColor(group.lossFit() == null ? Color.DARK_GRAY : FIT);
        g.drawString(group.lossFit() == null ? "too few frontier points for a fit"
                : group.lossFit().chosen().equation("L", "C") + "    b = " + group.lossExponent().interval(), f.left(), f.top() - 12);
    }

    private static void axes(Graphics2D g, Frame f, List<Double> xTicks, List<Double> yTicks) {
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(f.left(), f.top(), f.w(), f.h());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        for (double t : xTicks) {
            int px = (int) Math.round(f.px(t));
            g.drawLine(px, f.top() + f.h(), px, f.top() + f.h() + 5);
            String s = Ticks.format(t);
            g.drawString(s, px - fm.stringWidth(s) / 2, f.top() + f.h() + 20);
        }
        for (double t : yTicks) {
            int py = (int) Math.round(f.py(t));
            g.drawLine(f.left() - 5, py, f.left(), py);
            String s = Ticks.format(t);
            g.drawString(s, f.left() - 9 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        String xTitle = "training compute C (FLOPs, log)";
        g.drawString(xTitle, f.left() + f.w() / 2 - g.getFontMetrics().stringWidth(xTitle) / 2, f.top() + f.h() + 44);
        vertical(g, "validation loss (nats, log)", f.left() - 62, f.top() + f.h() / 2);
    }

    private static void vertical(Graphics2D g, String text, int x, int y) {
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2, x, y);
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, y);
        g.setTransform(saved);
    }

    private static void colourBar(Graphics2D g, int x, int top, int h, int kMin, int kMax) {
        int w = 16;
        Palette.drawViridisBar(g, x, top, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (double k : kMax == kMin ? List.of((double) kMin) : Ticks.nice(kMin, kMax, 6)) {
            int py = (int) Math.round(kMax == kMin ? top + h / 2.0 : top + h - (k - kMin) / (kMax - kMin) * h);
            g.drawLine(x + w, py, x + w + 4, py);
            g.drawString(Ticks.format(k), x + w + 7, py + fm.getAscent() / 2 - 1);
        }
        g.drawString("width k", x - 10, top - 10);
    }

    private static void title(Graphics2D g, String text) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 19));
        g.drawString(text, (WIDTH - g.getFontMetrics().stringWidth(text)) / 2, 34);
    }

    private static void legend(Graphics2D g, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        FontMetrics fm = g.getFontMetrics();
        int x = LEFT;
        g.setColor(new Color(Palette.viridis(0.5)));
        g.fill(new Ellipse2D.Double(x, y - 9, 9, 9));
        g.setColor(Color.BLACK);
        String s = "run (colour: width exponent k; channels grow by sqrt(2)^k)";
        g.drawString(s, x + 16, y);
        x += 16 + fm.stringWidth(s) + 36;
        g.setStroke(new BasicStroke(2.2f));
        g.drawLine(x, y - 5, x + 30, y - 5);
        s = "frontier: lowest loss at compute <= C";
        g.drawString(s, x + 38, y);
        x += 38 + fm.stringWidth(s) + 36;
        g.setColor(FIT);
        g.setStroke(new BasicStroke(2.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 6f}, 0f));
        g.drawLine(x, y - 5, x + 30, y - 5);
        g.setColor(Color.BLACK);
        g.drawString("fitted law", x + 38, y);
    }
}
