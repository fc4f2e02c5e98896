package dev.panoptim.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * What panoptim needs from DJL's PyTorch engine beyond DJL's public NDArray API: whether a tensor's
 * memory is one dense block in logical order (so its direct buffer is the tensor itself, not a copy),
 * the engine's zero-grad convention, and a no-grad scope for in-place writes.
 *
 * <p>The engine asks libtorch {@code is_contiguous} only inside {@code toByteBuffer(true)}, where a
 * non-contiguous tensor silently becomes a contiguous copy (writes to it would be lost). Its JNI
 * method {@code PyTorchLibrary.torchIsContiguous} is not public, so it is reached once through a
 * private lookup (DJL's jars are unnamed or automatic modules, whose packages are open); where that
 * fails (another DJL version), {@link #contiguityCheck()} says why and every array goes the copy path.
 */
final class PyTorchTensors {
    private PyTorchTensors() {}

    private static final MethodHandle IS_CONTIGUOUS;
    private static final String IS_CONTIGUOUS_PROBLEM;

    static {
        MethodHandle handle = null;
        String problem = null;
        try {
            Class<?> library = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(library, MethodHandles.lookup());
            Object lib = lookup.findStaticGetter(library, "LIB", library).invoke();
            handle = lookup.findVirtual(library, "torchIsContiguous", MethodType.methodType(boolean.class, long.class))
                    .bindTo(lib);
        } catch (Throwable e) {
            problem = "this DJL PyTorch engine does not let panoptim ask libtorch whether a tensor is contiguous ("
                    + e + ")";
        }
        IS_CONTIGUOUS = handle;
        IS_CONTIGUOUS_PROBLEM = problem;
    }

    /** Null when contiguity can be asked, else why not (then no array is reached in place). */
    static String contiguityCheck() {
        return IS_CONTIGUOUS_PROBLEM;
    }

    static boolean isPyTorch(NDArray array) {
        return array instanceof PtNDArray;
    }

    /** True when the tensor is dense, strided and contiguous: its data pointer walks it in logical order. */
    static boolean isContiguous(PtNDArray array) {
        if (IS_CONTIGUOUS == null || array.isSparse() || JniUtils.getLayout(array) != 0) return false;
        try {
            return (boolean) IS_CONTIGUOUS.invokeExact(array.getHandle().longValue());
        } catch (Throwable e) {
            throw new IllegalStateException("asking libtorch whether a tensor is contiguous failed", e);
        }
    }

    /**
     * Zeroes the weight's gradient, as DJL's own optimizers do on this engine after each update
     * (PtNDArrayEx.adamUpdate/sgdUpdate): the engine's gradient collector does not, so without it
     * gradients would add up across batches.
     */
    static void zeroGrad(NDArray weight) {
        if (weight instanceof PtNDArray pt) JniUtils.zeroGrad(pt);
    }

    /** Runs {@code write} with autograd off, so an in-place write to a leaf that requires grad is allowed. */
    static void withoutGrad(NDArray array, Runnable write) {
        if (!(array instanceof PtNDArray)) {
            write.run();
            return;
        }
        boolean was = JniUtils.isGradMode();
        if (was) JniUtils.setGradMode(false);
        try {
            write.run();
        } finally {
            if (was) JniUtils.setGradMode(true);
        }
    }
}
