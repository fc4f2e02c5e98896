package dev.panoptim.landscape;

import java.util.List;
import java.util.Objects;
import java.util.function.DoubleBinaryOperator;

/**
 * A loss f(x, y) over two parameters with its gradient, plus what a plot of it needs: the known
 * minima, a default window and start, and whether the colours should follow log(f). Immutable; the
 * {@code with...} methods return modified copies.
 *
 * <p>Built-ins (gradients written out by hand, in double):
 * <ul>
 *   <li>{@link #pathological()}: tanh(x)^2 + 0.01|x| + sigmoid(y). It has <b>no finite minimum</b>:
 *       the infimum 0 is approached along x = 0 as y goes to -infinity. {@link #minima()} holds one
 *       entry (0, -Infinity), which plots mark on the bottom edge of the window, pointing down.</li>
 *   <li>{@link #rosenbrock()}: (a - x)^2 + b (y - x^2)^2 + 1 with a = 1, b = 100; minimum 1 at (a, a^2).
 *       Plotted with a log colour scale.</li>
 *   <li>{@link #trimodal()}: minus three bivariate Gaussians with sigma 0.2 at (1, -0.5), (-1, 0.5) and
 *       (-0.5, -0.8); three minima of equal depth, -1 / (2 pi 0.04) = -3.9789, at the centres (the
 *       other Gaussians move them by less than 1e-9).</li>
 *   <li>{@link #gaussian(double, double, double, double)}: one bivariate Gaussian, negated so that it
 *       is a well like each mode of trimodal: -N(x, y; mean, sigma); minimum -1 / (2 pi sx sy) at the mean.</li>
 * </ul>
 * The Gaussian is the normalized density, the course's {@code bivar_gaussian}:
 * exp(-(x - mx)^2 / (2 sx^2) - (y - my)^2 / (2 sy^2)) / (2 pi sx sy).
 *
 * <p>Your own surface: {@link #autodiff} takes f written with {@link Dual} numbers and gets its exact
 * gradient by forward-mode automatic differentiation; {@link #numeric} takes a plain
 * {@code (x, y) -> double} and gets its gradient from central differences in double precision
 * (step h = 6e-6 * max(1, |coordinate|), error about 1e-10 relative for smooth f), which is slower
 * and inexact at kinks.
 *
 * <pre>{@code
 * LossSurface s = LossSurface.autodiff("bowl", (x, y) -> x.square().plus(y.square().times(10)))
 *         .withMinima(new LossSurface.Minimum(0, 0, 0, "minimum"));
 * double[] g = s.gradient(1, 1);   // {2, 20}
 * }</pre>
 */
public final class LossSurface {
    /** Names of the built-in surfaces, as the CLI's {@code --function} takes them. */
    public static final List<String> BUILT_IN = List.of("pathological", "rosenbrock", "trimodal", "gaussian");

    /**
     * A known minimum (or, with an infinite coordinate, the direction of an infimum) and its value.
     *
     * <pre>{@code new LossSurface.Minimum(1, 1, 1, "global minimum")}</pre>
     */
    public record Minimum(double x, double y, double value, String label) {
        public Minimum {
            Objects.requireNonNull(label, "label");
            if (Double.isNaN(x) || Double.isNaN(y)) throw new IllegalArgumentException("a minimum's coordinates must not be NaN");
        }

        /** True when both coordinates are finite (false for a minimum "at infinity"). */
        public boolean isFinite() {
            return Double.isFinite(x) && Double.isFinite(y);
        }
    }

    /**
     * A rectangle of the (x, y) plane: the part a plot shows.
     *
     * <pre>{@code new LossSurface.Window(-2, 2, -1, 3)}</pre>
     */
    public record Window(double xMin, double xMax, double yMin, double yMax) {
        public Window {
            if (!(Double.isFinite(xMin) && Double.isFinite(xMax) && xMin < xMax)) {
                throw new IllegalArgumentException("window x range must be finite with min < max, got " + xMin + ", " + xMax);
            }
            if (!(Double.isFinite(yMin) && Double.isFinite(yMax) && yMin < yMax)) {
                throw new IllegalArgumentException("window y range must be finite with min < max, got " + yMin + ", " + yMax);
            }
        }

        /** Whether (x, y) lies inside (borders included). */
        public boolean contains(double x, double y) {
            return x >= xMin && x <= xMax && y >= yMin && y <= yMax;
        }
    }

    /** The gradient of a surface at (x, y), as {df/dx, df/dy}. */
    @FunctionalInterface
    interface Gradient {
        double[] at(double x, double y);
    }

    private final String name;
    private final String formula;
    private final DoubleBinaryOperator value;
    private final Gradient gradient;
    private final String gradientMethod;
    private final List<Minimum> minima;
    private final Window window;
    private final double[] defaultStart;
    private final boolean logScale;

    LossSurface(String name, String formula, DoubleBinaryOperator value, Gradient gradient, String gradientMethod,
                List<Minimum> minima, Window window, double[] defaultStart, boolean logScale) {
        this.name = Objects.requireNonNull(name, "name");
        this.formula = Objects.requireNonNull(formula, "formula");
        this.value = Objects.requireNonNull(value, "value");
        this.gradient = Objects.requireNonNull(gradient, "gradient");
        this.gradientMethod = gradientMethod;
        this.minima = List.copyOf(minima);
        this.window = Objects.requireNonNull(window, "window");
        if (defaultStart.length != 2) throw new IllegalArgumentException("a start point has 2 coordinates");
        this.defaultStart = defaultStart.clone();
        this.logScale = logScale;
    }

    // ---- built-ins ----------------------------------------------------------------------------

    /** tanh(x)^2 + 0.01|x| + sigmoid(y): no finite minimum (infimum 0 along x = 0, y to -infinity). */
    public static LossSurface pathological() {
        return BuiltInSurfaces.pathological();
    }

    /** (1 - x)^2 + 100 (y - x^2)^2 + 1, minimum 1 at (1, 1). */
    public static LossSurface rosenbrock() {
        return BuiltInSurfaces.rosenbrock(1, 100);
    }

    /** (a - x)^2 + b (y - x^2)^2 + 1, minimum 1 at (a, a^2); b must be > 0. */
    public static LossSurface rosenbrock(double a, double b) {
        return BuiltInSurfaces.rosenbrock(a, b);
    }

    /** Minus three bivariate Gaussians (sigma 0.2) at (1, -0.5), (-1, 0.5), (-0.5, -0.8). */
    public static LossSurface trimodal() {
        return BuiltInSurfaces.trimodal();
    }

    /** Minus the standard bivariate Gaussian: mean (0, 0), sigma (1, 1). */
    public static LossSurface gaussian() {
        return BuiltInSurfaces.gaussian(0, 0, 1, 1);
    }

    /** Minus a bivariate Gaussian with this mean and these (positive) standard deviations. */
    public static LossSurface gaussian(double xMean, double yMean, double xSigma, double ySigma) {
        return BuiltInSurfaces.gaussian(xMean, yMean, xSigma, ySigma);
    }

    /**
     * A built-in by spec: {@code pathological}, {@code rosenbrock[:a=..,b=..]}, {@code trimodal},
     * {@code gaussian[:x_mean=..,y_mean=..,x_sig=..,y_sig=..]}. Unknown names or keys and malformed
     * values are {@link IllegalArgumentException}s listing what is valid.
     */
    public static LossSurface builtIn(String spec) {
        return BuiltInSurfaces.parse(spec);
    }

    // ---- user surfaces ------------------------------------------------------------------------

    /** Your f written with {@link Dual}s; its gradient comes from forward-mode autodiff (exact). */
    public static LossSurface autodiff(String name, DualFunction f) {
        Objects.requireNonNull(f, "f");
        return new LossSurface(name, name, (x, y) -> f.apply(Dual.constant(x), Dual.constant(y)).value(),
                (x, y) -> {
                    Dual d = f.apply(Dual.x(x), Dual.y(y));
                    return new double[] {d.dx(), d.dy()};
                }, "forward-mode autodiff", List.of(), new Window(-3, 3, -3, 3), new double[] {1.5, 1.5}, false);
    }

    /** Your f as a plain function; its gradient comes from central differences in double precision. */
    public static LossSurface numeric(String name, DoubleBinaryOperator f) {
        Objects.requireNonNull(f, "f");
        return new LossSurface(name, name, f, (x, y) -> centralDifferences(f, x, y), "central differences",
                List.of(), new Window(-3, 3, -3, 3), new double[] {1.5, 1.5}, false);
    }

    /**
     * The gradient of f at (x, y) by central differences, (f(x + h) - f(x - h)) / 2h per coordinate,
     * with h = cbrt(machine epsilon) * max(1, |coordinate|), about 6e-6 near the origin.
     */
    public static double[] centralDifferences(DoubleBinaryOperator f, double x, double y) {
        double hx = stepFor(x), hy = stepFor(y);
        return new double[] {
            (f.applyAsDouble(x + hx, y) - f.applyAsDouble(x - hx, y)) / (2 * hx),
            (f.applyAsDouble(x, y + hy) - f.applyAsDouble(x, y - hy)) / (2 * hy)};
    }

    private static double stepFor(double v) {
        return 6.0554544523933395e-6 * Math.max(1, Math.abs(v));   // cbrt(2^-52)
    }

    // ---- modified copies ----------------------------------------------------------------------

    /** A copy with these known minima (replacing any). */
    public LossSurface withMinima(Minimum... minima) {
        return new LossSurface(name, formula, value, gradient, gradientMethod, List.of(minima), window, defaultStart, logScale);
    }

    /** A copy with this default plot window. */
    public LossSurface withWindow(Window window) {
        return new LossSurface(name, formula, value, gradient, gradientMethod, minima, window, defaultStart, logScale);
    }

    /** A copy with this default start (used by the CLI when no --start is given). */
    public LossSurface withDefaultStart(double x, double y) {
        return new LossSurface(name, formula, value, gradient, gradientMethod, minima, window, new double[] {x, y}, logScale);
    }

    /** A copy whose plots colour by log(f) (for surfaces spanning many orders of magnitude). */
    public LossSurface withLogScale(boolean logScale) {
        return new LossSurface(name, formula, value, gradient, gradientMethod, minima, window, defaultStart, logScale);
    }

    /** A copy with this formula text (shown in plot titles). */
    public LossSurface withFormula(String formula) {
        return new LossSurface(name, formula, value, gradient, gradientMethod, minima, window, defaultStart, logScale);
    }

    // ---- queries ------------------------------------------------------------------------------

    /** f(x, y). */
    public double value(double x, double y) {
        return value.applyAsDouble(x, y);
    }

    /** {df/dx, df/dy} at (x, y). */
    public double[] gradient(double x, double y) {
        return gradient.at(x, y);
    }

    /** The name (a built-in's CLI name, or the one you gave). */
    public String name() {
        return name;
    }

    /** The formula as text, e.g. {@code tanh(x)^2 + 0.01|x| + sigmoid(y)}. */
    public String formula() {
        return formula;
    }

    /** How the gradient is computed: "analytic", "forward-mode autodiff" or "central differences". */
    public String gradientMethod() {
        return gradientMethod;
    }

    /** The known minima (possibly none; a coordinate may be infinite, see the class comment). */
    public List<Minimum> minima() {
        return minima;
    }

    /** The default plot window. */
    public Window window() {
        return window;
    }

    /** The default start {x, y}, a copy. */
    public double[] defaultStart() {
        return defaultStart.clone();
    }

    /** Whether plots colour by log(f). */
    public boolean logScale() {
        return logScale;
    }

    @Override
    public String toString() {
        return name + ": " + formula;
    }
}
