package dev.panoptim.tensor;

import dev.panoptim.bindings.c.panoptim_h;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.ValueLayout;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tensors of every dtype on every available device: creation, conversion (on the device for CUDA,
 * checked bit for bit against the host conversion), copies between devices and dtypes, element
 * access, gradients, printing and errors.
 */
class TensorDTypeTest {
    /** Ties, overflow past fp16, subnormals, signed zero, infinities, NaN and plain values. */
    private static final float[] EDGES = {1.00390625f, 1.01171875f, -2.5f, 65520f, 65504f, 0x1p-25f, 0x1p-24f, 1e-40f, -0f, 0f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MAX_VALUE, 3.14159f, -1e-3f, 7};

    static Stream<Object[]> devicesAndHalfTypes() {
        return Devices.available().flatMap(d -> Stream.of(new Object[] {d, DType.BFLOAT16}, new Object[] {d, DType.FLOAT16}));
    }

    /** What narrowing {@code v} to {@code type} and widening back gives, from the host conversions. */
    private static float rounded(DType type, float v) {
        return switch (type) {
            case FLOAT32 -> v;
            case BFLOAT16 -> BFloat16.toFloat(BFloat16.fromFloat(v));
            case FLOAT16 -> Float16.toFloat(Float16.fromFloat(v));
        };
    }

    private static short bits(DType type, float v) {
        return type == DType.BFLOAT16 ? BFloat16.fromFloat(v) : Float16.fromFloat(v);
    }

    /** Values with a tail past any vector width and the edge cases in front. */
    private static float[] values(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i < EDGES.length ? EDGES[i] : (i * 0.37f - 11) * (i % 3 == 0 ? 1e-3f : 1);
        return v;
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            boolean same = Float.isNaN(expected[i]) ? Float.isNaN(actual[i])
                    : Float.floatToRawIntBits(expected[i]) == Float.floatToRawIntBits(actual[i]);
            assertTrue(same, what + " [" + i + "]: expected " + expected[i] + ", got " + actual[i]);
        }
    }

    @Test
    void dtypesNameTheirSizesCodesAndNames() {
        assertEquals(4, DType.FLOAT32.byteSize());
        assertEquals(2, DType.BFLOAT16.byteSize());
        assertEquals(2, DType.FLOAT16.byteSize());
        assertEquals(panoptim_h.PT_DTYPE_FLOAT32(), DType.FLOAT32.code());
        assertEquals(panoptim_h.PT_DTYPE_BFLOAT16(), DType.BFLOAT16.code());
        assertEquals(panoptim_h.PT_DTYPE_FLOAT16(), DType.FLOAT16.code());
        assertEquals("BF16", DType.BFLOAT16.safetensorsName());
        assertEquals("torch.float16", DType.FLOAT16.torchName());
        assertEquals("bfloat16", DType.BFLOAT16.toString());
        for (String s : new String[] {"bf16", "BFloat16", " torch.bfloat16 ", "BF16"}) assertEquals(DType.BFLOAT16, DType.parse(s), s);
        for (String s : new String[] {"fp16", "f16", "half", "torch.half", "float16", "F16"}) assertEquals(DType.FLOAT16, DType.parse(s), s);
        for (String s : new String[] {"fp32", "float", "torch.float32", "F32"}) assertEquals(DType.FLOAT32, DType.parse(s), s);
        for (String bad : new String[] {"fp8", "", "torch.", "int8"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> DType.parse(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("bfloat16 (bf16)"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> DType.parse(null));
        assertEquals(DType.FLOAT16, DType.fromSafetensorsName("F16"));
        assertEquals(null, DType.fromSafetensorsName("I64"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void tensorsAreFloat32UnlessAsked(Device device) {
        try (Tensor a = Tensor.of(device, new float[] {1, 2}); Tensor z = Tensor.zeros(device, 2, 3);
             Tensor s = Tensor.scalar(1); Tensor h = Tensor.zeros(device, DType.FLOAT16, 2, 3)) {
            assertEquals(DType.FLOAT32, a.dtype());
            assertEquals(DType.FLOAT32, z.dtype());
            assertEquals(DType.FLOAT32, s.dtype());
            assertFalse(a.toString().contains("dtype"), a.toString());
            assertEquals(DType.FLOAT16, h.dtype());
            assertEquals(12, h.byteSize());
            assertEquals(12, h.nativeSegment().byteSize());
            assertEquals(24, z.byteSize());
            assertArrayEquals(new float[6], h.toFloatArray());
            assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(device, null, 2));
            assertThrows(IllegalArgumentException.class, () -> a.to((DType) null));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("devicesAndHalfTypes")
    void toDTypeRoundsToNearestEvenAndWidensBackExactly(Device device, DType type) {
        float[] v = values(Devices.big(device, 1031));
        float[] expected = new float[v.length];
        for (int i = 0; i < v.length; i++) expected[i] = rounded(type, v[i]);
        try (Tensor f = Tensor.of(device, v); Tensor half = f.to(type); Tensor back = half.to(DType.FLOAT32);
             Tensor host = half.to(Device.CPU)) {
            assertEquals(type, half.dtype());
            assertEquals(device, half.device());
            assertEquals(2L * v.length, half.byteSize());
            assertBitsEqual(expected, half.toFloatArray(), "toFloatArray of " + type);
            assertBitsEqual(expected, back.toFloatArray(), type + " to float32");
            assertEquals(DType.FLOAT32, back.dtype());
            // The device conversion writes the host conversion's bits, canonical NaN included.
            assertEquals(type, host.dtype());
            for (int i = 0; i < v.length; i++) {
                assertEquals(bits(type, v[i]), host.segment().getAtIndex(ValueLayout.JAVA_SHORT, i), "bits of element " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("devicesAndHalfTypes")
    void copiesKeepOrConvertTheDType(Device device, DType type) {
        float[] v = values(37);
        float[] expected = new float[v.length];
        for (int i = 0; i < v.length; i++) expected[i] = rounded(type, v[i]);
        try (Tensor half = Tensor.zeros(device, type, 37)) {
            assertSame(half, half.copyFrom(v));                               // narrows on the way in
            assertBitsEqual(expected, half.toFloatArray(), "copyFrom(float[])");
            try (Tensor same = half.to(type); Tensor moved = half.to(Device.CPU); Tensor back = moved.to(device)) {
                assertNotSame(half, same);                                     // a copy, as to(Device) makes
                assertNotEquals(half.dataAddress(), same.dataAddress());
                assertEquals(type, same.dtype());
                assertEquals(type, moved.dtype());                             // to(Device) keeps the dtype
                assertEquals(type, back.dtype());
                assertBitsEqual(expected, back.toFloatArray(), "to(cpu) and back");
            }
            // Between devices and dtypes at once, both ways, and the other 16-bit type.
            DType other = type == DType.BFLOAT16 ? DType.FLOAT16 : DType.BFLOAT16;
            try (Tensor f32 = half.to(Device.CPU, DType.FLOAT32); Tensor cross = Tensor.zeros(device, other, 37);
                 Tensor intoCpu = Tensor.zeros(Device.CPU, DType.FLOAT32, 37)) {
                assertBitsEqual(expected, f32.toFloatArray(), "to(cpu, float32)");
                cross.copyFrom(half);
                float[] twice = new float[37];
                for (int i = 0; i < 37; i++) twice[i] = rounded(other, expected[i]);
                assertBitsEqual(twice, cross.toFloatArray(), type + " to " + other);
                intoCpu.copyFrom(half);
                assertBitsEqual(expected, intoCpu.toFloatArray(), "copyFrom(" + type + " on " + device + ")");
            }
            half.fill(1.00390625f);                                            // rounded too
            for (float x : half.toFloatArray()) assertEquals(rounded(type, 1.00390625f), x);
            half.fill(0);
            assertArrayEquals(new float[37], half.toFloatArray());
            try (Tensor view = half.reshape(37, 1)) {
                assertEquals(type, view.dtype());
            }
        }
    }

    @Test
    void elementAccessConvertsOnTheCpu() {
        try (Tensor t = Tensor.zeros(Device.CPU, DType.BFLOAT16, 4)) {
            t.set(1, 1.00390625f);
            t.set(2, Float.NaN);
            t.set(3, -0f);
            assertEquals(1f, t.get(1));
            assertTrue(Float.isNaN(t.get(2)));
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(t.get(3)));
            assertEquals(8, t.segment().byteSize());
            assertEquals((short) 0x7fff, t.segment().getAtIndex(ValueLayout.JAVA_SHORT, 2));
        }
        try (Tensor t = Tensor.zeros(Device.CPU, DType.FLOAT16, 1)) {
            t.set(0, 1e6f);
            assertEquals(Float.POSITIVE_INFINITY, t.get(0));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void printingShowsTheDTypeWhenNotFloat32(Device device) {
        try (Tensor t = Tensor.of(device, new float[] {1.5f, -2, 3}).to(DType.BFLOAT16)) {
            String s = t.toString();
            assertTrue(s.contains("dtype=torch.bfloat16") && s.contains("[1.5, -2.0, 3.0]"), s);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void gradientsHaveTheirTensorsDTypeOrBf16ForAMasterWeight(Device device) {
        try (Tensor w = Tensor.zeros(device, 3); Tensor h = Tensor.zeros(device, DType.FLOAT16, 3)) {
            Tensor like = Tensor.zerosLike(h);
            assertEquals(DType.FLOAT16, like.dtype());
            h.setGrad(like);
            w.setGrad(Tensor.zeros(device, DType.BFLOAT16, 3));               // mixed precision: fp32 master, bf16 grad
            assertEquals(DType.BFLOAT16, w.grad().dtype());
            try (Tensor f16 = Tensor.zeros(device, DType.FLOAT16, 3); Tensor f32 = Tensor.zeros(device, 3)) {
                var e = assertThrows(IllegalArgumentException.class, () -> w.setGrad(f16));
                assertTrue(e.getMessage().contains("gradient is float16 but the tensor is float32"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> h.setGrad(f32));
                assertTrue(e.getMessage().contains("gradient is float32 but the tensor is float16"), e.getMessage());
            }
            try (Tensor moved = h.to(Device.CPU)) {
                assertEquals(null, moved.grad());                              // to() copies no gradient
            }
        }
    }
}
