package dev.panoptim.nn;

import dev.panoptim.bindings.c.panoptim_h;
import dev.panoptim.runtime.Cuda;
import dev.panoptim.runtime.NativeStatus;
import dev.panoptim.tensor.DType;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Softmax cross-entropy with logits, mean over the batch (torch.nn.CrossEntropyLoss with class-index
 * targets): loss = mean_n( -sum_c q[n, c] * log softmax(logits[n])[c] ) with the target distribution
 * q = (1 - e) * onehot(target) + e / C for label smoothing e. {@link #backward()} returns the
 * gradient of that mean loss with respect to the logits, (softmax - q) / N, owned by this object
 * (valid until its next backward). Runs {@code pt_cross_entropy_forward/backward}; also counts
 * correct predictions ({@code pt_argmax_correct}). It runs on the logits' device (its softmax, gradient
 * and a copy of the targets live there); the loss comes back as a float. The logits must be float32
 * (others are an {@link IllegalArgumentException}).
 *
 * <pre>{@code
 * try (CrossEntropyLoss criterion = new CrossEntropyLoss(0.1)) {
 *     float loss = criterion.forward(model.forward(images), labels);
 *     model.backward(criterion.backward(), false);
 * }
 * }</pre>
 */
public final class CrossEntropyLoss implements AutoCloseable {
    private final double labelSmoothing;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment lossOut = arena.allocate(ValueLayout.JAVA_DOUBLE);
    private final NativeInts targetBuf = new NativeInts();

    private Tensor probs;
    private Tensor gradLogits;
    private int[] shape;
    /** The targets of the last forward, as native code reads them (targetBuf's or the caller's). */
    private MemorySegment lastTargets;
    private boolean closed;

    /** No label smoothing. */
    public CrossEntropyLoss() {
        this(0.0);
    }

    /** {@code labelSmoothing} in [0, 1] (torch's label_smoothing). */
    public CrossEntropyLoss(double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: label smoothing must be in [0, 1], got " + labelSmoothing);
        }
        this.labelSmoothing = labelSmoothing;
    }

    /** The label smoothing e. */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    /**
     * The mean loss for {@code logits} (N, C) and class indices {@code targets} (N values in [0, C));
     * keeps the softmax for {@link #backward()}.
     */
    public float forward(Tensor logits, int[] targets) {
        ensureOpen();
        int[] s = checkInputs(logits, targets);
        Device device = logits.device();
        probs = Module.reuse(probs, device, s);
        MemorySegment t = targetBuf.load(device, targets);
        NativeStatus.check(panoptim_h.pt_cross_entropy_forward(code(device), s[0], s[1], logits.nativeSegment(),
                t, labelSmoothing, probs.nativeSegment(), lossOut),
                "CrossEntropyLoss forward " + Arrays.toString(s));
        shape = s;
        lastTargets = t;
        return (float) lossOut.get(ValueLayout.JAVA_DOUBLE, 0);
    }

    /**
     * {@link #forward(Tensor, int[])} without waiting for the device: the mean loss is written to
     * {@code out[index]} (a float32 tensor on the logits' device) when the queued work runs, so a
     * training loop can read many steps' losses back at once. {@code targets} are N int32 class indices
     * in the logits' device memory (host memory on the CPU), e.g. a {@code DeviceBatch}'s; they must
     * stay valid until {@link #backward()}. The CPU checks them; CUDA cannot without waiting, and writes
     * NaN as the loss when one is outside [0, C).
     */
    public void forward(Tensor logits, MemorySegment targets, Tensor out, int index) {
        ensureOpen();
        int[] s = checkLogits(logits);
        checkTargetsSegment(s, targets);
        Device device = logits.device();
        probs = Module.reuse(probs, device, s);
        NativeStatus.check(panoptim_h.pt_cross_entropy_forward_nosync(code(device), s[0], s[1], logits.nativeSegment(),
                targets, labelSmoothing, probs.nativeSegment(), slot(out, index, device)),
                "CrossEntropyLoss forward " + Arrays.toString(s));
        shape = s;
        lastTargets = targets;
    }

    /**
     * {@link #correct(Tensor, int[])} without waiting for the device: the count, as a float (exact below
     * 2^24), goes to {@code out[index]}; targets as in {@link #forward(Tensor, MemorySegment, Tensor, int)}.
     */
    public static void correct(Tensor logits, MemorySegment targets, Tensor out, int index) {
        int[] s = checkLogits(logits);
        checkTargetsSegment(s, targets);
        Device device = logits.device();
        NativeStatus.check(panoptim_h.pt_argmax_correct_nosync(code(device), s[0], s[1], logits.nativeSegment(), targets,
                slot(out, index, device)), "argmax accuracy " + Arrays.toString(s));
    }

    /** The address of out[index], for a native call that writes one float there. */
    private static MemorySegment slot(Tensor out, int index, Device device) {
        if (out == null) throw new IllegalArgumentException("the output tensor must not be null");
        if (!out.device().equals(device)) {
            throw new IllegalArgumentException("the output tensor is on " + out.device() + " but the logits are on " + device);
        }
        if (index < 0 || index >= out.numel()) {
            throw new IllegalArgumentException("output index " + index + " is outside a tensor of " + out.numel() + " elements");
        }
        return out.nativeSegment().asSlice((long) index * Float.BYTES, Float.BYTES);
    }

    private static void checkTargetsSegment(int[] s, MemorySegment targets) {
        if (targets == null) throw new IllegalArgumentException("targets must not be null");
        if (targets.byteSize() < (long) s[0] * Integer.BYTES) {
            throw new IllegalArgumentException("logits " + Arrays.toString(s) + " need " + s[0] + " int32 targets, the segment holds "
                    + targets.byteSize() / Integer.BYTES);
        }
    }

    /** The gradient of the last forward's mean loss with respect to the logits, (N, C). */
    public Tensor backward() {
        return backward(1.0);
    }

    /** {@link #backward()} scaled by {@code gradScale} (e.g. a loss weight or 1 / accumulation steps). */
    public Tensor backward(double gradScale) {
        ensureOpen();
        if (shape == null) throw new IllegalStateException("CrossEntropyLoss.backward called before forward");
        Device device = probs.device();
        gradLogits = Module.reuse(gradLogits, device, shape);
        NativeStatus.check(panoptim_h.pt_cross_entropy_backward(code(device), shape[0], shape[1], probs.nativeSegment(),
                lastTargets, labelSmoothing, gradScale, gradLogits.nativeSegment()),
                "CrossEntropyLoss backward");
        return gradLogits;
    }

    /** The softmax of the last forward's logits, (N, C), owned by this object. */
    public Tensor probabilities() {
        ensureOpen();
        if (probs == null) throw new IllegalStateException("CrossEntropyLoss.probabilities called before forward");
        return probs;
    }

    /** How many rows of {@code logits} (N, C) have their first maximum at the target class. */
    public static long correct(Tensor logits, int[] targets) {
        int[] s = checkInputs(logits, targets);
        Device device = logits.device();
        try (Arena a = Arena.ofConfined(); NativeInts t = new NativeInts()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG);
            NativeStatus.check(panoptim_h.pt_argmax_correct(code(device), s[0], s[1], logits.nativeSegment(),
                    t.load(device, targets), out), "argmax accuracy " + Arrays.toString(s));
            return out.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** The fraction of rows predicted correctly (0 for an empty batch). */
    public static double accuracy(Tensor logits, int[] targets) {
        long n = correct(logits, targets);
        return targets.length == 0 ? 0 : (double) n / targets.length;
    }

    /** The pt_device code of {@code device}, made the thread's current CUDA device first. */
    private static int code(Device device) {
        if (device.isCuda()) Cuda.setDevice(device.index());
        return device.code();
    }

    private static int[] checkLogits(Tensor logits) {
        if (logits == null) throw new IllegalArgumentException("logits must not be null");
        if (logits.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("CrossEntropyLoss: the logits are " + logits.dtype() + " but the loss computes"
                    + " in float32 and needs float32 logits (convert them with to(DType.FLOAT32))");
        }
        int[] s = logits.shape();
        if (s.length != 2 || s[1] < 1) {
            throw new IllegalArgumentException("expected logits (N, C) with C >= 1, got " + Arrays.toString(s));
        }
        return s;
    }

    private static int[] checkInputs(Tensor logits, int[] targets) {
        if (targets == null) throw new IllegalArgumentException("logits and targets must not be null");
        int[] s = checkLogits(logits);
        if (targets.length != s[0]) {
            throw new IllegalArgumentException("logits " + Arrays.toString(s) + " need " + s[0] + " targets, got " + targets.length);
        }
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < 0 || targets[i] >= s[1]) {
                throw new IllegalArgumentException("target " + targets[i] + " at index " + i + " is out of range [0, " + s[1] + ")");
            }
        }
        return s;
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("CrossEntropyLoss is closed");
    }

    /** Frees the softmax, the gradient and the target buffer. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        probs = Module.free(probs);
        gradLogits = Module.free(gradLogits);
        targetBuf.close();
        arena.close();
    }
}
