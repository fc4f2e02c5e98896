package dev.panoptim.bench;

import dev.panoptim.optim.FusedSteps.AdamOptions;
import dev.panoptim.optim.FusedSteps.RmspropOptions;
import dev.panoptim.optim.FusedSteps.SgdOptions;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

/**
 * The fused kernels' algorithms as plain, single-threaded Java loops over {@link MemorySegment}s
 * ({@code getAtIndex} / {@code setAtIndex} of {@code JAVA_FLOAT}): the baseline that
 * {@code OptimizerStepBench.javaLoopStep} measures. Semantics are those of {@code native/include/panoptim.h}
 * for one tensor, with the same arithmetic as the C kernels: per-step scalars computed in double and
 * rounded to float once, elementwise math in float32, one rounding per operation (no FMA), so the
 * results match the kernels' (see {@code JavaLoopOptimizersTest}). No Vector API, no threads: this is
 * what a JVM trainer without panoptim would write.
 *
 * <p>Each method updates {@code p} and its state in place and reads {@code g}; all segments hold
 * {@code n} floats. Options that do not apply (momentum 0, not centered, not amsgrad) let the
 * matching state segment be null.
 */
public final class JavaLoopOptimizers {
    private JavaLoopOptimizers() {}

    /** SGD; {@code buf} may be null when momentum is 0; {@code bufIsNew}: buf = g (torch's first step). */
    public static void sgd(MemorySegment p, MemorySegment g, MemorySegment buf, boolean bufIsNew, int n,
                           SgdOptions o) {
        final float sign = o.maximize() ? -1f : 1f;
        final float wd = (float) o.weightDecay();
        final float momentum = (float) o.momentum();
        final float w = (float) (1.0 - o.dampening());
        final float lr = (float) o.lr();
        final boolean l2 = o.weightDecay() != 0.0;
        final boolean useMomentum = o.momentum() != 0.0;
        final boolean isNew = useMomentum && bufIsNew;
        final boolean nesterov = useMomentum && o.nesterov();
        for (int j = 0; j < n; j++) {
            float pj = p.getAtIndex(JAVA_FLOAT, j);
            float gj = sign * g.getAtIndex(JAVA_FLOAT, j);
            if (l2) gj = gj + wd * pj;
            if (useMomentum) {
                float bj = isNew ? gj : momentum * buf.getAtIndex(JAVA_FLOAT, j) + w * gj;
                buf.setAtIndex(JAVA_FLOAT, j, bj);
                gj = nesterov ? gj + momentum * bj : bj;
            }
            p.setAtIndex(JAVA_FLOAT, j, pj - lr * gj);
        }
    }

    /** RMSprop; {@code buf} may be null when momentum is 0, {@code ga} when not centered. */
    public static void rmsprop(MemorySegment p, MemorySegment g, MemorySegment sq, MemorySegment buf,
                               MemorySegment ga, int n, RmspropOptions o) {
        final float sign = o.maximize() ? -1f : 1f;
        final float wd = (float) o.weightDecay();
        final float alpha = (float) o.alpha();
        final float w = (float) (1.0 - o.alpha());
        final float eps = (float) o.eps();
        final float momentum = (float) o.momentum();
        final float lr = (float) o.lr();
        final boolean l2 = o.weightDecay() != 0.0;
        final boolean centered = o.centered();
        final boolean useMomentum = o.momentum() > 0.0;
        for (int j = 0; j < n; j++) {
            float pj = p.getAtIndex(JAVA_FLOAT, j);
            float gj = sign * g.getAtIndex(JAVA_FLOAT, j);
            if (l2) gj = gj + wd * pj;
            float sqj = alpha * sq.getAtIndex(JAVA_FLOAT, j) + w * gj * gj;
            sq.setAtIndex(JAVA_FLOAT, j, sqj);
            float avg;
            if (centered) {
                float gaj = ga.getAtIndex(JAVA_FLOAT, j);
                gaj = gaj + w * (gj - gaj);
                ga.setAtIndex(JAVA_FLOAT, j, gaj);
                avg = (float) Math.sqrt(sqj - gaj * gaj) + eps;
            } else {
                avg = (float) Math.sqrt(sqj) + eps;
            }
            if (useMomentum) {
                float bj = momentum * buf.getAtIndex(JAVA_FLOAT, j) + gj / avg;
                buf.setAtIndex(JAVA_FLOAT, j, bj);
                p.setAtIndex(JAVA_FLOAT, j, pj - lr * bj);
            } else {
                p.setAtIndex(JAVA_FLOAT, j, pj - lr * (gj / avg));
            }
        }
    }

    /** Adam (L2 weight decay); {@code step} is the step being taken (1 first); {@code vmax} may be null unless amsgrad. */
    public static void adam(MemorySegment p, MemorySegment g, MemorySegment m, MemorySegment v, MemorySegment vmax,
                            long step, int n, AdamOptions o) {
        adamFamily(false, p, g, m, v, vmax, step, n, o);
    }

    /** AdamW (decoupled weight decay, {@code p *= 1 - lr * wd}); arguments as {@link #adam}. */
    public static void adamw(MemorySegment p, MemorySegment g, MemorySegment m, MemorySegment v, MemorySegment vmax,
                             long step, int n, AdamOptions o) {
        adamFamily(true, p, g, m, v, vmax, step, n, o);
    }

    private static void adamFamily(boolean decoupled, MemorySegment p, MemorySegment g, MemorySegment m,
                                   MemorySegment v, MemorySegment vmax, long step, int n, AdamOptions o) {
        final double t = step;
        final float sign = o.maximize() ? -1f : 1f;
        final float wd = (float) o.weightDecay();
        final float decay = (float) (1.0 - o.lr() * o.weightDecay());
        final float w1 = (float) (1.0 - o.beta1());
        final float beta2 = (float) o.beta2();
        final float w2 = (float) (1.0 - o.beta2());
        final float stepSize = (float) (o.lr() / (1.0 - Math.pow(o.beta1(), t)));
        final float bc2Sqrt = (float) Math.sqrt(1.0 - Math.pow(o.beta2(), t));
        final float eps = (float) o.eps();
        // Zero decay is skipped, as in the kernel and torch, so an inf/NaN param cannot leak into g.
        final boolean l2 = o.weightDecay() != 0.0 && !decoupled;
        final boolean decoupledDecay = o.weightDecay() != 0.0 && decoupled;
        final boolean amsgrad = o.amsgrad();
        for (int j = 0; j < n; j++) {
            float pj = p.getAtIndex(JAVA_FLOAT, j);
            float gj = sign * g.getAtIndex(JAVA_FLOAT, j);
            if (l2) gj = gj + wd * pj;
            if (decoupledDecay) pj = pj * decay;
            float mj = m.getAtIndex(JAVA_FLOAT, j);
            mj = mj + w1 * (gj - mj);
            float vj = beta2 * v.getAtIndex(JAVA_FLOAT, j) + w2 * gj * gj;
            m.setAtIndex(JAVA_FLOAT, j, mj);
            v.setAtIndex(JAVA_FLOAT, j, vj);
            if (amsgrad) {
                float vmj = vmax.getAtIndex(JAVA_FLOAT, j);
                vj = vmj > vj ? vmj : vj;
                vmax.setAtIndex(JAVA_FLOAT, j, vj);
            }
            float denom = (float) Math.sqrt(vj) / bc2Sqrt + eps;
            p.setAtIndex(JAVA_FLOAT, j, pj - stepSize * (mj / denom));
        }
    }
}
