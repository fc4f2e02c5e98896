package dev.panoptim.runtime;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Facts about the loaded library: version, SIMD level, threads, CUDA status. */
class PanoptimInfoTest {
    @Test
    void versionIsMajorMinorPatch() {
        assertTrue(Panoptim.version().matches("\\d+\\.\\d+\\.\\d+"), Panoptim.version());
        assertEquals("0.1.0", Panoptim.version());
    }

    @Test
    void simdLevelIsOneOfThree() {
        assertTrue(Set.of("avx512", "avx2+fma", "baseline").contains(Panoptim.simdLevel()), Panoptim.simdLevel());
    }

    @Test
    void libraryIsFound() {
        assertTrue(Files.isRegularFile(Panoptim.libraryPath()), String.valueOf(Panoptim.libraryPath()));
        assertNotNull(Panoptim.librarySource());
        assertFalse(Panoptim.librarySource().isBlank());
    }

    @Test
    void threadsCanBeSetAndRestored() {
        int before = Panoptim.numThreads();
        assertTrue(before >= 1, "numThreads = " + before);
        try {
            Panoptim.setNumThreads(1);
            assertEquals(1, Panoptim.numThreads());
            Panoptim.setNumThreads(3);
            assertEquals(3, Panoptim.numThreads());
        } finally {
            Panoptim.setNumThreads(before);
        }
        assertEquals(before, Panoptim.numThreads());
    }

    @Test
    void theThreadSettingHoldsForEveryJavaThread() throws Exception {
        // The kernels run on whichever Java thread calls step(); a setting made on another thread
        // (e.g. at start-up on main) must still apply there.
        int before = Panoptim.numThreads();
        try {
            Panoptim.setNumThreads(1);
            AtomicInteger seen = new AtomicInteger(-1);
            Thread t = new Thread(() -> seen.set(Panoptim.numThreads()));
            t.start();
            t.join();
            assertEquals(1, seen.get(), "numThreads on another thread after setNumThreads(1)");
        } finally {
            Panoptim.setNumThreads(before);
        }
    }

    @Test
    void invalidThreadCountsAreRejected() {
        int before = Panoptim.numThreads();
        var e = assertThrows(IllegalArgumentException.class, () -> Panoptim.setNumThreads(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Panoptim.setNumThreads(-4));
        assertEquals(before, Panoptim.numThreads());
    }

    @Test
    void cudaIsEitherAvailableOrExplained() {
        CudaStatus cuda = Panoptim.cuda();
        assertNotNull(cuda.reason());
        if (cuda.available()) {
            // a GPU machine: devices were found, so CUDA must be compiled in
            assertTrue(cuda.compiled(), cuda.toString());
            assertTrue(cuda.deviceCount() >= 1, cuda.toString());
        } else {
            // no usable GPU (this CI machine): a reason saying why
            assertEquals(0, cuda.deviceCount());
            assertFalse(cuda.reason().isBlank(), "unavailable CUDA needs a reason: " + cuda);
            assertTrue(cuda.reason().contains("CUDA"), cuda.reason());
        }
        assertEquals(cuda.available(), Panoptim.cuda().available(), "the answer is stable");
    }
}
