// Generated in the layout of jextract 22 from native/include/panoptim.h; regenerate with
// bindings/jextract.sh where jextract is installed. Do not edit by hand beyond what jextract would
// emit: PanoptimHeaderBindingsTest fails when this class and the header disagree.
package dev.panoptim.bindings.c;

import java.lang.foreign.*;
import java.lang.invoke.*;
import java.util.Arrays;
import java.util.stream.Collectors;

import static java.lang.foreign.ValueLayout.*;

@SuppressWarnings("unused")
public class panoptim_h {

    panoptim_h() {
        // Should not be called directly
    }

    static final Arena LIBRARY_ARENA = Arena.ofAuto();
    static final boolean TRACE_DOWNCALLS = Boolean.getBoolean("jextract.trace.downcalls");

    static void traceDowncall(String name, Object... args) {
         String traceArgs = Arrays.stream(args)
                       .map(Object::toString)
                       .collect(Collectors.joining(", "));
         System.out.printf("%s(%s)\n", name, traceArgs);
    }

    static MemorySegment findOrThrow(String symbol) {
        return SYMBOL_LOOKUP.find(symbol)
            .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + symbol));
    }

    static MethodHandle upcallHandle(Class<?> fi, String name, FunctionDescriptor fdesc) {
        try {
            return MethodHandles.lookup().findVirtual(fi, name, fdesc.toMethodType());
        } catch (ReflectiveOperationException ex) {
            throw new AssertionError(ex);
        }
    }

    // jextract.sh rewrites jextract's library lookup to this line: the library comes from the
    // loader that extracts it from the bindings jar (or -Dpanoptim.library.path).
    static final SymbolLookup SYMBOL_LOOKUP = dev.panoptim.bindings.NativeLibrary.lookup();

    public static final ValueLayout.OfBoolean C_BOOL = ValueLayout.JAVA_BOOLEAN;
    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    public static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, JAVA_BYTE));
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    private static final int PANOPTIM_VERSION_MAJOR = (int)0L;

    public static int PANOPTIM_VERSION_MAJOR() {
        return PANOPTIM_VERSION_MAJOR;
    }
    private static final int PANOPTIM_VERSION_MINOR = (int)1L;

    public static int PANOPTIM_VERSION_MINOR() {
        return PANOPTIM_VERSION_MINOR;
    }
    private static final int PANOPTIM_VERSION_PATCH = (int)0L;

    public static int PANOPTIM_VERSION_PATCH() {
        return PANOPTIM_VERSION_PATCH;
    }
    private static final int PT_OK = (int)0L;

    public static int PT_OK() {
        return PT_OK;
    }
    private static final int PT_ERR_INVALID_ARGUMENT = (int)1L;

    public static int PT_ERR_INVALID_ARGUMENT() {
        return PT_ERR_INVALID_ARGUMENT;
    }
    private static final int PT_ERR_UNSUPPORTED = (int)2L;

    public static int PT_ERR_UNSUPPORTED() {
        return PT_ERR_UNSUPPORTED;
    }
    private static final int PT_ERR_DEVICE = (int)3L;

    public static int PT_ERR_DEVICE() {
        return PT_ERR_DEVICE;
    }
    private static final int PT_ERR_OUT_OF_MEMORY = (int)4L;

    public static int PT_ERR_OUT_OF_MEMORY() {
        return PT_ERR_OUT_OF_MEMORY;
    }
    private static final int PT_ERR_INTERNAL = (int)5L;

    public static int PT_ERR_INTERNAL() {
        return PT_ERR_INTERNAL;
    }
    private static final int PT_DEVICE_CPU = (int)0L;

    public static int PT_DEVICE_CPU() {
        return PT_DEVICE_CPU;
    }
    private static final int PT_DEVICE_CUDA = (int)1L;

    public static int PT_DEVICE_CUDA() {
        return PT_DEVICE_CUDA;
    }

    private static class pt_last_error {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_last_error");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * pt_last_error(void)
     * }
     */
    public static FunctionDescriptor pt_last_error$descriptor() {
        return pt_last_error.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char * pt_last_error(void)
     * }
     */
    public static MethodHandle pt_last_error$handle() {
        return pt_last_error.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char * pt_last_error(void)
     * }
     */
    public static MemorySegment pt_last_error$address() {
        return pt_last_error.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * pt_last_error(void)
     * }
     */
    public static MemorySegment pt_last_error() {
        var mh$ = pt_last_error.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_last_error");
            }
            return (MemorySegment)mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_clear_error {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid();

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_clear_error");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void pt_clear_error(void)
     * }
     */
    public static FunctionDescriptor pt_clear_error$descriptor() {
        return pt_clear_error.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void pt_clear_error(void)
     * }
     */
    public static MethodHandle pt_clear_error$handle() {
        return pt_clear_error.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void pt_clear_error(void)
     * }
     */
    public static MemorySegment pt_clear_error$address() {
        return pt_clear_error.ADDR;
    }

    /**
     * {@snippet lang=c :
     * void pt_clear_error(void)
     * }
     */
    public static void pt_clear_error() {
        var mh$ = pt_clear_error.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_clear_error");
            }
            mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_version {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_version");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * pt_version(void)
     * }
     */
    public static FunctionDescriptor pt_version$descriptor() {
        return pt_version.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char * pt_version(void)
     * }
     */
    public static MethodHandle pt_version$handle() {
        return pt_version.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char * pt_version(void)
     * }
     */
    public static MemorySegment pt_version$address() {
        return pt_version.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * pt_version(void)
     * }
     */
    public static MemorySegment pt_version() {
        var mh$ = pt_version.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_version");
            }
            return (MemorySegment)mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_simd_level {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_simd_level");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * pt_simd_level(void)
     * }
     */
    public static FunctionDescriptor pt_simd_level$descriptor() {
        return pt_simd_level.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * const char * pt_simd_level(void)
     * }
     */
    public static MethodHandle pt_simd_level$handle() {
        return pt_simd_level.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * const char * pt_simd_level(void)
     * }
     */
    public static MemorySegment pt_simd_level$address() {
        return pt_simd_level.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * pt_simd_level(void)
     * }
     */
    public static MemorySegment pt_simd_level() {
        var mh$ = pt_simd_level.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_simd_level");
            }
            return (MemorySegment)mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_num_threads {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_num_threads");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_num_threads(void)
     * }
     */
    public static FunctionDescriptor pt_num_threads$descriptor() {
        return pt_num_threads.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_num_threads(void)
     * }
     */
    public static MethodHandle pt_num_threads$handle() {
        return pt_num_threads.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_num_threads(void)
     * }
     */
    public static MemorySegment pt_num_threads$address() {
        return pt_num_threads.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_num_threads(void)
     * }
     */
    public static int pt_num_threads() {
        var mh$ = pt_num_threads.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_num_threads");
            }
            return (int)mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_set_num_threads {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_set_num_threads");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_set_num_threads(int n)
     * }
     */
    public static FunctionDescriptor pt_set_num_threads$descriptor() {
        return pt_set_num_threads.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_set_num_threads(int n)
     * }
     */
    public static MethodHandle pt_set_num_threads$handle() {
        return pt_set_num_threads.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_set_num_threads(int n)
     * }
     */
    public static MemorySegment pt_set_num_threads$address() {
        return pt_set_num_threads.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_set_num_threads(int n)
     * }
     */
    public static int pt_set_num_threads(int n) {
        var mh$ = pt_set_num_threads.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_set_num_threads", n);
            }
            return (int)mh$.invokeExact(n);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_compiled {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_compiled");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_compiled(void)
     * }
     */
    public static FunctionDescriptor pt_cuda_compiled$descriptor() {
        return pt_cuda_compiled.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_compiled(void)
     * }
     */
    public static MethodHandle pt_cuda_compiled$handle() {
        return pt_cuda_compiled.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_compiled(void)
     * }
     */
    public static MemorySegment pt_cuda_compiled$address() {
        return pt_cuda_compiled.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_compiled(void)
     * }
     */
    public static int pt_cuda_compiled() {
        var mh$ = pt_cuda_compiled.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_compiled");
            }
            return (int)mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_device_count {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_device_count");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_device_count(int * count)
     * }
     */
    public static FunctionDescriptor pt_cuda_device_count$descriptor() {
        return pt_cuda_device_count.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_device_count(int * count)
     * }
     */
    public static MethodHandle pt_cuda_device_count$handle() {
        return pt_cuda_device_count.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_device_count(int * count)
     * }
     */
    public static MemorySegment pt_cuda_device_count$address() {
        return pt_cuda_device_count.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_device_count(int * count)
     * }
     */
    public static int pt_cuda_device_count(MemorySegment count) {
        var mh$ = pt_cuda_device_count.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_device_count", count);
            }
            return (int)mh$.invokeExact(count);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_sgd_step {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_INT,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_sgd_step");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_sgd_step(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const float *const * grads, float *const * momentum_buffers, const uint8_t * momentum_buffer_is_new, double lr, double momentum, double dampening, double weight_decay, int nesterov, int maximize)
     * }
     */
    public static FunctionDescriptor pt_sgd_step$descriptor() {
        return pt_sgd_step.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_sgd_step(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const float *const * grads, float *const * momentum_buffers, const uint8_t * momentum_buffer_is_new, double lr, double momentum, double dampening, double weight_decay, int nesterov, int maximize)
     * }
     */
    public static MethodHandle pt_sgd_step$handle() {
        return pt_sgd_step.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_sgd_step(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const float *const * grads, float *const * momentum_buffers, const uint8_t * momentum_buffer_is_new, double lr, double momentum, double dampening, double weight_decay, int nesterov, int maximize)
     * }
     */
    public static MemorySegment pt_sgd_step$address() {
        return pt_sgd_step.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_sgd_step(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const float *const * grads, float *const * momentum_buffers, const uint8_t * momentum_buffer_is_new, double lr, double momentum, double dampening, double weight_decay, int nesterov, int maximize)
     * }
     */
    public static int pt_sgd_step(int device, long num_tensors, MemorySegment numels, MemorySegment params, MemorySegment grads, MemorySegment momentum_buffers, MemorySegment momentum_buffer_is_new, double lr, double momentum, double dampening, double weight_decay, int nesterov, int maximize) {
        var mh$ = pt_sgd_step.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_sgd_step", device, num_tensors, numels, params, grads, momentum_buffers, momentum_buffer_is_new, lr, momentum, dampening, weight_decay, nesterov, maximize);
            }
            return (int)mh$.invokeExact(device, num_tensors, numels, params, grads, momentum_buffers, momentum_buffer_is_new, lr, momentum, dampening, weight_decay, nesterov, maximize);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_rmsprop_step {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_INT,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_rmsprop_step");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_rmsprop_step(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const float *const * grads, float *const * square_avgs, float *const * momentum_buffers, float *const * grad_avgs, double lr, double alpha, double eps, double weight_decay, double momentum, int centered, int maximize)
     * }
     */
    public static FunctionDescriptor pt_rmsprop_step$descriptor() {
        return pt_rmsprop_step.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_rmsprop_step(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const float *const * grads, float *const * square_avgs, float *const * momentum_buffers, float *const * grad_avgs, double lr, double alpha, double eps, double weight_decay, double momentum, int centered, int maximize)
     * }
     */
    public static MethodHandle pt_rmsprop_step$handle() {
        return pt_rmsprop_step.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_rmsprop_step(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const float *const * grads, float *const * square_avgs, float *const * momentum_buffers, float *const * grad_avgs, double lr, double alpha, double eps, double weight_decay, double momentum, int centered, int maximize)
     * }
     */
    public static MemorySegment pt_rmsprop_step$address() {
        return pt_rmsprop_step.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_rmsprop_step(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const float *const * grads, float *const * square_avgs, float *const * momentum_buffers, float *const * grad_avgs, double lr, double alpha, double eps, double weight_decay, double momentum, int centered, int maximize)
     * }
     */
    public static int pt_rmsprop_step(int device, long num_tensors, MemorySegment numels, MemorySegment params, MemorySegment grads, MemorySegment square_avgs, MemorySegment momentum_buffers, MemorySegment grad_avgs, double lr, double alpha, double eps, double weight_decay, double momentum, int centered, int maximize) {
        var mh$ = pt_rmsprop_step.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_rmsprop_step", device, num_tensors, numels, params, grads, square_avgs, momentum_buffers, grad_avgs, lr, alpha, eps, weight_decay, momentum, centered, maximize);
            }
            return (int)mh$.invokeExact(device, num_tensors, numels, params, grads, square_avgs, momentum_buffers, grad_avgs, lr, alpha, eps, weight_decay, momentum, centered, maximize);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_adam_step {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_INT,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_adam_step");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_adam_step(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const float *const * grads, float *const * exp_avgs, float *const * exp_avg_sqs, float *const * max_exp_avg_sqs, const int64_t * steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize)
     * }
     */
    public static FunctionDescriptor pt_adam_step$descriptor() {
        return pt_adam_step.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_adam_step(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const float *const * grads, float *const * exp_avgs, float *const * exp_avg_sqs, float *const * max_exp_avg_sqs, const int64_t * steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize)
     * }
     */
    public static MethodHandle pt_adam_step$handle() {
        return pt_adam_step.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_adam_step(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const float *const * grads, float *const * exp_avgs, float *const * exp_avg_sqs, float *const * max_exp_avg_sqs, const int64_t * steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize)
     * }
     */
    public static MemorySegment pt_adam_step$address() {
        return pt_adam_step.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_adam_step(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const float *const * grads, float *const * exp_avgs, float *const * exp_avg_sqs, float *const * max_exp_avg_sqs, const int64_t * steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize)
     * }
     */
    public static int pt_adam_step(int device, long num_tensors, MemorySegment numels, MemorySegment params, MemorySegment grads, MemorySegment exp_avgs, MemorySegment exp_avg_sqs, MemorySegment max_exp_avg_sqs, MemorySegment steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize) {
        var mh$ = pt_adam_step.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_adam_step", device, num_tensors, numels, params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);
            }
            return (int)mh$.invokeExact(device, num_tensors, numels, params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_adamw_step {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_INT,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_adamw_step");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_adamw_step(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const float *const * grads, float *const * exp_avgs, float *const * exp_avg_sqs, float *const * max_exp_avg_sqs, const int64_t * steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize)
     * }
     */
    public static FunctionDescriptor pt_adamw_step$descriptor() {
        return pt_adamw_step.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_adamw_step(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const float *const * grads, float *const * exp_avgs, float *const * exp_avg_sqs, float *const * max_exp_avg_sqs, const int64_t * steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize)
     * }
     */
    public static MethodHandle pt_adamw_step$handle() {
        return pt_adamw_step.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_adamw_step(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const float *const * grads, float *const * exp_avgs, float *const * exp_avg_sqs, float *const * max_exp_avg_sqs, const int64_t * steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize)
     * }
     */
    public static MemorySegment pt_adamw_step$address() {
        return pt_adamw_step.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_adamw_step(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const float *const * grads, float *const * exp_avgs, float *const * exp_avg_sqs, float *const * max_exp_avg_sqs, const int64_t * steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize)
     * }
     */
    public static int pt_adamw_step(int device, long num_tensors, MemorySegment numels, MemorySegment params, MemorySegment grads, MemorySegment exp_avgs, MemorySegment exp_avg_sqs, MemorySegment max_exp_avg_sqs, MemorySegment steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize) {
        var mh$ = pt_adamw_step.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_adamw_step", device, num_tensors, numels, params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);
            }
            return (int)mh$.invokeExact(device, num_tensors, numels, params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
}
