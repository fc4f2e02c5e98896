package dev.panoptim.bindings;

import dev.panoptim.bindings.c.panoptim_h;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The library is extracted from the jar's resources and its symbols resolve. */
class NativeLibraryTest {
    @Test
    void loadsTheShippedLibraryAndCallsIt() {
        assertTrue(Files.isRegularFile(NativeLibrary.path()), "extracted library exists: " + NativeLibrary.path());
        assertEquals("linux-x86_64", NativeLibrary.platform());
        String version = panoptim_h.pt_version().getString(0);
        assertEquals(panoptim_h.PANOPTIM_VERSION_MAJOR() + "." + panoptim_h.PANOPTIM_VERSION_MINOR() + "."
                + panoptim_h.PANOPTIM_VERSION_PATCH(), version);
        assertTrue(panoptim_h.pt_num_threads() >= 1);
    }

    @Test
    void theSimulatorIsPickedByTheEnvironmentOrTheProperty() {
        assertNull(NativeLibrary.simulatorRequest(null, null));
        assertNull(NativeLibrary.simulatorRequest("0", null));
        assertNull(NativeLibrary.simulatorRequest(null, "OFF"), "Maven's build switch is not a request for the simulator");
        assertEquals("PANOPTIM_CUDA_SIM=1", NativeLibrary.simulatorRequest("1", null));
        assertEquals("-Dpanoptim.cuda=sim", NativeLibrary.simulatorRequest(null, "sim"));
        assertEquals("-Dpanoptim.cuda=sim", NativeLibrary.simulatorRequest("1", "SIM"));
    }

    @Test
    void sourceSaysWhichLibraryWasLoaded() {
        boolean simulated = panoptim_h.pt_cuda_simulated() != 0;
        String wanted = NativeLibrary.simulatorRequest(System.getenv(NativeLibrary.CUDA_SIM_ENV),
                System.getProperty(NativeLibrary.CUDA_PROPERTY));
        if (System.getProperty(NativeLibrary.PATH_PROPERTY) == null) {
            assertEquals(wanted != null, simulated, "simulator wanted: " + wanted + ", source " + NativeLibrary.source());
            assertEquals(wanted != null, NativeLibrary.source().contains("CUDA simulator"), NativeLibrary.source());
            assertEquals(wanted != null ? NativeLibrary.SIMULATOR_FILE : NativeLibrary.LIBRARY_FILE,
                    NativeLibrary.path().getFileName().toString());
        }
    }
}
