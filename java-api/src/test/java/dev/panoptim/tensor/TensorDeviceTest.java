package dev.panoptim.tensor;

import dev.panoptim.runtime.Cuda;
import dev.panoptim.runtime.Panoptim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Devices as values, and tensors on every available device: copies, zeros, printing, views, errors, freeing. */
class TensorDeviceTest {
    @Test
    void devicesAreValuesWithTorchsNames() {
        assertEquals("cpu", Device.CPU.toString());
        assertEquals("cuda:0", Device.CUDA.toString());
        assertEquals(Device.CUDA, Device.cuda(0));
        assertEquals(Device.cuda(1), Device.parse("CUDA:1"));
        assertEquals(Device.cuda(1).hashCode(), Device.parse("cuda:1").hashCode());
        assertEquals(Device.CUDA, Device.parse(" cuda "));
        assertEquals(Device.CPU, Device.parse("cpu"));
        assertNotEquals(Device.CPU, Device.CUDA);
        assertNotEquals(Device.cuda(0), Device.cuda(1));
        assertEquals(1, Device.cuda(1).index());
        assertEquals(-1, Device.CPU.index());
        assertTrue(Device.CUDA.isCuda() && !Device.CUDA.isCpu() && Device.CPU.isCpu());
        for (String bad : new String[] {"gpu", "cuda:", "cuda:-1", "cuda:x", "cuda:99999999999", ""}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Device.parse(bad), bad);
            assertTrue(e.getMessage().contains("cpu, cuda, cuda:N"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Device.cuda(-1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void copiesZerosViewsAndPrintingWorkOnEveryDevice(Device device) {
        float[] values = new float[65_537];
        for (int i = 0; i < values.length; i++) values[i] = i * 0.25f - 3;
        try (Tensor host = Tensor.of(values); Tensor t = host.to(device);
             Tensor z = Tensor.zeros(device, 3, 5); Tensor back = t.to(Device.CPU)) {
            assertEquals(device, t.device());
            assertNotSame(host, t);
            assertArrayEquals(values, t.toFloatArray());
            assertArrayEquals(values, back.toFloatArray());
            assertEquals(Device.CPU, back.device());
            assertArrayEquals(new float[15], z.toFloatArray());
            assertEquals(device, z.device());

            Tensor view = t.reshape(1, -1);                               // same memory
            assertEquals(device, view.device());
            assertEquals(t.dataAddress(), view.dataAddress());
            t.copyFrom(new float[values.length]);
            assertEquals(0f, view.toFloatArray()[values.length - 1]);
            t.copyFrom(host);
            z.fill(1.5f);
            assertArrayEquals(new float[] {1.5f, 1.5f, 1.5f}, java.util.Arrays.copyOf(z.toFloatArray(), 3));
            z.fill(0f);
            assertEquals(0f, z.toFloatArray()[14]);
            try (Tensor same = t.to(device)) {
                assertNotSame(t, same, "to() always copies");
                assertNotEquals(t.dataAddress(), same.dataAddress());
                assertArrayEquals(values, same.toFloatArray());
            }
            String shown = t.toString();
            assertTrue(shown.startsWith("Tensor(shape=[65537]") && shown.contains("[-3.0, -2.75, -2.5"), shown);
            assertEquals(device.isCuda(), shown.contains("device=" + device), shown);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void hostOnlyAccessOnCudaIsAClearException(Device device) {
        assumeTrue(device.isCuda(), "a CUDA check");
        try (Tensor t = Tensor.zeros(device, 4); Tensor cpuGrad = Tensor.zeros(4); Tensor cudaGrad = Tensor.zeros(device, 4);
             Tensor cpu = Tensor.zeros(4)) {
            for (var op : new org.junit.jupiter.api.function.Executable[] {() -> t.get(0), () -> t.set(0, 1f), t::segment}) {
                var e = assertThrows(UnsupportedOperationException.class, op);
                assertTrue(e.getMessage().contains("cuda:0") && e.getMessage().contains("nativeSegment()"), e.getMessage());
            }
            assertEquals(16, t.nativeSegment().byteSize());
            assertEquals(t.dataAddress(), t.nativeSegment().address());
            var e = assertThrows(IllegalArgumentException.class, () -> t.setGrad(cpuGrad));
            assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains("cuda:0"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> cpu.setGrad(cudaGrad));
            assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains("cuda:0"), e.getMessage());
            t.setGrad(Tensor.zeros(device, 4));
            assertEquals(device, t.grad().device());
            var missing = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(Device.cuda(Cuda.deviceCount()), 2));
            assertTrue(missing.getMessage().contains("cuda:" + Cuda.deviceCount()), missing.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void closeGivesTheMemoryBack(Device device) {
        assumeTrue(device.isCuda(), "a CUDA check");
        int index = device.index();
        Cuda.synchronize(index);
        long before = Cuda.memoryAllocated(index);
        Tensor a = Tensor.zeros(device, 1000);
        Tensor b = a.to(device);
        a.setGrad(Tensor.zeros(device, 1000));
        Tensor view = b.reshape(10, 100);
        assertTrue(Cuda.memoryAllocated(index) >= before + 3 * 4000, "three tensors allocated");
        assertTrue(Cuda.memoryReserved(index) >= Cuda.memoryAllocated(index));
        view.close();                                  // a view frees nothing
        assertEquals(1000, b.numel());
        a.close();                                     // with its grad
        b.close();
        b.close();                                     // idempotent
        assertEquals(before, Cuda.memoryAllocated(index), "every CUDA tensor's memory is back in the pool");
        Cuda.emptyCache(index);
        assertTrue(view.isClosed() && a.isClosed());
        try (Tensor empty = Tensor.zeros(device, 0)) {
            assertEquals(0, empty.toFloatArray().length);
            assertNotEquals(0, empty.dataAddress(), "an empty tensor still has an address");
        }
        assertEquals(before, Cuda.memoryAllocated(index));
    }

    @Test
    void cudaWithoutAGpuOrTheSimulatorSaysWhy() {
        assumeFalse(Panoptim.cuda().available(), "for machines without a GPU and without PANOPTIM_CUDA_SIM=1");
        var e = assertThrows(UnsupportedOperationException.class, () -> Tensor.zeros(Device.CUDA, 2));
        assertTrue(e.getMessage().contains("PANOPTIM_CUDA_SIM=1") && e.getMessage().contains(Panoptim.cuda().reason()),
                e.getMessage());
        try (Tensor t = Tensor.zeros(2)) {
            assertThrows(UnsupportedOperationException.class, () -> t.to(Device.CUDA));
            assertFalse(t.isClosed());
        }
    }
}
