package dev.panoptim.landscape;

/**
 * A forward-mode dual number over two inputs: a value with its partial derivatives by x and by y,
 * in double precision. Arithmetic on duals applies the chain rule, so a function of (x, y) written
 * with duals yields its exact gradient in one evaluation. Immutable.
 *
 * <p>Derivatives at kinks follow torch: {@code abs} has slope 0 at 0 (torch's {@code sgn}); {@code sqrt}
 * at 0 and {@code log} at 0 give infinite slopes, as in torch.
 *
 * <pre>{@code
 * LossSurface saddle = LossSurface.autodiff("saddle", (x, y) -> x.square().minus(y.square()));
 * Dual f = Dual.x(2).tanh().square().plus(Dual.y(1).sigmoid());   // f.dx(), f.dy() are the gradient
 * }</pre>
 */
public final class Dual {
    private final double value;
    private final double dx;
    private final double dy;

    private Dual(double value, double dx, double dy) {
        this.value = value;
        this.dx = dx;
        this.dy = dy;
    }

    /** The input x with the given value (derivative 1 by x, 0 by y). */
    public static Dual x(double value) {
        return new Dual(value, 1, 0);
    }

    /** The input y with the given value (derivative 0 by x, 1 by y). */
    public static Dual y(double value) {
        return new Dual(value, 0, 1);
    }

    /** A constant (zero derivatives). */
    public static Dual constant(double value) {
        return new Dual(value, 0, 0);
    }

    /** The value. */
    public double value() {
        return value;
    }

    /** The partial derivative by x. */
    public double dx() {
        return dx;
    }

    /** The partial derivative by y. */
    public double dy() {
        return dy;
    }

    /** f(this) with f'(this) = slope: the chain rule for every unary function below. */
    private Dual chain(double f, double slope) {
        return new Dual(f, slope * dx, slope * dy);
    }

    public Dual plus(Dual o) {
        return new Dual(value + o.value, dx + o.dx, dy + o.dy);
    }

    public Dual plus(double c) {
        return new Dual(value + c, dx, dy);
    }

    public Dual minus(Dual o) {
        return new Dual(value - o.value, dx - o.dx, dy - o.dy);
    }

    public Dual minus(double c) {
        return new Dual(value - c, dx, dy);
    }

    public Dual times(Dual o) {
        return new Dual(value * o.value, dx * o.value + value * o.dx, dy * o.value + value * o.dy);
    }

    public Dual times(double c) {
        return new Dual(value * c, dx * c, dy * c);
    }

    public Dual div(Dual o) {
        double q = value / o.value;
        return new Dual(q, (dx - q * o.dx) / o.value, (dy - q * o.dy) / o.value);
    }

    public Dual div(double c) {
        return new Dual(value / c, dx / c, dy / c);
    }

    /** -this. */
    public Dual negate() {
        return new Dual(-value, -dx, -dy);
    }

    /** this * this. */
    public Dual square() {
        return chain(value * value, 2 * value);
    }

    /** this ^ p for a constant exponent. */
    public Dual pow(double p) {
        if (p == 0) return constant(1);
        if (p == 1) return this;
        if (p == 2) return square();
        return chain(Math.pow(value, p), p * Math.pow(value, p - 1));
    }

    /** this ^ e for a dual exponent: exp(e * log(this)), defined for this > 0. */
    public Dual pow(Dual e) {
        double f = Math.pow(value, e.value);
        double dBase = e.value * Math.pow(value, e.value - 1);
        double dExp = f * Math.log(value);
        return new Dual(f, dBase * dx + dExp * e.dx, dBase * dy + dExp * e.dy);
    }

    public Dual exp() {
        double e = Math.exp(value);
        return chain(e, e);
    }

    /** Natural logarithm. */
    public Dual log() {
        return chain(Math.log(value), 1 / value);
    }

    public Dual sqrt() {
        double s = Math.sqrt(value);
        return chain(s, 0.5 / s);
    }

    public Dual tanh() {
        double t = Math.tanh(value);
        return chain(t, 1 - t * t);
    }

    /** 1 / (1 + exp(-this)). */
    public Dual sigmoid() {
        double s = sigmoid(value);
        return chain(s, s * (1 - s));
    }

    /** |this|, with slope sign(this) and 0 at 0 (like torch). */
    public Dual abs() {
        return chain(Math.abs(value), Math.signum(value));
    }

    public Dual sin() {
        return chain(Math.sin(value), Math.cos(value));
    }

    public Dual cos() {
        return chain(Math.cos(value), -Math.sin(value));
    }

    /** The logistic function in double, without overflow for large |v|. */
    static double sigmoid(double v) {
        if (v >= 0) return 1 / (1 + Math.exp(-v));
        double e = Math.exp(v);
        return e / (1 + e);
    }

    @Override
    public String toString() {
        return "Dual(" + value + ", d/dx " + dx + ", d/dy " + dy + ")";
    }
}
