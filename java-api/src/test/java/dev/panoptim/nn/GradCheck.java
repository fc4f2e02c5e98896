package dev.panoptim.nn;

import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks a module's forward against a float64 reference and its backward (input and parameter
 * gradients) against central differences of that reference: with a random r of the output's shape,
 * L = sum(reference(inputs) * r), and dL/dv is compared with the module's gradients for r.
 */
final class GradCheck {
    /** Central-difference step: the reference is float64, so truncation and rounding stay ~1e-10. */
    static final double STEP = 1e-5;
    static final double ATOL = 2e-4;
    static final double RTOL = 2e-3;

    private GradCheck() {}

    static double[] toDouble(Tensor t) {
        float[] f = t.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    /** A CPU tensor of the shape filled from U(-1, 1). */
    static Tensor random(SplittableRandom rng, int... shape) {
        return random(rng, Device.CPU, shape);
    }

    /** A tensor on {@code device} of the shape filled from U(-1, 1) (the same values on every device). */
    static Tensor random(SplittableRandom rng, Device device, int... shape) {
        Tensor t = Tensor.zeros(device, shape);
        float[] v = new float[(int) t.numel()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextDouble() * 2 - 1);
        return t.copyFrom(v);
    }

    /**
     * Runs {@code module} on {@code input} (which must have requiresGrad or not, as the caller wants),
     * checks the output against {@code reference} (called with the input and then every tensor of
     * {@code params}, as float64) and the gradients of the input (when {@code checkInput}) and of
     * {@code params} (their grads must be null before) against central differences. Returns the
     * largest relative error seen.
     */
    static double check(Module module, Tensor input, List<Tensor> params, Function<double[][], double[]> reference,
                        boolean checkInput, SplittableRandom rng) {
        Tensor out = module.forward(input);
        double[][] values = new double[1 + params.size()][];
        values[0] = toDouble(input);
        for (int i = 0; i < params.size(); i++) values[1 + i] = toDouble(params.get(i));
        double[] ref = reference.apply(values);
        double[] got = toDouble(out);
        assertEquals(ref.length, got.length, "output size");
        for (int i = 0; i < ref.length; i++) {
            assertClose(ref[i], got[i], 1e-4, 1e-4, module.getClass().getSimpleName() + " forward output[" + i + "]");
        }
        try (Tensor r = random(rng, out.device(), out.shape())) {
            double[] rv = toDouble(r);
            Tensor dx = module.backward(r, checkInput);
            double worst = 0;
            if (checkInput) worst = Math.max(worst, compare(module, "input", values, 0, toDouble(dx), rv, reference));
            for (int i = 0; i < params.size(); i++) {
                Tensor g = params.get(i).grad();
                if (g == null) throw new AssertionError("parameter " + i + " got no grad");
                worst = Math.max(worst, compare(module, "param " + i + " " + Arrays.toString(params.get(i).shape()), values,
                        1 + i, toDouble(g), rv, reference));
            }
            return worst;
        }
    }

    private static double compare(Module module, String what, double[][] values, int which, double[] analytic, double[] r,
                                  Function<double[][], double[]> reference) {
        double[] v = values[which];
        assertEquals(v.length, analytic.length, what + " gradient size");
        double worst = 0;
        for (int j = 0; j < v.length; j++) {
            double keep = v[j];
            v[j] = keep + STEP;
            double plus = dot(reference.apply(values), r);
            v[j] = keep - STEP;
            double minus = dot(reference.apply(values), r);
            v[j] = keep;
            double numeric = (plus - minus) / (2 * STEP);
            assertClose(numeric, analytic[j], ATOL, RTOL, module.getClass().getSimpleName() + " grad of " + what + "[" + j + "]");
            worst = Math.max(worst, Math.abs(numeric - analytic[j]) / (ATOL + RTOL * Math.abs(numeric)));
        }
        return worst;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static void assertClose(double expected, double actual, double atol, double rtol, String what) {
        assertTrue(Math.abs(expected - actual) <= atol + rtol * Math.abs(expected),
                what + ": expected " + expected + ", got " + actual + " (diff " + Math.abs(expected - actual) + ")");
    }
}
