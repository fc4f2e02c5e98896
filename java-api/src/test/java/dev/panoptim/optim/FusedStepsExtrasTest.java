package dev.panoptim.optim;

import dev.panoptim.runtime.Cuda;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FusedSteps on every available device, with the segments other JVM code would hand over (device
 * addresses through {@code MemorySegment.ofAddress} on CUDA) and with each extra of the *_ex steps,
 * each checked against the plain step on equal inputs.
 */
class FusedStepsExtrasTest {
    private static final int N = 65_537;   // a CUDA chunk and a tail
    private static final FusedSteps.AdamOptions ADAM = new FusedSteps.AdamOptions(0.0625, 0.9, 0.99, 1e-8, 0.01, true, false);

    private final List<Tensor> owned = new ArrayList<>();

    @AfterEach
    void closeAll() {
        owned.forEach(Tensor::close);
    }

    /** A buffer of {@code values} on {@code device}, as a segment of its address, the way foreign code holds one. */
    private MemorySegment buffer(Device device, float... values) {
        Tensor t = Tensor.of(device, values);
        owned.add(t);
        return MemorySegment.ofAddress(t.dataAddress()).reinterpret(4L * values.length);
    }

    private static float[] read(Device device, MemorySegment s) {
        try (Tensor t = Tensor.zeros((int) (s.byteSize() / 4))) {
            if (device.isCpu()) return s.toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT);
            Cuda.copyToHost(device.index(), t.segment(), s.address(), s.byteSize());
            return t.toFloatArray();
        }
    }

    /** Grads that bf16 holds exactly (multiples of 1/64 below 2), so bf16 and fp32 grads give the same step. */
    private static float[] grads() {
        float[] g = new float[N];
        for (int i = 0; i < N; i++) g[i] = ((i * 37) % 200 - 100) / 64f;
        return g;
    }

    private static float[] params() {
        float[] p = new float[N];
        for (int i = 0; i < N; i++) p[i] = (float) Math.sin(0.001 * i);
        return p;
    }

    private record Run(MemorySegment p, MemorySegment g, MemorySegment m, MemorySegment v, MemorySegment vmax) {}

    private Run run(Device device, float[] grads) {
        return new Run(buffer(device, params()), buffer(device, grads), buffer(device, new float[N]), buffer(device, new float[N]),
                buffer(device, new float[N]));
    }

    private static void adamw(Device device, Run r, long[] steps, StepExtras extras) {
        FusedSteps.adamw(device, List.of(r.p()), List.of(r.g()), List.of(r.m()), List.of(r.v()), List.of(r.vmax()), steps, ADAM,
                extras);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void extrasAgreeWithThePlainStep(Device device) {
        Run plain = run(device, grads());
        adamw(device, plain, new long[] {1}, StepExtras.NONE);
        float[] expected = read(device, plain.p());

        // Capturable: lr and the step count from device memory; the count is incremented.
        Run capturable = run(device, grads());
        MemorySegment lr = buffer(device, 0.0625f), steps = buffer(device, 0f);
        adamw(device, capturable, null, StepExtras.builder().lr(lr).steps(steps).build());
        assertArrayEquals(expected, read(device, capturable.p()), 1e-6f, "capturable lr and steps");
        assertArrayEquals(new float[] {1f}, read(device, steps));

        // AMP: grads scaled by 1024 and unscaled by the kernel; found_inf set skips everything.
        float[] scaled = grads();
        for (int i = 0; i < N; i++) scaled[i] *= 1024;
        Run amp = run(device, scaled);
        adamw(device, amp, new long[] {1}, StepExtras.builder().gradScale(buffer(device, 1024f)).foundInf(buffer(device, 0f)).build());
        assertArrayEquals(expected, read(device, amp.p()), 1e-6f, "grad_scale");
        Run skipped = run(device, grads());
        MemorySegment skippedSteps = buffer(device, 0f);
        adamw(device, skipped, null, StepExtras.builder().lr(lr).steps(skippedSteps).foundInf(buffer(device, 1f)).build());
        assertArrayEquals(params(), read(device, skipped.p()), "found_inf: no param moves");
        assertArrayEquals(new float[N], read(device, skipped.m()), "found_inf: no state moves");
        assertArrayEquals(new float[] {0f}, read(device, skippedSteps), "found_inf: no step is counted");

        // bf16 grads and a bf16 copy of the updated params, written in the same pass.
        float[] g = grads();
        float[] packed = new float[(N + 1) / 2];
        for (int i = 0; i < N; i++) {
            int bits = Float.floatToRawIntBits(g[i]) >>> 16;
            int word = Float.floatToRawIntBits(packed[i / 2]);
            word = (i % 2 == 0) ? (word & 0xFFFF0000) | bits : (word & 0xFFFF) | (bits << 16);
            packed[i / 2] = Float.intBitsToFloat(word);
        }
        Run bf16 = run(device, g);
        MemorySegment bf16Grads = buffer(device, packed).asSlice(0, 2L * N);
        MemorySegment copy = buffer(device, new float[(N + 1) / 2]).asSlice(0, 2L * N);
        FusedSteps.adamw(device, List.of(bf16.p()), List.of(bf16Grads), List.of(bf16.m()), List.of(bf16.v()),
                List.of(bf16.vmax()), new long[] {1}, ADAM, StepExtras.builder().bf16Grads(true).paramsBf16(List.of(copy)).build());
        float[] master = read(device, bf16.p());
        assertArrayEquals(expected, master, 1e-6f, "bf16 grads");
        float[] copyWords = read(device, MemorySegment.ofAddress(copy.address()).reinterpret(4L * ((N + 1) / 2)));
        for (int i = 0; i < N; i++) {
            int word = Float.floatToRawIntBits(copyWords[i / 2]);
            int half = (i % 2 == 0) ? word & 0xFFFF : word >>> 16;
            assertEquals(roundToBf16(master[i]), half, "bf16 copy of param " + i);
        }
    }

    /** Round to nearest even, as the kernels do (finite values). */
    private static int roundToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        return (bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16 & 0xFFFF;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void badExtrasAreRejectedBeforeTheCall(Device device) {
        Run r = run(device, grads());
        var e = assertThrows(IllegalArgumentException.class, () -> adamw(device, r, new long[] {1},
                StepExtras.builder().steps(buffer(device, 0f)).build()));
        assertTrue(e.getMessage().contains("steps must be null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> adamw(device, r, new long[] {1},
                StepExtras.builder().lr(MemorySegment.ofAddress(r.p().address())).build()));
        assertTrue(e.getMessage().contains("reinterpret"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> adamw(device, r, new long[] {1},
                StepExtras.builder().bf16Grads(true).build()));
        assertTrue(e.getMessage().contains("bfloat16"), e.getMessage());
        assertArrayEquals(params(), read(device, r.p()), "nothing stepped");
    }
}
