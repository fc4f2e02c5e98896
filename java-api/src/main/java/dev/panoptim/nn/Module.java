package dev.panoptim.nn;

import dev.panoptim.runtime.Cuda;
import dev.panoptim.tensor.DType;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A layer or a network of layers (torch.nn.Module) with an explicit backward pass.
 *
 * <p>{@link #forward} computes the output; {@link #backward} takes the gradient of the loss with
 * respect to that output and returns the gradient with respect to the input, adding each trainable
 * parameter's gradient into its {@link Tensor#grad()} (created on first use: gradients accumulate
 * over backward calls as in torch, and the optimizer's {@code zeroGrad()} clears them). Each module
 * keeps what its backward needs from its last forward; there is no general autograd.
 *
 * <p>Memory (llm.c-style preallocated activations): a module owns its outputs and input gradients
 * as buffers that are reused from call to call and reallocated only when the shape changes. A
 * tensor returned by {@code forward} or {@code backward} belongs to the module and stays valid until
 * that module's next forward (respectively backward) or {@link #close()}; copy it to keep it. A
 * module keeps a reference to its input for the backward pass, so the input must stay unchanged
 * until then. A module instance is used once per forward pass (torch may call one module twice;
 * here, make two). A training step therefore allocates nothing but the gradients that
 * {@code zeroGrad()} freed.
 *
 * <p>Parameters are tensors whose {@link Tensor#requiresGrad()} is true when trainable:
 * {@link #parameters()} lists the trainable ones (hand them to an optimizer), {@link #freeze()}
 * freezes a module, and a frozen parameter gets no gradient. Backward skips the work nothing needs:
 * {@code backward(g, false)} does not compute the input gradient, and a network stops going back
 * once no earlier layer has a trainable parameter.
 *
 * <p>Devices: a module is built on the CPU; {@link #to(Device)} moves it (parameters, grads, buffers)
 * and from then on its native calls, parameters and activation buffers are on that device, and its
 * inputs must be too (an {@link IllegalArgumentException} names both devices otherwise).
 *
 * <p>Dtypes: parameters, buffers, activations and gradients are float32, and an input or output
 * gradient of another dtype is an {@link IllegalArgumentException} naming the layer and the dtype
 * (convert it with {@code x.to(DType.FLOAT32)}). Mixed precision (torch.autocast's numerics for the
 * dense layers) is chosen with {@link #setComputeDType}: under {@link DType#BFLOAT16} or
 * {@link DType#FLOAT16} compute, {@link Conv2d} and {@link Linear} round the operands of their
 * products (input, weight, output gradient) to that dtype and accumulate in float32; everything else
 * (BatchNorm, ReLU, pooling, the loss) stays float32, and so do every layer's inputs, outputs and
 * gradients. Under bfloat16 compute these layers keep a bfloat16 copy of their weight
 * ({@link #bf16WeightCopies()}) that the optimizer keeps current:
 * {@code optimizer.writeBf16Copies(model.setComputeDType(DType.BFLOAT16).bf16WeightCopies())}.
 *
 * <pre>{@code
 * try (Sequential model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2))) {
 *     Tensor y = model.forward(x);                    // owned by model, valid until its next forward
 *     Tensor dx = model.backward(dy);                 // grads of the weights accumulate into w.grad()
 * }
 * }</pre>
 */
public abstract class Module implements AutoCloseable {
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    /** Names of own parameters that get a bfloat16 copy under bfloat16 compute ({@link #keepBf16Copy}). */
    private final Set<String> bf16CopyNames = new LinkedHashSet<>();
    private final Map<String, Tensor> bf16Copies = new LinkedHashMap<>();
    private Device device = Device.CPU;
    private DType computeDType = DType.FLOAT32;
    private boolean training = true;
    private boolean closed;

    /** Computes the output for {@code input}. The output belongs to this module (see the class comment). */
    public abstract Tensor forward(Tensor input);

    /**
     * Back-propagates {@code gradOutput} (the loss gradient with respect to the last forward's output,
     * of the same shape) and returns the gradient with respect to the last forward's input, adding the
     * parameters' gradients into their {@code grad()}. Calling it before {@code forward} is an
     * {@link IllegalStateException}; a {@code gradOutput} of another shape an
     * {@link IllegalArgumentException}.
     */
    public abstract Tensor backward(Tensor gradOutput);

    /**
     * {@link #backward(Tensor)} that computes the input gradient only when {@code inputGrad} is true
     * (and returns null otherwise): the last layer of a frozen network, or a first layer fed with data,
     * need not compute it. Parameter gradients are accumulated either way. The built-in layers
     * implement this; a module that does not override it always computes the input gradient.
     */
    public Tensor backward(Tensor gradOutput, boolean inputGrad) {
        return backward(gradOutput);
    }

    // ------------------------------------------------------------------ registration

    /** Registers a parameter under {@code name} (torch's register_parameter); it starts trainable. */
    protected final Tensor registerParameter(String name, Tensor t) {
        checkName(name);
        t.requiresGrad(true);
        params.put(name, t);
        return t;
    }

    /** Registers a buffer (state that is no parameter, e.g. running statistics) under {@code name}. */
    protected final Tensor registerBuffer(String name, Tensor t) {
        checkName(name);
        buffers.put(name, t);
        return t;
    }

    /** Registers a child module under {@code name}; its parameters are named {@code name.<param>}. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        if (module == null) throw new IllegalArgumentException("module '" + name + "' must not be null");
        if (module == this) throw new IllegalArgumentException("a module cannot be its own child");
        module.to(device);                   // a network runs on one device: a new child joins it
        module.setComputeDType(computeDType);  // and in one precision
        children.put(name, module);
        return module;
    }

    /** Replaces the child {@code name} by {@code module}, closing the one it replaces. */
    protected final <M extends Module> M replaceModule(String name, M module) {
        ensureOpen();
        Module old = children.get(name);
        if (old == null) throw new IllegalArgumentException("no child module named '" + name + "' (children: "
                + children.keySet() + ")");
        if (module == null) throw new IllegalArgumentException("module '" + name + "' must not be null");
        module.to(device);
        module.setComputeDType(computeDType);
        children.put(name, module);
        if (old != module) old.close();
        return module;
    }

    private void checkName(String name) {
        ensureOpen();
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("invalid name '" + name + "': names are non-empty and contain no '.'");
        }
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("name '" + name + "' is already registered in " + getClass().getSimpleName());
        }
    }

    // ------------------------------------------------------------------ introspection

    /** The direct children, in registration order (torch's named_children). */
    public final Map<String, Module> namedChildren() {
        ensureOpen();
        return Collections.unmodifiableMap(children);
    }

    /** This module and all its descendants, depth first, this one first (torch's modules()). */
    public final List<Module> modules() {
        ensureOpen();
        List<Module> out = new ArrayList<>();
        collectModules(out);
        return out;
    }

    private void collectModules(List<Module> out) {
        out.add(this);
        for (Module m : children.values()) m.collectModules(out);
    }

    /**
     * Every parameter, trainable or frozen, under its dotted name (torch's named_parameters),
     * e.g. {@code layer1.0.conv1.weight}. Each tensor appears once.
     */
    public final Map<String, Tensor> namedParameters() {
        ensureOpen();
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(out, "", true, false, seen);
        return out;
    }

    /** Every buffer under its dotted name (torch's named_buffers), e.g. {@code bn1.running_mean}. */
    public final Map<String, Tensor> namedBuffers() {
        ensureOpen();
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(out, "", false, true, seen);
        return out;
    }

    /**
     * The trainable parameters ({@code requiresGrad()} true), each once: what an optimizer should
     * update. Unlike torch's parameters(), frozen ones are left out (see {@link #namedParameters()}).
     */
    public final List<Tensor> parameters() {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : namedParameters().values()) if (t.requiresGrad()) out.add(t);
        return out;
    }

    /** Number of elements of all parameters, trainable or not (torchvision's parameter counts). */
    public final long parameterCount() {
        long n = 0;
        for (Tensor t : namedParameters().values()) n += t.numel();
        return n;
    }

    /** Number of elements of the trainable parameters. */
    public final long trainableParameterCount() {
        long n = 0;
        for (Tensor t : parameters()) n += t.numel();
        return n;
    }

    /** True when this module or a descendant has a trainable parameter. */
    public final boolean hasTrainableParameters() {
        ensureOpen();
        for (Tensor t : params.values()) if (t.requiresGrad()) return true;
        for (Module m : children.values()) if (m.hasTrainableParameters()) return true;
        return false;
    }

    /**
     * Parameters and buffers under torch's state_dict names, in torch's order (a module's parameters,
     * then its buffers, then its children's). The tensors are this module's own (no copies, on its
     * {@link #device()}, as torch's): do not close them; {@link #stateDict(Device)} gives copies. {@code num_batches_tracked} of BatchNorm2d is a 0-dimensional float32 tensor here
     * (torch keeps an int64; safetensors files carry it as I64 and it converts both ways).
     */
    public final Map<String, Tensor> stateDict() {
        ensureOpen();
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(out, "", true, true, seen);
        return out;
    }

    /**
     * Copies of {@link #stateDict()} on {@code device}, owned by the caller (close them): e.g.
     * {@code stateDict(Device.CPU)} to keep a CUDA module's weights on the host, as the optimizers'
     * state dicts hold CPU copies.
     */
    public final Map<String, Tensor> stateDict(Device device) {
        if (device == null) throw new IllegalArgumentException("device must not be null");
        Map<String, Tensor> out = new LinkedHashMap<>();
        try {
            for (var e : stateDict().entrySet()) out.put(e.getKey(), e.getValue().to(device));
        } catch (RuntimeException ex) {
            for (Tensor t : out.values()) t.close();
            throw ex;
        }
        return out;
    }

    private void collect(Map<String, Tensor> out, String prefix, boolean withParams, boolean withBuffers,
                         Set<Tensor> seen) {
        if (withParams) for (var e : params.entrySet()) if (seen.add(e.getValue())) out.put(prefix + e.getKey(), e.getValue());
        if (withBuffers) for (var e : buffers.entrySet()) if (seen.add(e.getValue())) out.put(prefix + e.getKey(), e.getValue());
        for (var e : children.entrySet()) e.getValue().collect(out, prefix + e.getKey() + ".", withParams, withBuffers, seen);
    }

    /** {@link #loadStateDict(Map, boolean)} with {@code strict} true. */
    public final void loadStateDict(Map<String, Tensor> state) {
        loadStateDict(state, true);
    }

    /**
     * Copies {@code state}'s values into this module's parameters and buffers (torch's
     * load_state_dict; the tensors stay this module's, their {@code requiresGrad} flags unchanged).
     * Each value is converted to the dtype of the tensor it goes into, as torch does (a bfloat16
     * checkpoint loads into float32 parameters exactly). Every shape must match. With {@code strict}, the keys must be exactly those of
     * {@link #stateDict()}. On any problem an {@link IllegalArgumentException} lists all missing keys,
     * unexpected keys and shape mismatches, and nothing is changed.
     */
    public final void loadStateDict(Map<String, Tensor> state, boolean strict) {
        if (state == null) throw new IllegalArgumentException("state dict must not be null");
        Map<String, Tensor> own = stateDict();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (var e : state.entrySet()) {
            Tensor t = e.getValue();
            if (t == null || t.isClosed()) {
                throw new IllegalArgumentException("state dict entry '" + e.getKey() + "' is " + (t == null ? "null" : "closed"));
            }
            shapes.put(e.getKey(), t.shape());
        }
        checkStateDict(own, shapes, strict, "");
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null && src != e.getValue()) e.getValue().copyFrom(src);
        }
        for (Module m : modules()) m.refreshBf16Copies();   // the copies follow the loaded masters
    }

    /**
     * Checks that {@code shapes} (key to shape) fits {@code own}; throws an IllegalArgumentException
     * listing every problem, prefixed by {@code where}.
     */
    static void checkStateDict(Map<String, Tensor> own, Map<String, int[]> shapes, boolean strict, String where) {
        Set<String> missing = new TreeSet<>();
        Set<String> unexpected = new TreeSet<>();
        List<String> mismatched = new ArrayList<>();
        for (var e : own.entrySet()) {
            int[] given = shapes.get(e.getKey());
            if (given == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(given, e.getValue().shape())) {
                mismatched.add(e.getKey() + ": expected shape " + Arrays.toString(e.getValue().shape()) + ", got "
                        + Arrays.toString(given));
            }
        }
        for (String k : shapes.keySet()) if (!own.containsKey(k)) unexpected.add(k);
        boolean keysWrong = strict && (!missing.isEmpty() || !unexpected.isEmpty());
        if (!keysWrong && mismatched.isEmpty()) return;
        StringBuilder sb = new StringBuilder(where).append("error(s) in loading state dict, nothing was loaded:");
        if (strict && !missing.isEmpty()) sb.append("\n  missing keys (").append(missing.size()).append("): ").append(missing);
        if (strict && !unexpected.isEmpty()) sb.append("\n  unexpected keys (").append(unexpected.size()).append("): ").append(unexpected);
        if (!mismatched.isEmpty()) sb.append("\n  size mismatches (").append(mismatched.size()).append("): ").append(mismatched);
        throw new IllegalArgumentException(sb.toString());
    }

    // ------------------------------------------------------------------ modes

    /** Sets training mode on this module and its descendants (torch's train()); returns this. */
    public Module train() {
        return train(true);
    }

    /** Sets training ({@code true}) or evaluation mode recursively; returns this. */
    public Module train(boolean mode) {
        ensureOpen();
        training = mode;
        for (Module m : children.values()) m.train(mode);
        return this;
    }

    /** Sets evaluation mode recursively (BatchNorm uses its running statistics); returns this. */
    public Module eval() {
        return train(false);
    }

    /** True in training mode (the default). */
    public final boolean isTraining() {
        return training;
    }

    /**
     * Sets {@code requiresGrad} on every parameter of this module and its descendants (torch's
     * requires_grad_); returns this. Frozen parameters leave {@link #parameters()} and get no grads.
     */
    public Module requiresGrad(boolean value) {
        for (Tensor t : namedParameters().values()) t.requiresGrad(value);
        return this;
    }

    /** Clears the gradient of every parameter (torch's zero_grad(set_to_none=True)); returns this. */
    public Module zeroGrad() {
        for (Tensor t : namedParameters().values()) t.setGrad(null);
        return this;
    }

    /** Freezes every parameter ({@code requiresGrad(false)}); returns this. */
    public Module freeze() {
        return requiresGrad(false);
    }

    /** Makes every parameter trainable again ({@code requiresGrad(true)}); returns this. */
    public Module unfreeze() {
        return requiresGrad(true);
    }

    /**
     * Moves the parameters (with their grads) and buffers of this module and its descendants to
     * {@code device} and returns this module (torch's {@code module.to(device)}); forward and
     * backward then run there, on inputs of that device, and the activation buffers live there.
     * Each tensor is replaced by a copy on the new device, so move a module before handing its
     * {@link #parameters()} to an optimizer; tensors taken from the module before are closed. A no-op
     * when the module is already there. CUDA where it is unusable is an
     * {@link UnsupportedOperationException} saying why.
     */
    public Module to(Device device) {
        ensureOpen();
        if (device == null) throw new IllegalArgumentException("device must not be null");
        if (device.equals(this.device)) return this;
        if (device.isCuda()) Cuda.requireDevice(device.index(), "moving " + getClass().getSimpleName() + " to " + device);
        moveTree(device, new IdentityHashMap<>());
        return this;
    }

    /** Moves this module and its children; {@code copies} maps each moved tensor to its copy, so a shared one moves once. */
    private void moveTree(Device device, Map<Tensor, Tensor> copies) {
        if (device.equals(this.device)) return;
        moveAll(params, device, copies);
        moveAll(buffers, device, copies);
        for (Module m : children.values()) m.moveTree(device, copies);
        this.device = device;
        moved();
        refreshBf16Copies();                  // remade on the new device from the moved masters
    }

    private static void moveAll(Map<String, Tensor> tensors, Device device, Map<Tensor, Tensor> copies) {
        for (var e : tensors.entrySet()) {
            Tensor old = e.getValue();
            Tensor copy = copies.get(old);
            if (copy == null) {
                copy = old.to(device);
                copy.requiresGrad(old.requiresGrad());
                if (old.grad() != null) copy.setGrad(old.grad().to(device));
                copies.put(old, copy);
                old.close();
            }
            e.setValue(copy);
        }
    }

    /**
     * Called by {@link #to(Device)} once this module's parameters and buffers are on the new device:
     * layers re-read the tensors they keep in fields ({@link #parameter}, {@link #buffer}) and drop
     * the activations of the old device. The default drops the activations.
     */
    protected void moved() {
        releaseActivations();
    }

    /** The device of this module's parameters, buffers and activations ({@link Device#CPU} until {@link #to}). */
    public final Device device() {
        return device;
    }

    /** This module's own parameter {@code name} (after {@link #to}, the copy on the new device). */
    protected final Tensor parameter(String name) {
        return params.get(name);
    }

    /** This module's own buffer {@code name} (after {@link #to}, the copy on the new device). */
    protected final Tensor buffer(String name) {
        return buffers.get(name);
    }

    /**
     * The pt_device code for this module's native calls; on CUDA it makes the module's device the
     * thread's current one first (the C calls run on the current device).
     */
    protected final int deviceCode() {
        if (device.isCuda()) Cuda.setDevice(device.index());
        return device.code();
    }

    /** Throws an IllegalArgumentException naming both devices when {@code t} is not on this module's device. */
    protected final void checkDevice(String what, Tensor t) {
        if (!t.device().equals(device)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": " + what + " is on " + t.device()
                    + " but the module is on " + device + " (move the tensor with to(" + device + ") or the module with"
                    + " module.to(" + t.device() + "))");
        }
    }

    // ------------------------------------------------------------------ precision

    /**
     * Sets the dtype the products of {@link Conv2d} and {@link Linear} are computed in, on this
     * module and its descendants, and returns this (what torch.autocast does to conv and linear):
     * <ul>
     * <li>{@link DType#FLOAT32} (the default): the exact float32 path;</li>
     * <li>{@link DType#BFLOAT16}: input, weight and output gradient rounded to bfloat16 (nearest even)
     * and multiplied with float32 accumulation; each such layer keeps a bfloat16 copy of its weight
     * on the weight's device (made now, remade after {@link #to} and {@link #loadStateDict}), which
     * {@link #bf16WeightCopies()} hands to the optimizer so every step refreshes it;</li>
     * <li>{@link DType#FLOAT16}: the same rounding to float16 (the float32 weight is rounded as it is
     * loaded; no copy is kept).</li>
     * </ul>
     * Inputs, outputs and gradients stay float32, as do the parameters (master weights) and the other
     * layers. A weight changed by other means than the optimizer, {@code to} or {@code loadStateDict}
     * (e.g. {@code weight().copyFrom(...)}) needs {@code setComputeDType(BFLOAT16)} again to refresh
     * its copy. Leaving bfloat16 closes the copies (an optimizer that writes them must then be given the
     * new map). Loss scaling for float16: {@code dev.panoptim.optim.GradScaler}.
     *
     * <pre>{@code
     * model.to(Device.CUDA);
     * Optimizer opt = AdamW.builder(model.parameters()).lr(1e-3).build();
     * opt.writeBf16Copies(model.setComputeDType(DType.BFLOAT16).bf16WeightCopies());
     * }</pre>
     */
    public Module setComputeDType(DType dtype) {
        ensureOpen();
        if (dtype == null) throw new IllegalArgumentException("compute dtype must not be null (FLOAT32, BFLOAT16 or FLOAT16)");
        for (Module m : modules()) {
            m.computeDType = dtype;
            m.refreshBf16Copies();
        }
        return this;
    }

    /** The dtype Conv2d's and Linear's products are computed in ({@link DType#FLOAT32} unless set). */
    public final DType computeDType() {
        return computeDType;
    }

    /**
     * Each parameter of this tree that has a bfloat16 copy (under bfloat16 compute: the weights of
     * Conv2d and Linear) mapped to that copy, for {@code Optimizer.writeBf16Copies}; empty under
     * another compute dtype. The copies belong to the modules (do not close them); they are replaced
     * by {@link #to} (hand the optimizer the new map, as its params).
     */
    public final Map<Tensor, Tensor> bf16WeightCopies() {
        ensureOpen();
        Map<Tensor, Tensor> out = new IdentityHashMap<>();
        for (Module m : modules()) {
            for (var e : m.bf16Copies.entrySet()) out.put(m.params.get(e.getKey()), e.getValue());
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Declares that this module's parameter {@code paramName} (registered before) gets a bfloat16
     * copy under bfloat16 compute, read by {@link #computeOperand}; call it in the constructor.
     */
    protected final void keepBf16Copy(String paramName) {
        if (!params.containsKey(paramName)) {
            throw new IllegalArgumentException("keepBf16Copy: no parameter named '" + paramName + "' (parameters: "
                    + params.keySet() + ")");
        }
        bf16CopyNames.add(paramName);
        refreshBf16Copies();
    }

    /**
     * The weight operand of a mixed-precision call for the parameter {@code paramName}: its bfloat16
     * copy under bfloat16 compute when it keeps one, else the float32 parameter (the kernel rounds it
     * as it loads it). Pass {@code operand.dtype().code()} as the weight dtype.
     */
    protected final Tensor computeOperand(String paramName) {
        Tensor copy = bf16Copies.get(paramName);
        return copy != null ? copy : params.get(paramName);
    }

    /**
     * Makes the bfloat16 copies match the compute dtype: under bfloat16 each declared parameter's
     * copy is refreshed in place (kept, so an optimizer holding it keeps writing it) or remade when
     * missing or on another device; otherwise the copies are closed. Layers call it after changing a
     * weight themselves (e.g. resetParameters).
     */
    protected final void refreshBf16Copies() {
        for (String name : bf16CopyNames) {
            Tensor master = params.get(name);
            Tensor copy = bf16Copies.get(name);
            if (computeDType != DType.BFLOAT16) {
                if (copy != null) copy.close();
                bf16Copies.remove(name);
            } else if (copy != null && !copy.isClosed() && copy.device().equals(master.device())) {
                copy.copyFrom(master);        // narrowing copy: pt_cast on CUDA, the same rounding on the host
            } else {
                if (copy != null) copy.close();
                bf16Copies.put(name, master.to(DType.BFLOAT16));
            }
        }
    }

    // ------------------------------------------------------------------ lifetime

    /** True once {@link #close()} has run. */
    public final boolean isClosed() {
        return closed;
    }

    /**
     * Frees the parameters (and their grads), buffers, cached activations and children. Idempotent;
     * any later use is an {@link IllegalStateException}.
     */
    @Override
    public final void close() {
        if (closed) return;
        closed = true;
        for (Module m : children.values()) m.close();
        for (Tensor t : params.values()) t.close();
        for (Tensor t : buffers.values()) t.close();
        for (Tensor t : bf16Copies.values()) t.close();
        bf16Copies.clear();
        releaseActivations();
    }

    /** Frees the module's own activation buffers (outputs, input grads, saved statistics). */
    protected void releaseActivations() {}

    /** Throws an {@link IllegalStateException} once the module is closed. */
    protected final void ensureOpen() {
        if (closed) throw new IllegalStateException(getClass().getSimpleName() + " is closed");
    }

    // ------------------------------------------------------------------ helpers for layers

    /**
     * {@code current} if it is open, on {@code device} and has {@code shape}, else a new zero tensor of
     * that shape there (the old one closed): how layers keep their output and gradient buffers.
     */
    protected static Tensor reuse(Tensor current, Device device, int... shape) {
        if (current != null && !current.isClosed() && current.device().equals(device) && Arrays.equals(current.shape(), shape)) {
            return current;
        }
        if (current != null) current.close();
        return device.isCpu() ? Tensor.zerosOfShape(shape) : Tensor.zeros(device, shape);
    }

    /** Closes {@code t} if not null; returns null (for {@code buf = free(buf)}). */
    protected static Tensor free(Tensor t) {
        if (t != null) t.close();
        return null;
    }

    /**
     * The segment a kernel should write the gradient of {@code p} to: NULL when {@code p} is frozen,
     * else its grad, created (zero) when absent.
     */
    protected final MemorySegment gradSegment(Tensor p) {
        if (p == null || !p.requiresGrad()) return MemorySegment.NULL;
        if (p.grad() == null) p.setGrad(Tensor.zerosLike(p));
        // The kernels write float32: a parameter holding a bfloat16 grad (mixed precision) cannot take them.
        checkFloat32("a parameter's grad (shape " + Arrays.toString(p.shape()) + ")", p.grad());
        return p.grad().nativeSegment();
    }

    /**
     * The kernels' {@code accumulate} flag for the gradients of {@code ps}: 0 (overwrite) when every
     * trainable one has no grad yet (so a fresh zero grad is written once, not read), else 1. Call it
     * before {@link #gradSegment}.
     */
    protected static int accumulateFlag(Tensor... ps) {
        for (Tensor p : ps) if (p != null && p.requiresGrad() && p.grad() != null) return 1;
        return 0;
    }

    /** The memory of {@code t} for a native call (a device address on CUDA), or NULL for null. */
    protected static MemorySegment seg(Tensor t) {
        return t == null ? MemorySegment.NULL : t.nativeSegment();
    }

    /** Checks that backward follows a forward and that {@code gradOutput} is float32 and has the output's shape. */
    protected final void checkBackward(Tensor savedInput, Tensor gradOutput, int[] outputShape) {
        ensureOpen();
        String name = getClass().getSimpleName();
        if (savedInput == null || outputShape == null) {
            throw new IllegalStateException(name + ".backward called before forward");
        }
        if (gradOutput == null) throw new IllegalArgumentException(name + ".backward: gradOutput must not be null");
        checkDevice("backward's gradOutput", gradOutput);
        checkFloat32("backward's gradOutput", gradOutput);
        if (!Arrays.equals(gradOutput.shape(), outputShape)) {
            throw new IllegalArgumentException(name + ".backward: gradOutput has shape " + Arrays.toString(gradOutput.shape())
                    + " but the last forward's output has shape " + Arrays.toString(outputShape));
        }
    }

    /** Checks that {@code input} is not null, open, float32 and on this module's device; returns its shape. */
    protected final int[] inputShape(Tensor input) {
        ensureOpen();
        if (input == null) throw new IllegalArgumentException(getClass().getSimpleName() + ".forward: input must not be null");
        checkDevice("forward's input", input);
        checkFloat32("forward's input", input);
        return input.shape();
    }

    /** Throws an IllegalArgumentException naming this layer and the dtype when {@code t} is not float32. */
    protected final void checkFloat32(String what, Tensor t) {
        if (t.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": " + what + " is " + t.dtype() + " but "
                    + getClass().getSimpleName() + " computes in float32 and needs a float32 tensor (convert it with"
                    + " to(DType.FLOAT32))");
        }
    }

    // ------------------------------------------------------------------ printing

    /** The layer's settings for {@link #toString()}, e.g. {@code 3, 64, kernel_size=(7, 7)}. */
    protected String extraRepr() {
        return "";
    }

    /** torch's module printout: the name, settings and children, indented. */
    @Override
    public String toString() {
        String head = getClass().getSimpleName() + "(" + extraRepr();
        if (children.isEmpty()) return head + ")";
        StringBuilder sb = new StringBuilder(head).append('\n');
        for (var e : children.entrySet()) {
            String child = e.getValue().toString().replace("\n", "\n  ");
            sb.append("  (").append(e.getKey()).append("): ").append(child).append('\n');
        }
        return sb.append(')').toString();
    }
}
