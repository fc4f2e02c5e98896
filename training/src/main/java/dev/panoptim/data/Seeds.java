package dev.panoptim.data;

/**
 * Derives independent 64-bit seeds from (seed, stream, a, b) with SplitMix64's finaliser, so that the
 * shuffle of epoch e and the augmentation of the example at position p of epoch e depend on nothing
 * else: an epoch can be replayed, or resumed at any batch, by anyone who knows the loader's seed.
 */
final class Seeds {
    /** Stream of the per-epoch shuffle permutations. */
    static final long SHUFFLE = 0x5348_5546_464C_4531L;
    /** Stream of the per-example augmentation generators. */
    static final long AUGMENT = 0x4155_474D_454E_5431L;
    /** Stream of the permutation a data fraction is taken from ({@link Subset#fraction}). */
    static final long FRACTION = 0x4652_4143_5449_4F4EL;

    private Seeds() {}

    static long derive(long seed, long stream, long a, long b) {
        long h = mix(seed ^ stream);
        h = mix(h + 0x9E37_79B9_7F4A_7C15L * (a + 1));
        return mix(h + 0xC2B2_AE3D_27D4_EB4FL * (b + 1));
    }

    /** SplitMix64's output function (Steele, Lea, Flood 2014): a bijection that spreads every input bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
