package dev.panoptim.tensor;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BFloat16} and {@link Float16} against an independent model of the formats: every bit
 * pattern decoded from its sign, exponent and fraction with double arithmetic, and narrowing checked
 * against the nearest of all finite values found by search and compared exactly with BigDecimal
 * (ties to the even bit pattern; past the largest finite value, infinity counts as the next value,
 * 2^(emax+1), whose pattern is even).
 */
class HalfConversionTest {
    /** One 16-bit format: exponent and fraction widths. */
    private record Format(String name, int exponentBits, int fractionBits) {
        int bias() {
            return (1 << (exponentBits - 1)) - 1;
        }

        int infBits() {
            return ((1 << exponentBits) - 1) << fractionBits;
        }

        /** The value of {@code bits} by the format's definition (NaN for NaN patterns). */
        double decode(int bits) {
            int sign = (bits >> 15) & 1;
            int e = (bits >> fractionBits) & ((1 << exponentBits) - 1);
            int f = bits & ((1 << fractionBits) - 1);
            double magnitude;
            if (e == (1 << exponentBits) - 1) magnitude = f == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
            else if (e == 0) magnitude = f * Math.pow(2, 1 - bias() - fractionBits);           // subnormal
            else magnitude = (1 + f / Math.pow(2, fractionBits)) * Math.pow(2, e - bias());
            return sign == 1 ? -magnitude : magnitude;
        }

        /** The non-negative values by bit pattern, 0 .. infBits, with infinity as 2^(emax + 1). */
        double[] ladder() {
            double[] v = new double[infBits() + 1];
            for (int b = 0; b < infBits(); b++) v[b] = decode(b);
            v[infBits()] = Math.pow(2, bias() + 1);
            return v;
        }
    }

    private static final Format BF16 = new Format("bfloat16", 8, 7);
    private static final Format FP16 = new Format("float16", 5, 10);

    /** The reference rounding of a non-NaN float to {@code format}: the nearest rung, ties to the even pattern. */
    private static int reference(Format format, double[] ladder, float f) {
        int sign = Float.floatToRawIntBits(f) < 0 ? 0x8000 : 0;
        double x = Math.abs((double) f);
        if (x >= ladder[ladder.length - 1]) return sign | format.infBits();
        int lo = 0, hi = ladder.length - 1;                 // ladder[lo] <= x < ladder[hi]
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (ladder[mid] <= x) lo = mid;
            else hi = mid;
        }
        BigDecimal bx = new BigDecimal(x);
        int c = bx.subtract(new BigDecimal(ladder[lo])).compareTo(new BigDecimal(ladder[hi]).subtract(bx));
        int bits = c < 0 ? lo : c > 0 ? hi : (lo % 2 == 0 ? lo : hi);
        return sign | bits;
    }

    private static int bf16(float f) {
        return BFloat16.fromFloat(f) & 0xffff;
    }

    private static int fp16(float f) {
        return Float16.fromFloat(f) & 0xffff;
    }

    @Test
    void widensEveryBf16PatternExactly() {
        for (int b = 0; b < 65536; b++) {
            double expected = BF16.decode(b);
            float got = BFloat16.toFloat((short) b);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(got), "bf16 0x" + Integer.toHexString(b));
            } else {
                assertEquals(expected, got, 0.0, "bf16 0x" + Integer.toHexString(b));
                assertEquals(b >> 15, Float.floatToRawIntBits(got) >>> 31, "sign of bf16 0x" + Integer.toHexString(b));
            }
        }
    }

    @Test
    void widensEveryFp16PatternExactly() {
        for (int b = 0; b < 65536; b++) {
            double expected = FP16.decode(b);
            float got = Float16.toFloat((short) b);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(got), "fp16 0x" + Integer.toHexString(b));
            } else {
                assertEquals(expected, got, 0.0, "fp16 0x" + Integer.toHexString(b));
                assertEquals(b >> 15, Float.floatToRawIntBits(got) >>> 31, "sign of fp16 0x" + Integer.toHexString(b));
            }
        }
    }

    /**
     * Narrowing of every finite value, every midpoint between neighbours (the ties), the floats just
     * beside each midpoint, and random float patterns; both signs.
     */
    @Test
    void narrowsToTheNearestTiesToEven() {
        for (Format format : new Format[] {BF16, FP16}) {
            double[] ladder = format.ladder();
            SplittableRandom random = new SplittableRandom(13);
            int checked = 0;
            for (int b = 0; b < ladder.length - 1; b++) {
                float exact = (float) ladder[b];
                float tie = (float) ((ladder[b] + ladder[b + 1]) / 2);  // exact: fewer than 24 significant bits
                float[] cases = {exact, tie, Math.nextDown(tie), Math.nextUp(tie)};
                for (float f : cases) {
                    for (float s : new float[] {f, -f}) {
                        check(format, ladder, s);
                        checked++;
                    }
                }
            }
            for (int i = 0; i < 200_000; i++) {
                float f = Float.intBitsToFloat(random.nextInt());
                if (!Float.isNaN(f)) {
                    check(format, ladder, f);
                    checked++;
                }
            }
            assertTrue(checked >= (ladder.length - 1) * 8 + 199_000, format.name + ": " + checked + " cases");
        }
    }

    private static void check(Format format, double[] ladder, float f) {
        int expected = reference(format, ladder, f);
        int got = format == BF16 ? bf16(f) : fp16(f);
        assertEquals(expected, got, format.name + " of " + f + " (0x" + Integer.toHexString(Float.floatToRawIntBits(f))
                + "): expected 0x" + Integer.toHexString(expected) + ", got 0x" + Integer.toHexString(got));
    }

    @Test
    void edgeCasesHaveTheDocumentedBits() {
        // Ties to even: 1 + 2^-8 lies half-way between bf16 1.0 (even) and 1 + 2^-7 (odd).
        assertEquals(0x3f80, bf16(1.00390625f));
        assertEquals(0x3f82, bf16(1.01171875f));                      // 1 + 3 * 2^-8: up to the even 1 + 2^-6
        assertEquals(0x3c00, fp16(1 + 0x1p-11f));                      // fp16 tie down to 1.0
        // Overflow: fp16's largest finite is 65504; 65520 is half-way to 2^16 and rounds to infinity.
        assertEquals(0x7bff, fp16(65504f));
        assertEquals(0x7bff, fp16(Math.nextDown(65520f)));
        assertEquals(0x7c00, fp16(65520f));
        assertEquals(0xfc00, fp16(-1e6f));
        assertEquals(0x7f80, bf16(Float.MAX_VALUE));                   // above bf16's largest finite half-way point
        assertEquals(0x7f7f, bf16(Float.intBitsToFloat(0x7f7f7fff)));  // just below it
        assertEquals(0x7f80, bf16(Float.POSITIVE_INFINITY));
        assertEquals(0xff80, bf16(Float.NEGATIVE_INFINITY));
        // Signed zero survives both ways.
        assertEquals(0x8000, bf16(-0f));
        assertEquals(0x8000, fp16(-0f));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(BFloat16.toFloat((short) 0x8000)));
        // Subnormals: fp16's smallest is 2^-24; 2^-25 is a tie to 0, anything above it rounds up.
        assertEquals(0x0001, fp16(0x1p-24f));
        assertEquals(0x0000, fp16(0x1p-25f));
        assertEquals(0x0001, fp16(Math.nextUp(0x1p-25f)));
        assertEquals(0x0400, fp16(Math.nextDown(0x1p-14f)));           // the largest subnormal rounds up into the normals
        assertEquals(0x0001, bf16(Float.MIN_VALUE * 65536));           // float subnormal 2^-133: bf16's smallest
        assertEquals(0x0000, bf16(Float.MIN_VALUE));
        // NaN of any sign or payload becomes the canonical quiet NaN, as the native conversions write it.
        for (int nan : new int[] {0x7fc00000, 0xffc00000, 0x7f800001, 0xffffffff}) {
            assertEquals(0x7fff, bf16(Float.intBitsToFloat(nan)));
            assertEquals(0x7fff, fp16(Float.intBitsToFloat(nan)));
        }
        assertTrue(Float.isNaN(BFloat16.toFloat(BFloat16.NAN)) && Float.isNaN(Float16.toFloat(Float16.NAN)));
    }
}
