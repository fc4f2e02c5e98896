package dev.panoptim.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aFractionIsASeededNestedSample() {
        Dataset big = TestData.dataset(1000, 1, 1, 1);
        Subset quarter = Subset.fraction(big, 0.25, 42), half = Subset.fraction(big, 0.5, 42);
        assertEquals(250, quarter.size(), "round(0.25 * 1000)");
        assertEquals(500, half.size());
        assertEquals(3, Subset.fraction(ds, 0.1, 1).size(), "round(2.5) = 3");
        java.util.Set<Integer> inHalf = new java.util.HashSet<>();
        for (int i = 0; i < half.size(); i++) inHalf.add(half.baseIndex(i));
        int previous = -1;
        for (int i = 0; i < quarter.size(); i++) {
            int b = quarter.baseIndex(i);
            assertTrue(inHalf.contains(b), "the quarter is inside the half (the same permutation): " + b);
            assertTrue(b > previous, "in the base's order");
            previous = b;
        }
        Subset again = Subset.fraction(big, 0.25, 42), other = Subset.fraction(big, 0.25, 43);
        boolean same = true, differs = false;
        for (int i = 0; i < 250; i++) {
            same &= again.baseIndex(i) == quarter.baseIndex(i);
            differs |= other.baseIndex(i) != quarter.baseIndex(i);
        }
        assertTrue(same, "the same seed, the same examples");
        assertTrue(differs, "another seed, others");
        assertTrue(quarter.baseIndex(249) > 500, "a sample of the whole set, not its first quarter");
        assertEquals(1000, Subset.fraction(big, 1, 42).size());
    }

    @Test
    void badFractionsAreNamed() {
        for (double f : new double[] {0, -0.5, 1.5, Double.NaN}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Subset.fraction(ds, f, 1));
            assertTrue(e.getMessage().contains("got " + f), e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Subset.fraction(ds, 0.01, 1));
        assertTrue(e.getMessage().contains("keeps none"), e.getMessage());
    }
}
