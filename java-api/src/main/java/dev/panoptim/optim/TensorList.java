package dev.panoptim.optim;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The native form of a list of float32 tensors for one fused call: an array of element counts and
 * parallel arrays of pointers (params, then each companion list), allocated in a scratch arena.
 * This is where a bad segment is caught, with its list name and index, before C ever sees it.
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
            MemorySegment p = checked("params", i, params.get(i));
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
        if (list == null) {
            if (optional) return MemorySegment.NULL;
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (list.size() != params.size()) {
            throw new IllegalArgumentException(name + " has " + list.size() + " segments for " + params.size() + " params");
        }
        for (int i = 0; i < list.size(); i++) {
            MemorySegment s = checked(name, i, list.get(i));
            if (s.byteSize() != params.get(i).byteSize()) {
                throw new IllegalArgumentException(name + "[" + i + "] holds " + s.byteSize() / Float.BYTES
                        + " floats but params[" + i + "] holds " + params.get(i).byteSize() / Float.BYTES);
            }
        }
        return addresses(scratch, list);
    }

    private static MemorySegment checked(String name, int i, MemorySegment s) {
        if (s == null) throw new IllegalArgumentException(name + "[" + i + "] is null");
        if (!s.isNative()) {
            throw new IllegalArgumentException(name + "[" + i + "] is a heap segment; fused steps need off-heap memory"
                    + " (copy it into an Arena-allocated segment)");
        }
        if (s.byteSize() % Float.BYTES != 0) {
            throw new IllegalArgumentException(name + "[" + i + "] is " + s.byteSize()
                    + " bytes, not a whole number of float32 values");
        }
        if (s.address() % Float.BYTES != 0) {
            throw new IllegalArgumentException(name + "[" + i + "] is not 4-byte aligned (address 0x"
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
