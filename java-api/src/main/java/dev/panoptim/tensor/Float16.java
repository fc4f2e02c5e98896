package dev.panoptim.tensor;

/**
 * Conversions between float32 and IEEE float16 (binary16) bits: {@link Float#floatToFloat16} and
 * {@link Float#float16ToFloat} (round to nearest even, overflow to infinity past 65504, subnormals
 * kept), except that every NaN narrows to the canonical {@link #NAN} as the native conversion
 * ({@code pt_float_to_fp16}, native/common/dtypes.h) writes it, so CPU and CUDA tensors hold the same bits.
 *
 * <pre>{@code short h = Float16.fromFloat(65520f);   // 0x7c00: +infinity}</pre>
 */
public final class Float16 {
    /** The quiet NaN every NaN becomes. */
    public static final short NAN = 0x7fff;

    private Float16() {}

    /** {@code f} rounded to the nearest float16, ties to even; NaN becomes {@link #NAN}. */
    public static short fromFloat(float f) {
        return Float.isNaN(f) ? NAN : Float.floatToFloat16(f);
    }

    /** The float32 of float16 {@code bits}: exact, every float16 is a float32. */
    public static float toFloat(short bits) {
        return Float.float16ToFloat(bits);
    }
}
