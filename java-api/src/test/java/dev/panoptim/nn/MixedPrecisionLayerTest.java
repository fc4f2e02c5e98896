package dev.panoptim.nn;

import dev.panoptim.tensor.BFloat16;
import dev.panoptim.tensor.DType;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Devices;
import dev.panoptim.tensor.Float16;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static dev.panoptim.nn.GradCheck.random;
import static dev.panoptim.nn.GradCheck.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conv2d and Linear under bfloat16 / float16 compute ({@link Module#setComputeDType}) against a
 * float64 reference over operands rounded in Java, CPU against CUDA, and the bfloat16 weight copies'
 * life cycle (made, moved, reloaded, closed).
 *
 * <p>Tolerance: the kernels multiply the rounded operands exactly (a bf16 or fp16 product fits in
 * float32) and sum at most 64 products in float32, so each result differs from the float64 sum of
 * the same products by float32 summation error only, which is at most 64 * 2^-24 times the sum of
 * the products' magnitudes (the classic bound n * u * sum |terms|): {@link #bound} computes it per
 * element from the same reference over the operands' absolute values. Rounding the operands moves
 * results by about 2^-9 (bf16) or 2^-12 (fp16) relative, which {@link #assertRoundingMatters} checks
 * is well outside that bound somewhere, so the test sees a missing or wrong rounding.
 */
class MixedPrecisionLayerTest {
    /** CPU against CUDA: each is within {@link #bound} (at most ~5e-5 here) of the same float64 value. */
    private static final double TOL = 1e-4;
    /** At most 64 terms per sum here (54 is the largest: conv dw sums N * P * Q = 36, linear y 37 + bias). */
    private static final double SUM_ERROR = 64 * 0x1p-24;

    private static double[] abs(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Math.abs(v[i]);
        return out;
    }

    /** The float32 summation error bound per element, from the sums of the terms' magnitudes. */
    private static double[] bound(double[] absSums) {
        double[] out = new double[absSums.length];
        for (int i = 0; i < out.length; i++) out[i] = SUM_ERROR * absSums[i] + 1e-30;
        return out;
    }

    static Stream<Arguments> devicesAndDTypes() {
        List<Arguments> out = new ArrayList<>();
        for (Device d : Devices.list()) for (DType t : List.of(DType.BFLOAT16, DType.FLOAT16)) out.add(Arguments.of(d, t));
        return out.stream();
    }

    private static double[] rounded(double[] v, DType dtype) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            float f = (float) v[i];
            out[i] = dtype == DType.BFLOAT16 ? BFloat16.toFloat(BFloat16.fromFloat(f)) : Float16.toFloat(Float16.fromFloat(f));
        }
        return out;
    }

    private static void assertClose(double[] ref, double[] tol, Tensor actual, String what) {
        float[] a = actual.toFloatArray();
        assertEquals(ref.length, a.length, what);
        for (int i = 0; i < a.length; i++) {
            assertTrue(Math.abs(a[i] - ref[i]) <= tol[i], what + "[" + i + "]: " + a[i] + " vs reference " + ref[i]
                    + " (tolerance " + tol[i] + ")");
        }
    }

    /** Somewhere the reference over unrounded operands is more than 3 bounds away from the rounded one. */
    private static void assertRoundingMatters(double[] roundedRef, double[] exactRef, double[] tol, String what) {
        double ratio = 0;
        for (int i = 0; i < exactRef.length; i++) ratio = Math.max(ratio, Math.abs(roundedRef[i] - exactRef[i]) / tol[i]);
        assertTrue(ratio > 3, what + ": rounding the operands changes the result by only " + ratio + " error bounds");
    }

    // ------------------------------------------------------------------ Linear

    /** x (N, IN), w (OUT, IN), dy (N, OUT): dx (N, IN), dw (OUT, IN), db (OUT). */
    private static double[][] linearBackward(double[] x, double[] w, double[] dy, int n, int in, int out) {
        double[] dx = new double[n * in], dw = new double[out * in], db = new double[out];
        for (int i = 0; i < n; i++) for (int o = 0; o < out; o++) {
            db[o] += dy[i * out + o];
            for (int j = 0; j < in; j++) {
                dx[i * in + j] += dy[i * out + o] * w[o * in + j];
                dw[o * in + j] += dy[i * out + o] * x[i * in + j];
            }
        }
        return new double[][] {dx, dw, db};
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("devicesAndDTypes")
    void linearMatchesTheRoundedReference(Device device, DType compute) {
        int n = 5, in = 37, out = 6;
        SplittableRandom rng = new SplittableRandom(11);
        try (Linear fc = LayerGradientTest.on(device, new Linear(in, out)); Tensor x = random(rng, device, n, in);
             Tensor dy = random(rng, device, n, out)) {
            fc.setComputeDType(compute);
            double[] xd = toDouble(x), wd = toDouble(fc.weight()), bd = toDouble(fc.bias()), dyd = toDouble(dy);
            double[] xr = rounded(xd, compute), wr = rounded(wd, compute), dyr = rounded(dyd, compute);

            double[] y = Reference.linear(xr, n, in, wr, out, bd);
            double[] yTol = bound(Reference.linear(abs(xr), n, in, abs(wr), out, abs(bd)));
            assertClose(y, yTol, fc.forward(x), "y");
            assertRoundingMatters(y, Reference.linear(xd, n, in, wd, out, bd), yTol, "y");

            Tensor dx = fc.backward(dy);
            double[][] ref = linearBackward(xr, wr, dyr, n, in, out);
            double[][] tol = linearBackward(abs(xr), abs(wr), abs(dyr), n, in, out);
            double[][] exact = linearBackward(xd, wd, dyd, n, in, out);
            assertClose(ref[0], bound(tol[0]), dx, "dx");
            assertClose(ref[1], bound(tol[1]), fc.weight().grad(), "dweight");
            assertClose(exact[2], bound(linearBackward(xd, wd, abs(dyd), n, in, out)[2]), fc.bias().grad(),
                    "dbias (float32 sum, no rounding)");
            assertRoundingMatters(ref[1], exact[1], bound(tol[1]), "dweight");
        }
    }

    // ------------------------------------------------------------------ Conv2d

    private static final int N = 2, C = 3, H = 5, W = 6, K = 4, R = 3, S = 2, SH = 2, SW = 1, PH = 1, PW = 0;

    private static double[] conv(double[] x, double[] w, double[] b) {
        return Reference.conv2d(x, N, C, H, W, w, K, R, S, b, SH, SW, PH, PW);
    }

    /** dx_j and dw_j as the sum of dy times the conv of a unit input (the conv is linear in x and in w). */
    private static double[][] convBackward(double[] x, double[] w, double[] dy) {
        double[] dx = new double[x.length], dw = new double[w.length];
        for (int j = 0; j < x.length; j++) {
            double[] e = new double[x.length];
            e[j] = 1;
            dx[j] = dot(dy, conv(e, w, null));
        }
        for (int j = 0; j < w.length; j++) {
            double[] e = new double[w.length];
            e[j] = 1;
            dw[j] = dot(dy, conv(x, e, null));
        }
        return new double[][] {dx, dw};
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("devicesAndDTypes")
    void conv2dMatchesTheRoundedReference(Device device, DType compute) {
        SplittableRandom rng = new SplittableRandom(12);
        try (Conv2d conv = LayerGradientTest.on(device, new Conv2d(C, K, new int[] {R, S}, new int[] {SH, SW},
                new int[] {PH, PW}, true)); Tensor x = random(rng, device, N, C, H, W)) {
            conv.setComputeDType(compute);
            double[] xd = toDouble(x), wd = toDouble(conv.weight()), bd = toDouble(conv.bias());
            double[] xr = rounded(xd, compute), wr = rounded(wd, compute);
            double[] y = conv(xr, wr, bd);
            double[] yTol = bound(conv(abs(xr), abs(wr), abs(bd)));
            assertClose(y, yTol, conv.forward(x), "y");
            assertRoundingMatters(y, conv(xd, wd, bd), yTol, "y");

            try (Tensor dy = random(rng, device, conv.outputShape(x.shape()))) {
                double[] dyd = toDouble(dy), dyr = rounded(dyd, compute);
                Tensor dx = conv.backward(dy);
                double[][] ref = convBackward(xr, wr, dyr);
                double[][] tol = convBackward(abs(xr), abs(wr), abs(dyr));
                assertClose(ref[0], bound(tol[0]), dx, "dx");
                assertClose(ref[1], bound(tol[1]), conv.weight().grad(), "dweight");
                double[] db = new double[K], dbAbs = new double[K];
                int pq = dyd.length / (N * K);
                for (int i = 0; i < dyd.length; i++) {
                    db[(i / pq) % K] += dyd[i];
                    dbAbs[(i / pq) % K] += Math.abs(dyd[i]);
                }
                assertClose(db, bound(dbAbs), conv.bias().grad(), "dbias (float32 sum, no rounding)");
                assertRoundingMatters(ref[1], convBackward(xd, wd, dyd)[1], bound(tol[1]), "dweight");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void float32ComputeIsThePlainPathBitForBit(Device device) {
        SplittableRandom rng = new SplittableRandom(13);
        Init.manualSeed(3);
        try (Conv2d plain = LayerGradientTest.on(device, new Conv2d(C, K, 3, 1, 1)); Tensor x = random(rng, device, N, C, H, W)) {
            Init.manualSeed(3);
            try (Conv2d back = LayerGradientTest.on(device, new Conv2d(C, K, 3, 1, 1))) {
                back.setComputeDType(DType.BFLOAT16).setComputeDType(DType.FLOAT32);
                assertEquals(DType.FLOAT32, back.computeDType());
                assertArrayEquals(plain.forward(x).toFloatArray(), back.forward(x).toFloatArray());
            }
        }
    }

    /** The CPU and CUDA kernels agree (both sum exact products in float32, in different orders). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void cpuAndCudaAgree(Device device) {
        if (device.isCpu()) return;   // compares CPU with this CUDA device
        for (DType compute : List.of(DType.BFLOAT16, DType.FLOAT16)) {
            SplittableRandom rng = new SplittableRandom(14);
            Init.manualSeed(4);
            try (Conv2d cpu = new Conv2d(C, K, 3, 2, 1); Tensor x = random(rng, N, C, H, W)) {
                cpu.setComputeDType(compute);
                Init.manualSeed(4);
                try (Conv2d gpu = LayerGradientTest.on(device, new Conv2d(C, K, 3, 2, 1)); Tensor xg = x.to(device)) {
                    gpu.setComputeDType(compute);
                    float[] a = cpu.forward(x).toFloatArray(), b = gpu.forward(xg).toFloatArray();
                    for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], TOL, compute + " y[" + i + "]");
                    try (Tensor dy = random(rng, cpu.outputShape(x.shape())); Tensor dyg = dy.to(device)) {
                        float[] dxa = cpu.backward(dy).toFloatArray(), dxb = gpu.backward(dyg).toFloatArray();
                        for (int i = 0; i < dxa.length; i++) assertEquals(dxa[i], dxb[i], TOL, compute + " dx[" + i + "]");
                        float[] dwa = cpu.weight().grad().toFloatArray(), dwb = gpu.weight().grad().toFloatArray();
                        for (int i = 0; i < dwa.length; i++) assertEquals(dwa[i], dwb[i], TOL, compute + " dw[" + i + "]");
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ bf16 weight copies

    private static void assertCopyIsCast(Tensor master, Tensor copy) {
        assertNotNull(copy, "bf16 copy");
        assertEquals(DType.BFLOAT16, copy.dtype());
        assertEquals(master.device(), copy.device());
        try (Tensor cast = master.to(DType.BFLOAT16)) {
            assertArrayEquals(cast.toFloatArray(), copy.toFloatArray(), "copy = cast(master), bit for bit");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void bf16CopiesFollowComputeDTypeDeviceAndLoads(Device device) {
        try (Sequential model = new Sequential(new Conv2d(2, 3, 3), new BatchNorm2d(3), new Flatten(), new Linear(3 * 4 * 4, 5))) {
            assertTrue(model.bf16WeightCopies().isEmpty(), "float32 compute keeps no copies");
            model.setComputeDType(DType.FLOAT16);
            assertTrue(model.bf16WeightCopies().isEmpty(), "float16 compute keeps no copies (the master is rounded on load)");
            model.setComputeDType(DType.BFLOAT16);
            for (Module m : model.modules()) assertEquals(DType.BFLOAT16, m.computeDType(), m.toString());
            Conv2d conv = (Conv2d) model.namedChildren().get("0");
            Linear fc = (Linear) model.namedChildren().get("3");
            Map<Tensor, Tensor> copies = model.bf16WeightCopies();
            assertEquals(2, copies.size(), "one copy per conv / linear weight, none for biases or BatchNorm");
            assertCopyIsCast(conv.weight(), copies.get(conv.weight()));

            model.to(device);
            copies = model.bf16WeightCopies();
            assertCopyIsCast(conv.weight(), copies.get(conv.weight()));
            assertCopyIsCast(fc.weight(), copies.get(fc.weight()));

            Tensor before = copies.get(fc.weight());
            Map<String, Tensor> state = model.stateDict(Device.CPU);
            try {
                for (Tensor t : state.values()) t.copyFrom(random(new SplittableRandom(3), (int) t.numel()).toFloatArray());
                model.loadStateDict(state);
            } finally {
                state.values().forEach(Tensor::close);
            }
            assertSame(before, model.bf16WeightCopies().get(fc.weight()), "a reload refreshes the copy in place");
            assertCopyIsCast(fc.weight(), before);

            model.setComputeDType(DType.FLOAT32);
            assertTrue(before.isClosed(), "leaving bfloat16 frees the copies");
            assertTrue(model.bf16WeightCopies().isEmpty());
        }
    }

    @Test
    void aChildJoinsItsParentsComputeDType() {
        try (Sequential model = new Sequential(new Linear(3, 3).setComputeDType(DType.FLOAT16))) {
            assertEquals(DType.FLOAT32, model.namedChildren().get("0").computeDType());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.setComputeDType(null));
            assertTrue(e.getMessage().contains("compute dtype"), e.getMessage());
        }
    }
}
