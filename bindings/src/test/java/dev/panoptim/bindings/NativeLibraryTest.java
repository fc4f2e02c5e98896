package dev.panoptim.bindings;

import dev.panoptim.bindings.c.panoptim_h;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
