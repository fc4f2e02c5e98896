package dev.panoptim.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arrays the fused step cannot reach in place (a non-contiguous view, float64, float16, bfloat16)
 * go through a float32 copy and must end where the in-place step on a contiguous float32 twin
 * ends, with the change written into the array itself (through a view, into its base).
 */
class CopyPathTest extends WithNDManager {
    private static final Shape SHAPE = new Shape(5, 9);

    @Test
    void aTransposedViewIsUpdatedThroughItsBase() {
        NDArray base = manager.create(Arrays32.random(1, 45, 1f), new Shape(9, 5));
        NDArray view = base.transpose();  // shape (5, 9), non-contiguous, shares base's memory
        float[] expected = reference(view.toFloatArray(), ADAMW, DataType.FLOAT32);
        try (PanoptimOptimizer adamW = ADAMW.get()) {
            for (int step = 0; step < 3; step++) adamW.update("v", view, grad(step, DataType.FLOAT32));
            assertEquals(new UpdateCounts(0, 3), adamW.updateCounts());
        }
        // Identical operations on identical float32 values: bit for bit.
        assertArrayEquals(expected, view.toFloatArray());
        assertArrayEquals(expected, base.transpose().toFloatArray(), "the base array holds the update");
    }

    @Test
    void eachReasonForACopyIsLoggedOnce() {
        // slf4j-simple (the tests' binding) writes to whatever System.err is when it logs.
        var captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = System.err;
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try (PanoptimOptimizer sgd = SGD.get()) {
            NDArray view = manager.create(Arrays32.random(6, 45, 1f), new Shape(9, 5)).transpose();
            for (int step = 0; step < 3; step++) sgd.update("v", view, grad(step, DataType.FLOAT32));
            NDArray w64 = manager.create(Arrays32.random(7, 45, 1f), SHAPE).toType(DataType.FLOAT64, false);
            for (int step = 0; step < 2; step++) sgd.update("w", w64, grad(step, DataType.FLOAT32));
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(1, log.lines().filter(l -> l.contains("a weight is a non-contiguous NDArray (a view)")).count(), log);
        assertEquals(1, log.lines().filter(l -> l.contains("a weight is a float64 NDArray")).count(), log);
        assertEquals(2, log.lines().filter(l -> l.contains("goes through a float32 copy")).count(), log);
    }

    @Test
    void aNonContiguousGradientIsReadThroughACopy() {
        float[] w0 = Arrays32.random(2, 45, 1f);
        NDArray w = manager.create(w0, SHAPE);
        float[] expected = reference(w0, ADAMW, DataType.FLOAT32);
        try (PanoptimOptimizer adamW = ADAMW.get()) {
            for (int step = 0; step < 3; step++) {
                // The gradient's values laid out column-major, viewed as the row-major (5, 9) array.
                float[] g = grad(step, DataType.FLOAT32).toFloatArray(), columns = new float[45];
                for (int r = 0; r < 5; r++) for (int c = 0; c < 9; c++) columns[c * 5 + r] = g[r * 9 + c];
                NDArray view = manager.create(columns, new Shape(9, 5)).transpose();
                assertArrayEquals(g, view.toFloatArray());
                adamW.update("w", w, view);
            }
            assertEquals(3, adamW.updateCounts().copied());
        }
        assertArrayEquals(expected, w.toFloatArray());
    }

    @Test
    void float64WeightsKeepTheirPrecisionAndTakeTheFloat32Step() {
        float[] w0 = Arrays32.random(3, 45, 1f);
        double[] w64 = new double[45];
        for (int i = 0; i < 45; i++) w64[i] = w0[i] + 1e-12 * (i + 1);  // below float32's resolution
        NDArray w = manager.create(w64, SHAPE);
        float[] expected = reference(w0, ADAMW, DataType.FLOAT32);
        try (PanoptimOptimizer adamW = ADAMW.get()) {
            for (int step = 0; step < 3; step++) adamW.update("w", w, grad(step, DataType.FLOAT64));
        }
        double[] after = w.toDoubleArray();
        for (int i = 0; i < 45; i++) {
            // The float32 changes, added in float64 to a value float32 cannot hold: the sum of
            // three float32 deltas is exact in float64 up to 3 ulp(float32) of the weight.
            double tol = 3 * Math.ulp(Math.abs(w0[i]) + 0.1f);
            assertEquals(expected[i] + 1e-12 * (i + 1), after[i], tol, "element " + i);
        }
    }

    @Test
    void halfPrecisionWeightsAreStepped() {
        // float16 only: DJL 0.36's PyTorch engine aborts the process (std::terminate in libtorch)
        // when asked to convert an array to BFLOAT16, so no DJL code holds bfloat16 arrays.
        for (DataType type : new DataType[] {DataType.FLOAT16}) {
            float[] w0 = Arrays32.random(4, 45, 1f);
            NDArray w = manager.create(w0, SHAPE).toType(type, true);
            float[] rounded = w.toType(DataType.FLOAT32, true).toFloatArray();
            float[] expected = reference(rounded, SGD, type);
            try (PanoptimOptimizer sgd = SGD.get()) {
                for (int step = 0; step < 3; step++) sgd.update("w", w, grad(step, type));
            }
            assertEquals(type, w.getDataType(), "the weight keeps its dtype");
            float[] after = w.toType(DataType.FLOAT32, true).toFloatArray();
            // Each of the three steps rounds the weight to float16's 11 significant bits (relative
            // error 2^-11 per rounding); the gradients were rounded alike for the reference.
            double rel = 3 * 0x1p-11;
            assertTrue(Arrays32.worst(after, expected, 1e-3, rel) <= 1, type + " steps like SGD on float32");
        }
    }

    private static final Supplier<PanoptimOptimizer> ADAMW = () -> PanoptimOptimizers.adamW().optLearningRate(0.01f).build();
    private static final Supplier<PanoptimOptimizer> SGD = () -> PanoptimOptimizers.sgd().optLearningRate(0.1f).build();

    /**
     * Three in-place steps (the reference) of a contiguous float32 twin from {@code w0}, with the
     * gradients of {@link #grad} as {@code gradType} holds them.
     */
    private float[] reference(float[] w0, Supplier<PanoptimOptimizer> optimizer, DataType gradType) {
        NDArray twin = manager.create(w0, SHAPE);
        try (PanoptimOptimizer o = optimizer.get()) {
            for (int step = 0; step < 3; step++) o.update("twin", twin, grad(step, gradType).toType(DataType.FLOAT32, false));
            assertEquals(new UpdateCounts(3, 0), o.updateCounts(), "the reference runs in place");
        }
        return twin.toFloatArray();
    }

    private NDArray grad(int step, DataType type) {
        return manager.create(Arrays32.random(50 + step, 45, 0.3f), SHAPE).toType(type, false);
    }
}
