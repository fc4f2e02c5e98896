package dev.panoptim.optim;

import dev.panoptim.bindings.c.panoptim_h;
import dev.panoptim.bindings.c.pt_step_extras;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The extras of the extended fused steps (pt_*_step_ex, struct pt_step_extras): torch's capturable
 * variant, AMP's grad scaling and bf16 mixed precision. Every segment is memory of the call's device
 * (device addresses, e.g. {@code Tensor.nativeSegment()} or {@code MemorySegment.ofAddress(ptr).reinterpret(bytes)},
 * for CUDA; off-heap host memory for the CPU). Absent fields are null / false: {@link #NONE} is the plain step.
 *
 * <pre>{@code
 * StepExtras extras = StepExtras.builder().lr(lrOnDevice).steps(stepsOnDevice)   // capturable
 *         .gradScale(scale).foundInf(foundInf)                                   // AMP (GradScaler)
 *         .bf16Grads(true).paramsBf16(bf16Copies)                                // bf16 grads, bf16 model copy
 *         .build();
 * FusedSteps.adamw(Device.CUDA, params, grads, m, v, null, null, options, extras);
 * }</pre>
 *
 * @param lr         one float read by the kernel in place of the options' lr (capturable), or null
 * @param steps      one float step count per tensor, incremented by each step taken and used for the bias
 *                   corrections (capturable Adam, AdamW, RMSprop; torch's float "step"); the steps array must
 *                   then be null. Null otherwise; always null for SGD
 * @param gradScale  one float: grads are divided by it before use (AMP), or null
 * @param foundInf   one float: when non-zero the call changes nothing (AMP's skipped step), or null
 * @param bf16Grads  grads are bfloat16 (2 bytes per element) instead of float32
 * @param paramsBf16 null, or per param a bfloat16 buffer (2 bytes per element) that receives the updated fp32
 *                   param rounded to nearest even, in the same pass
 */
public record StepExtras(MemorySegment lr, MemorySegment steps, MemorySegment gradScale, MemorySegment foundInf,
                         boolean bf16Grads, List<MemorySegment> paramsBf16) {
    /** No extras: exactly the plain step. */
    public static final StepExtras NONE = new StepExtras(null, null, null, null, false, null);

    public StepExtras {
        paramsBf16 = paramsBf16 == null ? null : List.copyOf(paramsBf16);
    }

    /** A builder with every extra absent. */
    public static Builder builder() {
        return new Builder();
    }

    /** True when no extra is set (the plain call). */
    public boolean isNone() {
        return lr == null && steps == null && gradScale == null && foundInf == null && !bf16Grads && paramsBf16 == null;
    }

    /** The grads' element size in bytes: 2 for bfloat16, 4 for float32. */
    int gradBytes() {
        return bf16Grads ? 2 : Float.BYTES;
    }

    /** The struct pt_step_extras for {@code list}'s params in {@code scratch}, after checking every segment's size. */
    MemorySegment toNative(Arena scratch, TensorList list) {
        MemorySegment struct = pt_step_extras.allocate(scratch);
        struct.fill((byte) 0);
        pt_step_extras.lr(struct, scalar("lr", lr, 1));
        pt_step_extras.steps(struct, scalar("steps", steps, list.size()));
        pt_step_extras.grad_scale(struct, scalar("gradScale", gradScale, 1));
        pt_step_extras.found_inf(struct, scalar("foundInf", foundInf, 1));
        pt_step_extras.grad_dtype(struct, bf16Grads ? panoptim_h.PT_DTYPE_BFLOAT16() : panoptim_h.PT_DTYPE_FLOAT32());
        pt_step_extras.params_bf16(struct, list.companion("paramsBf16", paramsBf16, true, 2));
        return struct;
    }

    private static MemorySegment scalar(String name, MemorySegment s, int floats) {
        if (s == null) return MemorySegment.NULL;
        if (!s.isNative()) throw new IllegalArgumentException("extras " + name + " must be native memory, not a heap segment");
        if (s.byteSize() < (long) floats * Float.BYTES) {
            throw new IllegalArgumentException("extras " + name + " must hold " + floats + " float(s) (" + floats * Float.BYTES
                    + " bytes) but is " + s.byteSize() + " bytes (for a device address, reinterpret it to its size:"
                    + " MemorySegment.ofAddress(ptr).reinterpret(bytes))");
        }
        if (s.address() % Float.BYTES != 0) {
            throw new IllegalArgumentException("extras " + name + " is not 4-byte aligned (address 0x"
                    + Long.toHexString(s.address()) + ")");
        }
        return s;
    }

    /** Builds {@link StepExtras}; each setter names one field of pt_step_extras. */
    public static final class Builder {
        private MemorySegment lr, steps, gradScale, foundInf;
        private boolean bf16Grads;
        private List<MemorySegment> paramsBf16;

        private Builder() {}

        /** Capturable: the learning rate as one float in device memory. */
        public Builder lr(MemorySegment lr) {
            this.lr = lr;
            return this;
        }

        /** Capturable: one float step count per tensor in device memory. */
        public Builder steps(MemorySegment steps) {
            this.steps = steps;
            return this;
        }

        /** AMP: grads are divided by this float. */
        public Builder gradScale(MemorySegment gradScale) {
            this.gradScale = gradScale;
            return this;
        }

        /** AMP: a non-zero float here skips the step. */
        public Builder foundInf(MemorySegment foundInf) {
            this.foundInf = foundInf;
            return this;
        }

        /** Grads are bfloat16. */
        public Builder bf16Grads(boolean bf16Grads) {
            this.bf16Grads = bf16Grads;
            return this;
        }

        /** Per param, a bfloat16 copy written from the updated fp32 param. */
        public Builder paramsBf16(List<MemorySegment> paramsBf16) {
            this.paramsBf16 = paramsBf16;
            return this;
        }

        public StepExtras build() {
            return new StepExtras(lr, steps, gradScale, foundInf, bf16Grads, paramsBf16);
        }
    }
}
