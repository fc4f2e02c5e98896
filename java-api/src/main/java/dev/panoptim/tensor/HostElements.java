package dev.panoptim.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reading, writing and converting the elements of host memory in any {@link DType}: widening to
 * float32 is exact; narrowing rounds to nearest even ({@link BFloat16}, {@link Float16}; float16
 * also overflows to infinity past 65504), with the native conversions' bits. Memory is in the
 * platform's byte order, as native code reads it.
 *
 * <pre>{@code HostElements.cast(src, DType.FLOAT32, dst, DType.BFLOAT16, n);}</pre>
 */
final class HostElements {
    private HostElements() {}

    /** Element {@code i} of {@code data} as a float32 (exact). */
    static float get(MemorySegment data, DType type, long i) {
        return switch (type) {
            case FLOAT32 -> data.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            case BFLOAT16 -> BFloat16.toFloat(data.getAtIndex(ValueLayout.JAVA_SHORT, i));
            case FLOAT16 -> Float16.toFloat(data.getAtIndex(ValueLayout.JAVA_SHORT, i));
        };
    }

    /** Sets element {@code i} of {@code data} to {@code value} rounded to {@code type}. */
    static void set(MemorySegment data, DType type, long i, float value) {
        switch (type) {
            case FLOAT32 -> data.setAtIndex(ValueLayout.JAVA_FLOAT, i, value);
            case BFLOAT16 -> data.setAtIndex(ValueLayout.JAVA_SHORT, i, BFloat16.fromFloat(value));
            case FLOAT16 -> data.setAtIndex(ValueLayout.JAVA_SHORT, i, Float16.fromFloat(value));
        }
    }

    /** The first {@code n} elements of {@code data} widened to float32. */
    static float[] toFloats(MemorySegment data, DType type, int n) {
        float[] out = new float[n];
        if (type == DType.FLOAT32) {
            MemorySegment.copy(data, ValueLayout.JAVA_FLOAT, 0, out, 0, n);
        } else {
            for (int i = 0; i < n; i++) out[i] = get(data, type, i);
        }
        return out;
    }

    /** Writes {@code values} into the first {@code values.length} elements of {@code data}, rounded to {@code type}. */
    static void fromFloats(float[] values, MemorySegment data, DType type) {
        if (type == DType.FLOAT32) {
            MemorySegment.copy(values, 0, data, ValueLayout.JAVA_FLOAT, 0, values.length);
        } else {
            for (int i = 0; i < values.length; i++) set(data, type, i, values[i]);
        }
    }

    /** Sets all of {@code data}'s elements to {@code value} rounded to {@code type}. */
    static void fill(MemorySegment data, DType type, float value) {
        long n = data.byteSize() / type.byteSize();
        if (Float.floatToRawIntBits(value) == 0) {
            data.fill((byte) 0);                          // +0 is all zero bits in every type
        } else {
            for (long i = 0; i < n; i++) set(data, type, i, value);
        }
    }

    /**
     * Converts {@code n} elements of {@code src} ({@code from}) into {@code dst} ({@code to}). Between
     * the two 16-bit types the value passes through float32, which holds both exactly, so it is
     * rounded once.
     */
    static void cast(MemorySegment src, DType from, MemorySegment dst, DType to, long n) {
        if (from == to) {
            MemorySegment.copy(src, 0, dst, 0, n * from.byteSize());
            return;
        }
        for (long i = 0; i < n; i++) set(dst, to, i, get(src, from, i));
    }
}
