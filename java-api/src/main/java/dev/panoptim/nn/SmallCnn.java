package dev.panoptim.nn;

import dev.panoptim.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The small CNN family of the course's scaling study: two blocks conv3x3 (padding 1) - ReLU -
 * MaxPool2d(2) with {@code c} and {@code 2c} channels, then Flatten, an optional Dropout(p), and a
 * Linear from {@code 2c * (H/4) * (W/4)} features to the classes (the divisions floor, as the pooling
 * does). The width is {@code c = round(baseChannels * sqrt(2)^k)} for the width exponent {@code k}
 * ({@link #channels(int, int)}): each step of k doubles the convolutions' multiply-accumulates per
 * layer pair (c times 2c), so widths k = 0, 1, 2, ... space the compute evenly on a log scale.
 * Layers have torch's default initialisation from {@link Init}'s generator.
 *
 * <p>Children, in torch's naming: {@code conv1}, {@code relu1}, {@code pool1}, {@code conv2},
 * {@code relu2}, {@code pool2}, {@code flatten}, {@code dropout} (only when p &gt; 0) and {@code fc}, so the
 * state dict holds {@code conv1.weight}, {@code conv1.bias}, {@code conv2.weight}, {@code conv2.bias},
 * {@code fc.weight}, {@code fc.bias}.
 *
 * <pre>{@code
 * SmallCnn model = SmallCnn.builder().inChannels(1).imageSize(28).classes(10)
 *         .widthExponent(2).baseChannels(8).dropout(0.2).build();   // c = 16
 * }</pre>
 */
public final class SmallCnn extends Module {
    /** Channels of the first block at width exponent 0, unless the builder says otherwise. */
    public static final int DEFAULT_BASE_CHANNELS = 8;

    private final int inChannels;
    private final int height;
    private final int width;
    private final int channels;
    private final double dropout;
    private final List<Module> chain = new ArrayList<>();

    private SmallCnn(Builder b) {
        if (b.inChannels < 1) throw new IllegalArgumentException("SmallCnn: inChannels must be >= 1, got " + b.inChannels);
        if (b.classes < 1) throw new IllegalArgumentException("SmallCnn: classes must be >= 1, got " + b.classes);
        if (b.height < 4 || b.width < 4) {
            throw new IllegalArgumentException("SmallCnn: images must be at least 4x4 (two 2x2 poolings), got " + b.height + "x"
                    + b.width);
        }
        this.inChannels = b.inChannels;
        this.height = b.height;
        this.width = b.width;
        this.channels = channels(b.baseChannels, b.widthExponent);
        this.dropout = b.dropout;
        int c = channels;
        int features = Math.multiplyExact(2 * c, (height / 4) * (width / 4));
        add("conv1", new Conv2d(inChannels, c, 3, 1, 1));
        add("relu1", new ReLU());
        add("pool1", new MaxPool2d(2));
        add("conv2", new Conv2d(c, 2 * c, 3, 1, 1));
        add("relu2", new ReLU());
        add("pool2", new MaxPool2d(2));
        add("flatten", new Flatten());
        Linear fc = new Linear(features, b.classes);
        // Built after fc, so its seed draw (Init's generator) leaves the weights as they are without dropout:
        // at one seed, the runs with and without dropout start from the same network.
        if (dropout > 0) add("dropout", new Dropout(dropout));
        add("fc", fc);
    }

    private void add(String name, Module m) {
        chain.add(registerModule(name, m));
    }

    /**
     * The first block's channels at width exponent {@code k}: {@code round(base * sqrt(2)^k)}; the result
     * must be at least 1 (so k may be negative for a wide enough base), else an IllegalArgumentException
     * naming k.
     */
    public static int channels(int base, int k) {
        if (base < 1) throw new IllegalArgumentException("SmallCnn: baseChannels must be >= 1, got " + base);
        double c = Math.rint(base * Math.pow(Math.sqrt(2), k));
        if (c < 1 || c > 1 << 20) {
            throw new IllegalArgumentException("SmallCnn: width exponent k=" + k + " gives round(" + base + " * sqrt(2)^" + k
                    + ") = " + (long) c + " channels; it must give between 1 and " + (1 << 20));
        }
        return (int) c;
    }

    /** A builder for the Fashion-MNIST shape (1 channel, 28x28, 10 classes), width exponent 0, base 8, no dropout. */
    public static Builder builder() {
        return new Builder();
    }

    /** The first block's channels {@code c} (the second has {@code 2c}). */
    public int channels() {
        return channels;
    }

    /** The dropout probability before the final layer (0: no Dropout module). */
    public double dropout() {
        return dropout;
    }

    /** Input channels. */
    public int inChannels() {
        return inChannels;
    }

    /** The modules in the order forward applies them (for {@link Flops}). */
    List<Module> forwardChain() {
        return List.copyOf(chain);
    }

    /** Logits (N, classes) for images (N, inChannels, H, W) of the size it was built for. */
    @Override
    public Tensor forward(Tensor x) {
        int[] s = inputShape(x);
        if (s.length != 4 || s[1] != inChannels || s[2] != height || s[3] != width) {
            throw new IllegalArgumentException("SmallCnn expects input (N, " + inChannels + ", " + height + ", " + width
                    + "), got " + Arrays.toString(s));
        }
        return Chain.forward(chain, x);
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        return backward(gradOutput, true);
    }

    /** Pass {@code inputGrad} false in training loops: the images need no gradient. */
    @Override
    public Tensor backward(Tensor gradOutput, boolean inputGrad) {
        ensureOpen();
        return Chain.backward(chain, gradOutput, inputGrad);
    }

    @Override
    protected String extraRepr() {
        return "channels=" + channels + ", image=" + height + "x" + width;
    }

    /**
     * The settings of a {@link SmallCnn}.
     *
     * <pre>{@code SmallCnn m = SmallCnn.builder().inChannels(3).imageSize(32).widthExponent(-1).build();}</pre>
     */
    public static final class Builder {
        private int inChannels = 1;
        private int height = 28;
        private int width = 28;
        private int classes = 10;
        private int widthExponent;
        private int baseChannels = DEFAULT_BASE_CHANNELS;
        private double dropout;

        private Builder() {}

        /** Image channels (default 1). */
        public Builder inChannels(int v) { inChannels = v; return this; }
        /** Square images of this side (default 28). */
        public Builder imageSize(int v) { height = v; width = v; return this; }
        /** Images of this height and width. */
        public Builder imageSize(int h, int w) { height = h; width = w; return this; }
        /** Classes of the final layer (default 10). */
        public Builder classes(int v) { classes = v; return this; }
        /** The width exponent k: c = round(baseChannels * sqrt(2)^k) (default 0). */
        public Builder widthExponent(int v) { widthExponent = v; return this; }
        /** The channels at k = 0 (default 8). */
        public Builder baseChannels(int v) { baseChannels = v; return this; }
        /** Dropout probability before the final layer, in [0, 1) (default 0: none). */
        public Builder dropout(double v) { dropout = v; return this; }

        /** The network; a bad setting is an IllegalArgumentException naming it. */
        public SmallCnn build() {
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("SmallCnn: dropout must be in [0, 1), got " + dropout);
            }
            return new SmallCnn(this);
        }
    }
}
