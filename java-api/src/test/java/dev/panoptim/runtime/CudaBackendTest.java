package dev.panoptim.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CUDA backend switch through Java, in whichever library the tests load (CPU-only, the
 * simulator, or a real CUDA build with or without cuBLAS/cuDNN): the choice, its refusal where
 * vendor cannot run, and the vendor description. The C side (environment parsing, the not-found
 * messages) is native/tests/test_cuda_backend.c.
 */
class CudaBackendTest {
    @AfterEach
    void backToOwn() {
        Cuda.setBackend(CudaBackend.OWN);
    }

    @Test
    void ownIsTheDefault() {
        String env = System.getenv("PANOPTIM_CUDA_BACKEND");
        assumeTrue(env == null || env.isEmpty(), "PANOPTIM_CUDA_BACKEND is set: " + env);
        assertEquals(CudaBackend.OWN, Cuda.backend());
    }

    @Test
    void vendorIsChosenOnlyWhereItCanRun() {
        if (Cuda.simulated() || !Panoptim.cuda().compiled()) {
            PanoptimException e = assertThrows(PanoptimException.class, () -> Cuda.setBackend(CudaBackend.VENDOR));
            assertEquals(NativeStatus.UNSUPPORTED, e.status());
            assertTrue(e.getMessage().contains(Cuda.simulated() ? "the simulator runs panoptim's own kernels only"
                    : "built without CUDA"), e.getMessage());
            assertEquals(CudaBackend.OWN, Cuda.backend());
        } else {
            Cuda.setBackend(CudaBackend.VENDOR);
            assertEquals(CudaBackend.VENDOR, Cuda.backend());
            assertTrue(Cuda.vendorInfo().startsWith("backend: vendor\n"), Cuda.vendorInfo());
        }
        Cuda.setBackend(CudaBackend.OWN);
        assertEquals(CudaBackend.OWN, Cuda.backend());
    }

    @Test
    void vendorInfoSaysWhatLoadsOrWhyNot() {
        Cuda.setBackend(CudaBackend.OWN);
        String info = Cuda.vendorInfo();
        assertTrue(info.startsWith("backend: own\n"), info);
        if (Cuda.simulated()) {
            assertTrue(info.contains("vendor: unavailable: the simulator runs panoptim's own kernels only"), info);
        } else if (!Panoptim.cuda().compiled()) {
            assertTrue(info.contains("vendor: unavailable: this libpanoptim was built without CUDA"), info);
        } else {
            // Each library: a version and its file, or "not found: looked for ..." with the fix.
            for (String lib : new String[] {"cuBLAS", "cuDNN"}) {
                assertTrue(info.contains(lib + ": unavailable: " + lib + " not found: looked for ")
                        || info.matches("(?s).*" + lib + ": \\d+\\.\\d+\\.\\d+ \\(.*"), info);
            }
        }
    }

    @Test
    void codesMatchTheHeader() {
        assertEquals(0, CudaBackend.OWN.code());
        assertEquals(1, CudaBackend.VENDOR.code());
        assertEquals(CudaBackend.VENDOR, CudaBackend.of(1));
        assertThrows(IllegalArgumentException.class, () -> CudaBackend.of(2));
    }
}
