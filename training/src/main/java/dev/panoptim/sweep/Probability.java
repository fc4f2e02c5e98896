package dev.panoptim.sweep;

/**
 * The special functions the search methods map distributions with: the standard normal CDF, density and
 * quantile, and the Beta CDF and its inverse, in double precision (Numerical Recipes' incomplete gamma and
 * beta continued fractions, Lanczos' log-gamma, Acklam's quantile refined by Halley steps).
 *
 * Public for the scaling analysis' F-test (dev.panoptim.scaling), which needs the Beta CDF.
 *
 * <pre>{@code double u = Probability.normalCdf(1.96);   // 0.9750021...}</pre>
 */
public final class Probability {
    private static final double LN_SQRT_PI = 0.5 * Math.log(Math.PI);
    private static final double EPS = 1e-16, TINY = 1e-300;

    private Probability() {}

    /** Phi(x). */
    static double normalCdf(double x) {
        double z = x / Math.sqrt(2);
        return z < 0 ? 0.5 * erfc(-z) : 1 - 0.5 * erfc(z);
    }

    /** phi(x). */
    static double normalPdf(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    /** Phi^-1(p) for p in (0, 1); the infinities at 0 and 1. */
    static double normalQuantile(double p) {
        if (Double.isNaN(p) || p < 0 || p > 1) throw new IllegalArgumentException("not a probability: " + p);
        if (p == 0) return Double.NEGATIVE_INFINITY;
        if (p == 1) return Double.POSITIVE_INFINITY;
        double x = acklam(p);
        for (int i = 0; i < 2; i++) {   // Halley: exact to the CDF above, so mapping there and back round-trips
            double e = normalCdf(x) - p, u = e / normalPdf(x);
            if (!Double.isFinite(u)) break;
            x -= u / (1 + x * u / 2);
        }
        return x;
    }

    /** erfc(z) for z >= 0, through the regularized upper incomplete gamma Q(1/2, z^2). */
    private static double erfc(double z) {
        double x = z * z;
        if (x < 1.5) return 1 - gammaSeries(x);
        return gammaFraction(x);
    }

    /** P(1/2, x) by its series. */
    private static double gammaSeries(double x) {
        double a = 0.5, ap = a, sum = 1 / a, del = sum;
        for (int n = 0; n < 500 && Math.abs(del) > Math.abs(sum) * EPS; n++) {
            ap++;
            del *= x / ap;
            sum += del;
        }
        return sum * Math.exp(-x + a * Math.log(x) - LN_SQRT_PI);
    }

    /** Q(1/2, x) by its continued fraction (modified Lentz). */
    private static double gammaFraction(double x) {
        double a = 0.5, b = x + 1 - a, c = 1 / TINY, d = 1 / b, h = d;
        for (int i = 1; i < 500; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < TINY) d = TINY;
            c = b + an / c;
            if (Math.abs(c) < TINY) c = TINY;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < EPS) break;
        }
        return Math.exp(-x + a * Math.log(x) - LN_SQRT_PI) * h;
    }

    /** Acklam's rational approximation of the normal quantile (relative error 1.15e-9). */
    private static double acklam(double p) {
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double low = 0.02425;
        if (p < low || p > 1 - low) {
            double q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
            double x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
            return p < low ? x : -x;
        }
        double q = p - 0.5, r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }

    /** ln Gamma(x) for x > 0 (Lanczos, g = 607/128, 15 terms; about 1e-15 relative). */
    static double logGamma(double x) {
        double[] c = {0.99999999999999709182, 57.156235665862923517, -59.597960355475491248, 14.136097974741747174,
                -0.49191381609762019978, .33994649984811888699e-4, .46523628927048575665e-4, -.98374475304879564677e-4,
                .15808870322491248884e-3, -.21026444172410488319e-3, .21743961811521264320e-3, -.16431810653676389022e-3,
                .84418223983852743293e-4, -.26190838401581408670e-4, .36899182659531622704e-5};
        double g = 607.0 / 128, sum = c[0];
        for (int i = 1; i < c.length; i++) sum += c[i] / (x - 1 + i);
        double t = x - 0.5 + g;
        return 0.5 * Math.log(2 * Math.PI) + (x - 0.5) * Math.log(t) - t + Math.log(sum);
    }

    /** The regularized incomplete beta I_x(a, b): the CDF of Beta(a, b) at x. */
    public static double betaCdf(double x, double a, double b) {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
        return x < (a + 1) / (a + b + 2) ? front * betaFraction(x, a, b) / a : 1 - front * betaFraction(1 - x, b, a) / b;
    }

    /** The continued fraction of I_x(a, b) (modified Lentz). */
    private static double betaFraction(double x, double a, double b) {
        double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d = 1 - qab * x / qap;
        if (Math.abs(d) < TINY) d = TINY;
        d = 1 / d;
        double h = d;
        for (int m = 1; m < 1000; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < TINY) d = TINY;
            c = 1 + aa / c;
            if (Math.abs(c) < TINY) c = TINY;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < TINY) d = TINY;
            c = 1 + aa / c;
            if (Math.abs(c) < TINY) c = TINY;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < EPS) break;
        }
        return h;
    }

    /** The x in [0, 1] with I_x(a, b) = p, by bisection (the CDF is monotone; 60 halvings reach double precision). */
    static double betaQuantile(double p, double a, double b) {
        if (p <= 0) return 0;
        if (p >= 1) return 1;
        double lo = 0, hi = 1;
        for (int i = 0; i < 60; i++) {
            double mid = 0.5 * (lo + hi);
            if (betaCdf(mid, a, b) < p) lo = mid;
            else hi = mid;
        }
        return 0.5 * (lo + hi);
    }
}
