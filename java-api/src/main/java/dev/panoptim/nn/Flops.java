package dev.panoptim.nn;

import java.util.Arrays;
import java.util.List;

/**
 * The exact compute of a network's forward pass, from its architecture and the input shape (no data
 * runs): the multiply-accumulates (MACs) of one example, walking the modules in the order forward
 * applies them and propagating the activation shape.
 *
 * <p>Counted: {@link Conv2d}, {@code out_h * out_w * out_channels * in_channels * k_h * k_w} (per group;
 * the layers here have one group), and {@link Linear}, {@code in_features * out_features} (per row of
 * its input). Not counted: bias additions, ReLU, pooling, BatchNorm, dropout, the residual additions,
 * flattening and the loss: each is one operation per activation, small next to the products.
 * Containers walked: {@link Sequential}, {@link SmallCnn}, {@link ResNet} and {@link BasicBlock} (both
 * branches); shape-only layers: {@link MaxPool2d}, {@link AdaptiveAvgPool2d}, {@link Flatten},
 * {@link ReLU}, {@link BatchNorm2d}, {@link Dropout}. Another module is an IllegalArgumentException
 * naming its class.
 *
 * <p>Convention (Kaplan et al.'s, the course's): forward FLOPs = 2 x MACs per example (a
 * multiply-accumulate is two floating-point operations); the compute of training is
 * {@code C = 3 x forward FLOPs x examples seen} ({@link #trainingFlops}), the backward pass costing
 * twice the forward (the gradients of the inputs and of the weights, each one product as large).
 *
 * <pre>{@code
 * long flops = Flops.forwardFlops(model, 1, 28, 28);           // one 1x28x28 image
 * double c = Flops.trainingFlops(flops, 60_000L * epochs);
 * }</pre>
 */
public final class Flops {
    private Flops() {}

    /**
     * Multiply-accumulates of one forward pass of {@code model} on one example of shape
     * {@code exampleShape} (e.g. {@code 1, 28, 28} for a Fashion-MNIST image; the batch dimension is left out).
     */
    public static long forwardMacs(Module model, int... exampleShape) {
        if (model == null) throw new IllegalArgumentException("model must not be null");
        if (exampleShape == null || exampleShape.length == 0 || Arrays.stream(exampleShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("the example shape must be dimensions >= 1, got " + Arrays.toString(exampleShape));
        }
        int[] shape = new int[exampleShape.length + 1];
        shape[0] = 1;
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        long[] macs = {0};
        walk(model, shape, macs);
        return macs[0];
    }

    /** Forward FLOPs of one example: 2 x {@link #forwardMacs}. */
    public static long forwardFlops(Module model, int... exampleShape) {
        return Math.multiplyExact(2L, forwardMacs(model, exampleShape));
    }

    /** Training compute C = 3 x {@code forwardFlops} (per example) x {@code examplesSeen} (over every epoch). */
    public static double trainingFlops(long forwardFlops, long examplesSeen) {
        if (forwardFlops < 0 || examplesSeen < 0) {
            throw new IllegalArgumentException("forward FLOPs and examples seen must be >= 0, got " + forwardFlops + ", "
                    + examplesSeen);
        }
        return 3.0 * forwardFlops * examplesSeen;
    }

    /** Adds the MACs of {@code m} on input {@code shape} to {@code macs}; returns its output shape. */
    private static int[] walk(Module m, int[] shape, long[] macs) {
        if (m instanceof Conv2d c) {
            int[] out = c.outputShape(shape);
            int[] w = c.weight().shape();   // (out, in, kh, kw)
            macs[0] += (long) out[2] * out[3] * w[0] * w[1] * w[2] * w[3];
            return out;
        }
        if (m instanceof Linear l) {
            if (shape[shape.length - 1] != l.inFeatures()) {
                throw new IllegalArgumentException("Linear(" + l.inFeatures() + ", " + l.outFeatures() + ") gets input of shape "
                        + Arrays.toString(shape));
            }
            long rows = 1;
            for (int i = 1; i < shape.length - 1; i++) rows *= shape[i];   // dimension 0 is the one example
            macs[0] += rows * l.inFeatures() * l.outFeatures();
            int[] out = shape.clone();
            out[out.length - 1] = l.outFeatures();
            return out;
        }
        if (m instanceof MaxPool2d p) return p.outputShape(shape);
        if (m instanceof AdaptiveAvgPool2d) return new int[] {shape[0], shape[1], 1, 1};
        if (m instanceof Flatten f) return f.outputShape(shape);
        if (m instanceof ReLU || m instanceof BatchNorm2d || m instanceof Dropout) return shape;
        if (m instanceof Sequential s) {
            for (int i = 0; i < s.size(); i++) shape = walk(s.get(i), shape, macs);
            return shape;
        }
        if (m instanceof SmallCnn s) return walkAll(s.forwardChain(), shape, macs);
        if (m instanceof ResNet r) return walkAll(r.forwardChain(), shape, macs);
        if (m instanceof BasicBlock b) {
            int[] main = walkAll(b.mainPath(), shape, macs);
            if (b.downsample() != null) walk(b.downsample(), shape, macs);
            return main;
        }
        throw new IllegalArgumentException("Flops cannot count a " + m.getClass().getName() + " (it counts Conv2d and Linear"
                + " inside Sequential, SmallCnn, ResNet and BasicBlock)");
    }

    private static int[] walkAll(List<Module> chain, int[] shape, long[] macs) {
        for (Module m : chain) shape = walk(m, shape, macs);
        return shape;
    }
}
