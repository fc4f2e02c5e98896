package dev.panoptim.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tensor additions for the nn layers: views, 0-d scalars, requiresGrad, fill, device moves. */
class TensorViewTest {

    @Test
    void reshapeSharesMemory() {
        try (Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)) {
            Tensor v = t.reshape(3, -1);
            assertArrayEquals(new int[] {3, 2}, v.shape());
            assertTrue(v.isView());
            assertFalse(t.isView());
            v.set(5, 60);
            assertEquals(60f, t.get(5), "writes through");
            assertEquals(t.segment().address(), v.segment().address());
            assertArrayEquals(new int[] {6}, v.reshape(-1).shape(), "a view of a view");
            v.close();
            assertFalse(t.isClosed(), "closing a view frees nothing");
            assertEquals(60f, t.get(5));
        }
    }

    @Test
    void viewIsUnusableOnceItsBaseIsClosed() {
        Tensor t = Tensor.zeros(4);
        Tensor v = t.reshape(2, 2);
        t.close();
        assertTrue(v.isClosed());
        var e = assertThrows(IllegalStateException.class, v::segment);
        assertTrue(e.getMessage().contains("base tensor"), e.getMessage());
    }

    @Test
    void reshapeErrors() {
        try (Tensor t = Tensor.zeros(2, 3)) {
            assertThrows(IllegalArgumentException.class, () -> t.reshape(4, 2));
            assertThrows(IllegalArgumentException.class, () -> t.reshape(-1, -1));
            assertThrows(IllegalArgumentException.class, () -> t.reshape(4, -1));
            assertThrows(IllegalArgumentException.class, () -> t.reshape(-2, 3));
        }
    }

    @Test
    void scalarsAndExactShapes() {
        try (Tensor s = Tensor.scalar(3f); Tensor z = Tensor.zerosOfShape(new int[0]); Tensor m = Tensor.zerosOfShape(new int[] {2, 0})) {
            assertArrayEquals(new int[0], s.shape());
            assertEquals(1, s.numel());
            assertEquals(3f, s.get(0));
            assertArrayEquals(new int[0], z.shape());
            assertEquals(0, m.numel());
        }
    }

    @Test
    void requiresGradFillAndDevice() {
        try (Tensor t = Tensor.zeros(3)) {
            assertFalse(t.requiresGrad(), "plain tensors need no grad");
            assertTrue(t.requiresGrad(true).requiresGrad());
            assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f}, t.fill(2.5f).toFloatArray());
            assertArrayEquals(new float[3], t.fill(0f).toFloatArray());
            assertEquals(Device.CPU, t.device());
            assertNull(t.grad());
        }
    }
}
