package dev.panoptim.data;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A view of some examples of another {@link Dataset}, by index; shares its pixels (nothing is copied
 * but the index list).
 *
 * <pre>{@code
 * Dataset small = Subset.everyKth(train, 10);   // indices 0, 10, 20, ... as the course's "subset 10"
 * Dataset quarter = Subset.fraction(train, 0.25, 42);   // a seeded quarter
 * }</pre>
 */
public final class Subset implements Dataset {
    private final Dataset base;
    private final int[] indices;

    private Subset(Dataset base, int[] indices) {
        this.base = base;
        this.indices = indices;
    }

    /** The examples of {@code base} at the given indices, in that order (repeats allowed). */
    public static Subset of(Dataset base, int... indices) {
        if (base == null || indices == null) throw new IllegalArgumentException("base and indices must not be null");
        int[] copy = indices.clone();
        for (int i : copy) {
            if (i < 0 || i >= base.size()) {
                throw new IndexOutOfBoundsException("subset index " + i + " is outside the dataset of " + base.size());
            }
        }
        return new Subset(base, copy);
    }

    /** Indices 0, k, 2k, ... of {@code base}: {@code ceil(size / k)} examples; k must be >= 1. */
    public static Subset everyKth(Dataset base, int k) {
        if (base == null) throw new IllegalArgumentException("base must not be null");
        if (k < 1) throw new IllegalArgumentException("k must be >= 1 (1 keeps every example), got " + k);
        int n = (base.size() + k - 1) / k;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i * k;
        return new Subset(base, idx);
    }

    /**
     * A fraction {@code f} in (0, 1] of {@code base}: the first round(f * size) indices of a permutation drawn
     * from {@code seed}, in the base's order. The same seed draws the same permutation for every f, so a
     * smaller fraction is a subset of a larger one (a scaling study's data sizes are nested). A fraction
     * that would keep no example is an IllegalArgumentException naming f and the size.
     */
    public static Subset fraction(Dataset base, double f, long seed) {
        if (base == null) throw new IllegalArgumentException("base must not be null");
        if (!(f > 0 && f <= 1)) throw new IllegalArgumentException("fraction must be in (0, 1], got " + f);
        int n = base.size();
        long keep = Math.round(f * n);
        if (keep < 1) {
            throw new IllegalArgumentException("fraction " + f + " of " + n + " examples keeps none (round(" + f + " * " + n
                    + ") = 0)");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, Seeds.FRACTION, 0, 0));
        for (int i = n - 1; i > 0; i--) {   // Fisher-Yates, as the loader's shuffles
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] idx = Arrays.copyOf(order, (int) keep);
        Arrays.sort(idx);
        return new Subset(base, idx);
    }

    /** The index in the base dataset of example {@code index} of this subset. */
    public int baseIndex(int index) {
        if (index < 0 || index >= indices.length) {
            throw new IndexOutOfBoundsException("example " + index + " of a subset of " + indices.length);
        }
        return indices[index];
    }

    /** The dataset this is a view of. */
    public Dataset base() {
        return base;
    }

    @Override public int size() { return indices.length; }
    @Override public int channels() { return base.channels(); }
    @Override public int height() { return base.height(); }
    @Override public int width() { return base.width(); }
    @Override public List<String> classes() { return base.classes(); }
    @Override public int label(int index) { return base.label(baseIndex(index)); }
    @Override public void copyPixels(int index, byte[] dst, int offset) { base.copyPixels(baseIndex(index), dst, offset); }
    @Override public void readImage(int index, float[] dst, int offset) { base.readImage(baseIndex(index), dst, offset); }

    @Override
    public String toString() {
        return "Subset(" + indices.length + " of " + base + ", first indices "
                + Arrays.toString(Arrays.copyOf(indices, Math.min(4, indices.length))) + ")";
    }
}
