package dev.panoptim.ui.seed;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

/**
 * The benchmark's bulk writer still writes what {@code RunStore.log} writes (table by table), so a change of the
 * store's log shows here, in the build, and not only when someone runs bench/ui/scale.sh.
 */
class DirectLogCheckTest {
    @Test
    void directLogWritesWhatTheStoresLogWrites() {
        assertDoesNotThrow(DirectLogCheck::verify);
    }
}
