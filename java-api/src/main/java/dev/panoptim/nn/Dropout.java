package dev.panoptim.nn;

import dev.panoptim.bindings.c.panoptim_h;
import dev.panoptim.runtime.NativeStatus;
import dev.panoptim.tensor.Tensor;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Dropout (torch.nn.Dropout): in training mode each element is zeroed with probability {@code p} and
 * the others are scaled by {@code 1 / (1 - p)} (so the expected value is unchanged); in evaluation
 * mode ({@link #eval()}), or with {@code p = 0}, the output is the input itself (no copy, as torch),
 * and with {@code p = 1} it is zero. Backward multiplies the gradient by the same mask and scale.
 *
 * <p>Masks: drawn on the host from this module's own seeded generator (L64X128MixRandom, as
 * {@link Init}) and copied to the module's device, so a seed gives the same masks on the CPU and on
 * CUDA. A new Dropout takes its seed from {@link Init}'s generator, so {@code Init.manualSeed(s)}
 * before building a network makes its masks reproducible (as torch's {@code manual_seed}); {@link
 * #manualSeed(long)} reseeds one module (the trainer reseeds every step from the run's seed and the
 * step, so a resumed run draws the masks the uninterrupted one drew). The masking itself runs the
 * existing kernels: {@code pt_relu_backward} keeps the input where the 0/1 mask is positive, and
 * {@code pt_scale_by} multiplies by the scale.
 *
 * <pre>{@code
 * Sequential head = new Sequential(new Flatten(), new Dropout(0.2), new Linear(784, 10));
 * head.eval();                                   // dropout becomes the identity
 * }</pre>
 */
public final class Dropout extends Module {
    private final double p;
    /** 1 / (1 - p) in float32: the factor each kept element is multiplied by (unused for p = 1). */
    private final float scale;
    private RandomGenerator generator;

    private float[] hostMask;
    private Tensor mask;          // 1 where kept, 0 where dropped, on the module's device
    private Tensor scaleOnDevice; // {scale}, for pt_scale_by
    private Tensor output;
    private Tensor gradInput;
    private int[] shape;
    /** How the last forward went: true when it masked (training, 0 < p); false when it was the identity. */
    private boolean masked;
    private Tensor lastInput;     // only to tell that a forward came first

    /** Drops with probability {@code p} in [0, 1]; the masks' seed comes from {@link Init}'s generator. */
    public Dropout(double p) {
        this(p, Init.nextSeed());
    }

    /** Drops with probability {@code p} in [0, 1], masks drawn from a generator seeded with {@code seed}. */
    public Dropout(double p, long seed) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: p must be a probability in [0, 1], got p=" + p);
        }
        this.p = p;
        this.scale = p < 1 ? (float) (1.0 / (1.0 - p)) : 0f;
        this.generator = Init.newGenerator(seed);
    }

    /** The drop probability. */
    public double p() {
        return p;
    }

    /** Restarts this module's mask generator from {@code seed}: the next masks are those a Dropout built with it draws. */
    public void manualSeed(long seed) {
        ensureOpen();
        generator = Init.newGenerator(seed);
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = inputShape(x);
        lastInput = x;
        shape = s;
        masked = isTraining() && p > 0;
        if (!masked) return x;
        output = reuse(output, device(), s);
        if (p == 1) return output.fill(0f);   // 0 * inf would be NaN: all dropped is plain zeros
        drawMask(s);
        keepAndScale(x, output, "Dropout forward");
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        return backward(gradOutput, true);
    }

    @Override
    public Tensor backward(Tensor gradOutput, boolean inputGrad) {
        checkBackward(lastInput, gradOutput, shape);
        if (!inputGrad) return null;
        if (!masked) return gradOutput;
        gradInput = reuse(gradInput, device(), shape);
        if (p == 1) return gradInput.fill(0f);
        keepAndScale(gradOutput, gradInput, "Dropout backward");
        return gradInput;
    }

    /** A fresh 0/1 mask of {@code s}'s size: each element kept with probability 1 - p. */
    private void drawMask(int[] s) {
        long n = Arrays.stream(s).asLongStream().reduce(1, (a, b) -> a * b);
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("Dropout: input of " + n + " elements is too large");
        if (hostMask == null || hostMask.length != n) hostMask = new float[(int) n];
        // Two uniform 32-bit draws per nextLong (half the generator calls of nextDouble): an element is kept
        // when its draw u in [0, 2^32) is >= ceil(p * 2^32), probability 1 - p within 2^-32.
        long threshold = (long) Math.ceil(p * 0x1p32);
        for (int i = 0; i < hostMask.length; i += 2) {
            long bits = generator.nextLong();
            hostMask[i] = (bits >>> 32) >= threshold ? 1f : 0f;
            if (i + 1 < hostMask.length) hostMask[i + 1] = (bits & 0xFFFF_FFFFL) >= threshold ? 1f : 0f;
        }
        mask = reuse(mask, device(), s);
        mask.copyFrom(hostMask);
    }

    /** to = from where the mask is 1, else 0; then to *= scale. */
    private void keepAndScale(Tensor from, Tensor to, String what) {
        if (scaleOnDevice == null || scaleOnDevice.isClosed() || !scaleOnDevice.device().equals(device())) {
            scaleOnDevice = free(scaleOnDevice);
            scaleOnDevice = Tensor.of(device(), new float[] {scale}, 1);
        }
        int dev = deviceCode();
        NativeStatus.check(panoptim_h.pt_relu_backward(dev, to.numel(), mask.nativeSegment(), from.nativeSegment(),
                to.nativeSegment()), what + " (mask)");
        NativeStatus.check(panoptim_h.pt_scale_by(dev, to.numel(), to.nativeSegment(), scaleOnDevice.nativeSegment()),
                what + " (scale)");
    }

    @Override
    protected void releaseActivations() {
        output = free(output);
        gradInput = free(gradInput);
        mask = free(mask);
        scaleOnDevice = free(scaleOnDevice);
        hostMask = null;
        shape = null;
        lastInput = null;
    }

    @Override
    protected String extraRepr() {
        return "p=" + p + ", inplace=False";
    }
}
