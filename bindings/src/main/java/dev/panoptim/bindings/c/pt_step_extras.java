// Generated in the layout of jextract 22 from native/include/panoptim.h (struct pt_step_extras);
// regenerate with bindings/jextract.sh where jextract is installed.
package dev.panoptim.bindings.c;

import java.lang.foreign.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct pt_step_extras {
 *     const float *lr;
 *     float *steps;
 *     const float *grad_scale;
 *     const float *found_inf;
 *     int32_t grad_dtype;
 *     int32_t reserved;
 *     void *const *params_bf16;
 * }
 * }
 */
public class pt_step_extras {

    pt_step_extras() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        panoptim_h.C_POINTER.withName("lr"),
        panoptim_h.C_POINTER.withName("steps"),
        panoptim_h.C_POINTER.withName("grad_scale"),
        panoptim_h.C_POINTER.withName("found_inf"),
        panoptim_h.C_INT.withName("grad_dtype"),
        panoptim_h.C_INT.withName("reserved"),
        panoptim_h.C_POINTER.withName("params_bf16")
    ).withName("pt_step_extras");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final AddressLayout lr$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("lr"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const float *lr
     * }
     */
    public static final AddressLayout lr$layout() {
        return lr$LAYOUT;
    }

    private static final long lr$OFFSET = 0;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const float *lr
     * }
     */
    public static final long lr$offset() {
        return lr$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const float *lr
     * }
     */
    public static MemorySegment lr(MemorySegment struct) {
        return struct.get(lr$LAYOUT, lr$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const float *lr
     * }
     */
    public static void lr(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(lr$LAYOUT, lr$OFFSET, fieldValue);
    }

    private static final AddressLayout steps$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("steps"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * float *steps
     * }
     */
    public static final AddressLayout steps$layout() {
        return steps$LAYOUT;
    }

    private static final long steps$OFFSET = 8;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * float *steps
     * }
     */
    public static final long steps$offset() {
        return steps$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * float *steps
     * }
     */
    public static MemorySegment steps(MemorySegment struct) {
        return struct.get(steps$LAYOUT, steps$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * float *steps
     * }
     */
    public static void steps(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(steps$LAYOUT, steps$OFFSET, fieldValue);
    }

    private static final AddressLayout grad_scale$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("grad_scale"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const float *grad_scale
     * }
     */
    public static final AddressLayout grad_scale$layout() {
        return grad_scale$LAYOUT;
    }

    private static final long grad_scale$OFFSET = 16;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const float *grad_scale
     * }
     */
    public static final long grad_scale$offset() {
        return grad_scale$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const float *grad_scale
     * }
     */
    public static MemorySegment grad_scale(MemorySegment struct) {
        return struct.get(grad_scale$LAYOUT, grad_scale$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const float *grad_scale
     * }
     */
    public static void grad_scale(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(grad_scale$LAYOUT, grad_scale$OFFSET, fieldValue);
    }

    private static final AddressLayout found_inf$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("found_inf"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * const float *found_inf
     * }
     */
    public static final AddressLayout found_inf$layout() {
        return found_inf$LAYOUT;
    }

    private static final long found_inf$OFFSET = 24;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * const float *found_inf
     * }
     */
    public static final long found_inf$offset() {
        return found_inf$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * const float *found_inf
     * }
     */
    public static MemorySegment found_inf(MemorySegment struct) {
        return struct.get(found_inf$LAYOUT, found_inf$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * const float *found_inf
     * }
     */
    public static void found_inf(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(found_inf$LAYOUT, found_inf$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt grad_dtype$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("grad_dtype"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t grad_dtype
     * }
     */
    public static final ValueLayout.OfInt grad_dtype$layout() {
        return grad_dtype$LAYOUT;
    }

    private static final long grad_dtype$OFFSET = 32;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t grad_dtype
     * }
     */
    public static final long grad_dtype$offset() {
        return grad_dtype$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t grad_dtype
     * }
     */
    public static int grad_dtype(MemorySegment struct) {
        return struct.get(grad_dtype$LAYOUT, grad_dtype$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t grad_dtype
     * }
     */
    public static void grad_dtype(MemorySegment struct, int fieldValue) {
        struct.set(grad_dtype$LAYOUT, grad_dtype$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt reserved$LAYOUT = (ValueLayout.OfInt)$LAYOUT.select(groupElement("reserved"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * int32_t reserved
     * }
     */
    public static final ValueLayout.OfInt reserved$layout() {
        return reserved$LAYOUT;
    }

    private static final long reserved$OFFSET = 36;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * int32_t reserved
     * }
     */
    public static final long reserved$offset() {
        return reserved$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * int32_t reserved
     * }
     */
    public static int reserved(MemorySegment struct) {
        return struct.get(reserved$LAYOUT, reserved$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * int32_t reserved
     * }
     */
    public static void reserved(MemorySegment struct, int fieldValue) {
        struct.set(reserved$LAYOUT, reserved$OFFSET, fieldValue);
    }

    private static final AddressLayout params_bf16$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("params_bf16"));

    /**
     * Layout for field:
     * {@snippet lang=c :
     * void *const *params_bf16
     * }
     */
    public static final AddressLayout params_bf16$layout() {
        return params_bf16$LAYOUT;
    }

    private static final long params_bf16$OFFSET = 40;

    /**
     * Offset for field:
     * {@snippet lang=c :
     * void *const *params_bf16
     * }
     */
    public static final long params_bf16$offset() {
        return params_bf16$OFFSET;
    }

    /**
     * Getter for field:
     * {@snippet lang=c :
     * void *const *params_bf16
     * }
     */
    public static MemorySegment params_bf16(MemorySegment struct) {
        return struct.get(params_bf16$LAYOUT, params_bf16$OFFSET);
    }

    /**
     * Setter for field:
     * {@snippet lang=c :
     * void *const *params_bf16
     * }
     */
    public static void params_bf16(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(params_bf16$LAYOUT, params_bf16$OFFSET, fieldValue);
    }

    /**
     * Obtains a slice of {@code arrayParam} which selects the array element at {@code index}.
     * The returned segment has address {@code arrayParam.address() + index * layout().byteSize()}
     */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(layout().byteSize() * index);
    }

    /**
     * The size (in bytes) of this struct
     */
    public static long sizeof() { return layout().byteSize(); }

    /**
     * Allocate a segment of size {@code layout().byteSize()} using {@code allocator}
     */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    /**
     * Allocate an array of size {@code elementCount} using {@code allocator}.
     * The returned segment has size {@code elementCount * layout().byteSize()}.
     */
    public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));
    }

    /**
     * Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any).
     * The returned segment has size {@code layout().byteSize()}
     */
    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return reinterpret(addr, 1, arena, cleanup);
    }

    /**
     * Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any).
     * The returned segment has size {@code elementCount * layout().byteSize()}
     */
    public static MemorySegment reinterpret(MemorySegment addr, long elementCount, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize() * elementCount, arena, cleanup);
    }
}
