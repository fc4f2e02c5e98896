package dev.panoptim.tensor;

/**
 * Conversions between float32 and bfloat16 bits (the upper 16 bits of a float32: sign, 8 exponent
 * bits, 7 fraction bits), the same as the native kernels' {@code pt_float_to_bf16} /
 * {@code pt_bf16_to_float} (native/common/dtypes.h) so that CPU and CUDA tensors hold the same bits.
 *
 * <pre>{@code short b = BFloat16.fromFloat(1.00390625f);   // 0x3f80: the tie rounds to the even 1.0}</pre>
 */
public final class BFloat16 {
    /** The quiet NaN every NaN becomes (sign and payload are not kept), as the native conversion writes. */
    public static final short NAN = 0x7fff;

    private BFloat16() {}

    /**
     * {@code f} rounded to the nearest bfloat16, ties to even: adding 0x7fff plus the lowest kept bit
     * and truncating rounds the 16 dropped bits exactly; a carry runs into the exponent, so values past
     * the largest finite bfloat16 round to infinity, and subnormals round like any other value. NaN
     * becomes {@link #NAN}.
     */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) return NAN;
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    /** The float32 of bfloat16 {@code bits}: exact, every bfloat16 is a float32. */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }
}
