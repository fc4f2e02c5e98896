package dev.panoptim.optim;

import dev.panoptim.bindings.c.panoptim_h;
import dev.panoptim.runtime.Cuda;
import dev.panoptim.runtime.NativeStatus;
import dev.panoptim.tensor.DType;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dynamic loss scaling for float16 mixed precision, torch.amp.GradScaler's semantics
 * (https://pytorch.org/docs/stable/amp.html#gradient-scaling) over panoptim's fused steps:
 * <ol>
 * <li>{@link #scale(Tensor)} multiplies the loss gradient by the scale S, so the backward pass
 * produces S times the gradients (small float16 products stay above the underflow threshold);</li>
 * <li>{@link #step(Optimizer)} checks every param grad for inf/NaN into found_inf, then runs the
 * optimizer's fused step with grad_scale = S and found_inf: the kernels divide the grads by S, and
 * change nothing (params, state, step counts) when found_inf is set;</li>
 * <li>{@link #update()}: after an overflow S *= backoffFactor and the growth tracker restarts;
 * otherwise after growthInterval clean steps in a row S *= growthFactor (unchanged if that
 * overflows to inf).</li>
 * </ol>
 * The scale (one float), growth tracker (one int32) and found_inf (one float) live in the memory of
 * the device of the first tensor scaled (or stepped), and the step path never reads them on the host,
 * so scale, step and update can be captured in a CUDA graph ({@code dev.panoptim.runtime.CudaGraph};
 * create the state with a first step before capturing, since a capture cannot allocate). Reading
 * them back ({@link #getScale()}, {@link #lastStepSkipped()}, {@link #stateDict()}) waits for the
 * device. Adam's and AdamW's step counts are then kept on the device (as capturable mode does), so
 * that a skipped step leaves them unchanged, as torch's fused Adam does; every param of a group then
 * needs a grad at each step. RMSprop's count (bookkeeping only: its update does not use it) still
 * advances on a skipped step. Several optimizers stepped between two updates: found_inf is cleared by
 * the first step after an update and collects the overflows of all of them, so each skips when any of
 * them overflowed (torch skips each on its own grads) and the update sees them all, as torch's does.
 * A disabled scaler ({@code enabled(false)}) is a pass-through: scale returns the gradient unchanged,
 * step is the plain step, update does nothing. Not thread-safe; {@link #close()} frees the state.
 *
 * <pre>{@code
 * try (GradScaler scaler = GradScaler.builder().build()) {
 *     for (...) {
 *         float loss = criterion.forward(model.forward(x), targets);
 *         model.backward(scaler.scale(criterion.backward()), false);
 *         scaler.step(opt);
 *         scaler.update();
 *         opt.zeroGrad();
 *     }
 * }
 * }</pre>
 */
public final class GradScaler implements AutoCloseable {
    private double initScale;
    private double growthFactor;
    private double backoffFactor;
    private long growthInterval;
    private final boolean enabled;
    /** Tracker value to start from when the state is made (a loaded state dict's). */
    private int initGrowthTracker;

    private Device device;
    private Tensor scale;          // float32 (1)
    private Tensor growthTracker;  // the bits of one int32, in a 4-byte float32 tensor
    private Tensor foundInf;       // float32 (1)
    /** The optimizers stepped since the last update (torch refuses a second step of one of them). */
    private final Set<Optimizer> steppedSinceUpdate = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean everStepped;
    private boolean closed;

    private GradScaler(Builder b) {
        this.initScale = b.initScale;
        this.growthFactor = b.growthFactor;
        this.backoffFactor = b.backoffFactor;
        this.growthInterval = b.growthInterval;
        this.enabled = b.enabled;
    }

    /** torch's defaults: initScale 65536, growthFactor 2, backoffFactor 0.5, growthInterval 2000, enabled. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Multiplies {@code lossGrad} (float32, e.g. {@code CrossEntropyLoss.backward()}'s dlogits) in place
     * by the scale on the device (pt_scale_by) and returns it; unchanged when disabled.
     */
    public Tensor scale(Tensor lossGrad) {
        ensureOpen();
        if (lossGrad == null) throw new IllegalArgumentException("GradScaler.scale: lossGrad must not be null");
        if (!enabled) return lossGrad;
        if (lossGrad.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("GradScaler.scale: lossGrad is " + lossGrad.dtype() + "; the loss gradient"
                    + " is scaled in float32 (convert it with to(DType.FLOAT32))");
        }
        ensureState(lossGrad.device(), "the scaled loss gradient");
        prepare();
        NativeStatus.check(panoptim_h.pt_scale_by(device.code(), lossGrad.numel(), lossGrad.nativeSegment(),
                scale.nativeSegment()), "GradScaler.scale (pt_scale_by, " + lossGrad.numel() + " elements)");
        return lossGrad;
    }

    /**
     * Checks the grads of {@code optimizer}'s params for inf/NaN (one pt_amp_check_finite per grad
     * dtype) and steps it with the grads unscaled on the fly, or not at all when one was found (see the
     * class comment). Plain {@code optimizer.step()} when disabled. Stepping one optimizer twice
     * before {@link #update()} is an {@link IllegalStateException}, as in torch.
     */
    public void step(Optimizer optimizer) {
        ensureOpen();
        if (optimizer == null) throw new IllegalArgumentException("GradScaler.step: optimizer must not be null");
        if (!enabled) {
            optimizer.step();
            return;
        }
        if (steppedSinceUpdate.contains(optimizer)) {
            throw new IllegalStateException("GradScaler.step: step(optimizer) has already been called for " + optimizer
                    + " since the last update()");
        }
        Map<DType, List<Tensor>> gradsByType = new LinkedHashMap<>();
        for (ParamGroup g : optimizer.paramGroups()) {
            for (Tensor p : g.params()) {
                Tensor grad = p.isClosed() ? null : p.grad();
                if (grad == null || grad.isClosed()) continue;
                gradsByType.computeIfAbsent(grad.dtype(), k -> new ArrayList<>()).add(grad);
            }
        }
        if (gradsByType.isEmpty()) {
            throw new IllegalStateException("GradScaler.step: no param of " + optimizer + " has a grad (run the backward"
                    + " pass on a scaled loss gradient first)");
        }
        Device on = gradsByType.values().iterator().next().get(0).device();
        ensureState(on, "the optimizer's grads");
        for (List<Tensor> grads : gradsByType.values()) {
            for (Tensor grad : grads) {
                if (!grad.device().equals(device)) {
                    throw new IllegalArgumentException("GradScaler.step: a grad is on " + grad.device() + " but the scaler's"
                            + " state is on " + device + " (one scaler serves params of one device)");
                }
            }
        }
        prepare();
        if (steppedSinceUpdate.isEmpty()) foundInf.fill(0f);   // a memset on CUDA: allowed in a capture
        for (var e : gradsByType.entrySet()) checkFinite(e.getKey(), e.getValue());
        optimizer.step(scale.nativeSegment(), foundInf.nativeSegment());
        steppedSinceUpdate.add(optimizer);
        everStepped = true;
    }

    private void checkFinite(DType dtype, List<Tensor> grads) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment numels = scratch.allocate(ValueLayout.JAVA_LONG, grads.size());
            MemorySegment pointers = scratch.allocate(ValueLayout.ADDRESS, grads.size());
            for (int i = 0; i < grads.size(); i++) {
                numels.setAtIndex(ValueLayout.JAVA_LONG, i, grads.get(i).numel());
                pointers.setAtIndex(ValueLayout.ADDRESS, i, grads.get(i).nativeSegment());
            }
            NativeStatus.check(panoptim_h.pt_amp_check_finite(device.code(), grads.size(), numels, pointers, dtype.code(),
                    foundInf.nativeSegment()), "GradScaler.step: pt_amp_check_finite over " + grads.size() + " " + dtype
                    + " grads");
        }
    }

    /**
     * Updates the scale from the last steps' found_inf on the device (pt_amp_update_scale; see the
     * class comment). Does nothing when disabled; before any {@link #step} since the last update it
     * is an {@link IllegalStateException} (torch: "No inf checks were recorded prior to update").
     */
    public void update() {
        ensureOpen();
        if (!enabled) return;
        if (steppedSinceUpdate.isEmpty()) {
            throw new IllegalStateException("GradScaler.update: no step(optimizer) since the last update, so no inf"
                    + " checks were recorded");
        }
        prepare();
        NativeStatus.check(panoptim_h.pt_amp_update_scale(device.code(), scale.nativeSegment(), growthTracker.nativeSegment(),
                foundInf.nativeSegment(), growthFactor, backoffFactor, growthInterval), "GradScaler.update (growth factor "
                + growthFactor + ", backoff factor " + backoffFactor + ", growth interval " + growthInterval + ")");
        steppedSinceUpdate.clear();
    }

    /** The current scale (waits for the device); the initial scale before first use, 1 when disabled. */
    public double getScale() {
        ensureOpen();
        if (!enabled) return 1.0;
        return scale == null ? initScale : scale.toFloatArray()[0];
    }

    /** Whether the last {@link #step} found an inf or NaN and so changed nothing (waits for the device). */
    public boolean lastStepSkipped() {
        ensureOpen();
        if (!enabled || !everStepped) return false;
        return foundInf.toFloatArray()[0] != 0f;
    }

    /** The growth tracker: clean steps in a row since the scale last changed (waits for the device). */
    public int growthTracker() {
        ensureOpen();
        if (!enabled) return 0;
        return growthTracker == null ? initGrowthTracker : Float.floatToRawIntBits(growthTracker.toFloatArray()[0]);
    }

    public boolean isEnabled() {
        return enabled;
    }

    /**
     * torch's state_dict: {@code scale} (Double), {@code growth_factor}, {@code backoff_factor} (Double),
     * {@code growth_interval} and {@code _growth_tracker} (Integer); empty when disabled.
     */
    public Map<String, Object> stateDict() {
        ensureOpen();
        Map<String, Object> out = new LinkedHashMap<>();
        if (!enabled) return out;
        out.put("scale", getScale());
        out.put("growth_factor", growthFactor);
        out.put("backoff_factor", backoffFactor);
        out.put("growth_interval", (int) growthInterval);
        out.put("_growth_tracker", growthTracker());
        return out;
    }

    /**
     * torch's load_state_dict: takes the scale, factors, interval and growth tracker of {@code state}
     * (all five keys of {@link #stateDict()}), validated as the builder does. Nothing happens when
     * disabled; an empty map (saved from a disabled scaler) is an {@link IllegalArgumentException}.
     */
    public void loadStateDict(Map<String, ?> state) {
        ensureOpen();
        if (state == null) throw new IllegalArgumentException("GradScaler.loadStateDict: state must not be null");
        if (!enabled) return;
        if (state.isEmpty()) {
            throw new IllegalArgumentException("GradScaler.loadStateDict: the state dict is empty, possibly because it was"
                    + " saved from a disabled GradScaler");
        }
        Builder b = builder().initScale(number(state, "scale")).growthFactor(number(state, "growth_factor"))
                .backoffFactor(number(state, "backoff_factor"))
                .growthInterval(whole(state, "growth_interval", 1));
        long tracker = whole(state, "_growth_tracker", 0);
        b.validate();
        initScale = b.initScale;
        growthFactor = b.growthFactor;
        backoffFactor = b.backoffFactor;
        growthInterval = b.growthInterval;
        initGrowthTracker = (int) tracker;
        if (scale != null) {
            scale.copyFrom(new float[] {(float) initScale});
            growthTracker.copyFrom(new float[] {Float.intBitsToFloat(initGrowthTracker)});
        }
    }

    private static double number(Map<String, ?> state, String key) {
        if (!(state.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("GradScaler.loadStateDict: '" + key + "' must be a number, got " + state.get(key)
                    + " (keys: scale, growth_factor, backoff_factor, growth_interval, _growth_tracker)");
        }
        return n.doubleValue();
    }

    private static long whole(Map<String, ?> state, String key, long min) {
        double v = number(state, key);
        if (v != Math.rint(v) || v < min || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("GradScaler.loadStateDict: '" + key + "' must be a whole number in [" + min
                    + ", " + Integer.MAX_VALUE + "], got " + state.get(key));
        }
        return (long) v;
    }

    /** Makes the state on {@code on} at first use; afterwards {@code on} must be that device. */
    private void ensureState(Device on, String what) {
        if (device != null) {
            if (!device.equals(on)) {
                throw new IllegalArgumentException("GradScaler: " + what + " is on " + on + " but the scaler's state is on "
                        + device + " (one scaler serves one device)");
            }
            return;
        }
        Tensor s = Tensor.of(on, new float[] {(float) initScale});
        Tensor t = null;
        try {
            t = Tensor.of(on, new float[] {Float.intBitsToFloat(initGrowthTracker)});
            foundInf = Tensor.zeros(on, 1);
        } catch (RuntimeException e) {
            s.close();
            if (t != null) t.close();
            throw e;
        }
        scale = s;
        growthTracker = t;
        device = on;
    }

    /** Makes the state's CUDA device current on this thread (the C calls run on the current device). */
    private void prepare() {
        if (device.isCuda()) Cuda.setDevice(device.index());
    }

    /** Frees the device state. Idempotent; any later use is an {@link IllegalStateException}. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Tensor t : new Tensor[] {scale, growthTracker, foundInf}) if (t != null) t.close();
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("GradScaler is closed");
    }

    @Override
    public String toString() {
        return "GradScaler(init_scale=" + initScale + ", growth_factor=" + growthFactor + ", backoff_factor=" + backoffFactor
                + ", growth_interval=" + growthInterval + ", enabled=" + enabled + ")";
    }

    /** Builds a {@link GradScaler}; {@link #build()} checks the values as torch does. */
    public static final class Builder {
        private double initScale = 65536.0;
        private double growthFactor = 2.0;
        private double backoffFactor = 0.5;
        private long growthInterval = 2000;
        private boolean enabled = true;

        private Builder() {}

        /** The first scale (> 0, finite). */
        public Builder initScale(double initScale) {
            this.initScale = initScale;
            return this;
        }

        /** Factor of a growth (> 1, finite). */
        public Builder growthFactor(double growthFactor) {
            this.growthFactor = growthFactor;
            return this;
        }

        /** Factor after an overflow (in (0, 1)). */
        public Builder backoffFactor(double backoffFactor) {
            this.backoffFactor = backoffFactor;
            return this;
        }

        /** Clean steps in a row before a growth (in [1, 2^31 - 1]). */
        public Builder growthInterval(long growthInterval) {
            this.growthInterval = growthInterval;
            return this;
        }

        /** False makes a pass-through scaler (torch's enabled=False). */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        void validate() {
            if (!(initScale > 0) || Double.isInfinite(initScale) || (float) initScale == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("GradScaler: initScale must be > 0 and finite in float32, got " + initScale);
            }
            if (!(growthFactor > 1) || Double.isInfinite(growthFactor)) {
                throw new IllegalArgumentException("GradScaler: growthFactor must be > 1 and finite, got " + growthFactor);
            }
            if (!(backoffFactor > 0 && backoffFactor < 1)) {
                throw new IllegalArgumentException("GradScaler: backoffFactor must be in (0, 1), got " + backoffFactor);
            }
            if (growthInterval < 1 || growthInterval > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("GradScaler: growthInterval must be in [1, " + Integer.MAX_VALUE + "], got "
                        + growthInterval);
            }
        }

        public GradScaler build() {
            validate();
            return new GradScaler(this);
        }
    }
}
