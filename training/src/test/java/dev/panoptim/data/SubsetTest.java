package dev.panoptim.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Subsets as the course makes them: every k-th example. */
class SubsetTest {
    private final ImageDataset ds = TestData.dataset(25, 1, 2, 3);

    @Test
    void everyTenthKeepsIndicesZeroTenTwenty() {
        Dataset s = ds.everyKth(10);
        assertEquals(3, s.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(ds.label(10 * i), s.label(i));
            assertArrayEquals(ds.get(10 * i).image(), s.get(i).image());
        }
        assertEquals(ds.classes(), s.classes());
        assertEquals(20, ((Subset) s).baseIndex(2));
        assertEquals(ds.channels() * ds.height() * ds.width(), s.imageSize());
    }

    @Test
    void sizesRoundUpAndKOfOneIsEverything() {
        assertEquals(25, ds.everyKth(1).size());
        assertEquals(13, ds.everyKth(2).size());
        assertEquals(1, ds.everyKth(25).size());
        assertEquals(1, ds.everyKth(1000).size());
        assertEquals(6000, Subset.everyKth(TestData.dataset(60000, 1, 1, 1), 10).size());
        assertThrows(IllegalArgumentException.class, () -> ds.everyKth(0));
    }

    @Test
    void explicitIndicesAndSubsetsOfSubsets() {
        Dataset s = ds.subset(4, 4, 0);
        assertEquals(3, s.size());
        assertEquals(4, s.label(0));
        assertEquals(0, s.label(2));
        Dataset ss = ds.everyKth(2).everyKth(3);   // 0, 6, 12, 18, 24
        assertEquals(5, ss.size());
        assertEquals(TestData.pixel(18, 1), ss.get(3).image()[1]);
        assertThrows(IndexOutOfBoundsException.class, () -> ds.subset(25));
        assertThrows(IndexOutOfBoundsException.class, () -> s.label(3));
    }
}
