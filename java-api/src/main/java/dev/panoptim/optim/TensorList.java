package dev.panoptim.optim;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The native form of a list of float32 tensors for one fused call: an array of element counts and
 * parallel arrays of pointers (params, then each companion list), allocated in a scratch arena.
 * This is where a bad segment is caught, with its list name and index, before C ever sees it.
 * Segments of CUDA memory ({@code MemorySegment.ofAddress(ptr).reinterpret(bytes)}) pass the same
 * checks: only their address and size are read, never their contents.
 */
final class TensorList {
    private final Arena scratch;
    private final List<MemorySegment> params;
    private final MemorySegment numels;
    private final MemorySegment pointers;

    private TensorList(Arena scratch, List<MemorySegment> params, MemorySegment numels, MemorySegment pointers) {
        this.scratch = scratch;
        this.params = params;
        this.numels = numels;
        this.pointers = pointers;
    }

    static TensorList of(Arena scratch, List<MemorySegment> params) {
        if (params == null) throw new IllegalArgumentException("params must not be null");
        int n = params.size();
        MemorySegment numels = scratch.allocate(ValueLayout.JAVA_LONG, Math.max(1, n));
        for (int i = 0; i < n; i++) {
            MemorySegment p = checked("params", i, params.get(i), Float.BYTES);
            numels.setAtIndex(ValueLayout.JAVA_LONG, i, p.byteSize() / Float.BYTES);
        }
        return new TensorList(scratch, params, numels, addresses(scratch, params));
    }

    int size() {
        return params.size();
    }

    MemorySegment numels() {
        return numels;
    }

    MemorySegment pointers() {
        return pointers;
    }

    /**
     * The pointer array of a list that runs beside params (grads, a state buffer). An optional list
     * may be null (passed as NULL; the C side checks it is not needed).
     */
    MemorySegment companion(String name, List<MemorySegment> list, boolean optional) {
        return companion(name, list, optional, Float.BYTES);
    }

    /** {@link #companion(String, List, boolean)} for a list of {@code elementBytes}-byte elements (2 for bfloat16). */
    MemorySegment companion(String name, List<MemorySegment> list, boolean optional, int elementBytes) {
        if (list == null) {
            if (optional) return MemorySegment.NULL;
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (list.size() != params.size()) {
            throw new IllegalArgumentException(name + " has " + list.size() + " segments for " + params.size() + " params");
        }
        for (int i = 0; i < list.size(); i++) {
            MemorySegment s = checked(name, i, list.get(i), elementBytes);
            long numel = params.get(i).byteSize() / Float.BYTES;
            if (s.byteSize() != numel * elementBytes) {
                throw new IllegalArgumentException(name + "[" + i + "] holds " + s.byteSize() / elementBytes + " "
                        + typeName(elementBytes) + " but params[" + i + "] holds " + numel);
            }
        }
        return addresses(scratch, list);
    }

    private static String typeName(int elementBytes) {
        return elementBytes == Float.BYTES ? "floats" : "bfloat16 values";
    }

    private static MemorySegment checked(String name, int i, MemorySegment s, int elementBytes) {
        if (s == null) throw new IllegalArgumentException(name + "[" + i + "] is null");
        if (!s.isNative()) {
            throw new IllegalArgumentException(name + "[" + i + "] is a heap segment; fused steps need off-heap memory"
                    + " (copy it into an Arena-allocated segment)");
        }
        if (s.byteSize() % elementBytes != 0) {
            throw new IllegalArgumentException(name + "[" + i + "] is " + s.byteSize()
                    + " bytes, not a whole number of " + typeName(elementBytes));
        }
        if (s.address() % elementBytes != 0) {
            throw new IllegalArgumentException(name + "[" + i + "] is not " + elementBytes + "-byte aligned (address 0x"
                    + Long.toHexString(s.address()) + ")");
        }
        if (s.isReadOnly() && !name.equals("grads")) {
            throw new IllegalArgumentException(name + "[" + i + "] is read-only but is updated in place");
        }
        // A closed arena's address would be a dangling pointer in C.
        if (!s.scope().isAlive()) throw new IllegalStateException(name + "[" + i + "] belongs to a closed arena");
        // The kernels would read and write it on this thread, which FFM forbids for a confined arena.
        if (!s.isAccessibleBy(Thread.currentThread())) {
            throw new WrongThreadException(name + "[" + i + "] belongs to an arena confined to another thread");
        }
        return s;
    }

    private static MemorySegment addresses(Arena scratch, List<MemorySegment> list) {
        MemorySegment table = scratch.allocate(ValueLayout.ADDRESS, Math.max(1, list.size()));
        for (int i = 0; i < list.size(); i++) table.setAtIndex(ValueLayout.ADDRESS, i, list.get(i));
        return table;
    }
}
