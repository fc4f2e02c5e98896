package dev.panoptim.optim;

import dev.panoptim.tensor.DType;
import dev.panoptim.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Base of the fused optimizers: the bookkeeping of torch.optim.Optimizer (param groups, per-param
 * state, state dicts) around one native fused call per param group and step. A param whose grad is
 * null is skipped and gets no state. The optimizer owns its state buffers: {@link #close()} frees
 * them. Not thread-safe.
 *
 * <p>Dtypes: params are float32 master weights and the state is float32 (a bfloat16 or float16
 * param is an {@link IllegalArgumentException}; mixed precision keeps a 16-bit model copy apart and
 * is chosen with the trainer's {@code --precision}). A grad is float32, or bfloat16 (mixed
 * precision's gradients, see {@link Tensor#setGrad}), which the fused step widens exactly as it
 * reads it; a float32 param cannot hold a float16 grad ({@link Tensor#setGrad} refuses it).
 * {@link #writeBf16Copies} makes every step also write a bfloat16 copy of the updated params (the
 * model copy of bfloat16 compute) in the same pass; {@link GradScaler} steps with AMP loss scaling.
 *
 * <pre>{@code
 * try (Optimizer opt = AdamW.builder(params).lr(1e-3).build()) {
 *     for (...) { computeGrads(); opt.step(); opt.zeroGrad(); }
 * }
 * }</pre>
 */
public abstract class Optimizer implements AutoCloseable {
    /** Keys torch writes into param groups to pick an implementation; accepted and ignored on load. */
    private static final Set<String> TORCH_IMPLEMENTATION_KEYS = Set.of("foreach", "fused", "capturable",
            "differentiable", "decoupled_weight_decay");

    private final String name;
    private final OptionSchema schema;
    private final Map<String, Object> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<Tensor, ParamState> state = new IdentityHashMap<>();
    /** Param to the caller's bfloat16 copy, written by each step (writeBf16Copies). */
    private final Map<Tensor, Tensor> bf16Copies = new IdentityHashMap<>();
    /** This optimizer's own bfloat16 copies of unlisted params of a group that has listed ones. */
    private final Map<Tensor, Tensor> spareBf16Copies = new IdentityHashMap<>();
    private boolean closed;

    Optimizer(String name, OptimizerBuilder<?> builder) {
        this.name = name;
        this.schema = builder.schema;
        this.defaults = new LinkedHashMap<>(builder.defaults);
        List<Map<String, Object>> resolved = new ArrayList<>();
        Map<Tensor, Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < builder.groups.size(); i++) {
            ParamGroup g = builder.groups.get(i);
            Map<String, Object> options = g.resolve(schema, defaults, "param group " + i);
            checkGroup(options, "param group " + i);
            claimParams(g, i, seen);
            resolved.add(options);
        }
        for (int i = 0; i < builder.groups.size(); i++) {
            builder.groups.get(i).bind(schema, resolved.get(i));
            groups.add(builder.groups.get(i));
        }
    }

    private void claimParams(ParamGroup g, int index, Map<Tensor, Integer> seen) {
        for (int j = 0; j < g.params().size(); j++) {
            Tensor p = g.params().get(j);
            if (p.isClosed()) throw new IllegalArgumentException("param group " + index + " holds a closed tensor");
            if (p.dtype() != DType.FLOAT32) {
                throw new IllegalArgumentException(name + ": param " + j + " of param group " + index + " (shape "
                        + Arrays.toString(p.shape()) + ") is " + p.dtype() + ", but optimizers update float32"
                        + " master weights (give the optimizer the float32 params and make the 16-bit model copy from"
                        + " them, as the trainer's --precision does)");
            }
        }
        requireOneDevice(g.params(), "param group " + index);
        for (Tensor p : g.params()) {
            Integer before = seen.putIfAbsent(p, index);
            if (before != null) {
                throw new IllegalArgumentException("a tensor " + p + " appears in param group " + before + " and param group "
                        + index + " (a parameter may appear only once, in one group)");
            }
        }
    }

    /**
     * One fused call steps a whole group with the addresses of one device, so every param of a group
     * must be on the same device; throws naming both devices otherwise.
     */
    private static void requireOneDevice(List<Tensor> params, String where) {
        for (int j = 1; j < params.size(); j++) {
            if (!params.get(j).device().equals(params.get(0).device())) {
                throw new IllegalArgumentException(where + " mixes devices: param 0 is on " + params.get(0).device()
                        + " and param " + j + " on " + params.get(j).device() + " (all params of a group must be on one"
                        + " device)");
            }
        }
    }

    /** Cross-option rules of this optimizer (e.g. nesterov needs momentum); throws naming the group. */
    void checkGroup(Map<String, Object> options, String where) {}

    /**
     * One fused update of the params of a group that have grads, with their (possibly fresh) states;
     * {@code extras} says whether the grads are bfloat16.
     */
    abstract void stepGroup(ParamGroup group, List<Tensor> params, List<ParamState> states, StepExtras extras);

    /** Buffer names this optimizer keeps per param, for state-dict validation. */
    abstract Set<String> bufferNames();

    /** Whether the per-param state holds torch's "step" count. */
    abstract boolean tracksStep();

    /** Brings step counts kept in device memory (capturable mode) into the params' states. */
    void readStepCounts() {}

    /** Called once loadStateDict has replaced the params' states. */
    void stateReplaced() {}

    /**
     * From now on, each step also writes the bfloat16 copy {@code copies.get(p)} of every listed param
     * {@code p} it updates, rounded to nearest even from the updated float32 param in the same pass
     * (pt_step_extras.params_bf16), and writes them all now, so that they start equal to their params.
     * Replaces the map of an earlier call; an empty map stops the writes. Each copy is a bfloat16
     * tensor of its param's shape and device. Params of the map that this optimizer does not hold
     * (e.g. frozen ones) are left out: nothing updates them. A param group with some listed params
     * and some not steps in one call still: the optimizer writes its own bfloat16 copies of the
     * others (freed by {@link #close()}). The copies stay the caller's; one closed before a step is an
     * {@link IllegalStateException} at that step.
     *
     * <pre>{@code opt.writeBf16Copies(model.setComputeDType(DType.BFLOAT16).bf16WeightCopies());}</pre>
     */
    public Optimizer writeBf16Copies(Map<Tensor, Tensor> copies) {
        ensureOpen();
        if (copies == null) throw new IllegalArgumentException("copies must not be null (an empty map stops the writes)");
        Map<Tensor, Tensor> accepted = new IdentityHashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            List<Tensor> params = groups.get(i).params();
            for (int j = 0; j < params.size(); j++) {
                Tensor p = params.get(j), copy = copies.get(p);
                if (copy == null) continue;
                String where = "the bf16 copy of param " + j + " of param group " + i;
                if (copy.isClosed()) throw new IllegalArgumentException(where + " is closed");
                if (copy.dtype() != DType.BFLOAT16 || !Arrays.equals(copy.shape(), p.shape())
                        || !copy.device().equals(p.device())) {
                    throw new IllegalArgumentException(where + " is " + copy.dtype() + " " + Arrays.toString(copy.shape())
                            + " on " + copy.device() + ", but must be BFLOAT16 " + Arrays.toString(p.shape()) + " on "
                            + p.device() + " like its param");
                }
                accepted.put(p, copy);
            }
        }
        spareBf16Copies.values().forEach(Tensor::close);
        spareBf16Copies.clear();
        bf16Copies.clear();
        bf16Copies.putAll(accepted);
        for (var e : accepted.entrySet()) e.getValue().copyFrom(e.getKey());
        return this;
    }

    /** The params whose bfloat16 copies each step writes, mapped to them (unmodifiable view). */
    public Map<Tensor, Tensor> bf16Copies() {
        return Collections.unmodifiableMap(bf16Copies);
    }

    /** Performs one optimization step over every param group (torch's {@code step()}). */
    public void step() {
        step(null, null);
    }

    /**
     * The step of {@link GradScaler}: with {@code gradScale} and {@code foundInf} (one float each in
     * the params' device memory, or both null) the fused calls divide the grads by the scale and
     * change nothing when found-inf is non-zero, without the host reading either.
     */
    void step(MemorySegment gradScale, MemorySegment foundInf) {
        ensureOpen();
        for (int i = 0; i < groups.size(); i++) checkGroup(groups.get(i).options(), "param group " + i);
        // Every param and grad is checked before anything is stepped or any state is created, so a
        // closed tensor in a later group leaves the earlier groups untouched.
        List<List<Tensor>> withGrads = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            List<Tensor> params = new ArrayList<>();
            List<Tensor> all = groups.get(i).params();
            for (int j = 0; j < all.size(); j++) {
                Tensor p = all.get(j);
                if (p.isClosed()) throw new IllegalStateException("param " + j + " of param group " + i + " is closed");
                Tensor grad = p.grad();
                if (grad == null) continue;
                if (grad.isClosed()) {
                    throw new IllegalStateException("the grad of param " + j + " of param group " + i + " is closed");
                }
                if (grad.dtype() != DType.FLOAT32 && grad.dtype() != DType.BFLOAT16) {
                    throw new IllegalArgumentException(name + ": the grad of param " + j + " of param group " + i + " (shape "
                            + Arrays.toString(p.shape()) + ") is " + grad.dtype() + ", but the fused steps read"
                            + " float32 or bfloat16 grads (unscale float16 grads into float32 first)");
                }
                params.add(p);
            }
            requireOneDevice(all, "param group " + i);
            withGrads.add(params);
        }
        for (int i = 0; i < groups.size(); i++) checkBf16Copies(groups.get(i), i);
        for (int i = 0; i < groups.size(); i++) {
            // One fused call reads one grad dtype: a group holding both takes one call per dtype.
            for (DType gradType : List.of(DType.FLOAT32, DType.BFLOAT16)) {
                stepByGradType(groups.get(i), withGrads.get(i), gradType, gradScale, foundInf);
            }
        }
    }

    /** Throws naming the param when a copy the step would write is closed (e.g. its module moved). */
    private void checkBf16Copies(ParamGroup group, int index) {
        List<Tensor> params = group.params();
        for (int j = 0; j < params.size(); j++) {
            Tensor copy = bf16Copies.get(params.get(j));
            if (copy != null && copy.isClosed()) {
                throw new IllegalStateException("the bf16 copy of param " + j + " of param group " + index + " is closed"
                        + " (a module's copies are replaced by to(device) and closed by leaving bfloat16 compute: give the"
                        + " optimizer the module's current bf16WeightCopies())");
            }
        }
    }

    private void stepByGradType(ParamGroup group, List<Tensor> withGrads, DType gradType, MemorySegment gradScale,
                                MemorySegment foundInf) {
        List<Tensor> params = new ArrayList<>();
        for (Tensor p : withGrads) if (p.grad().dtype() == gradType) params.add(p);
        if (params.isEmpty()) return;
        List<ParamState> states = new ArrayList<>();
        for (Tensor p : params) states.add(state.computeIfAbsent(p, k -> new ParamState()));
        StepExtras extras = StepExtras.builder().bf16Grads(gradType == DType.BFLOAT16).gradScale(gradScale)
                .foundInf(foundInf).paramsBf16(bf16CopySegments(group, params)).build();
        stepGroup(group, params, states, extras);
    }

    /**
     * The bfloat16 copies {@code params} (of {@code group}) write, or null when none of the group's
     * params has one. One fused call writes a copy for all its params or none, so in a group with
     * some listed params the others get this optimizer's own (made on first use).
     */
    private List<MemorySegment> bf16CopySegments(ParamGroup group, List<Tensor> params) {
        boolean any = false;
        for (Tensor p : group.params()) any |= bf16Copies.containsKey(p);
        if (!any) return null;
        List<MemorySegment> out = new ArrayList<>(params.size());
        for (Tensor p : params) {
            Tensor copy = bf16Copies.get(p);
            if (copy == null) copy = spareBf16Copies.computeIfAbsent(p, k -> Tensor.zeros(k.device(), DType.BFLOAT16, k.shape()));
            out.add(copy.nativeSegment());
        }
        return out;
    }

    /** Re-evaluates the loss with {@code closure} (which also computes grads), then steps; returns the loss. */
    public double step(DoubleSupplier closure) {
        ensureOpen();
        double loss = closure.getAsDouble();
        step();
        return loss;
    }

    /** Sets every param's grad to null (torch's {@code zero_grad(set_to_none=True)}), freeing it. */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /**
     * torch's {@code zero_grad(set_to_none)}: frees the grads ({@code true}), or fills the existing
     * ones with zeros and keeps their memory ({@code false}; what a step captured in a CUDA graph
     * needs, since it may not allocate).
     */
    public void zeroGrad(boolean setToNone) {
        ensureOpen();
        for (ParamGroup g : groups) {
            for (Tensor p : g.params()) {
                if (setToNone) p.setGrad(null);
                else if (p.grad() != null) p.grad().fill(0f);
            }
        }
    }

    /** The param groups; their options are mutable (e.g. {@code setLr}) and take effect at the next step. */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** The builder's defaults, which groups added later inherit. */
    public Map<String, Object> defaults() {
        Map<String, Object> copy = new LinkedHashMap<>();
        defaults.forEach((k, v) -> copy.put(k, OptionSchema.copy(v)));
        return Collections.unmodifiableMap(copy);
    }

    /** Adds a group (torch's {@code add_param_group}); missing options take the defaults. */
    public void addParamGroup(ParamGroup group) {
        ensureOpen();
        if (group == null) throw new IllegalArgumentException("param group must not be null");
        String where = "param group " + groups.size();
        Map<String, Object> options = group.resolve(schema, defaults, where);
        checkGroup(options, where);
        Map<Tensor, Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < groups.size(); i++) for (Tensor p : groups.get(i).params()) seen.put(p, i);
        claimParams(group, groups.size(), seen);
        group.bind(schema, options);
        groups.add(group);
    }

    /** Per-param step count (0 if the param has no state yet), mainly for tests and logging. */
    public long stepCount(Tensor param) {
        readStepCounts();
        ParamState s = state.get(param);
        return s == null ? 0 : s.step;
    }

    /** A copy of a named state buffer of a param as floats, or null if it has none. */
    public float[] stateBuffer(Tensor param, String bufferName) {
        ParamState s = state.get(param);
        Tensor b = s == null ? null : s.buffer(bufferName);
        return b == null ? null : b.toFloatArray();
    }

    /** The state in torch's structure; buffers are CPU copies (float arrays), from any device. */
    public StateDict stateDict() {
        ensureOpen();
        readStepCounts();
        Map<Integer, Map<String, Object>> packedState = new LinkedHashMap<>();
        List<Map<String, Object>> packedGroups = new ArrayList<>();
        int index = 0;
        for (ParamGroup g : groups) {
            Map<String, Object> options = new LinkedHashMap<>(g.options());
            List<Integer> indices = new ArrayList<>();
            for (Tensor p : g.params()) {
                ParamState s = state.get(p);
                // An empty state (SGD without momentum) is left out: torch creates no state for such a param.
                if (s != null && (s.step != 0 || !s.buffers().isEmpty())) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    if (tracksStep()) entry.put("step", s.step);
                    s.buffers().forEach((k, t) -> entry.put(k, t.toFloatArray()));
                    packedState.put(index, entry);
                }
                indices.add(index++);
            }
            options.put("params", indices);
            packedGroups.add(options);
        }
        return new StateDict(packedState, packedGroups);
    }

    /**
     * Replaces options and state with those of {@code dict} (torch's {@code load_state_dict}); group
     * and param counts must match. Everything is validated before anything changes.
     */
    public void loadStateDict(StateDict dict) {
        ensureOpen();
        if (dict == null) throw new IllegalArgumentException("state dict must not be null");
        if (dict.paramGroups().size() != groups.size()) {
            throw new IllegalArgumentException("loaded state dict has " + dict.paramGroups().size()
                    + " parameter groups, this optimizer has " + groups.size());
        }
        // As torch does, saved param ids map to this optimizer's params by position across groups.
        Map<Integer, Tensor> idToParam = new LinkedHashMap<>();
        List<Map<String, Object>> newOptions = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            Map<String, Object> saved = dict.paramGroups().get(i);
            ParamGroup g = groups.get(i);
            Object params = saved.get("params");
            int savedCount = params instanceof List<?> l ? l.size() : -1;
            if (savedCount != g.params().size()) {
                throw new IllegalArgumentException("loaded state dict contains a parameter group " + i + " of " + savedCount
                        + " params that doesn't match the size of optimizer's group (" + g.params().size() + ")");
            }
            Map<String, Object> options = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : saved.entrySet()) {
                if (e.getKey().equals("params") || TORCH_IMPLEMENTATION_KEYS.contains(e.getKey())) continue;
                options.put(e.getKey(), schema.normalize(e.getKey(), e.getValue()));
            }
            for (String key : schema.keys()) {
                if (!options.containsKey(key) && g.options().containsKey(key)) options.put(key, g.get(key));
            }
            checkGroup(options, "loaded param group " + i);
            newOptions.add(options);
            List<?> ids = (List<?>) params;
            for (int j = 0; j < ids.size(); j++) {
                if (!(ids.get(j) instanceof Number id) || id.doubleValue() != Math.rint(id.doubleValue())) {
                    throw new IllegalArgumentException("loaded param group " + i + " has a non-integer param id " + ids.get(j));
                }
                if (idToParam.put(id.intValue(), g.params().get(j)) != null) {
                    throw new IllegalArgumentException("loaded state dict lists param id " + id.intValue() + " twice");
                }
            }
        }
        Map<Tensor, ParamState> newState = new IdentityHashMap<>();
        try {
            for (Map.Entry<Integer, Map<String, Object>> e : dict.state().entrySet()) {
                int index = e.getKey();
                Tensor param = idToParam.get(index);
                if (param == null) {
                    throw new IllegalArgumentException("loaded state dict has state for param " + index
                            + ", which no loaded param group lists (ids " + idToParam.keySet() + ")");
                }
                newState.put(param, toParamState(index, param, e.getValue()));
            }
        } catch (RuntimeException ex) {
            newState.values().forEach(ParamState::close);
            throw ex;
        }
        for (int i = 0; i < groups.size(); i++) groups.get(i).replaceOptions(newOptions.get(i));
        state.values().forEach(ParamState::close);
        state.clear();
        state.putAll(newState);
        stateReplaced();
    }

    private ParamState toParamState(int index, Tensor param, Map<String, Object> saved) {
        ParamState s = new ParamState();
        try {
            for (Map.Entry<String, Object> e : saved.entrySet()) {
                String key = e.getKey();
                if (key.equals("step") && tracksStep()) {
                    if (!(e.getValue() instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() != Math.rint(n.doubleValue())) {
                        throw new IllegalArgumentException("state of param " + index + ": 'step' must be a whole number >= 0, got "
                                + e.getValue());
                    }
                    s.step = n.longValue();
                } else if (bufferNames().contains(key)) {
                    float[] values = toFloats(index, key, e.getValue());
                    if (values.length != param.numel()) {
                        throw new IllegalArgumentException("state of param " + index + ": buffer '" + key + "' has "
                                + values.length + " values but the param has " + param.numel());
                    }
                    s.put(key, Tensor.of(param.device(), values, param.shape()));
                } else {
                    throw new IllegalArgumentException("state of param " + index + ": unknown entry '" + key + "' for "
                            + name + " (valid: " + (tracksStep() ? "step, " : "") + String.join(", ", bufferNames()) + ")");
                }
            }
            return s;
        } catch (RuntimeException ex) {
            s.close();
            throw ex;
        }
    }

    private static float[] toFloats(int index, String key, Object value) {
        if (value instanceof float[] f) return f.clone();
        if (value instanceof double[] d) {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
            return f;
        }
        if (value instanceof List<?> list) {
            float[] f = new float[list.size()];
            for (int i = 0; i < f.length; i++) {
                if (!(list.get(i) instanceof Number n)) {
                    throw new IllegalArgumentException("state of param " + index + ": buffer '" + key + "' holds a non-number "
                            + list.get(i));
                }
                f[i] = n.floatValue();
            }
            return f;
        }
        throw new IllegalArgumentException("state of param " + index + ": buffer '" + key + "' must be an array of numbers, got "
                + (value == null ? "null" : value.getClass().getSimpleName()));
    }

    /** Frees every state buffer; the params and their grads stay the caller's. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        state.values().forEach(ParamState::close);
        state.clear();
        spareBf16Copies.values().forEach(Tensor::close);
        spareBf16Copies.clear();
        bf16Copies.clear();
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException(name + " optimizer is closed");
    }

    @Override
    public String toString() {
        return name + "(" + groups.size() + " param group(s), defaults " + defaults + ")";
    }
}
