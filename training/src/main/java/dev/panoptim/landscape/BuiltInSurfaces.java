package dev.panoptim.landscape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The built-in surfaces of {@link LossSurface}: each value and its gradient written out by hand in
 * double (the tests hold the gradients to central differences), and the CLI spec parser.
 */
final class BuiltInSurfaces {
    private BuiltInSurfaces() {}

    /** The course's trimodal surface: Gaussian centres and their common sigma. */
    static final double[][] TRIMODAL_CENTRES = {{1, -0.5}, {-1, 0.5}, {-0.5, -0.8}};
    static final double TRIMODAL_SIGMA = 0.2;

    // f = tanh(x)^2 + 0.01|x| + sigmoid(y)
    // df/dx = 2 tanh(x) (1 - tanh(x)^2) + 0.01 sign(x)      (slope 0 at the kink x = 0, like torch)
    // df/dy = sigmoid(y) (1 - sigmoid(y))
    static LossSurface pathological() {
        return new LossSurface("pathological", "tanh(x)^2 + 0.01|x| + sigmoid(y)",
                (x, y) -> {
                    double t = Math.tanh(x);
                    return t * t + 0.01 * Math.abs(x) + Dual.sigmoid(y);
                },
                (x, y) -> {
                    double t = Math.tanh(x), s = Dual.sigmoid(y);
                    return new double[] {2 * t * (1 - t * t) + 0.01 * Math.signum(x), s * (1 - s)};
                }, "analytic",
                List.of(new LossSurface.Minimum(0, Double.NEGATIVE_INFINITY, 0,
                        "infimum 0 along x = 0 as y -> -inf (no finite minimum)")),
                new LossSurface.Window(-5, 5, -5, 5), new double[] {2.5, 2.5}, false);
    }

    // f = (a - x)^2 + b (y - x^2)^2 + 1
    // df/dx = -2 (a - x) - 4 b x (y - x^2);  df/dy = 2 b (y - x^2)
    static LossSurface rosenbrock(double a, double b) {
        if (!Double.isFinite(a)) throw new IllegalArgumentException("rosenbrock: a must be finite, got " + a);
        if (!(b > 0) || Double.isInfinite(b)) throw new IllegalArgumentException("rosenbrock: b must be a finite number > 0, got " + b);
        String formula = "(" + num(a) + " - x)^2 + " + num(b) + " (y - x^2)^2 + 1";
        double span = Math.max(2, Math.abs(a) + 1);
        return new LossSurface("rosenbrock", formula,
                (x, y) -> {
                    double u = a - x, v = y - x * x;
                    return u * u + b * v * v + 1;
                },
                (x, y) -> {
                    double v = y - x * x;
                    return new double[] {-2 * (a - x) - 4 * b * x * v, 2 * b * v};
                }, "analytic",
                List.of(new LossSurface.Minimum(a, a * a, 1, "global minimum 1 at (" + num(a) + ", " + num(a * a) + ")")),
                new LossSurface.Window(-span, span, Math.min(-1, a * a - span), a * a + span),
                new double[] {-1.5, 2}, true);
    }

    // f = -sum_i N(x, y; c_i, 0.2);  grad = sum_i N_i * ((x - cx_i) / s^2, (y - cy_i) / s^2)
    static LossSurface trimodal() {
        double s = TRIMODAL_SIGMA;
        List<LossSurface.Minimum> minima = new ArrayList<>();
        for (double[] c : TRIMODAL_CENTRES) {
            double v = -trimodalSum(c[0], c[1], null);
            minima.add(new LossSurface.Minimum(c[0], c[1], v, "minimum at (" + num(c[0]) + ", " + num(c[1]) + ")"));
        }
        return new LossSurface("trimodal",
                "-N(x,y; (1,-0.5), 0.2) - N(x,y; (-1,0.5), 0.2) - N(x,y; (-0.5,-0.8), 0.2)",
                (x, y) -> -trimodalSum(x, y, null),
                (x, y) -> {
                    double[] g = new double[2];
                    trimodalSum(x, y, g);
                    return g;
                }, "analytic", minima, new LossSurface.Window(-2, 2, -2, 2), new double[] {0.2, -0.3}, false);
    }

    /** Sum of the three densities at (x, y); adds the gradient of minus the sum into {@code grad} if non-null. */
    private static double trimodalSum(double x, double y, double[] grad) {
        double sum = 0;
        double s2 = TRIMODAL_SIGMA * TRIMODAL_SIGMA;
        for (double[] c : TRIMODAL_CENTRES) {
            double n = density(x, y, c[0], c[1], TRIMODAL_SIGMA, TRIMODAL_SIGMA);
            sum += n;
            if (grad != null) {
                grad[0] += n * (x - c[0]) / s2;
                grad[1] += n * (y - c[1]) / s2;
            }
        }
        return sum;
    }

    // f = -N(x, y; (mx, my), (sx, sy));  df/dx = N (x - mx) / sx^2;  df/dy = N (y - my) / sy^2
    static LossSurface gaussian(double mx, double my, double sx, double sy) {
        if (!Double.isFinite(mx) || !Double.isFinite(my)) {
            throw new IllegalArgumentException("gaussian: the mean must be finite, got (" + mx + ", " + my + ")");
        }
        if (!(sx > 0 && sy > 0) || Double.isInfinite(sx) || Double.isInfinite(sy)) {
            throw new IllegalArgumentException("gaussian: x_sig and y_sig must be finite numbers > 0, got " + sx + ", " + sy);
        }
        String formula = "-N(x,y; (" + num(mx) + "," + num(my) + "), (" + num(sx) + "," + num(sy) + "))";
        double depth = -1 / (2 * Math.PI * sx * sy);
        return new LossSurface("gaussian", formula,
                (x, y) -> -density(x, y, mx, my, sx, sy),
                (x, y) -> {
                    double n = density(x, y, mx, my, sx, sy);
                    return new double[] {n * (x - mx) / (sx * sx), n * (y - my) / (sy * sy)};
                }, "analytic",
                List.of(new LossSurface.Minimum(mx, my, depth, "minimum at the mean (" + num(mx) + ", " + num(my) + ")")),
                new LossSurface.Window(mx - 3 * sx, mx + 3 * sx, my - 3 * sy, my + 3 * sy),
                new double[] {mx + 2 * sx, my + 0.8 * sy}, false);
    }

    /** The bivariate normal density with independent coordinates (the course's bivar_gaussian). */
    static double density(double x, double y, double mx, double my, double sx, double sy) {
        double u = (x - mx) / sx, v = (y - my) / sy;
        return Math.exp(-0.5 * (u * u + v * v)) / (2 * Math.PI * sx * sy);
    }

    /** The CLI form: {@code name[:key=value,...]}. */
    static LossSurface parse(String text) {
        Spec spec = Spec.parse(text, "function");
        Map<String, String> o = spec.options();
        return switch (spec.name()) {
            case "pathological" -> {
                onlyKeys(spec, Set.of());
                yield pathological();
            }
            case "trimodal" -> {
                onlyKeys(spec, Set.of());
                yield trimodal();
            }
            case "rosenbrock" -> {
                onlyKeys(spec, Set.of("a", "b"));
                yield rosenbrock(get(spec, "a", 1), get(spec, "b", 100));
            }
            case "gaussian" -> {
                onlyKeys(spec, Set.of("x_mean", "y_mean", "x_sig", "y_sig"));
                yield gaussian(get(spec, "x_mean", 0), get(spec, "y_mean", 0), get(spec, "x_sig", 1), get(spec, "y_sig", 1));
            }
            default -> throw new IllegalArgumentException("unknown function '" + spec.name() + "' (valid: "
                    + String.join(", ", LossSurface.BUILT_IN) + "; e.g. rosenbrock:a=1,b=100 or gaussian:x_mean=0,y_mean=0,x_sig=1,y_sig=1)");
        };
    }

    private static void onlyKeys(Spec spec, Set<String> valid) {
        for (String k : spec.options().keySet()) {
            if (!valid.contains(k)) {
                throw new IllegalArgumentException("function " + spec.name() + ": unknown parameter '" + k + "' ("
                        + (valid.isEmpty() ? "it takes no parameters" : "valid: " + String.join(", ", sorted(valid))) + ")");
            }
        }
    }

    private static List<String> sorted(Set<String> s) {
        List<String> l = new ArrayList<>(s);
        l.sort(null);
        return l;
    }

    private static double get(Spec spec, String key, double fallback) {
        String v = spec.options().get(key);
        return v == null ? fallback : Spec.number(key, v, spec.text());
    }

    /** A number without trailing zeros: 1, 0.5, 100. */
    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%s", v);
    }
}
