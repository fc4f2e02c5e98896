package dev.panoptim.nn;

import dev.panoptim.bindings.c.panoptim_h;
import dev.panoptim.runtime.NativeStatus;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Batch normalisation over (N, H, W) per channel (torch.nn.BatchNorm2d, affine, tracking running
 * statistics): y = (x - mean) / sqrt(var + eps) * weight + bias. In training mode mean and var are
 * the batch's (biased variance) and the running statistics move towards them,
 * running = (1 - momentum) * running + momentum * batch, with the unbiased variance for running_var;
 * in evaluation mode the running statistics are used. weight starts at 1, bias at 0, running_mean at
 * 0, running_var at 1. Buffers (torch's names): {@code running_mean}, {@code running_var},
 * {@code num_batches_tracked} (a 0-dimensional float32 tensor here; an int64 in torch).
 * Where a chain of modules (Sequential, ResNet, BasicBlock) applies a {@link ReLU} right after a
 * BatchNorm2d, the pair runs as one fused native op ({@code pt_batchnorm2d_relu_*}, see
 * {@code Chain}); used on its own, the module is always the plain batch norm.
 *
 * <pre>{@code BatchNorm2d bn = new BatchNorm2d(64);   // eps 1e-5, momentum 0.1}</pre>
 */
public final class BatchNorm2d extends Module {
    private final int channels;
    private final double eps;
    private final double momentum;
    // Not final: to(device) replaces them by copies on the new device.
    private Tensor weight;
    private Tensor bias;
    private Tensor runningMean;
    private Tensor runningVar;
    private Tensor numBatchesTracked;

    private Tensor input;
    private int[] shape;
    private boolean forwardTraining;
    /** Whether the last forward applied the following ReLU too (its backward then takes that ReLU's grad). */
    private boolean forwardRelu;
    private Tensor output;
    private Tensor gradInput;
    private Tensor saveMean;
    private Tensor saveInvstd;
    /** A 1 on the module's device, to count num_batches_tracked up there without a host round trip. */
    private Tensor one;

    /** eps 1e-5, momentum 0.1 (torch's defaults). */
    public BatchNorm2d(int channels) {
        this(channels, 1e-5, 0.1);
    }

    /** torch's argument order: num_features, eps, momentum. */
    public BatchNorm2d(int channels, double eps, double momentum) {
        if (channels < 1) throw new IllegalArgumentException("BatchNorm2d: channels must be >= 1, got " + channels);
        if (!(eps > 0)) throw new IllegalArgumentException("BatchNorm2d: eps must be > 0, got " + eps);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm2d: momentum must be in [0, 1], got " + momentum);
        }
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = registerParameter("weight", Tensor.zeros(channels).fill(1f));
        this.bias = registerParameter("bias", Tensor.zeros(channels));
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(channels));
        this.runningVar = registerBuffer("running_var", Tensor.zeros(channels).fill(1f));
        this.numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.scalar(0f));
    }

    /** Resets weight to 1, bias to 0 and the running statistics (torch's reset_parameters). */
    public void resetParameters() {
        ensureOpen();
        weight.fill(1f);
        bias.fill(0f);
        runningMean.fill(0f);
        runningVar.fill(1f);
        numBatchesTracked.fill(0f);
    }

    /** The scale (C). */
    public Tensor weight() {
        ensureOpen();
        return weight;
    }

    /** The shift (C). */
    public Tensor bias() {
        ensureOpen();
        return bias;
    }

    /** The running mean (C), a buffer. */
    public Tensor runningMean() {
        ensureOpen();
        return runningMean;
    }

    /** The running (unbiased) variance (C), a buffer. */
    public Tensor runningVar() {
        ensureOpen();
        return runningVar;
    }

    /** Training-mode forward passes so far (torch's num_batches_tracked). */
    public long numBatchesTracked() {
        ensureOpen();
        return (long) numBatchesTracked.toFloatArray()[0];
    }

    public int channels() {
        return channels;
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, false);
    }

    /**
     * relu(this(x)) in one native op, for {@code Chain} where a ReLU follows: 3 sweeps over the
     * activations for the two modules' 5 (backward 5 for 8), and no intermediate tensor. The output equals the
     * two modules' within float rounding; the next {@link #backward} takes the ReLU output's grad.
     */
    Tensor forwardRelu(Tensor x) {
        return forward(x, true);
    }

    /** Whether the last forward was {@link #forwardRelu} (so the ReLU after it must not run again). */
    boolean forwardFusedRelu() {
        return forwardRelu;
    }

    private Tensor forward(Tensor x, boolean relu) {
        int[] s = inputShape(x);
        if (s.length != 4 || s[1] != channels) {
            throw new IllegalArgumentException("BatchNorm2d(" + channels + ") expects input (N, " + channels + ", H, W), got "
                    + Arrays.toString(s));
        }
        long hw = (long) s[2] * s[3];
        boolean train = isTraining();
        if (train && (long) s[0] * hw <= 1) {
            throw new IllegalArgumentException("BatchNorm2d: expected more than 1 value per channel when training, got input "
                    + Arrays.toString(s));
        }
        output = reuse(output, device(), s);
        saveMean = reuse(saveMean, device(), channels);
        saveInvstd = reuse(saveInvstd, device(), channels);
        MemorySegment sm = train ? saveMean.nativeSegment() : MemorySegment.NULL;
        MemorySegment si = train ? saveInvstd.nativeSegment() : MemorySegment.NULL;
        int status = relu
                ? panoptim_h.pt_batchnorm2d_relu_forward(deviceCode(), train ? 1 : 0, s[0], channels, hw, x.nativeSegment(),
                        weight.nativeSegment(), bias.nativeSegment(), runningMean.nativeSegment(), runningVar.nativeSegment(),
                        momentum, eps, output.nativeSegment(), sm, si)
                : panoptim_h.pt_batchnorm2d_forward(deviceCode(), train ? 1 : 0, s[0], channels, hw, x.nativeSegment(),
                        weight.nativeSegment(), bias.nativeSegment(), runningMean.nativeSegment(), runningVar.nativeSegment(),
                        momentum, eps, output.nativeSegment(), sm, si);
        NativeStatus.check(status, (relu ? "BatchNorm2d+ReLU forward " : "BatchNorm2d forward ") + Arrays.toString(s));
        if (train) countBatch();
        input = x;
        shape = s;
        forwardTraining = train;
        forwardRelu = relu;
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        return backward(gradOutput, true);
    }

    @Override
    public Tensor backward(Tensor gradOutput, boolean inputGrad) {
        checkBackward(input, gradOutput, shape);
        if (!forwardTraining) {
            // The statistics were constants: the running ones (computed on the host: eval-mode
            // backward is rare, and C floats are a copy away on any device).
            float[] mean = runningMean.toFloatArray();
            float[] invstd = runningVar.toFloatArray();
            for (int i = 0; i < channels; i++) invstd[i] = (float) (1 / Math.sqrt(invstd[i] + eps));
            saveMean.copyFrom(mean);
            saveInvstd.copyFrom(invstd);
        }
        MemorySegment dx = MemorySegment.NULL;
        if (inputGrad) {
            gradInput = reuse(gradInput, device(), shape);
            dx = gradInput.nativeSegment();
        }
        int accumulate = accumulateFlag(weight, bias);
        MemorySegment dw = gradSegment(weight);
        MemorySegment db = gradSegment(bias);
        if (dx.equals(MemorySegment.NULL) && dw.equals(MemorySegment.NULL) && db.equals(MemorySegment.NULL)) return null;
        long hw = (long) shape[2] * shape[3];
        int train = forwardTraining ? 1 : 0;
        // The fused backward recomputes the ReLU's mask from x, the statistics, weight and bias: those
        // of the forward, as an optimizer steps only after the backward.
        int status = forwardRelu
                ? panoptim_h.pt_batchnorm2d_relu_backward(deviceCode(), train, shape[0], channels, hw, input.nativeSegment(),
                        weight.nativeSegment(), bias.nativeSegment(), saveMean.nativeSegment(), saveInvstd.nativeSegment(),
                        gradOutput.nativeSegment(), dx, dw, db, accumulate)
                : panoptim_h.pt_batchnorm2d_backward(deviceCode(), train, shape[0], channels, hw, input.nativeSegment(),
                        weight.nativeSegment(), saveMean.nativeSegment(), saveInvstd.nativeSegment(), gradOutput.nativeSegment(),
                        dx, dw, db, accumulate);
        NativeStatus.check(status, (forwardRelu ? "BatchNorm2d+ReLU backward " : "BatchNorm2d backward ") + Arrays.toString(shape));
        return inputGrad ? gradInput : null;
    }

    /** num_batches_tracked += 1, where the buffer lives. */
    private void countBatch() {
        if (one == null || one.isClosed() || !one.device().equals(device())) {
            one = free(one);
            one = Tensor.of(device(), new float[] {1f});
        }
        NativeStatus.check(panoptim_h.pt_axpy(deviceCode(), 1, 1.0, one.nativeSegment(), numBatchesTracked.nativeSegment()),
                "BatchNorm2d num_batches_tracked");
    }

    @Override
    protected void moved() {
        weight = parameter("weight");
        bias = parameter("bias");
        runningMean = buffer("running_mean");
        runningVar = buffer("running_var");
        numBatchesTracked = buffer("num_batches_tracked");
        super.moved();
    }

    @Override
    protected void releaseActivations() {
        output = free(output);
        gradInput = free(gradInput);
        saveMean = free(saveMean);
        saveInvstd = free(saveInvstd);
        one = free(one);
        input = null;
    }

    @Override
    protected String extraRepr() {
        return channels + ", eps=" + eps + ", momentum=" + momentum + ", affine=True, track_running_stats=True";
    }
}
