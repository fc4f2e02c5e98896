package dev.panoptim.nn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A reusable off-heap int32 buffer (argmax indices, class targets), reallocated only when it must
 * grow. Closed with its owner.
 */
final class NativeInts implements AutoCloseable {
    private Arena arena;
    private MemorySegment data = MemorySegment.NULL;
    private long capacity;

    /** A segment of exactly {@code count} ints (contents unspecified). */
    MemorySegment ensure(long count) {
        if (count > capacity || arena == null) {
            close();
            arena = Arena.ofShared();
            capacity = Math.max(1, count);
            data = arena.allocate(ValueLayout.JAVA_INT, capacity);
        }
        return data.asSlice(0, count * Integer.BYTES);
    }

    /** A segment holding a copy of {@code values}. */
    MemorySegment load(int[] values) {
        MemorySegment s = ensure(values.length);
        MemorySegment.copy(values, 0, s, ValueLayout.JAVA_INT, 0, values.length);
        return s;
    }

    @Override
    public void close() {
        if (arena != null) arena.close();
        arena = null;
        data = MemorySegment.NULL;
        capacity = 0;
    }
}
