package dev.panoptim.runtime;

import dev.panoptim.nn.Conv2d;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CPU conv2d backend switch through Java, and a Conv2d layer giving the same output and grads on
 * the own kernels and on oneDNN. The C side (environment parsing, the rule of auto, which oneDNN
 * kernel runs) is native/tests/test_conv2d_backend.c; every conv case against the references on both
 * backends is native/tests/test_dense.c.
 */
class CpuConvTest {
    @AfterEach
    void backToAuto() {
        CpuConv.setBackend(CpuConvBackend.AUTO);
    }

    @Test
    void autoIsTheDefault() {
        String env = System.getenv("PANOPTIM_CPU_CONV");
        assumeTrue(env == null || env.isEmpty(), "PANOPTIM_CPU_CONV is set: " + env);
        assertEquals(CpuConvBackend.AUTO, CpuConv.backend());
        assertEquals(null, CpuConv.environmentError());   // a bad value: src/test/e2e/train_test.sh
    }

    @Test
    void choiceAndInfo() {
        CpuConv.setBackend(CpuConvBackend.OWN);
        assertEquals(CpuConvBackend.OWN, CpuConv.backend());
        String info = CpuConv.info();
        assertTrue(info.startsWith("backend: own\n"), info);
        assertTrue(info.contains("onednn: oneDNN 2.") || info.contains("onednn: oneDNN: unavailable"), info);
        if (info.contains("unavailable")) {
            PanoptimException e = assertThrows(PanoptimException.class, () -> CpuConv.setBackend(CpuConvBackend.ONEDNN));
            assertEquals(NativeStatus.UNSUPPORTED, e.status());
            assertEquals(CpuConvBackend.OWN, CpuConv.backend(), "a refused choice changed the backend");
        }
    }

    @Test
    void codesMatchTheHeader() {
        assertEquals(0, CpuConvBackend.AUTO.code());
        assertEquals(1, CpuConvBackend.OWN.code());
        assertEquals(2, CpuConvBackend.ONEDNN.code());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuConvBackend.of(3));
        assertTrue(e.getMessage().contains("3"), e.getMessage());
    }

    /** A ResNet-like 3x3 layer with bias: oneDNN and the own kernels agree within float32 summation error. */
    @Test
    void conv2dAgreesOnBothBackends() {
        assumeTrue(!CpuConv.info().contains("unavailable"), "oneDNN is not installed here");
        float[][] own = runConv(CpuConvBackend.OWN);
        float[][] onednn = runConv(CpuConvBackend.ONEDNN);
        String[] names = {"y", "dx", "dweight", "dbias"};
        for (int t = 0; t < names.length; t++) {
            assertEquals(own[t].length, onednn[t].length);
            for (int i = 0; i < own[t].length; i++) {
                // sums of at most 3*3*16 (y, dx) or 3*6*5 (dweight) products of values below 1, in float32
                // in different orders: 1e-4 absolute is ~100x their rounding error; a wrong tap is ~0.1
                assertEquals(own[t][i], onednn[t][i], 1e-4 + 1e-5 * Math.abs(own[t][i]), names[t] + "[" + i + "]");
            }
        }
    }

    private static float[][] runConv(CpuConvBackend backend) {
        CpuConv.setBackend(backend);
        Random random = new Random(17);
        float[] x = new float[3 * 16 * 6 * 5];
        float[] g = new float[3 * 17 * 6 * 5];
        for (int i = 0; i < x.length; i++) x[i] = random.nextFloat() * 2 - 1;
        for (int i = 0; i < g.length; i++) g[i] = random.nextFloat() * 2 - 1;
        try (Conv2d conv = new Conv2d(16, 17, 3, 1, 1);
             Tensor input = Tensor.of(x, 3, 16, 6, 5);
             Tensor grad = Tensor.of(g, 3, 17, 6, 5)) {
            float[] w = conv.weight().toFloatArray();
            for (int i = 0; i < w.length; i++) w[i] = (float) Math.sin(i);   // the same weights on both backends
            conv.weight().copyFrom(w);
            conv.bias().copyFrom(new float[] {0.5f, -0.25f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1f, -1f,
                    -0.9f, -0.8f, -0.7f, -0.6f});
            float[] y = conv.forward(input).toFloatArray();
            float[] dx = conv.backward(grad).toFloatArray();
            return new float[][] {y, dx, conv.weight().grad().toFloatArray(), conv.bias().grad().toFloatArray()};
        }
    }
}
