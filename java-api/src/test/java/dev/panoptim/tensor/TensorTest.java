package dev.panoptim.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tensor: construction, shape, element access, gradient ownership and use after close. */
class TensorTest {

    @Test
    void ofKeepsValuesAndShape() {
        try (Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)) {
            assertArrayEquals(new int[] {2, 3}, t.shape());
            assertEquals(6, t.numel());
            assertEquals(Device.CPU, t.device());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toFloatArray());
            assertEquals(4f, t.get(3));
            assertEquals(6f, t.get(5));
            assertEquals(6 * Float.BYTES, t.segment().byteSize());
            assertNull(t.grad());
        }
    }

    @Test
    void ofWithoutShapeIsOneDimensional() {
        try (Tensor t = Tensor.of(new float[] {7, 8, 9})) {
            assertArrayEquals(new int[] {3}, t.shape());
            assertEquals(3, t.numel());
        }
    }

    @Test
    void ofCopiesTheArray() {
        float[] values = {1, 2, 3};
        try (Tensor t = Tensor.of(values)) {
            values[0] = 100;
            assertEquals(1f, t.get(0));
            float[] out = t.toFloatArray();
            out[1] = 100;
            assertEquals(2f, t.get(1), "toFloatArray returns a copy");
        }
    }

    @Test
    void shapeIsACopy() {
        try (Tensor t = Tensor.zeros(2, 3)) {
            t.shape()[0] = 7;
            assertArrayEquals(new int[] {2, 3}, t.shape());
        }
    }

    @Test
    void zerosAreZeroFilled() {
        try (Tensor t = Tensor.zeros(3, 4, 5); Tensor scalar = Tensor.zeros()) {
            assertArrayEquals(new int[] {3, 4, 5}, t.shape());
            assertEquals(60, t.numel());
            assertArrayEquals(new float[60], t.toFloatArray());
            assertArrayEquals(new int[] {1}, scalar.shape());
            assertEquals(1, scalar.numel());
        }
    }

    @Test
    void zerosLikeTakesTheShape() {
        try (Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2); Tensor z = Tensor.zerosLike(a)) {
            assertArrayEquals(new int[] {3, 2}, z.shape());
            assertArrayEquals(new float[6], z.toFloatArray());
        }
    }

    @Test
    void ofWithAShapeThatDoesNotMatchTheValuesNamesBoth() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[] {1, 2, 3, 4, 5}, 2, 3));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertTrue(e.getMessage().contains("6") && e.getMessage().contains("5"), e.getMessage());
    }

    @Test
    void nullValuesAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(null, 2));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void negativeDimensionsAreRejected() {
        var e1 = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, -3));
        assertTrue(e1.getMessage().contains("negative") && e1.getMessage().contains("[2, -3]"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[0], 0, -1));
        assertTrue(e2.getMessage().contains("[0, -1]"), e2.getMessage());
    }

    @Test
    void shapesTooLargeForMemoryAreIllegalArgumentsNotSilentlyTruncated() {
        // 2^62 floats are 2^64 bytes: the byte count overflows a long. This must be refused, not
        // wrap to a 0-byte allocation behind a tensor that claims 2^62 elements.
        var e1 = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1 << 30, 1 << 30, 4));
        assertTrue(e1.getMessage().contains("[1073741824, 1073741824, 4]"), e1.getMessage());
        // The element count itself overflows a long.
        var e2 = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1 << 30, 1 << 30, 1 << 30));
        assertTrue(e2.getMessage().contains("[1073741824, 1073741824, 1073741824]"), e2.getMessage());
    }

    @Test
    void zeroSizeTensorsWork() {
        try (Tensor a = Tensor.zeros(0); Tensor b = Tensor.of(new float[0], 3, 0); Tensor c = Tensor.of(new float[0])) {
            assertEquals(0, a.numel());
            assertEquals(0, b.numel());
            assertArrayEquals(new int[] {3, 0}, b.shape());
            assertEquals(0, c.numel());
            assertArrayEquals(new float[0], b.toFloatArray());
            assertEquals(0, b.segment().byteSize());
            b.copyFrom(new float[0]);
            b.setGrad(Tensor.zeros(3, 0));
            assertArrayEquals(new int[] {3, 0}, b.grad().shape());
            assertThrows(IndexOutOfBoundsException.class, () -> a.get(0));
            assertTrue(b.toString().contains("[3, 0]"), b.toString());
        }
    }

    @Test
    void setAndGetAtFlatIndex() {
        try (Tensor t = Tensor.zeros(2, 2)) {
            t.set(0, 1.5f);
            t.set(3, -2.5f);
            assertArrayEquals(new float[] {1.5f, 0, 0, -2.5f}, t.toFloatArray());
            assertEquals(-2.5f, t.get(3));
            assertThrows(IndexOutOfBoundsException.class, () -> t.get(4));
            assertThrows(IndexOutOfBoundsException.class, () -> t.set(-1, 1f));
        }
    }

    @Test
    void copyFromArrayAndTensor() {
        try (Tensor t = Tensor.zeros(2, 3); Tensor flat = Tensor.of(new float[] {6, 5, 4, 3, 2, 1})) {
            assertSame(t, t.copyFrom(new float[] {1, 2, 3, 4, 5, 6}));
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toFloatArray());
            // Same number of elements, different shape: allowed, and t keeps its shape.
            t.copyFrom(flat);
            assertArrayEquals(new float[] {6, 5, 4, 3, 2, 1}, t.toFloatArray());
            assertArrayEquals(new int[] {2, 3}, t.shape());
        }
    }

    @Test
    void copyFromWrongSizeNamesBothCounts() {
        try (Tensor t = Tensor.zeros(2, 3); Tensor small = Tensor.zeros(5)) {
            var e1 = assertThrows(IllegalArgumentException.class, () -> t.copyFrom(new float[5]));
            assertTrue(e1.getMessage().contains("6") && e1.getMessage().contains("5"), e1.getMessage());
            var e2 = assertThrows(IllegalArgumentException.class, () -> t.copyFrom((float[]) null));
            assertTrue(e2.getMessage().contains("null"), e2.getMessage());
            var e3 = assertThrows(IllegalArgumentException.class, () -> t.copyFrom(small));
            assertTrue(e3.getMessage().contains("6") && e3.getMessage().contains("5"), e3.getMessage());
            assertArrayEquals(new float[6], t.toFloatArray(), "a failed copy changes nothing");
        }
    }

    @Test
    void setGradShapeMismatchNamesBothShapes() {
        try (Tensor t = Tensor.zeros(2, 3); Tensor g = Tensor.zeros(3, 2)) {
            var e = assertThrows(IllegalArgumentException.class, () -> t.setGrad(g));
            assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
            assertNull(t.grad());
            assertFalse(g.isClosed(), "a rejected gradient is not taken over");
        }
    }

    @Test
    void aTensorCannotBeItsOwnGradient() {
        try (Tensor t = Tensor.zeros(2)) {
            var e = assertThrows(IllegalArgumentException.class, () -> t.setGrad(t));
            assertTrue(e.getMessage().contains("own gradient"), e.getMessage());
            assertNull(t.grad());
        }
    }

    @Test
    void aClosedGradientIsRejected() {
        try (Tensor t = Tensor.zeros(2)) {
            Tensor g = Tensor.zeros(2);
            g.close();
            assertThrows(IllegalStateException.class, () -> t.setGrad(g));
            assertNull(t.grad());
        }
    }

    @Test
    void setGradReplacingClosesTheOldGradient() {
        try (Tensor t = Tensor.zeros(2)) {
            Tensor g1 = Tensor.of(new float[] {1, 2});
            Tensor g2 = Tensor.of(new float[] {3, 4});
            t.setGrad(g1);
            assertSame(g1, t.grad());
            t.setGrad(g1); // the same gradient again: kept, not closed
            assertFalse(g1.isClosed());
            t.setGrad(g2);
            assertTrue(g1.isClosed(), "the replaced gradient is closed");
            assertFalse(g2.isClosed());
            assertSame(g2, t.grad());
            t.setGrad(null);
            assertTrue(g2.isClosed(), "clearing the gradient closes it");
            assertNull(t.grad());
        }
    }

    @Test
    void closeClosesTheGradientAndIsIdempotent() {
        Tensor t = Tensor.zeros(3);
        Tensor g = Tensor.zeros(3);
        t.setGrad(g);
        assertFalse(t.isClosed());
        t.close();
        assertTrue(t.isClosed());
        assertTrue(g.isClosed());
        assertDoesNotThrow(t::close);
        assertTrue(t.toString().contains("closed"), t.toString());
    }

    @Test
    void everyMethodAfterCloseThrowsIllegalStateException() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor other = Tensor.zeros(2, 2);
        t.close();
        Map<String, Executable> uses = new LinkedHashMap<>();
        uses.put("shape", t::shape);
        uses.put("numel", t::numel);
        uses.put("device", t::device);
        uses.put("grad", t::grad);
        uses.put("setGrad(null)", () -> t.setGrad(null));
        uses.put("setGrad(g)", () -> t.setGrad(Tensor.zeros(2, 2)));
        uses.put("toFloatArray", t::toFloatArray);
        uses.put("copyFrom(float[])", () -> t.copyFrom(new float[4]));
        uses.put("copyFrom(Tensor)", () -> t.copyFrom(other));
        uses.put("other.copyFrom(closed)", () -> other.copyFrom(t));
        uses.put("other.setGrad(closed)", () -> other.setGrad(t));
        uses.put("get", () -> t.get(0));
        uses.put("set", () -> t.set(0, 1f));
        uses.put("segment", t::segment);
        uses.put("zerosLike", () -> Tensor.zerosLike(t));
        uses.forEach((name, use) -> {
            var e = assertThrows(IllegalStateException.class, use, name + " after close");
            assertTrue(e.getMessage().contains("closed"), name + ": " + e.getMessage());
        });
        assertArrayEquals(new float[4], other.toFloatArray(), "other is untouched");
        other.close();
    }

    @Test
    void toStringShowsShapeAndFirstValues() {
        try (Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 2, 5)) {
            String s = t.toString();
            assertTrue(s.contains("[2, 5]") && s.contains("1.0") && s.contains("8.0") && s.contains("..."), s);
            assertFalse(s.contains("9.0"), s);
        }
    }

    @Test
    void deviceParse() {
        assertEquals(Device.CPU, Device.parse("cpu"));
        assertEquals(Device.CUDA, Device.parse("CUDA"));
        var e = assertThrows(IllegalArgumentException.class, () -> Device.parse("tpu"));
        assertTrue(e.getMessage().contains("tpu") && e.getMessage().contains("cpu, cuda"), e.getMessage());
    }
}
