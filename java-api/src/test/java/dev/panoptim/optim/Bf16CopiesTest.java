package dev.panoptim.optim;

import dev.panoptim.tensor.DType;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Optimizer#writeBf16Copies}: after k steps every listed copy equals the cast of its updated
 * param bit for bit (plain and capturable AdamW, SGD, RMSprop), a group with listed and unlisted
 * params steps both exactly as without copies, and bad copies are refused with their reason.
 */
class Bf16CopiesTest {
    private static float[] randoms(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rng.nextDouble() * 2 - 1);
        return v;
    }

    private static void assertCopyIsCast(Tensor param, Tensor copy, String what) {
        try (Tensor cast = param.to(DType.BFLOAT16)) {
            assertArrayEquals(cast.toFloatArray(), copy.toFloatArray(), what + ": copy = cast(param), bit for bit");
        }
    }

    /** Steps a = (7), b = (3, 5) with copies of {@code listed} of them and a twin pair without; compares. */
    private static void check(Device device, Function<List<Tensor>, Optimizer> make, boolean listA, boolean listB) {
        SplittableRandom rng = new SplittableRandom(21);
        float[] a0 = randoms(rng, 7), b0 = randoms(rng, 15);
        try (Tensor a = Tensor.of(device, a0, 7); Tensor b = Tensor.of(device, b0, 3, 5);
             Tensor ta = Tensor.of(device, a0, 7); Tensor tb = Tensor.of(device, b0, 3, 5);
             Tensor ca = Tensor.zeros(device, DType.BFLOAT16, 7); Tensor cb = Tensor.zeros(device, DType.BFLOAT16, 3, 5);
             Optimizer opt = make.apply(List.of(a, b)); Optimizer twin = make.apply(List.of(ta, tb))) {
            Map<Tensor, Tensor> copies = listA && listB ? Map.of(a, ca, b, cb) : listA ? Map.of(a, ca) : Map.of(b, cb);
            opt.writeBf16Copies(copies);
            for (Map.Entry<Tensor, Tensor> e : copies.entrySet()) assertCopyIsCast(e.getKey(), e.getValue(), "at registration");
            for (int k = 0; k < 4; k++) {
                float[] ga = randoms(rng, 7), gb = randoms(rng, 15);
                a.setGrad(Tensor.of(device, ga, 7));
                b.setGrad(Tensor.of(device, gb, 3, 5));
                ta.setGrad(Tensor.of(device, ga, 7));
                tb.setGrad(Tensor.of(device, gb, 3, 5));
                opt.step();
                twin.step();
            }
            if (listA) assertCopyIsCast(a, ca, "a");
            if (listB) assertCopyIsCast(b, cb, "b");
            assertArrayEquals(ta.toFloatArray(), a.toFloatArray(), "writing copies leaves the update of a unchanged");
            assertArrayEquals(tb.toFloatArray(), b.toFloatArray(), "writing copies leaves the update of b unchanged");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void adamWWritesTheCopies(Device device) {
        check(device, p -> AdamW.builder(p).lr(1e-2).weightDecay(0.1).build(), true, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void capturableAdamWWritesTheCopies(Device device) {
        check(device, p -> AdamW.builder(p).lr(1e-2).capturable(true).build(), true, true);
        check(device, p -> AdamW.builder(p).lr(1e-2).capturable(true).build(), false, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void aGroupWithListedAndUnlistedParamsStepsBoth(Device device) {
        check(device, p -> SGD.builder(p).lr(0.1).momentum(0.9).build(), true, false);
        check(device, p -> RMSprop.builder(p).lr(1e-2).build(), false, true);
        check(device, p -> Adam.builder(p).lr(1e-2).amsgrad(true).build(), true, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void badCopiesAreRefused(Device device) {
        try (Tensor a = Tensor.of(device, new float[] {1f, 2f, 3f}); Tensor wrongType = Tensor.zeros(device, 3);
             Tensor wrongShape = Tensor.zeros(device, DType.BFLOAT16, 4); Tensor ok = Tensor.zeros(device, DType.BFLOAT16, 3);
             Optimizer opt = SGD.builder(List.of(a)).lr(0.1).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.writeBf16Copies(Map.of(a, wrongType)));
            assertTrue(e.getMessage().contains("param 0 of param group 0") && e.getMessage().contains("float32"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> opt.writeBf16Copies(Map.of(a, wrongShape)));
            assertTrue(e.getMessage().contains("[4]"), e.getMessage());
            opt.writeBf16Copies(Map.of(a, ok));
            ok.close();
            a.setGrad(Tensor.of(device, new float[] {1f, 1f, 1f}));
            IllegalStateException closed = assertThrows(IllegalStateException.class, opt::step);
            assertTrue(closed.getMessage().contains("is closed"), closed.getMessage());
            assertArrayEquals(new float[] {1f, 2f, 3f}, a.toFloatArray(), "a refused step changes nothing");
            opt.writeBf16Copies(Map.of());
            opt.step();
        }
    }
}
