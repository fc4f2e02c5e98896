package dev.panoptim.optim;

import dev.panoptim.tensor.DType;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Optimizers and dtypes: params are float32 master weights (16-bit params are refused), grads are
 * float32 or bfloat16 (read by the fused steps' bf16-grad path, widened exactly).
 */
class OptimizerDTypeTest {
    private final List<AutoCloseable> owned = new ArrayList<>();

    private <T extends AutoCloseable> T own(T t) {
        owned.add(t);
        return t;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : owned) c.close();
    }

    /** Grads whose values bf16 holds exactly, of odd length so the kernels' tails run. */
    private static float[] grads(int n, int seed) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) g[i] = ((i * 37 + seed * 11) % 23 - 11) / 8f;
        return g;
    }

    static List<Object[]> devicesAndOptimizers() {
        List<Function<List<Tensor>, Optimizer>> makers = List.of(
                p -> SGD.builder(p).lr(0.1).momentum(0.9).build(),
                p -> RMSprop.builder(p).lr(0.01).centered(true).build(),
                p -> AdamW.builder(p).lr(0.01).weightDecay(0.1).build());
        List<String> names = List.of("SGD", "RMSprop", "AdamW");
        List<Object[]> out = new ArrayList<>();
        for (Device d : dev.panoptim.tensor.Devices.list()) {
            for (int i = 0; i < makers.size(); i++) out.add(new Object[] {d, names.get(i), makers.get(i)});
        }
        return out;
    }

    /**
     * The same params stepped twice over with float32 grads and with the same grads as bfloat16 end
     * equal: the bf16 values are exact, so widening them changes nothing. A group holding both kinds
     * of grad steps both.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("devicesAndOptimizers")
    void bf16GradsStepLikeTheirFloat32Values(Device device, String name, Function<List<Tensor>, Optimizer> make) {
        int[] sizes = {33, 7};
        List<Tensor> a = new ArrayList<>(), b = new ArrayList<>();
        for (int s : sizes) {
            a.add(own(Tensor.of(device, grads(s, 5))));
            b.add(own(Tensor.of(device, grads(s, 5))));
        }
        Optimizer oa = own(make.apply(a)), ob = own(make.apply(b));
        for (int step = 1; step <= 3; step++) {
            for (int i = 0; i < sizes.length; i++) {
                float[] g = grads(sizes[i], step + i);
                a.get(i).setGrad(Tensor.of(device, g));
                Tensor f32 = Tensor.of(device, g);
                // b: param 0 gets a bfloat16 grad, param 1 a float32 one (two fused calls in one group).
                b.get(i).setGrad(i == 0 ? own(f32).to(DType.BFLOAT16) : f32);
            }
            oa.step();
            ob.step();
        }
        assertEquals(DType.BFLOAT16, b.get(0).grad().dtype());
        for (int i = 0; i < sizes.length; i++) {
            assertArrayEquals(a.get(i).toFloatArray(), b.get(i).toFloatArray(), name + " param " + i);
            assertEquals(oa.stepCount(a.get(i)), ob.stepCount(b.get(i)));
        }
    }

    @Test
    void sixteenBitParamsAreRefusedNamingTheParam() {
        Tensor w = own(Tensor.zeros(3));
        Tensor h = own(Tensor.zeros(Device.CPU, DType.BFLOAT16, 2, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> AdamW.builder(List.of(w, h)).lr(0.1).build());
        assertTrue(e.getMessage().contains("param 1 of param group 0 (shape [2, 2]) is bfloat16")
                && e.getMessage().contains("float32 master weights"), e.getMessage());
        Optimizer sgd = own(SGD.builder(List.of(w)).lr(0.1).build());
        Tensor f = own(Tensor.zeros(Device.CPU, DType.FLOAT16, 4));
        e = assertThrows(IllegalArgumentException.class, () -> sgd.addParamGroup(ParamGroup.of(List.of(f))));
        assertTrue(e.getMessage().contains("param 0 of param group 1 (shape [4]) is float16"), e.getMessage());
    }
}
