package dev.panoptim.landscape;

import java.awt.Color;

/**
 * The colours both plots use: Viridis for the surface (the same anchors as Plotly's built-in
 * 'Viridis', so the HTML and the PNG agree) and a cycle of bright trajectory colours that stand out
 * on it. Public for the scaling report's PNG, which colours runs by width with the same Viridis.
 *
 * <pre>{@code Color c = new Color(Palette.viridis(0.5));}</pre>
 */
public final class Palette {
    private Palette() {}

    /** Plotly's Viridis: 17 evenly spaced anchors from 0 to 1. */
    static final String[] VIRIDIS = {"#440154", "#48186a", "#472d7b", "#424086", "#3b528b", "#33638d", "#2c728e",
        "#26828e", "#21918c", "#1fa088", "#28ae80", "#3fbc73", "#5ec962", "#84d44b", "#addc30", "#d8e219", "#fde725"};

    /** Trajectory colours, in order; the cycle repeats after the last. */
    static final String[] TRAJECTORIES = {"#ff3b30", "#00e5ff", "#ff9f0a", "#ff2dd1", "#ffffff", "#a0ff00",
        "#8e8eff", "#000000"};

    private static final Color[] VIRIDIS_RGB = new Color[VIRIDIS.length];

    static {
        for (int i = 0; i < VIRIDIS.length; i++) VIRIDIS_RGB[i] = Color.decode(VIRIDIS[i]);
    }

    /** The trajectory colour for index i, as #rrggbb. */
    static String trajectory(int i) {
        return TRAJECTORIES[Math.floorMod(i, TRAJECTORIES.length)];
    }

    /** Viridis at t in [0, 1] (clamped), linearly interpolated between anchors, as 0xRRGGBB. */
    public static int viridis(double t) {
        double u = Math.clamp(t, 0.0, 1.0) * (VIRIDIS.length - 1);
        int i = Math.min((int) u, VIRIDIS.length - 2);
        double f = u - i;
        Color a = VIRIDIS_RGB[i], b = VIRIDIS_RGB[i + 1];
        int r = (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * f);
        int g = (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * f);
        int bl = (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * f);
        return (r << 16) | (g << 8) | bl;
    }

    /**
     * Draws a vertical Viridis colour bar, low values at the bottom, with its dark-grey frame: the
     * gradient the PNG pictures put beside their plots (ticks are each picture's own).
     */
    public static void drawViridisBar(java.awt.Graphics2D g, int x, int top, int width, int height) {
        for (int j = 0; j < height; j++) {
            g.setColor(new Color(viridis((double) j / (height - 1))));
            g.drawLine(x, top + height - 1 - j, x + width, top + height - 1 - j);
        }
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new java.awt.BasicStroke(1f));
        g.drawRect(x, top, width, height);
    }
}
