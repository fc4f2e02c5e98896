package dev.panoptim.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import dev.panoptim.optim.StepExtras;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A DJL {@link Optimizer} whose update is one of panoptim's fused kernels, run on the NDArray's own
 * memory where it can be reached (a PyTorch-engine tensor on the CPU, contiguous float32: zero copy,
 * the weight updated in place) and through a float32 copy otherwise (another dtype, a
 * non-contiguous view, a GPU array: correct, slower, and said once in the log per reason). The
 * state (exp_avg, momentum, ...) lives off heap, one {@link ParamSlot} per parameter id and device.
 *
 * <p>Semantics are torch's (per-parameter step counts, torch's eps placement and decoupled weight
 * decay), with DJL's conventions around them: the learning rate comes from a {@link ParameterTracker}
 * asked with DJL's update count, {@code optWeightDecays} is the weight decay, {@code setRescaleGrad}
 * multiplies the gradient and {@code optClipGrad} clips it to {@code [-clip, clip]} first, and on the
 * PyTorch engine the weight's gradient is zeroed after its update, as DJL's own optimizers do there.
 * Frozen parameters never reach an optimizer: DJL's ParameterStore skips them.
 *
 * <p>The state is native memory: {@link #close()} frees it (DJL's Trainer does not close
 * optimizers). {@link #saveState(Block, Path)} and {@link #loadState(Block, Path)} keep it across
 * runs, keyed by the block's parameter names (DJL's parameter ids change from run to run).
 *
 * <pre>{@code
 * try (PanoptimOptimizer adamW = PanoptimOptimizers.adamW().optLearningRate(1e-3f).build()) {
 *     TrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(adamW);
 *     ...  // EasyTrain.fit(trainer, epochs, trainSet, validateSet)
 * }
 * }</pre>
 */
public abstract class PanoptimOptimizer extends Optimizer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PanoptimOptimizer.class);

    private final String algorithm;
    private final ParameterTracker learningRateTracker;
    /** Per parameter id, the state of each device's copy of the parameter. */
    private final Map<String, Map<Device, ParamSlot>> slots = new HashMap<>();
    /** Loaded state not yet claimed by an update, by parameter id. */
    private final Map<String, ParamSlot> loaded = new HashMap<>();
    private final Set<String> copyReasonsLogged = new HashSet<>();
    private final MemorySegment gradScale;
    private final Arena scalars;
    private long zeroCopyUpdates;
    private long copiedUpdates;
    private boolean closed;

    @SuppressWarnings("this-escape")  // getWeightDecay() is DJL's final-in-practice getter of the builder's value
    protected PanoptimOptimizer(String algorithm, Builder<?> builder) {
        super(builder);
        this.algorithm = algorithm;
        this.learningRateTracker = builder.learningRateTracker;
        float wd = getWeightDecay();
        if (!(wd >= 0) || Float.isInfinite(wd)) {
            throw new IllegalArgumentException(algorithm + ": weight decay must be a finite value >= 0, got " + wd);
        }
        if (!(rescaleGrad > 0) || Float.isInfinite(rescaleGrad)) {
            throw new IllegalArgumentException(algorithm + ": rescaleGrad must be a finite value > 0, got " + rescaleGrad);
        }
        if (Float.isNaN(clipGrad)) throw new IllegalArgumentException(algorithm + ": clipGrad is NaN");
        // The kernels divide the gradient by grad_scale (AMP's convention): DJL's rescale is its inverse.
        scalars = Arena.ofShared();
        gradScale = scalars.allocate(ValueLayout.JAVA_FLOAT);
        gradScale.set(ValueLayout.JAVA_FLOAT, 0, 1f / rescaleGrad);
    }

    /**
     * A float option as the decimal its user wrote: DJL's options are floats, and 0.9f widened is
     * 0.8999999761581421; the kernels take doubles, as torch's Python floats, so 0.9f becomes 0.9.
     */
    static double decimal(float value) {
        return Double.parseDouble(Float.toString(value));
    }

    /** torch's name of the algorithm: SGD, RMSprop, Adam, AdamW. */
    public final String algorithm() {
        return algorithm;
    }

    /**
     * Steps {@code weight} with {@code grad}: the fused kernel on the weight's own memory, or on a
     * copy written back (see the class comment). The gradient is only read.
     */
    @Override
    public final synchronized void update(String parameterId, NDArray weight, NDArray grad) {
        if (closed) throw new IllegalStateException(this + " is closed");
        if (!weight.getShape().equals(grad.getShape())) {
            throw new IllegalArgumentException(algorithm + ": parameter " + parameterId + " has shape " + weight.getShape()
                    + " but its gradient has shape " + grad.getShape());
        }
        int count = updateCount(parameterId);
        float lr = learningRateTracker.getNewValue(parameterId, count);
        if (!Float.isFinite(lr) || lr < 0) {
            throw new IllegalArgumentException(algorithm + ": the learning rate tracker gave " + lr + " for parameter "
                    + parameterId + " at update " + count + " (must be finite and >= 0)");
        }
        ParamSlot slot = slotFor(parameterId, weight);
        try (Arena scratch = Arena.ofConfined();
             ArrayMemory p = ArrayMemory.of(weight, "weight", true);
             ArrayMemory g = ArrayMemory.of(grad, "gradient", false)) {
            MemorySegment gradValues = g.segment();
            StepExtras extras = StepExtras.NONE;
            if (clipGrad >= 0) {
                gradValues = g.scaledAndClipped(scratch, rescaleGrad, clipGrad);
            } else if (rescaleGrad != 1f) {
                extras = StepExtras.builder().gradScale(gradScale).build();
            }
            step(slot, p.segment(), gradValues, lr, getWeightDecay(), extras);
            p.writeBack();
            if (p.isCopy() || g.isCopy()) {
                copiedUpdates++;
                if (p.isCopy()) noteCopy(p.copyReason(), "weight");
                if (g.isCopy()) noteCopy(g.copyReason(), "gradient");
            } else {
                zeroCopyUpdates++;
            }
        }
        PyTorchTensors.zeroGrad(weight);
    }

    /**
     * One fused step of one parameter: {@code param} (float32, updated in place) with {@code grad}
     * (float32, read), the state in {@code slot} (its step count advanced by the subclass).
     */
    abstract void step(ParamSlot slot, MemorySegment param, MemorySegment grad, float lr, float weightDecay,
                       StepExtras extras);

    /** How many updates ran on the arrays' own memory and how many through a copy. */
    public final synchronized UpdateCounts updateCounts() {
        return new UpdateCounts(zeroCopyUpdates, copiedUpdates);
    }

    /**
     * The state of every parameter of {@code block} this optimizer has stepped (or loaded), in DJL's
     * NDList encoding ({@code NDList.decode} reads it): per parameter name its buffers and step.
     */
    public final synchronized void saveState(Block block, OutputStream out) throws IOException {
        if (closed) throw new IllegalStateException(this + " is closed");
        Map<String, ParamSlot> byName = new LinkedHashMap<>();
        for (var entry : block.getParameters()) {
            ParamSlot slot = anySlot(entry.getValue().getId());
            if (slot != null) byName.put(entry.getKey(), slot);
        }
        OptimizerStateFile.write(algorithm, byName, out);
    }

    /** {@link #saveState(Block, OutputStream)} into a file (replaced whole: written aside, then moved). */
    public final void saveState(Block block, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                saveState(block, out);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Replaces the state with what {@link #saveState} wrote for a block with the same parameter
     * names and shapes. Everything is checked before anything is replaced: another algorithm, an
     * unknown parameter name or a shape that differs is an {@link IllegalArgumentException}.
     */
    public final synchronized void loadState(Block block, InputStream in) throws IOException {
        if (closed) throw new IllegalStateException(this + " is closed");
        Map<String, ParamSlot> byName = OptimizerStateFile.read(algorithm, in);
        Map<String, ParamSlot> byId = new HashMap<>();
        try {
            var params = block.getParameters();
            for (var entry : byName.entrySet()) {
                var param = params.get(entry.getKey());
                if (param == null) {
                    throw new IllegalArgumentException("the optimizer state has parameter '" + entry.getKey()
                            + "', which the block does not have (its parameters: " + params.keys() + ")");
                }
                if (param.isInitialized() && !param.getArray().getShape().equals(entry.getValue().shape())) {
                    throw new IllegalArgumentException("the optimizer state of parameter '" + entry.getKey() + "' has shape "
                            + entry.getValue().shape() + " but the parameter has shape " + param.getArray().getShape());
                }
                byId.put(param.getId(), entry.getValue());
            }
        } catch (RuntimeException e) {
            byName.values().forEach(ParamSlot::close);
            throw e;
        }
        slots.values().forEach(m -> m.values().forEach(ParamSlot::close));
        slots.clear();
        loaded.values().forEach(ParamSlot::close);
        loaded.clear();
        loaded.putAll(byId);
    }

    /** {@link #loadState(Block, InputStream)} from a file. */
    public final void loadState(Block block, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            loadState(block, in);
        }
    }

    /** Frees the state. Later updates are an {@link IllegalStateException}. */
    @Override
    public final synchronized void close() {
        if (closed) return;
        closed = true;
        slots.values().forEach(m -> m.values().forEach(ParamSlot::close));
        slots.clear();
        loaded.values().forEach(ParamSlot::close);
        loaded.clear();
        scalars.close();
    }

    @Override
    public String toString() {
        return "panoptim " + algorithm;
    }

    /**
     * The slot of this parameter on the weight's device: made from loaded state, or from another
     * device's slot (as DJL's withDefaultState copies state to a new device), or zeroed.
     */
    private ParamSlot slotFor(String parameterId, NDArray weight) {
        Map<Device, ParamSlot> byDevice = slots.computeIfAbsent(parameterId, k -> new HashMap<>());
        ParamSlot slot = byDevice.get(weight.getDevice());
        if (slot == null) {
            ParamSlot fromLoad = loaded.remove(parameterId);
            if (fromLoad != null) slot = fromLoad;
            else if (!byDevice.isEmpty()) slot = byDevice.values().iterator().next().copy();
            else slot = new ParamSlot(weight.getShape());
            byDevice.put(weight.getDevice(), slot);
        }
        if (!slot.shape().equals(weight.getShape())) {
            throw new IllegalStateException(algorithm + ": parameter " + parameterId + " has shape " + weight.getShape()
                    + " but its optimizer state has shape " + slot.shape());
        }
        return slot;
    }

    private ParamSlot anySlot(String parameterId) {
        Map<Device, ParamSlot> byDevice = slots.get(parameterId);
        if (byDevice != null && !byDevice.isEmpty()) return byDevice.values().iterator().next();
        return loaded.get(parameterId);
    }

    private void noteCopy(String reason, String role) {
        if (copyReasonsLogged.add(role + ": " + reason)) {
            LOG.info("panoptim {}: a {} is {}, so its update goes through a float32 copy (the fused step runs in place"
                    + " only on CPU, contiguous float32 PyTorch-engine arrays); said once per reason", algorithm, role, reason);
        }
    }

    /**
     * The DJL builder of panoptim's optimizers: DJL's options ({@code optWeightDecays},
     * {@code setRescaleGrad}, {@code optClipGrad}, {@code optBeginNumUpdate}) plus the learning rate.
     */
    @SuppressWarnings("rawtypes")
    public abstract static class Builder<B extends Builder> extends OptimizerBuilder<B> {
        ParameterTracker learningRateTracker;

        protected Builder(float defaultLr) {
            learningRateTracker = Tracker.fixed(defaultLr);
        }

        /** The learning rate, asked per parameter and update (DJL's trackers: fixed, cosine, warm-up, ...). */
        public B optLearningRateTracker(ParameterTracker tracker) {
            if (tracker == null) throw new IllegalArgumentException("learning rate tracker must not be null");
            this.learningRateTracker = tracker;
            return self();
        }

        /** A fixed learning rate ({@code Tracker.fixed(lr)}). */
        public B optLearningRate(float lr) {
            if (!Float.isFinite(lr) || lr < 0) throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
            return optLearningRateTracker(Tracker.fixed(lr));
        }

        /** The optimizer; its options are checked here. */
        public abstract PanoptimOptimizer build();
    }
}
