package dev.panoptim.optim;

import dev.panoptim.bindings.c.panoptim_h;
import dev.panoptim.runtime.Cuda;
import dev.panoptim.runtime.NativeStatus;
import dev.panoptim.tensor.Device;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The low-level entry: fused optimizer steps over {@link MemorySegment}s that the caller owns, for
 * JVM training code that already holds its parameters, gradients and state in its own off-heap
 * buffers. One call updates every tensor of the lists (one native downcall); params and state are
 * updated in place, grads are only read. Each segment holds float32 values ({@code byteSize / 4} of
 * them); the i-th segments of all lists must have the same size. Segments must be native (off-heap):
 * the kernels receive arrays of pointers, which heap arrays ({@code float[]}) cannot appear in, so
 * copy a {@code float[]} into an {@code Arena}-allocated segment first. State starts as zeros
 * ({@code arena.allocate} zero-fills). A segment of a closed arena is an {@link IllegalStateException}, one
 * of an arena confined to another thread a {@link WrongThreadException}.
 *
 * <p>CUDA: for a CUDA {@link Device} every segment is device memory of that device, as other JVM
 * code holds it: {@code MemorySegment.ofAddress(devicePtr).reinterpret(bytes)} (or a CUDA tensor's
 * {@code nativeSegment()}); Java never reads it, the kernels are queued on panoptim's stream for the
 * device ({@code Cuda.stream(index)}), and the call returns before they finish. The overloads taking
 * {@link StepExtras} call the extended steps (capturable lr and steps, AMP's grad scale and found-inf,
 * bf16 grads and a bf16 param copy).
 *
 * <pre>{@code
 * try (Arena arena = Arena.ofConfined()) {
 *     MemorySegment p = arena.allocate(4L * n), g = arena.allocate(4L * n);
 *     MemorySegment m = arena.allocate(4L * n), v = arena.allocate(4L * n);
 *     var opts = new FusedSteps.AdamOptions(1e-3, 0.9, 0.999, 1e-8, 0.01, false, false);
 *     for (long t = 1; t <= 10; t++) {
 *         // ... fill g ...
 *         FusedSteps.adamw(Device.CPU, List.of(p), List.of(g), List.of(m), List.of(v), null, new long[]{t}, opts);
 *     }
 * }
 * }</pre>
 */
public final class FusedSteps {
    private FusedSteps() {}

    /** SGD hyperparameters, torch names in Java case. */
    public record SgdOptions(double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
                             boolean maximize) {}

    /** RMSprop hyperparameters. */
    public record RmspropOptions(double lr, double alpha, double eps, double weightDecay, double momentum,
                                 boolean centered, boolean maximize) {}

    /** Adam / AdamW hyperparameters. */
    public record AdamOptions(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
                              boolean maximize) {}

    /**
     * SGD over the lists. {@code momentumBuffers} may be null when momentum is 0. A buffer whose
     * {@code bufferIsNew[i]} is true is overwritten by the (decayed) grad, as torch does on the first step;
     * {@code bufferIsNew} may be null (no buffer is new).
     */
    public static void sgd(Device device, List<MemorySegment> params, List<MemorySegment> grads,
                           List<MemorySegment> momentumBuffers, boolean[] bufferIsNew, SgdOptions o) {
        sgd(device, params, grads, momentumBuffers, bufferIsNew, o, StepExtras.NONE);
    }

    /** {@link #sgd(Device, List, List, List, boolean[], SgdOptions)} with extras ({@code extras.steps()} must be null). */
    public static void sgd(Device device, List<MemorySegment> params, List<MemorySegment> grads,
                           List<MemorySegment> momentumBuffers, boolean[] bufferIsNew, SgdOptions o, StepExtras extras) {
        String op = extras.isNone() ? "pt_sgd_step" : "pt_sgd_step_ex";
        prepare(device, op);
        try (Arena scratch = StepScratch.forTensors(params == null ? 0 : params.size())) {
            TensorList list = TensorList.of(scratch, params);
            MemorySegment isNew = MemorySegment.NULL;
            if (bufferIsNew != null) {
                if (bufferIsNew.length != list.size()) {
                    throw new IllegalArgumentException("bufferIsNew has " + bufferIsNew.length + " entries for "
                            + list.size() + " params");
                }
                isNew = scratch.allocate(Math.max(1, bufferIsNew.length));
                for (int i = 0; i < bufferIsNew.length; i++) isNew.set(ValueLayout.JAVA_BYTE, i, (byte) (bufferIsNew[i] ? 1 : 0));
            }
            MemorySegment g = list.companion("grads", grads, false, extras.gradBytes());
            MemorySegment buf = list.companion("momentumBuffers", momentumBuffers, true);
            int code = extras.isNone()
                    ? panoptim_h.pt_sgd_step(device.code(), list.size(), list.numels(), list.pointers(), g, buf, isNew,
                            o.lr(), o.momentum(), o.dampening(), o.weightDecay(), flag(o.nesterov()), flag(o.maximize()))
                    : panoptim_h.pt_sgd_step_ex(device.code(), list.size(), list.numels(), list.pointers(), g, buf, isNew,
                            o.lr(), o.momentum(), o.dampening(), o.weightDecay(), flag(o.nesterov()), flag(o.maximize()),
                            extras.toNative(scratch, list));
            NativeStatus.check(code, "SGD step");
        }
    }

    /** RMSprop over the lists. {@code momentumBuffers} may be null when momentum is 0, {@code gradAvgs} when not centered. */
    public static void rmsprop(Device device, List<MemorySegment> params, List<MemorySegment> grads,
                               List<MemorySegment> squareAvgs, List<MemorySegment> momentumBuffers,
                               List<MemorySegment> gradAvgs, RmspropOptions o) {
        rmsprop(device, params, grads, squareAvgs, momentumBuffers, gradAvgs, o, StepExtras.NONE);
    }

    /** {@link #rmsprop(Device, List, List, List, List, List, RmspropOptions)} with extras. */
    public static void rmsprop(Device device, List<MemorySegment> params, List<MemorySegment> grads,
                               List<MemorySegment> squareAvgs, List<MemorySegment> momentumBuffers,
                               List<MemorySegment> gradAvgs, RmspropOptions o, StepExtras extras) {
        prepare(device, extras.isNone() ? "pt_rmsprop_step" : "pt_rmsprop_step_ex");
        try (Arena scratch = StepScratch.forTensors(params == null ? 0 : params.size())) {
            TensorList list = TensorList.of(scratch, params);
            MemorySegment g = list.companion("grads", grads, false, extras.gradBytes());
            MemorySegment sq = list.companion("squareAvgs", squareAvgs, false);
            MemorySegment buf = list.companion("momentumBuffers", momentumBuffers, true);
            MemorySegment ga = list.companion("gradAvgs", gradAvgs, true);
            int code = extras.isNone()
                    ? panoptim_h.pt_rmsprop_step(device.code(), list.size(), list.numels(), list.pointers(), g, sq, buf, ga,
                            o.lr(), o.alpha(), o.eps(), o.weightDecay(), o.momentum(), flag(o.centered()), flag(o.maximize()))
                    : panoptim_h.pt_rmsprop_step_ex(device.code(), list.size(), list.numels(), list.pointers(), g, sq, buf,
                            ga, o.lr(), o.alpha(), o.eps(), o.weightDecay(), o.momentum(), flag(o.centered()),
                            flag(o.maximize()), extras.toNative(scratch, list));
            NativeStatus.check(code, "RMSprop step");
        }
    }

    /**
     * Adam (L2 weight decay) over the lists; {@code steps[i]} is the step being taken for tensor i
     * (1 on the first step). {@code maxExpAvgSqs} may be null when not amsgrad.
     */
    public static void adam(Device device, List<MemorySegment> params, List<MemorySegment> grads,
                            List<MemorySegment> expAvgs, List<MemorySegment> expAvgSqs,
                            List<MemorySegment> maxExpAvgSqs, long[] steps, AdamOptions o) {
        adamFamily(false, device, params, grads, expAvgs, expAvgSqs, maxExpAvgSqs, steps, o, StepExtras.NONE);
    }

    /**
     * {@link #adam(Device, List, List, List, List, List, long[], AdamOptions)} with extras; {@code steps}
     * must be null when {@code extras.steps()} holds the step counts (capturable).
     */
    public static void adam(Device device, List<MemorySegment> params, List<MemorySegment> grads,
                            List<MemorySegment> expAvgs, List<MemorySegment> expAvgSqs,
                            List<MemorySegment> maxExpAvgSqs, long[] steps, AdamOptions o, StepExtras extras) {
        adamFamily(false, device, params, grads, expAvgs, expAvgSqs, maxExpAvgSqs, steps, o, extras);
    }

    /** AdamW (decoupled weight decay, {@code p *= 1 - lr * wd}); arguments as {@link #adam}. */
    public static void adamw(Device device, List<MemorySegment> params, List<MemorySegment> grads,
                             List<MemorySegment> expAvgs, List<MemorySegment> expAvgSqs,
                             List<MemorySegment> maxExpAvgSqs, long[] steps, AdamOptions o) {
        adamFamily(true, device, params, grads, expAvgs, expAvgSqs, maxExpAvgSqs, steps, o, StepExtras.NONE);
    }

    /** AdamW with extras; arguments as {@link #adam(Device, List, List, List, List, List, long[], AdamOptions, StepExtras)}. */
    public static void adamw(Device device, List<MemorySegment> params, List<MemorySegment> grads,
                             List<MemorySegment> expAvgs, List<MemorySegment> expAvgSqs,
                             List<MemorySegment> maxExpAvgSqs, long[] steps, AdamOptions o, StepExtras extras) {
        adamFamily(true, device, params, grads, expAvgs, expAvgSqs, maxExpAvgSqs, steps, o, extras);
    }

    private static void adamFamily(boolean decoupled, Device device, List<MemorySegment> params,
                                   List<MemorySegment> grads, List<MemorySegment> expAvgs,
                                   List<MemorySegment> expAvgSqs, List<MemorySegment> maxExpAvgSqs, long[] steps,
                                   AdamOptions o, StepExtras extras) {
        String name = decoupled ? "pt_adamw_step" : "pt_adam_step";
        prepare(device, extras.isNone() ? name : name + "_ex");
        try (Arena scratch = StepScratch.forTensors(params == null ? 0 : params.size())) {
            TensorList list = TensorList.of(scratch, params);
            MemorySegment stepSeg;
            if (extras.steps() != null) {
                if (steps != null) {
                    throw new IllegalArgumentException("steps must be null when extras.steps() holds the step counts"
                            + " (capturable)");
                }
                stepSeg = MemorySegment.NULL;
            } else {
                if (steps == null || steps.length != list.size()) {
                    throw new IllegalArgumentException("steps must have one entry per param (" + list.size() + "), got "
                            + (steps == null ? "null" : steps.length));
                }
                stepSeg = scratch.allocateFrom(ValueLayout.JAVA_LONG, steps);
            }
            MemorySegment g = list.companion("grads", grads, false, extras.gradBytes());
            MemorySegment m = list.companion("expAvgs", expAvgs, false);
            MemorySegment v = list.companion("expAvgSqs", expAvgSqs, false);
            MemorySegment vmax = list.companion("maxExpAvgSqs", maxExpAvgSqs, true);
            int dev = device.code(), amsgrad = flag(o.amsgrad()), maximize = flag(o.maximize());
            long n = list.size();
            MemorySegment numels = list.numels(), p = list.pointers();
            int code;
            if (extras.isNone()) {
                code = decoupled
                        ? panoptim_h.pt_adamw_step(dev, n, numels, p, g, m, v, vmax, stepSeg, o.lr(), o.beta1(), o.beta2(),
                                o.eps(), o.weightDecay(), amsgrad, maximize)
                        : panoptim_h.pt_adam_step(dev, n, numels, p, g, m, v, vmax, stepSeg, o.lr(), o.beta1(), o.beta2(),
                                o.eps(), o.weightDecay(), amsgrad, maximize);
            } else {
                MemorySegment x = extras.toNative(scratch, list);
                code = decoupled
                        ? panoptim_h.pt_adamw_step_ex(dev, n, numels, p, g, m, v, vmax, stepSeg, o.lr(), o.beta1(),
                                o.beta2(), o.eps(), o.weightDecay(), amsgrad, maximize, x)
                        : panoptim_h.pt_adam_step_ex(dev, n, numels, p, g, m, v, vmax, stepSeg, o.lr(), o.beta1(),
                                o.beta2(), o.eps(), o.weightDecay(), amsgrad, maximize, x);
            }
            NativeStatus.check(code, decoupled ? "AdamW step" : "Adam step");
        }
    }

    /**
     * Checks the device and, for CUDA, makes it current on this thread (the C API steps on the
     * calling thread's current device); CUDA where it is unusable is an exception saying why.
     */
    private static void prepare(Device device, String op) {
        if (device == null) throw new IllegalArgumentException("device must not be null");
        if (device.isCuda()) {
            Cuda.requireDevice(device.index(), op);
            Cuda.setDevice(device.index());
        }
    }

    private static int flag(boolean b) {
        return b ? 1 : 0;
    }
}
