package dev.panoptim.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TicksTest {
    @Test
    void logTicksArePowersOfTenOrTheirRoundMultiples() {
        assertEquals(List.of(1e9, 1e10, 1e11), Ticks.log(3e8, 4e11));
        assertEquals(List.of(0.2, 0.5, 1.0, 2.0), Ticks.log(0.15, 3));
        assertEquals(List.of(4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0), Ticks.log(3.5, 11));
        assertEquals(Ticks.nice(1.1, 1.3, 4), Ticks.log(1.1, 1.3));   // within one step of 1..9: linear ticks
        assertThrows(IllegalArgumentException.class, () -> Ticks.log(0, 1));
    }
}
