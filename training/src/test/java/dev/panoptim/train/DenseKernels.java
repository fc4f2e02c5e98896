package dev.panoptim.train;

import dev.panoptim.nn.Linear;
import dev.panoptim.tensor.Tensor;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Skips (saying why) a test that trains, where libpanoptim lacks the dense kernels (pt_linear_*, pt_conv2d_*). */
final class DenseKernels {
    private DenseKernels() {}

    static void assume() {
        String missing = null;
        try (Linear l = new Linear(1, 1); Tensor x = Tensor.zeros(1, 1)) {
            l.forward(x);
        } catch (LinkageError e) {   // UnsatisfiedLinkError, then NoClassDefFoundError for the binding's class
            missing = e.getMessage();
        }
        assumeTrue(missing == null, "libpanoptim has no dense kernels yet (" + missing + ")");
    }
}
