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
    private static final int PT_COPY_HOST_TO_DEVICE = (int)1L;

    public static int PT_COPY_HOST_TO_DEVICE() {
        return PT_COPY_HOST_TO_DEVICE;
    }
    private static final int PT_COPY_DEVICE_TO_HOST = (int)2L;

    public static int PT_COPY_DEVICE_TO_HOST() {
        return PT_COPY_DEVICE_TO_HOST;
    }
    private static final int PT_COPY_DEVICE_TO_DEVICE = (int)3L;

    public static int PT_COPY_DEVICE_TO_DEVICE() {
        return PT_COPY_DEVICE_TO_DEVICE;
    }
    private static final int PT_CUDA_BACKEND_OWN = (int)0L;

    public static int PT_CUDA_BACKEND_OWN() {
        return PT_CUDA_BACKEND_OWN;
    }
    private static final int PT_CUDA_BACKEND_VENDOR = (int)1L;

    public static int PT_CUDA_BACKEND_VENDOR() {
        return PT_CUDA_BACKEND_VENDOR;
    }
    private static final int PT_CPU_CONV_AUTO = (int)0L;

    public static int PT_CPU_CONV_AUTO() {
        return PT_CPU_CONV_AUTO;
    }
    private static final int PT_CPU_CONV_OWN = (int)1L;

    public static int PT_CPU_CONV_OWN() {
        return PT_CPU_CONV_OWN;
    }
    private static final int PT_CPU_CONV_ONEDNN = (int)2L;

    public static int PT_CPU_CONV_ONEDNN() {
        return PT_CPU_CONV_ONEDNN;
    }
    private static final int PT_DTYPE_FLOAT32 = (int)0L;

    public static int PT_DTYPE_FLOAT32() {
        return PT_DTYPE_FLOAT32;
    }
    private static final int PT_DTYPE_BFLOAT16 = (int)1L;

    public static int PT_DTYPE_BFLOAT16() {
        return PT_DTYPE_BFLOAT16;
    }
    private static final int PT_DTYPE_FLOAT16 = (int)2L;

    public static int PT_DTYPE_FLOAT16() {
        return PT_DTYPE_FLOAT16;
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

    private static class pt_cuda_simulated {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_simulated");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_simulated(void)
     * }
     */
    public static FunctionDescriptor pt_cuda_simulated$descriptor() {
        return pt_cuda_simulated.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_simulated(void)
     * }
     */
    public static MethodHandle pt_cuda_simulated$handle() {
        return pt_cuda_simulated.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_simulated(void)
     * }
     */
    public static MemorySegment pt_cuda_simulated$address() {
        return pt_cuda_simulated.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_simulated(void)
     * }
     */
    public static int pt_cuda_simulated() {
        var mh$ = pt_cuda_simulated.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_simulated");
            }
            return (int)mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_device_info {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_POINTER,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_device_info");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_device_info(int index, char * name, int64_t name_capacity, int64_t * total_memory, int * cc_major, int * cc_minor, int * multiprocessors)
     * }
     */
    public static FunctionDescriptor pt_cuda_device_info$descriptor() {
        return pt_cuda_device_info.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_device_info(int index, char * name, int64_t name_capacity, int64_t * total_memory, int * cc_major, int * cc_minor, int * multiprocessors)
     * }
     */
    public static MethodHandle pt_cuda_device_info$handle() {
        return pt_cuda_device_info.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_device_info(int index, char * name, int64_t name_capacity, int64_t * total_memory, int * cc_major, int * cc_minor, int * multiprocessors)
     * }
     */
    public static MemorySegment pt_cuda_device_info$address() {
        return pt_cuda_device_info.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_device_info(int index, char * name, int64_t name_capacity, int64_t * total_memory, int * cc_major, int * cc_minor, int * multiprocessors)
     * }
     */
    public static int pt_cuda_device_info(int index, MemorySegment name, long name_capacity, MemorySegment total_memory, MemorySegment cc_major, MemorySegment cc_minor, MemorySegment multiprocessors) {
        var mh$ = pt_cuda_device_info.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_device_info", index, name, name_capacity, total_memory, cc_major, cc_minor, multiprocessors);
            }
            return (int)mh$.invokeExact(index, name, name_capacity, total_memory, cc_major, cc_minor, multiprocessors);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_set_device {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_set_device");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_set_device(int index)
     * }
     */
    public static FunctionDescriptor pt_cuda_set_device$descriptor() {
        return pt_cuda_set_device.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_set_device(int index)
     * }
     */
    public static MethodHandle pt_cuda_set_device$handle() {
        return pt_cuda_set_device.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_set_device(int index)
     * }
     */
    public static MemorySegment pt_cuda_set_device$address() {
        return pt_cuda_set_device.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_set_device(int index)
     * }
     */
    public static int pt_cuda_set_device(int index) {
        var mh$ = pt_cuda_set_device.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_set_device", index);
            }
            return (int)mh$.invokeExact(index);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_stream {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_stream");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_stream(int index, void ** stream)
     * }
     */
    public static FunctionDescriptor pt_cuda_stream$descriptor() {
        return pt_cuda_stream.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_stream(int index, void ** stream)
     * }
     */
    public static MethodHandle pt_cuda_stream$handle() {
        return pt_cuda_stream.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_stream(int index, void ** stream)
     * }
     */
    public static MemorySegment pt_cuda_stream$address() {
        return pt_cuda_stream.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_stream(int index, void ** stream)
     * }
     */
    public static int pt_cuda_stream(int index, MemorySegment stream) {
        var mh$ = pt_cuda_stream.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_stream", index, stream);
            }
            return (int)mh$.invokeExact(index, stream);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_malloc {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_malloc");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_malloc(int index, int64_t bytes, void ** ptr)
     * }
     */
    public static FunctionDescriptor pt_cuda_malloc$descriptor() {
        return pt_cuda_malloc.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_malloc(int index, int64_t bytes, void ** ptr)
     * }
     */
    public static MethodHandle pt_cuda_malloc$handle() {
        return pt_cuda_malloc.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_malloc(int index, int64_t bytes, void ** ptr)
     * }
     */
    public static MemorySegment pt_cuda_malloc$address() {
        return pt_cuda_malloc.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_malloc(int index, int64_t bytes, void ** ptr)
     * }
     */
    public static int pt_cuda_malloc(int index, long bytes, MemorySegment ptr) {
        var mh$ = pt_cuda_malloc.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_malloc", index, bytes, ptr);
            }
            return (int)mh$.invokeExact(index, bytes, ptr);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_free {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_free");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_free(int index, void * ptr)
     * }
     */
    public static FunctionDescriptor pt_cuda_free$descriptor() {
        return pt_cuda_free.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_free(int index, void * ptr)
     * }
     */
    public static MethodHandle pt_cuda_free$handle() {
        return pt_cuda_free.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_free(int index, void * ptr)
     * }
     */
    public static MemorySegment pt_cuda_free$address() {
        return pt_cuda_free.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_free(int index, void * ptr)
     * }
     */
    public static int pt_cuda_free(int index, MemorySegment ptr) {
        var mh$ = pt_cuda_free.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_free", index, ptr);
            }
            return (int)mh$.invokeExact(index, ptr);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_copy {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_LONG,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_copy");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_copy(int index, void * dst, const void * src, int64_t bytes, int kind)
     * }
     */
    public static FunctionDescriptor pt_cuda_copy$descriptor() {
        return pt_cuda_copy.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_copy(int index, void * dst, const void * src, int64_t bytes, int kind)
     * }
     */
    public static MethodHandle pt_cuda_copy$handle() {
        return pt_cuda_copy.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_copy(int index, void * dst, const void * src, int64_t bytes, int kind)
     * }
     */
    public static MemorySegment pt_cuda_copy$address() {
        return pt_cuda_copy.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_copy(int index, void * dst, const void * src, int64_t bytes, int kind)
     * }
     */
    public static int pt_cuda_copy(int index, MemorySegment dst, MemorySegment src, long bytes, int kind) {
        var mh$ = pt_cuda_copy.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_copy", index, dst, src, bytes, kind);
            }
            return (int)mh$.invokeExact(index, dst, src, bytes, kind);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_memset {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT,
            panoptim_h.C_LONG
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_memset");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_memset(int index, void * ptr, int value, int64_t bytes)
     * }
     */
    public static FunctionDescriptor pt_cuda_memset$descriptor() {
        return pt_cuda_memset.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_memset(int index, void * ptr, int value, int64_t bytes)
     * }
     */
    public static MethodHandle pt_cuda_memset$handle() {
        return pt_cuda_memset.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_memset(int index, void * ptr, int value, int64_t bytes)
     * }
     */
    public static MemorySegment pt_cuda_memset$address() {
        return pt_cuda_memset.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_memset(int index, void * ptr, int value, int64_t bytes)
     * }
     */
    public static int pt_cuda_memset(int index, MemorySegment ptr, int value, long bytes) {
        var mh$ = pt_cuda_memset.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_memset", index, ptr, value, bytes);
            }
            return (int)mh$.invokeExact(index, ptr, value, bytes);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_synchronize {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_synchronize");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_synchronize(int index)
     * }
     */
    public static FunctionDescriptor pt_cuda_synchronize$descriptor() {
        return pt_cuda_synchronize.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_synchronize(int index)
     * }
     */
    public static MethodHandle pt_cuda_synchronize$handle() {
        return pt_cuda_synchronize.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_synchronize(int index)
     * }
     */
    public static MemorySegment pt_cuda_synchronize$address() {
        return pt_cuda_synchronize.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_synchronize(int index)
     * }
     */
    public static int pt_cuda_synchronize(int index) {
        var mh$ = pt_cuda_synchronize.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_synchronize", index);
            }
            return (int)mh$.invokeExact(index);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_host_alloc {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_host_alloc");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_host_alloc(int64_t bytes, void ** ptr)
     * }
     */
    public static FunctionDescriptor pt_cuda_host_alloc$descriptor() {
        return pt_cuda_host_alloc.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_host_alloc(int64_t bytes, void ** ptr)
     * }
     */
    public static MethodHandle pt_cuda_host_alloc$handle() {
        return pt_cuda_host_alloc.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_host_alloc(int64_t bytes, void ** ptr)
     * }
     */
    public static MemorySegment pt_cuda_host_alloc$address() {
        return pt_cuda_host_alloc.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_host_alloc(int64_t bytes, void ** ptr)
     * }
     */
    public static int pt_cuda_host_alloc(long bytes, MemorySegment ptr) {
        var mh$ = pt_cuda_host_alloc.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_host_alloc", bytes, ptr);
            }
            return (int)mh$.invokeExact(bytes, ptr);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_host_free {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_host_free");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_host_free(void * ptr)
     * }
     */
    public static FunctionDescriptor pt_cuda_host_free$descriptor() {
        return pt_cuda_host_free.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_host_free(void * ptr)
     * }
     */
    public static MethodHandle pt_cuda_host_free$handle() {
        return pt_cuda_host_free.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_host_free(void * ptr)
     * }
     */
    public static MemorySegment pt_cuda_host_free$address() {
        return pt_cuda_host_free.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_host_free(void * ptr)
     * }
     */
    public static int pt_cuda_host_free(MemorySegment ptr) {
        var mh$ = pt_cuda_host_free.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_host_free", ptr);
            }
            return (int)mh$.invokeExact(ptr);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_upload {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_upload");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_upload(int index, void * dst, const void * src, int64_t bytes, int64_t * ticket)
     * }
     */
    public static FunctionDescriptor pt_cuda_upload$descriptor() {
        return pt_cuda_upload.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_upload(int index, void * dst, const void * src, int64_t bytes, int64_t * ticket)
     * }
     */
    public static MethodHandle pt_cuda_upload$handle() {
        return pt_cuda_upload.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_upload(int index, void * dst, const void * src, int64_t bytes, int64_t * ticket)
     * }
     */
    public static MemorySegment pt_cuda_upload$address() {
        return pt_cuda_upload.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_upload(int index, void * dst, const void * src, int64_t bytes, int64_t * ticket)
     * }
     */
    public static int pt_cuda_upload(int index, MemorySegment dst, MemorySegment src, long bytes, MemorySegment ticket) {
        var mh$ = pt_cuda_upload.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_upload", index, dst, src, bytes, ticket);
            }
            return (int)mh$.invokeExact(index, dst, src, bytes, ticket);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_upload_join {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_upload_join");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_upload_join(int index, int64_t ticket)
     * }
     */
    public static FunctionDescriptor pt_cuda_upload_join$descriptor() {
        return pt_cuda_upload_join.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_upload_join(int index, int64_t ticket)
     * }
     */
    public static MethodHandle pt_cuda_upload_join$handle() {
        return pt_cuda_upload_join.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_upload_join(int index, int64_t ticket)
     * }
     */
    public static MemorySegment pt_cuda_upload_join$address() {
        return pt_cuda_upload_join.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_upload_join(int index, int64_t ticket)
     * }
     */
    public static int pt_cuda_upload_join(int index, long ticket) {
        var mh$ = pt_cuda_upload_join.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_upload_join", index, ticket);
            }
            return (int)mh$.invokeExact(index, ticket);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_upload_wait {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_upload_wait");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_upload_wait(int index, int64_t ticket)
     * }
     */
    public static FunctionDescriptor pt_cuda_upload_wait$descriptor() {
        return pt_cuda_upload_wait.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_upload_wait(int index, int64_t ticket)
     * }
     */
    public static MethodHandle pt_cuda_upload_wait$handle() {
        return pt_cuda_upload_wait.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_upload_wait(int index, int64_t ticket)
     * }
     */
    public static MemorySegment pt_cuda_upload_wait$address() {
        return pt_cuda_upload_wait.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_upload_wait(int index, int64_t ticket)
     * }
     */
    public static int pt_cuda_upload_wait(int index, long ticket) {
        var mh$ = pt_cuda_upload_wait.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_upload_wait", index, ticket);
            }
            return (int)mh$.invokeExact(index, ticket);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_memory_stats {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_memory_stats");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_memory_stats(int index, int64_t * allocated, int64_t * reserved)
     * }
     */
    public static FunctionDescriptor pt_cuda_memory_stats$descriptor() {
        return pt_cuda_memory_stats.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_memory_stats(int index, int64_t * allocated, int64_t * reserved)
     * }
     */
    public static MethodHandle pt_cuda_memory_stats$handle() {
        return pt_cuda_memory_stats.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_memory_stats(int index, int64_t * allocated, int64_t * reserved)
     * }
     */
    public static MemorySegment pt_cuda_memory_stats$address() {
        return pt_cuda_memory_stats.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_memory_stats(int index, int64_t * allocated, int64_t * reserved)
     * }
     */
    public static int pt_cuda_memory_stats(int index, MemorySegment allocated, MemorySegment reserved) {
        var mh$ = pt_cuda_memory_stats.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_memory_stats", index, allocated, reserved);
            }
            return (int)mh$.invokeExact(index, allocated, reserved);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_empty_cache {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_empty_cache");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_empty_cache(int index)
     * }
     */
    public static FunctionDescriptor pt_cuda_empty_cache$descriptor() {
        return pt_cuda_empty_cache.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_empty_cache(int index)
     * }
     */
    public static MethodHandle pt_cuda_empty_cache$handle() {
        return pt_cuda_empty_cache.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_empty_cache(int index)
     * }
     */
    public static MemorySegment pt_cuda_empty_cache$address() {
        return pt_cuda_empty_cache.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_empty_cache(int index)
     * }
     */
    public static int pt_cuda_empty_cache(int index) {
        var mh$ = pt_cuda_empty_cache.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_empty_cache", index);
            }
            return (int)mh$.invokeExact(index);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_graph_capture_begin {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_graph_capture_begin");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_graph_capture_begin(int index)
     * }
     */
    public static FunctionDescriptor pt_cuda_graph_capture_begin$descriptor() {
        return pt_cuda_graph_capture_begin.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_graph_capture_begin(int index)
     * }
     */
    public static MethodHandle pt_cuda_graph_capture_begin$handle() {
        return pt_cuda_graph_capture_begin.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_graph_capture_begin(int index)
     * }
     */
    public static MemorySegment pt_cuda_graph_capture_begin$address() {
        return pt_cuda_graph_capture_begin.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_graph_capture_begin(int index)
     * }
     */
    public static int pt_cuda_graph_capture_begin(int index) {
        var mh$ = pt_cuda_graph_capture_begin.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_graph_capture_begin", index);
            }
            return (int)mh$.invokeExact(index);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_graph_capture_end {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_graph_capture_end");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_graph_capture_end(int index, pt_cuda_graph ** graph)
     * }
     */
    public static FunctionDescriptor pt_cuda_graph_capture_end$descriptor() {
        return pt_cuda_graph_capture_end.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_graph_capture_end(int index, pt_cuda_graph ** graph)
     * }
     */
    public static MethodHandle pt_cuda_graph_capture_end$handle() {
        return pt_cuda_graph_capture_end.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_graph_capture_end(int index, pt_cuda_graph ** graph)
     * }
     */
    public static MemorySegment pt_cuda_graph_capture_end$address() {
        return pt_cuda_graph_capture_end.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_graph_capture_end(int index, pt_cuda_graph ** graph)
     * }
     */
    public static int pt_cuda_graph_capture_end(int index, MemorySegment graph) {
        var mh$ = pt_cuda_graph_capture_end.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_graph_capture_end", index, graph);
            }
            return (int)mh$.invokeExact(index, graph);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_graph_replay {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_graph_replay");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_graph_replay(pt_cuda_graph * graph)
     * }
     */
    public static FunctionDescriptor pt_cuda_graph_replay$descriptor() {
        return pt_cuda_graph_replay.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_graph_replay(pt_cuda_graph * graph)
     * }
     */
    public static MethodHandle pt_cuda_graph_replay$handle() {
        return pt_cuda_graph_replay.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_graph_replay(pt_cuda_graph * graph)
     * }
     */
    public static MemorySegment pt_cuda_graph_replay$address() {
        return pt_cuda_graph_replay.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_graph_replay(pt_cuda_graph * graph)
     * }
     */
    public static int pt_cuda_graph_replay(MemorySegment graph) {
        var mh$ = pt_cuda_graph_replay.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_graph_replay", graph);
            }
            return (int)mh$.invokeExact(graph);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_graph_destroy {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_graph_destroy");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_graph_destroy(pt_cuda_graph * graph)
     * }
     */
    public static FunctionDescriptor pt_cuda_graph_destroy$descriptor() {
        return pt_cuda_graph_destroy.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_graph_destroy(pt_cuda_graph * graph)
     * }
     */
    public static MethodHandle pt_cuda_graph_destroy$handle() {
        return pt_cuda_graph_destroy.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_graph_destroy(pt_cuda_graph * graph)
     * }
     */
    public static MemorySegment pt_cuda_graph_destroy$address() {
        return pt_cuda_graph_destroy.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_graph_destroy(pt_cuda_graph * graph)
     * }
     */
    public static int pt_cuda_graph_destroy(MemorySegment graph) {
        var mh$ = pt_cuda_graph_destroy.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_graph_destroy", graph);
            }
            return (int)mh$.invokeExact(graph);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_graph_capturing {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_graph_capturing");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_graph_capturing(int index, int * capturing)
     * }
     */
    public static FunctionDescriptor pt_cuda_graph_capturing$descriptor() {
        return pt_cuda_graph_capturing.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_graph_capturing(int index, int * capturing)
     * }
     */
    public static MethodHandle pt_cuda_graph_capturing$handle() {
        return pt_cuda_graph_capturing.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_graph_capturing(int index, int * capturing)
     * }
     */
    public static MemorySegment pt_cuda_graph_capturing$address() {
        return pt_cuda_graph_capturing.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_graph_capturing(int index, int * capturing)
     * }
     */
    public static int pt_cuda_graph_capturing(int index, MemorySegment capturing) {
        var mh$ = pt_cuda_graph_capturing.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_graph_capturing", index, capturing);
            }
            return (int)mh$.invokeExact(index, capturing);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_set_backend {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_set_backend");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_set_backend(int backend)
     * }
     */
    public static FunctionDescriptor pt_cuda_set_backend$descriptor() {
        return pt_cuda_set_backend.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_set_backend(int backend)
     * }
     */
    public static MethodHandle pt_cuda_set_backend$handle() {
        return pt_cuda_set_backend.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_set_backend(int backend)
     * }
     */
    public static MemorySegment pt_cuda_set_backend$address() {
        return pt_cuda_set_backend.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_set_backend(int backend)
     * }
     */
    public static int pt_cuda_set_backend(int backend) {
        var mh$ = pt_cuda_set_backend.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_set_backend", backend);
            }
            return (int)mh$.invokeExact(backend);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_get_backend {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_get_backend");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_get_backend(void)
     * }
     */
    public static FunctionDescriptor pt_cuda_get_backend$descriptor() {
        return pt_cuda_get_backend.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_get_backend(void)
     * }
     */
    public static MethodHandle pt_cuda_get_backend$handle() {
        return pt_cuda_get_backend.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_get_backend(void)
     * }
     */
    public static MemorySegment pt_cuda_get_backend$address() {
        return pt_cuda_get_backend.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_get_backend(void)
     * }
     */
    public static int pt_cuda_get_backend() {
        var mh$ = pt_cuda_get_backend.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_get_backend");
            }
            return (int)mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cuda_vendor_info {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_POINTER,
            panoptim_h.C_LONG
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cuda_vendor_info");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cuda_vendor_info(char *buf, int64_t capacity)
     * }
     */
    public static FunctionDescriptor pt_cuda_vendor_info$descriptor() {
        return pt_cuda_vendor_info.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cuda_vendor_info(char *buf, int64_t capacity)
     * }
     */
    public static MethodHandle pt_cuda_vendor_info$handle() {
        return pt_cuda_vendor_info.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cuda_vendor_info(char *buf, int64_t capacity)
     * }
     */
    public static MemorySegment pt_cuda_vendor_info$address() {
        return pt_cuda_vendor_info.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cuda_vendor_info(char *buf, int64_t capacity)
     * }
     */
    public static int pt_cuda_vendor_info(MemorySegment buf, long capacity) {
        var mh$ = pt_cuda_vendor_info.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cuda_vendor_info", buf, capacity);
            }
            return (int)mh$.invokeExact(buf, capacity);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cpu_set_conv_backend {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cpu_set_conv_backend");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cpu_set_conv_backend(int backend)
     * }
     */
    public static FunctionDescriptor pt_cpu_set_conv_backend$descriptor() {
        return pt_cpu_set_conv_backend.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cpu_set_conv_backend(int backend)
     * }
     */
    public static MethodHandle pt_cpu_set_conv_backend$handle() {
        return pt_cpu_set_conv_backend.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cpu_set_conv_backend(int backend)
     * }
     */
    public static MemorySegment pt_cpu_set_conv_backend$address() {
        return pt_cpu_set_conv_backend.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cpu_set_conv_backend(int backend)
     * }
     */
    public static int pt_cpu_set_conv_backend(int backend) {
        var mh$ = pt_cpu_set_conv_backend.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cpu_set_conv_backend", backend);
            }
            return (int)mh$.invokeExact(backend);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cpu_get_conv_backend {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cpu_get_conv_backend");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cpu_get_conv_backend(void)
     * }
     */
    public static FunctionDescriptor pt_cpu_get_conv_backend$descriptor() {
        return pt_cpu_get_conv_backend.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cpu_get_conv_backend(void)
     * }
     */
    public static MethodHandle pt_cpu_get_conv_backend$handle() {
        return pt_cpu_get_conv_backend.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cpu_get_conv_backend(void)
     * }
     */
    public static MemorySegment pt_cpu_get_conv_backend$address() {
        return pt_cpu_get_conv_backend.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cpu_get_conv_backend(void)
     * }
     */
    public static int pt_cpu_get_conv_backend() {
        var mh$ = pt_cpu_get_conv_backend.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cpu_get_conv_backend");
            }
            return (int)mh$.invokeExact();
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cpu_conv_backend_info {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_POINTER,
            panoptim_h.C_LONG
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cpu_conv_backend_info");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cpu_conv_backend_info(char *buf, int64_t capacity)
     * }
     */
    public static FunctionDescriptor pt_cpu_conv_backend_info$descriptor() {
        return pt_cpu_conv_backend_info.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cpu_conv_backend_info(char *buf, int64_t capacity)
     * }
     */
    public static MethodHandle pt_cpu_conv_backend_info$handle() {
        return pt_cpu_conv_backend_info.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cpu_conv_backend_info(char *buf, int64_t capacity)
     * }
     */
    public static MemorySegment pt_cpu_conv_backend_info$address() {
        return pt_cpu_conv_backend_info.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cpu_conv_backend_info(char *buf, int64_t capacity)
     * }
     */
    public static int pt_cpu_conv_backend_info(MemorySegment buf, long capacity) {
        var mh$ = pt_cpu_conv_backend_info.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cpu_conv_backend_info", buf, capacity);
            }
            return (int)mh$.invokeExact(buf, capacity);
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

    private static class pt_sgd_step_ex {
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
            panoptim_h.C_INT,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_sgd_step_ex");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_sgd_step_ex(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const void *const * grads, float *const * momentum_buffers, const uint8_t * momentum_buffer_is_new, double lr, double momentum, double dampening, double weight_decay, int nesterov, int maximize, const pt_step_extras * extras)
     * }
     */
    public static FunctionDescriptor pt_sgd_step_ex$descriptor() {
        return pt_sgd_step_ex.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_sgd_step_ex(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const void *const * grads, float *const * momentum_buffers, const uint8_t * momentum_buffer_is_new, double lr, double momentum, double dampening, double weight_decay, int nesterov, int maximize, const pt_step_extras * extras)
     * }
     */
    public static MethodHandle pt_sgd_step_ex$handle() {
        return pt_sgd_step_ex.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_sgd_step_ex(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const void *const * grads, float *const * momentum_buffers, const uint8_t * momentum_buffer_is_new, double lr, double momentum, double dampening, double weight_decay, int nesterov, int maximize, const pt_step_extras * extras)
     * }
     */
    public static MemorySegment pt_sgd_step_ex$address() {
        return pt_sgd_step_ex.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_sgd_step_ex(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const void *const * grads, float *const * momentum_buffers, const uint8_t * momentum_buffer_is_new, double lr, double momentum, double dampening, double weight_decay, int nesterov, int maximize, const pt_step_extras * extras)
     * }
     */
    public static int pt_sgd_step_ex(int device, long num_tensors, MemorySegment numels, MemorySegment params, MemorySegment grads, MemorySegment momentum_buffers, MemorySegment momentum_buffer_is_new, double lr, double momentum, double dampening, double weight_decay, int nesterov, int maximize, MemorySegment extras) {
        var mh$ = pt_sgd_step_ex.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_sgd_step_ex", device, num_tensors, numels, params, grads, momentum_buffers, momentum_buffer_is_new, lr, momentum, dampening, weight_decay, nesterov, maximize, extras);
            }
            return (int)mh$.invokeExact(device, num_tensors, numels, params, grads, momentum_buffers, momentum_buffer_is_new, lr, momentum, dampening, weight_decay, nesterov, maximize, extras);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_rmsprop_step_ex {
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
            panoptim_h.C_INT,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_rmsprop_step_ex");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_rmsprop_step_ex(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const void *const * grads, float *const * square_avgs, float *const * momentum_buffers, float *const * grad_avgs, double lr, double alpha, double eps, double weight_decay, double momentum, int centered, int maximize, const pt_step_extras * extras)
     * }
     */
    public static FunctionDescriptor pt_rmsprop_step_ex$descriptor() {
        return pt_rmsprop_step_ex.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_rmsprop_step_ex(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const void *const * grads, float *const * square_avgs, float *const * momentum_buffers, float *const * grad_avgs, double lr, double alpha, double eps, double weight_decay, double momentum, int centered, int maximize, const pt_step_extras * extras)
     * }
     */
    public static MethodHandle pt_rmsprop_step_ex$handle() {
        return pt_rmsprop_step_ex.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_rmsprop_step_ex(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const void *const * grads, float *const * square_avgs, float *const * momentum_buffers, float *const * grad_avgs, double lr, double alpha, double eps, double weight_decay, double momentum, int centered, int maximize, const pt_step_extras * extras)
     * }
     */
    public static MemorySegment pt_rmsprop_step_ex$address() {
        return pt_rmsprop_step_ex.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_rmsprop_step_ex(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const void *const * grads, float *const * square_avgs, float *const * momentum_buffers, float *const * grad_avgs, double lr, double alpha, double eps, double weight_decay, double momentum, int centered, int maximize, const pt_step_extras * extras)
     * }
     */
    public static int pt_rmsprop_step_ex(int device, long num_tensors, MemorySegment numels, MemorySegment params, MemorySegment grads, MemorySegment square_avgs, MemorySegment momentum_buffers, MemorySegment grad_avgs, double lr, double alpha, double eps, double weight_decay, double momentum, int centered, int maximize, MemorySegment extras) {
        var mh$ = pt_rmsprop_step_ex.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_rmsprop_step_ex", device, num_tensors, numels, params, grads, square_avgs, momentum_buffers, grad_avgs, lr, alpha, eps, weight_decay, momentum, centered, maximize, extras);
            }
            return (int)mh$.invokeExact(device, num_tensors, numels, params, grads, square_avgs, momentum_buffers, grad_avgs, lr, alpha, eps, weight_decay, momentum, centered, maximize, extras);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_adam_step_ex {
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
            panoptim_h.C_INT,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_adam_step_ex");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_adam_step_ex(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const void *const * grads, float *const * exp_avgs, float *const * exp_avg_sqs, float *const * max_exp_avg_sqs, const int64_t * steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize, const pt_step_extras * extras)
     * }
     */
    public static FunctionDescriptor pt_adam_step_ex$descriptor() {
        return pt_adam_step_ex.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_adam_step_ex(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const void *const * grads, float *const * exp_avgs, float *const * exp_avg_sqs, float *const * max_exp_avg_sqs, const int64_t * steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize, const pt_step_extras * extras)
     * }
     */
    public static MethodHandle pt_adam_step_ex$handle() {
        return pt_adam_step_ex.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_adam_step_ex(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const void *const * grads, float *const * exp_avgs, float *const * exp_avg_sqs, float *const * max_exp_avg_sqs, const int64_t * steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize, const pt_step_extras * extras)
     * }
     */
    public static MemorySegment pt_adam_step_ex$address() {
        return pt_adam_step_ex.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_adam_step_ex(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const void *const * grads, float *const * exp_avgs, float *const * exp_avg_sqs, float *const * max_exp_avg_sqs, const int64_t * steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize, const pt_step_extras * extras)
     * }
     */
    public static int pt_adam_step_ex(int device, long num_tensors, MemorySegment numels, MemorySegment params, MemorySegment grads, MemorySegment exp_avgs, MemorySegment exp_avg_sqs, MemorySegment max_exp_avg_sqs, MemorySegment steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize, MemorySegment extras) {
        var mh$ = pt_adam_step_ex.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_adam_step_ex", device, num_tensors, numels, params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize, extras);
            }
            return (int)mh$.invokeExact(device, num_tensors, numels, params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize, extras);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_adamw_step_ex {
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
            panoptim_h.C_INT,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_adamw_step_ex");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_adamw_step_ex(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const void *const * grads, float *const * exp_avgs, float *const * exp_avg_sqs, float *const * max_exp_avg_sqs, const int64_t * steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize, const pt_step_extras * extras)
     * }
     */
    public static FunctionDescriptor pt_adamw_step_ex$descriptor() {
        return pt_adamw_step_ex.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_adamw_step_ex(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const void *const * grads, float *const * exp_avgs, float *const * exp_avg_sqs, float *const * max_exp_avg_sqs, const int64_t * steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize, const pt_step_extras * extras)
     * }
     */
    public static MethodHandle pt_adamw_step_ex$handle() {
        return pt_adamw_step_ex.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_adamw_step_ex(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const void *const * grads, float *const * exp_avgs, float *const * exp_avg_sqs, float *const * max_exp_avg_sqs, const int64_t * steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize, const pt_step_extras * extras)
     * }
     */
    public static MemorySegment pt_adamw_step_ex$address() {
        return pt_adamw_step_ex.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_adamw_step_ex(int device, int64_t num_tensors, const int64_t * numels, float *const * params, const void *const * grads, float *const * exp_avgs, float *const * exp_avg_sqs, float *const * max_exp_avg_sqs, const int64_t * steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize, const pt_step_extras * extras)
     * }
     */
    public static int pt_adamw_step_ex(int device, long num_tensors, MemorySegment numels, MemorySegment params, MemorySegment grads, MemorySegment exp_avgs, MemorySegment exp_avg_sqs, MemorySegment max_exp_avg_sqs, MemorySegment steps, double lr, double beta1, double beta2, double eps, double weight_decay, int amsgrad, int maximize, MemorySegment extras) {
        var mh$ = pt_adamw_step_ex.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_adamw_step_ex", device, num_tensors, numels, params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize, extras);
            }
            return (int)mh$.invokeExact(device, num_tensors, numels, params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize, extras);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_roofline_step {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_roofline_step");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_roofline_step(int device, int64_t n, float * p, const float * g, float * m, float * v)
     * }
     */
    public static FunctionDescriptor pt_roofline_step$descriptor() {
        return pt_roofline_step.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_roofline_step(int device, int64_t n, float * p, const float * g, float * m, float * v)
     * }
     */
    public static MethodHandle pt_roofline_step$handle() {
        return pt_roofline_step.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_roofline_step(int device, int64_t n, float * p, const float * g, float * m, float * v)
     * }
     */
    public static MemorySegment pt_roofline_step$address() {
        return pt_roofline_step.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_roofline_step(int device, int64_t n, float * p, const float * g, float * m, float * v)
     * }
     */
    public static int pt_roofline_step(int device, long n, MemorySegment p, MemorySegment g, MemorySegment m, MemorySegment v) {
        var mh$ = pt_roofline_step.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_roofline_step", device, n, p, g, m, v);
            }
            return (int)mh$.invokeExact(device, n, p, g, m, v);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cast {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cast");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cast(int device, int64_t numel, const void * src, int src_dtype, void * dst, int dst_dtype)
     * }
     */
    public static FunctionDescriptor pt_cast$descriptor() {
        return pt_cast.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cast(int device, int64_t numel, const void * src, int src_dtype, void * dst, int dst_dtype)
     * }
     */
    public static MethodHandle pt_cast$handle() {
        return pt_cast.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cast(int device, int64_t numel, const void * src, int src_dtype, void * dst, int dst_dtype)
     * }
     */
    public static MemorySegment pt_cast$address() {
        return pt_cast.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cast(int device, int64_t numel, const void * src, int src_dtype, void * dst, int dst_dtype)
     * }
     */
    public static int pt_cast(int device, long numel, MemorySegment src, int src_dtype, MemorySegment dst, int dst_dtype) {
        var mh$ = pt_cast.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cast", device, numel, src, src_dtype, dst, dst_dtype);
            }
            return (int)mh$.invokeExact(device, numel, src, src_dtype, dst, dst_dtype);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_matmul {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_matmul");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_matmul(int device, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha, const float * a, const float * b, double beta, float * c)
     * }
     */
    public static FunctionDescriptor pt_matmul$descriptor() {
        return pt_matmul.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_matmul(int device, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha, const float * a, const float * b, double beta, float * c)
     * }
     */
    public static MethodHandle pt_matmul$handle() {
        return pt_matmul.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_matmul(int device, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha, const float * a, const float * b, double beta, float * c)
     * }
     */
    public static MemorySegment pt_matmul$address() {
        return pt_matmul.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_matmul(int device, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha, const float * a, const float * b, double beta, float * c)
     * }
     */
    public static int pt_matmul(int device, int trans_a, int trans_b, long m, long n, long k, double alpha, MemorySegment a, MemorySegment b, double beta, MemorySegment c) {
        var mh$ = pt_matmul.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_matmul", device, trans_a, trans_b, m, n, k, alpha, a, b, beta, c);
            }
            return (int)mh$.invokeExact(device, trans_a, trans_b, m, n, k, alpha, a, b, beta, c);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_linear_forward {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_linear_forward");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_linear_forward(int device, int64_t n, int64_t in_features, int64_t out_features, const float * x, const float * weight, const float * bias, float * y)
     * }
     */
    public static FunctionDescriptor pt_linear_forward$descriptor() {
        return pt_linear_forward.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_linear_forward(int device, int64_t n, int64_t in_features, int64_t out_features, const float * x, const float * weight, const float * bias, float * y)
     * }
     */
    public static MethodHandle pt_linear_forward$handle() {
        return pt_linear_forward.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_linear_forward(int device, int64_t n, int64_t in_features, int64_t out_features, const float * x, const float * weight, const float * bias, float * y)
     * }
     */
    public static MemorySegment pt_linear_forward$address() {
        return pt_linear_forward.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_linear_forward(int device, int64_t n, int64_t in_features, int64_t out_features, const float * x, const float * weight, const float * bias, float * y)
     * }
     */
    public static int pt_linear_forward(int device, long n, long in_features, long out_features, MemorySegment x, MemorySegment weight, MemorySegment bias, MemorySegment y) {
        var mh$ = pt_linear_forward.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_linear_forward", device, n, in_features, out_features, x, weight, bias, y);
            }
            return (int)mh$.invokeExact(device, n, in_features, out_features, x, weight, bias, y);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_linear_backward {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_linear_backward");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_linear_backward(int device, int64_t n, int64_t in_features, int64_t out_features, const float * x, const float * weight, const float * dy, float * dx, float * dweight, float * dbias, int accumulate)
     * }
     */
    public static FunctionDescriptor pt_linear_backward$descriptor() {
        return pt_linear_backward.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_linear_backward(int device, int64_t n, int64_t in_features, int64_t out_features, const float * x, const float * weight, const float * dy, float * dx, float * dweight, float * dbias, int accumulate)
     * }
     */
    public static MethodHandle pt_linear_backward$handle() {
        return pt_linear_backward.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_linear_backward(int device, int64_t n, int64_t in_features, int64_t out_features, const float * x, const float * weight, const float * dy, float * dx, float * dweight, float * dbias, int accumulate)
     * }
     */
    public static MemorySegment pt_linear_backward$address() {
        return pt_linear_backward.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_linear_backward(int device, int64_t n, int64_t in_features, int64_t out_features, const float * x, const float * weight, const float * dy, float * dx, float * dweight, float * dbias, int accumulate)
     * }
     */
    public static int pt_linear_backward(int device, long n, long in_features, long out_features, MemorySegment x, MemorySegment weight, MemorySegment dy, MemorySegment dx, MemorySegment dweight, MemorySegment dbias, int accumulate) {
        var mh$ = pt_linear_backward.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_linear_backward", device, n, in_features, out_features, x, weight, dy, dx, dweight, dbias, accumulate);
            }
            return (int)mh$.invokeExact(device, n, in_features, out_features, x, weight, dy, dx, dweight, dbias, accumulate);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_conv2d_forward {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_conv2d_forward");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_conv2d_forward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float * x, const float * weight, const float * bias, float * y)
     * }
     */
    public static FunctionDescriptor pt_conv2d_forward$descriptor() {
        return pt_conv2d_forward.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_conv2d_forward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float * x, const float * weight, const float * bias, float * y)
     * }
     */
    public static MethodHandle pt_conv2d_forward$handle() {
        return pt_conv2d_forward.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_conv2d_forward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float * x, const float * weight, const float * bias, float * y)
     * }
     */
    public static MemorySegment pt_conv2d_forward$address() {
        return pt_conv2d_forward.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_conv2d_forward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float * x, const float * weight, const float * bias, float * y)
     * }
     */
    public static int pt_conv2d_forward(int device, long n, long c, long h, long w, long k, long r, long s, long stride_h, long stride_w, long pad_h, long pad_w, MemorySegment x, MemorySegment weight, MemorySegment bias, MemorySegment y) {
        var mh$ = pt_conv2d_forward.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_conv2d_forward", device, n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w, x, weight, bias, y);
            }
            return (int)mh$.invokeExact(device, n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w, x, weight, bias, y);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_conv2d_backward {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_conv2d_backward");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_conv2d_backward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float * x, const float * weight, const float * dy, float * dx, float * dweight, float * dbias, int accumulate)
     * }
     */
    public static FunctionDescriptor pt_conv2d_backward$descriptor() {
        return pt_conv2d_backward.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_conv2d_backward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float * x, const float * weight, const float * dy, float * dx, float * dweight, float * dbias, int accumulate)
     * }
     */
    public static MethodHandle pt_conv2d_backward$handle() {
        return pt_conv2d_backward.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_conv2d_backward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float * x, const float * weight, const float * dy, float * dx, float * dweight, float * dbias, int accumulate)
     * }
     */
    public static MemorySegment pt_conv2d_backward$address() {
        return pt_conv2d_backward.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_conv2d_backward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float * x, const float * weight, const float * dy, float * dx, float * dweight, float * dbias, int accumulate)
     * }
     */
    public static int pt_conv2d_backward(int device, long n, long c, long h, long w, long k, long r, long s, long stride_h, long stride_w, long pad_h, long pad_w, MemorySegment x, MemorySegment weight, MemorySegment dy, MemorySegment dx, MemorySegment dweight, MemorySegment dbias, int accumulate) {
        var mh$ = pt_conv2d_backward.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_conv2d_backward", device, n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w, x, weight, dy, dx, dweight, dbias, accumulate);
            }
            return (int)mh$.invokeExact(device, n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w, x, weight, dy, dx, dweight, dbias, accumulate);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_batchnorm2d_forward {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_batchnorm2d_forward");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_batchnorm2d_forward(int device, int training, int64_t n, int64_t c, int64_t hw, const float * x, const float * weight, const float * bias, float * running_mean, float * running_var, double momentum, double eps, float * y, float * save_mean, float * save_invstd)
     * }
     */
    public static FunctionDescriptor pt_batchnorm2d_forward$descriptor() {
        return pt_batchnorm2d_forward.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_batchnorm2d_forward(int device, int training, int64_t n, int64_t c, int64_t hw, const float * x, const float * weight, const float * bias, float * running_mean, float * running_var, double momentum, double eps, float * y, float * save_mean, float * save_invstd)
     * }
     */
    public static MethodHandle pt_batchnorm2d_forward$handle() {
        return pt_batchnorm2d_forward.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_batchnorm2d_forward(int device, int training, int64_t n, int64_t c, int64_t hw, const float * x, const float * weight, const float * bias, float * running_mean, float * running_var, double momentum, double eps, float * y, float * save_mean, float * save_invstd)
     * }
     */
    public static MemorySegment pt_batchnorm2d_forward$address() {
        return pt_batchnorm2d_forward.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_batchnorm2d_forward(int device, int training, int64_t n, int64_t c, int64_t hw, const float * x, const float * weight, const float * bias, float * running_mean, float * running_var, double momentum, double eps, float * y, float * save_mean, float * save_invstd)
     * }
     */
    public static int pt_batchnorm2d_forward(int device, int training, long n, long c, long hw, MemorySegment x, MemorySegment weight, MemorySegment bias, MemorySegment running_mean, MemorySegment running_var, double momentum, double eps, MemorySegment y, MemorySegment save_mean, MemorySegment save_invstd) {
        var mh$ = pt_batchnorm2d_forward.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_batchnorm2d_forward", device, training, n, c, hw, x, weight, bias, running_mean, running_var, momentum, eps, y, save_mean, save_invstd);
            }
            return (int)mh$.invokeExact(device, training, n, c, hw, x, weight, bias, running_mean, running_var, momentum, eps, y, save_mean, save_invstd);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_batchnorm2d_backward {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_batchnorm2d_backward");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_batchnorm2d_backward(int device, int training, int64_t n, int64_t c, int64_t hw, const float * x, const float * weight, const float * save_mean, const float * save_invstd, const float * dy, float * dx, float * dweight, float * dbias, int accumulate)
     * }
     */
    public static FunctionDescriptor pt_batchnorm2d_backward$descriptor() {
        return pt_batchnorm2d_backward.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_batchnorm2d_backward(int device, int training, int64_t n, int64_t c, int64_t hw, const float * x, const float * weight, const float * save_mean, const float * save_invstd, const float * dy, float * dx, float * dweight, float * dbias, int accumulate)
     * }
     */
    public static MethodHandle pt_batchnorm2d_backward$handle() {
        return pt_batchnorm2d_backward.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_batchnorm2d_backward(int device, int training, int64_t n, int64_t c, int64_t hw, const float * x, const float * weight, const float * save_mean, const float * save_invstd, const float * dy, float * dx, float * dweight, float * dbias, int accumulate)
     * }
     */
    public static MemorySegment pt_batchnorm2d_backward$address() {
        return pt_batchnorm2d_backward.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_batchnorm2d_backward(int device, int training, int64_t n, int64_t c, int64_t hw, const float * x, const float * weight, const float * save_mean, const float * save_invstd, const float * dy, float * dx, float * dweight, float * dbias, int accumulate)
     * }
     */
    public static int pt_batchnorm2d_backward(int device, int training, long n, long c, long hw, MemorySegment x, MemorySegment weight, MemorySegment save_mean, MemorySegment save_invstd, MemorySegment dy, MemorySegment dx, MemorySegment dweight, MemorySegment dbias, int accumulate) {
        var mh$ = pt_batchnorm2d_backward.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_batchnorm2d_backward", device, training, n, c, hw, x, weight, save_mean, save_invstd, dy, dx, dweight, dbias, accumulate);
            }
            return (int)mh$.invokeExact(device, training, n, c, hw, x, weight, save_mean, save_invstd, dy, dx, dweight, dbias, accumulate);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_batchnorm2d_relu_forward {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_batchnorm2d_relu_forward");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_batchnorm2d_relu_forward(int device, int training, int64_t n, int64_t c, int64_t hw, const float * x, const float * weight, const float * bias, float * running_mean, float * running_var, double momentum, double eps, float * y, float * save_mean, float * save_invstd)
     * }
     */
    public static FunctionDescriptor pt_batchnorm2d_relu_forward$descriptor() {
        return pt_batchnorm2d_relu_forward.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_batchnorm2d_relu_forward(int device, int training, int64_t n, int64_t c, int64_t hw, const float * x, const float * weight, const float * bias, float * running_mean, float * running_var, double momentum, double eps, float * y, float * save_mean, float * save_invstd)
     * }
     */
    public static MethodHandle pt_batchnorm2d_relu_forward$handle() {
        return pt_batchnorm2d_relu_forward.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_batchnorm2d_relu_forward(int device, int training, int64_t n, int64_t c, int64_t hw, const float * x, const float * weight, const float * bias, float * running_mean, float * running_var, double momentum, double eps, float * y, float * save_mean, float * save_invstd)
     * }
     */
    public static MemorySegment pt_batchnorm2d_relu_forward$address() {
        return pt_batchnorm2d_relu_forward.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_batchnorm2d_relu_forward(int device, int training, int64_t n, int64_t c, int64_t hw, const float * x, const float * weight, const float * bias, float * running_mean, float * running_var, double momentum, double eps, float * y, float * save_mean, float * save_invstd)
     * }
     */
    public static int pt_batchnorm2d_relu_forward(int device, int training, long n, long c, long hw, MemorySegment x, MemorySegment weight, MemorySegment bias, MemorySegment running_mean, MemorySegment running_var, double momentum, double eps, MemorySegment y, MemorySegment save_mean, MemorySegment save_invstd) {
        var mh$ = pt_batchnorm2d_relu_forward.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_batchnorm2d_relu_forward", device, training, n, c, hw, x, weight, bias, running_mean, running_var, momentum, eps, y, save_mean, save_invstd);
            }
            return (int)mh$.invokeExact(device, training, n, c, hw, x, weight, bias, running_mean, running_var, momentum, eps, y, save_mean, save_invstd);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_batchnorm2d_relu_backward {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_batchnorm2d_relu_backward");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_batchnorm2d_relu_backward(int device, int training, int64_t n, int64_t c, int64_t hw, const float * x, const float * weight, const float * bias, const float * save_mean, const float * save_invstd, const float * dy, float * dx, float * dweight, float * dbias, int accumulate)
     * }
     */
    public static FunctionDescriptor pt_batchnorm2d_relu_backward$descriptor() {
        return pt_batchnorm2d_relu_backward.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_batchnorm2d_relu_backward(int device, int training, int64_t n, int64_t c, int64_t hw, const float * x, const float * weight, const float * bias, const float * save_mean, const float * save_invstd, const float * dy, float * dx, float * dweight, float * dbias, int accumulate)
     * }
     */
    public static MethodHandle pt_batchnorm2d_relu_backward$handle() {
        return pt_batchnorm2d_relu_backward.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_batchnorm2d_relu_backward(int device, int training, int64_t n, int64_t c, int64_t hw, const float * x, const float * weight, const float * bias, const float * save_mean, const float * save_invstd, const float * dy, float * dx, float * dweight, float * dbias, int accumulate)
     * }
     */
    public static MemorySegment pt_batchnorm2d_relu_backward$address() {
        return pt_batchnorm2d_relu_backward.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_batchnorm2d_relu_backward(int device, int training, int64_t n, int64_t c, int64_t hw, const float * x, const float * weight, const float * bias, const float * save_mean, const float * save_invstd, const float * dy, float * dx, float * dweight, float * dbias, int accumulate)
     * }
     */
    public static int pt_batchnorm2d_relu_backward(int device, int training, long n, long c, long hw, MemorySegment x, MemorySegment weight, MemorySegment bias, MemorySegment save_mean, MemorySegment save_invstd, MemorySegment dy, MemorySegment dx, MemorySegment dweight, MemorySegment dbias, int accumulate) {
        var mh$ = pt_batchnorm2d_relu_backward.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_batchnorm2d_relu_backward", device, training, n, c, hw, x, weight, bias, save_mean, save_invstd, dy, dx, dweight, dbias, accumulate);
            }
            return (int)mh$.invokeExact(device, training, n, c, hw, x, weight, bias, save_mean, save_invstd, dy, dx, dweight, dbias, accumulate);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_relu_forward {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_relu_forward");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_relu_forward(int device, int64_t numel, const float * x, float * y)
     * }
     */
    public static FunctionDescriptor pt_relu_forward$descriptor() {
        return pt_relu_forward.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_relu_forward(int device, int64_t numel, const float * x, float * y)
     * }
     */
    public static MethodHandle pt_relu_forward$handle() {
        return pt_relu_forward.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_relu_forward(int device, int64_t numel, const float * x, float * y)
     * }
     */
    public static MemorySegment pt_relu_forward$address() {
        return pt_relu_forward.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_relu_forward(int device, int64_t numel, const float * x, float * y)
     * }
     */
    public static int pt_relu_forward(int device, long numel, MemorySegment x, MemorySegment y) {
        var mh$ = pt_relu_forward.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_relu_forward", device, numel, x, y);
            }
            return (int)mh$.invokeExact(device, numel, x, y);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_relu_backward {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_relu_backward");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_relu_backward(int device, int64_t numel, const float * x, const float * dy, float * dx)
     * }
     */
    public static FunctionDescriptor pt_relu_backward$descriptor() {
        return pt_relu_backward.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_relu_backward(int device, int64_t numel, const float * x, const float * dy, float * dx)
     * }
     */
    public static MethodHandle pt_relu_backward$handle() {
        return pt_relu_backward.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_relu_backward(int device, int64_t numel, const float * x, const float * dy, float * dx)
     * }
     */
    public static MemorySegment pt_relu_backward$address() {
        return pt_relu_backward.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_relu_backward(int device, int64_t numel, const float * x, const float * dy, float * dx)
     * }
     */
    public static int pt_relu_backward(int device, long numel, MemorySegment x, MemorySegment dy, MemorySegment dx) {
        var mh$ = pt_relu_backward.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_relu_backward", device, numel, x, dy, dx);
            }
            return (int)mh$.invokeExact(device, numel, x, dy, dx);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_add {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_add");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_add(int device, int64_t numel, const float * a, const float * b, float * y)
     * }
     */
    public static FunctionDescriptor pt_add$descriptor() {
        return pt_add.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_add(int device, int64_t numel, const float * a, const float * b, float * y)
     * }
     */
    public static MethodHandle pt_add$handle() {
        return pt_add.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_add(int device, int64_t numel, const float * a, const float * b, float * y)
     * }
     */
    public static MemorySegment pt_add$address() {
        return pt_add.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_add(int device, int64_t numel, const float * a, const float * b, float * y)
     * }
     */
    public static int pt_add(int device, long numel, MemorySegment a, MemorySegment b, MemorySegment y) {
        var mh$ = pt_add.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_add", device, numel, a, b, y);
            }
            return (int)mh$.invokeExact(device, numel, a, b, y);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_axpy {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_axpy");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_axpy(int device, int64_t numel, double alpha, const float * x, float * y)
     * }
     */
    public static FunctionDescriptor pt_axpy$descriptor() {
        return pt_axpy.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_axpy(int device, int64_t numel, double alpha, const float * x, float * y)
     * }
     */
    public static MethodHandle pt_axpy$handle() {
        return pt_axpy.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_axpy(int device, int64_t numel, double alpha, const float * x, float * y)
     * }
     */
    public static MemorySegment pt_axpy$address() {
        return pt_axpy.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_axpy(int device, int64_t numel, double alpha, const float * x, float * y)
     * }
     */
    public static int pt_axpy(int device, long numel, double alpha, MemorySegment x, MemorySegment y) {
        var mh$ = pt_axpy.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_axpy", device, numel, alpha, x, y);
            }
            return (int)mh$.invokeExact(device, numel, alpha, x, y);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_fill {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_fill");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_fill(int device, int64_t numel, double value, float * y)
     * }
     */
    public static FunctionDescriptor pt_fill$descriptor() {
        return pt_fill.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_fill(int device, int64_t numel, double value, float * y)
     * }
     */
    public static MethodHandle pt_fill$handle() {
        return pt_fill.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_fill(int device, int64_t numel, double value, float * y)
     * }
     */
    public static MemorySegment pt_fill$address() {
        return pt_fill.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_fill(int device, int64_t numel, double value, float * y)
     * }
     */
    public static int pt_fill(int device, long numel, double value, MemorySegment y) {
        var mh$ = pt_fill.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_fill", device, numel, value, y);
            }
            return (int)mh$.invokeExact(device, numel, value, y);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_maxpool2d_forward {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_maxpool2d_forward");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_maxpool2d_forward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t kernel, int64_t stride, int64_t padding, const float * x, float * y, int32_t * argmax)
     * }
     */
    public static FunctionDescriptor pt_maxpool2d_forward$descriptor() {
        return pt_maxpool2d_forward.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_maxpool2d_forward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t kernel, int64_t stride, int64_t padding, const float * x, float * y, int32_t * argmax)
     * }
     */
    public static MethodHandle pt_maxpool2d_forward$handle() {
        return pt_maxpool2d_forward.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_maxpool2d_forward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t kernel, int64_t stride, int64_t padding, const float * x, float * y, int32_t * argmax)
     * }
     */
    public static MemorySegment pt_maxpool2d_forward$address() {
        return pt_maxpool2d_forward.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_maxpool2d_forward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t kernel, int64_t stride, int64_t padding, const float * x, float * y, int32_t * argmax)
     * }
     */
    public static int pt_maxpool2d_forward(int device, long n, long c, long h, long w, long kernel, long stride, long padding, MemorySegment x, MemorySegment y, MemorySegment argmax) {
        var mh$ = pt_maxpool2d_forward.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_maxpool2d_forward", device, n, c, h, w, kernel, stride, padding, x, y, argmax);
            }
            return (int)mh$.invokeExact(device, n, c, h, w, kernel, stride, padding, x, y, argmax);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_maxpool2d_backward {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_maxpool2d_backward");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_maxpool2d_backward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t p, int64_t q, const float * dy, const int32_t * argmax, float * dx)
     * }
     */
    public static FunctionDescriptor pt_maxpool2d_backward$descriptor() {
        return pt_maxpool2d_backward.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_maxpool2d_backward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t p, int64_t q, const float * dy, const int32_t * argmax, float * dx)
     * }
     */
    public static MethodHandle pt_maxpool2d_backward$handle() {
        return pt_maxpool2d_backward.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_maxpool2d_backward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t p, int64_t q, const float * dy, const int32_t * argmax, float * dx)
     * }
     */
    public static MemorySegment pt_maxpool2d_backward$address() {
        return pt_maxpool2d_backward.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_maxpool2d_backward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t p, int64_t q, const float * dy, const int32_t * argmax, float * dx)
     * }
     */
    public static int pt_maxpool2d_backward(int device, long n, long c, long h, long w, long p, long q, MemorySegment dy, MemorySegment argmax, MemorySegment dx) {
        var mh$ = pt_maxpool2d_backward.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_maxpool2d_backward", device, n, c, h, w, p, q, dy, argmax, dx);
            }
            return (int)mh$.invokeExact(device, n, c, h, w, p, q, dy, argmax, dx);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_global_avgpool_forward {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_global_avgpool_forward");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_global_avgpool_forward(int device, int64_t n, int64_t c, int64_t hw, const float * x, float * y)
     * }
     */
    public static FunctionDescriptor pt_global_avgpool_forward$descriptor() {
        return pt_global_avgpool_forward.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_global_avgpool_forward(int device, int64_t n, int64_t c, int64_t hw, const float * x, float * y)
     * }
     */
    public static MethodHandle pt_global_avgpool_forward$handle() {
        return pt_global_avgpool_forward.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_global_avgpool_forward(int device, int64_t n, int64_t c, int64_t hw, const float * x, float * y)
     * }
     */
    public static MemorySegment pt_global_avgpool_forward$address() {
        return pt_global_avgpool_forward.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_global_avgpool_forward(int device, int64_t n, int64_t c, int64_t hw, const float * x, float * y)
     * }
     */
    public static int pt_global_avgpool_forward(int device, long n, long c, long hw, MemorySegment x, MemorySegment y) {
        var mh$ = pt_global_avgpool_forward.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_global_avgpool_forward", device, n, c, hw, x, y);
            }
            return (int)mh$.invokeExact(device, n, c, hw, x, y);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_global_avgpool_backward {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_global_avgpool_backward");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_global_avgpool_backward(int device, int64_t n, int64_t c, int64_t hw, const float * dy, float * dx)
     * }
     */
    public static FunctionDescriptor pt_global_avgpool_backward$descriptor() {
        return pt_global_avgpool_backward.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_global_avgpool_backward(int device, int64_t n, int64_t c, int64_t hw, const float * dy, float * dx)
     * }
     */
    public static MethodHandle pt_global_avgpool_backward$handle() {
        return pt_global_avgpool_backward.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_global_avgpool_backward(int device, int64_t n, int64_t c, int64_t hw, const float * dy, float * dx)
     * }
     */
    public static MemorySegment pt_global_avgpool_backward$address() {
        return pt_global_avgpool_backward.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_global_avgpool_backward(int device, int64_t n, int64_t c, int64_t hw, const float * dy, float * dx)
     * }
     */
    public static int pt_global_avgpool_backward(int device, long n, long c, long hw, MemorySegment dy, MemorySegment dx) {
        var mh$ = pt_global_avgpool_backward.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_global_avgpool_backward", device, n, c, hw, dy, dx);
            }
            return (int)mh$.invokeExact(device, n, c, hw, dy, dx);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cross_entropy_forward {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cross_entropy_forward");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cross_entropy_forward(int device, int64_t n, int64_t classes, const float * logits, const int32_t * targets, double label_smoothing, float * probs, double * loss)
     * }
     */
    public static FunctionDescriptor pt_cross_entropy_forward$descriptor() {
        return pt_cross_entropy_forward.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cross_entropy_forward(int device, int64_t n, int64_t classes, const float * logits, const int32_t * targets, double label_smoothing, float * probs, double * loss)
     * }
     */
    public static MethodHandle pt_cross_entropy_forward$handle() {
        return pt_cross_entropy_forward.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cross_entropy_forward(int device, int64_t n, int64_t classes, const float * logits, const int32_t * targets, double label_smoothing, float * probs, double * loss)
     * }
     */
    public static MemorySegment pt_cross_entropy_forward$address() {
        return pt_cross_entropy_forward.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cross_entropy_forward(int device, int64_t n, int64_t classes, const float * logits, const int32_t * targets, double label_smoothing, float * probs, double * loss)
     * }
     */
    public static int pt_cross_entropy_forward(int device, long n, long classes, MemorySegment logits, MemorySegment targets, double label_smoothing, MemorySegment probs, MemorySegment loss) {
        var mh$ = pt_cross_entropy_forward.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cross_entropy_forward", device, n, classes, logits, targets, label_smoothing, probs, loss);
            }
            return (int)mh$.invokeExact(device, n, classes, logits, targets, label_smoothing, probs, loss);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cross_entropy_backward {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cross_entropy_backward");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cross_entropy_backward(int device, int64_t n, int64_t classes, const float * probs, const int32_t * targets, double label_smoothing, double grad_scale, float * dlogits)
     * }
     */
    public static FunctionDescriptor pt_cross_entropy_backward$descriptor() {
        return pt_cross_entropy_backward.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cross_entropy_backward(int device, int64_t n, int64_t classes, const float * probs, const int32_t * targets, double label_smoothing, double grad_scale, float * dlogits)
     * }
     */
    public static MethodHandle pt_cross_entropy_backward$handle() {
        return pt_cross_entropy_backward.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cross_entropy_backward(int device, int64_t n, int64_t classes, const float * probs, const int32_t * targets, double label_smoothing, double grad_scale, float * dlogits)
     * }
     */
    public static MemorySegment pt_cross_entropy_backward$address() {
        return pt_cross_entropy_backward.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cross_entropy_backward(int device, int64_t n, int64_t classes, const float * probs, const int32_t * targets, double label_smoothing, double grad_scale, float * dlogits)
     * }
     */
    public static int pt_cross_entropy_backward(int device, long n, long classes, MemorySegment probs, MemorySegment targets, double label_smoothing, double grad_scale, MemorySegment dlogits) {
        var mh$ = pt_cross_entropy_backward.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cross_entropy_backward", device, n, classes, probs, targets, label_smoothing, grad_scale, dlogits);
            }
            return (int)mh$.invokeExact(device, n, classes, probs, targets, label_smoothing, grad_scale, dlogits);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_cross_entropy_forward_nosync {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_cross_entropy_forward_nosync");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_cross_entropy_forward_nosync(int device, int64_t n, int64_t classes, const float * logits, const int32_t * targets, double label_smoothing, float * probs, float * loss)
     * }
     */
    public static FunctionDescriptor pt_cross_entropy_forward_nosync$descriptor() {
        return pt_cross_entropy_forward_nosync.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_cross_entropy_forward_nosync(int device, int64_t n, int64_t classes, const float * logits, const int32_t * targets, double label_smoothing, float * probs, float * loss)
     * }
     */
    public static MethodHandle pt_cross_entropy_forward_nosync$handle() {
        return pt_cross_entropy_forward_nosync.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_cross_entropy_forward_nosync(int device, int64_t n, int64_t classes, const float * logits, const int32_t * targets, double label_smoothing, float * probs, float * loss)
     * }
     */
    public static MemorySegment pt_cross_entropy_forward_nosync$address() {
        return pt_cross_entropy_forward_nosync.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_cross_entropy_forward_nosync(int device, int64_t n, int64_t classes, const float * logits, const int32_t * targets, double label_smoothing, float * probs, float * loss)
     * }
     */
    public static int pt_cross_entropy_forward_nosync(int device, long n, long classes, MemorySegment logits, MemorySegment targets, double label_smoothing, MemorySegment probs, MemorySegment loss) {
        var mh$ = pt_cross_entropy_forward_nosync.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_cross_entropy_forward_nosync", device, n, classes, logits, targets, label_smoothing, probs, loss);
            }
            return (int)mh$.invokeExact(device, n, classes, logits, targets, label_smoothing, probs, loss);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_argmax_correct_nosync {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_argmax_correct_nosync");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_argmax_correct_nosync(int device, int64_t n, int64_t classes, const float * logits, const int32_t * targets, float * correct)
     * }
     */
    public static FunctionDescriptor pt_argmax_correct_nosync$descriptor() {
        return pt_argmax_correct_nosync.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_argmax_correct_nosync(int device, int64_t n, int64_t classes, const float * logits, const int32_t * targets, float * correct)
     * }
     */
    public static MethodHandle pt_argmax_correct_nosync$handle() {
        return pt_argmax_correct_nosync.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_argmax_correct_nosync(int device, int64_t n, int64_t classes, const float * logits, const int32_t * targets, float * correct)
     * }
     */
    public static MemorySegment pt_argmax_correct_nosync$address() {
        return pt_argmax_correct_nosync.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_argmax_correct_nosync(int device, int64_t n, int64_t classes, const float * logits, const int32_t * targets, float * correct)
     * }
     */
    public static int pt_argmax_correct_nosync(int device, long n, long classes, MemorySegment logits, MemorySegment targets, MemorySegment correct) {
        var mh$ = pt_argmax_correct_nosync.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_argmax_correct_nosync", device, n, classes, logits, targets, correct);
            }
            return (int)mh$.invokeExact(device, n, classes, logits, targets, correct);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_argmax_correct {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_argmax_correct");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_argmax_correct(int device, int64_t n, int64_t classes, const float * logits, const int32_t * targets, int64_t * correct)
     * }
     */
    public static FunctionDescriptor pt_argmax_correct$descriptor() {
        return pt_argmax_correct.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_argmax_correct(int device, int64_t n, int64_t classes, const float * logits, const int32_t * targets, int64_t * correct)
     * }
     */
    public static MethodHandle pt_argmax_correct$handle() {
        return pt_argmax_correct.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_argmax_correct(int device, int64_t n, int64_t classes, const float * logits, const int32_t * targets, int64_t * correct)
     * }
     */
    public static MemorySegment pt_argmax_correct$address() {
        return pt_argmax_correct.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_argmax_correct(int device, int64_t n, int64_t classes, const float * logits, const int32_t * targets, int64_t * correct)
     * }
     */
    public static int pt_argmax_correct(int device, long n, long classes, MemorySegment logits, MemorySegment targets, MemorySegment correct) {
        var mh$ = pt_argmax_correct.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_argmax_correct", device, n, classes, logits, targets, correct);
            }
            return (int)mh$.invokeExact(device, n, classes, logits, targets, correct);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_matmul_ex {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_matmul_ex");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_matmul_ex(int device, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha, const void * a, int a_dtype, const void * b, int b_dtype, double beta, float * c, int compute_dtype)
     * }
     */
    public static FunctionDescriptor pt_matmul_ex$descriptor() {
        return pt_matmul_ex.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_matmul_ex(int device, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha, const void * a, int a_dtype, const void * b, int b_dtype, double beta, float * c, int compute_dtype)
     * }
     */
    public static MethodHandle pt_matmul_ex$handle() {
        return pt_matmul_ex.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_matmul_ex(int device, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha, const void * a, int a_dtype, const void * b, int b_dtype, double beta, float * c, int compute_dtype)
     * }
     */
    public static MemorySegment pt_matmul_ex$address() {
        return pt_matmul_ex.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_matmul_ex(int device, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha, const void * a, int a_dtype, const void * b, int b_dtype, double beta, float * c, int compute_dtype)
     * }
     */
    public static int pt_matmul_ex(int device, int trans_a, int trans_b, long m, long n, long k, double alpha, MemorySegment a, int a_dtype, MemorySegment b, int b_dtype, double beta, MemorySegment c, int compute_dtype) {
        var mh$ = pt_matmul_ex.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_matmul_ex", device, trans_a, trans_b, m, n, k, alpha, a, a_dtype, b, b_dtype, beta, c, compute_dtype);
            }
            return (int)mh$.invokeExact(device, trans_a, trans_b, m, n, k, alpha, a, a_dtype, b, b_dtype, beta, c, compute_dtype);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_linear_forward_ex {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_linear_forward_ex");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_linear_forward_ex(int device, int64_t n, int64_t in_features, int64_t out_features, const float * x, const void * weight, int weight_dtype, const float * bias, float * y, int compute_dtype)
     * }
     */
    public static FunctionDescriptor pt_linear_forward_ex$descriptor() {
        return pt_linear_forward_ex.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_linear_forward_ex(int device, int64_t n, int64_t in_features, int64_t out_features, const float * x, const void * weight, int weight_dtype, const float * bias, float * y, int compute_dtype)
     * }
     */
    public static MethodHandle pt_linear_forward_ex$handle() {
        return pt_linear_forward_ex.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_linear_forward_ex(int device, int64_t n, int64_t in_features, int64_t out_features, const float * x, const void * weight, int weight_dtype, const float * bias, float * y, int compute_dtype)
     * }
     */
    public static MemorySegment pt_linear_forward_ex$address() {
        return pt_linear_forward_ex.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_linear_forward_ex(int device, int64_t n, int64_t in_features, int64_t out_features, const float * x, const void * weight, int weight_dtype, const float * bias, float * y, int compute_dtype)
     * }
     */
    public static int pt_linear_forward_ex(int device, long n, long in_features, long out_features, MemorySegment x, MemorySegment weight, int weight_dtype, MemorySegment bias, MemorySegment y, int compute_dtype) {
        var mh$ = pt_linear_forward_ex.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_linear_forward_ex", device, n, in_features, out_features, x, weight, weight_dtype, bias, y, compute_dtype);
            }
            return (int)mh$.invokeExact(device, n, in_features, out_features, x, weight, weight_dtype, bias, y, compute_dtype);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_linear_backward_ex {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_linear_backward_ex");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_linear_backward_ex(int device, int64_t n, int64_t in_features, int64_t out_features, const float * x, const void * weight, int weight_dtype, const float * dy, float * dx, float * dweight, float * dbias, int accumulate, int compute_dtype)
     * }
     */
    public static FunctionDescriptor pt_linear_backward_ex$descriptor() {
        return pt_linear_backward_ex.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_linear_backward_ex(int device, int64_t n, int64_t in_features, int64_t out_features, const float * x, const void * weight, int weight_dtype, const float * dy, float * dx, float * dweight, float * dbias, int accumulate, int compute_dtype)
     * }
     */
    public static MethodHandle pt_linear_backward_ex$handle() {
        return pt_linear_backward_ex.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_linear_backward_ex(int device, int64_t n, int64_t in_features, int64_t out_features, const float * x, const void * weight, int weight_dtype, const float * dy, float * dx, float * dweight, float * dbias, int accumulate, int compute_dtype)
     * }
     */
    public static MemorySegment pt_linear_backward_ex$address() {
        return pt_linear_backward_ex.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_linear_backward_ex(int device, int64_t n, int64_t in_features, int64_t out_features, const float * x, const void * weight, int weight_dtype, const float * dy, float * dx, float * dweight, float * dbias, int accumulate, int compute_dtype)
     * }
     */
    public static int pt_linear_backward_ex(int device, long n, long in_features, long out_features, MemorySegment x, MemorySegment weight, int weight_dtype, MemorySegment dy, MemorySegment dx, MemorySegment dweight, MemorySegment dbias, int accumulate, int compute_dtype) {
        var mh$ = pt_linear_backward_ex.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_linear_backward_ex", device, n, in_features, out_features, x, weight, weight_dtype, dy, dx, dweight, dbias, accumulate, compute_dtype);
            }
            return (int)mh$.invokeExact(device, n, in_features, out_features, x, weight, weight_dtype, dy, dx, dweight, dbias, accumulate, compute_dtype);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_conv2d_forward_ex {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_conv2d_forward_ex");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_conv2d_forward_ex(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float * x, const void * weight, int weight_dtype, const float * bias, float * y, int compute_dtype)
     * }
     */
    public static FunctionDescriptor pt_conv2d_forward_ex$descriptor() {
        return pt_conv2d_forward_ex.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_conv2d_forward_ex(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float * x, const void * weight, int weight_dtype, const float * bias, float * y, int compute_dtype)
     * }
     */
    public static MethodHandle pt_conv2d_forward_ex$handle() {
        return pt_conv2d_forward_ex.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_conv2d_forward_ex(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float * x, const void * weight, int weight_dtype, const float * bias, float * y, int compute_dtype)
     * }
     */
    public static MemorySegment pt_conv2d_forward_ex$address() {
        return pt_conv2d_forward_ex.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_conv2d_forward_ex(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float * x, const void * weight, int weight_dtype, const float * bias, float * y, int compute_dtype)
     * }
     */
    public static int pt_conv2d_forward_ex(int device, long n, long c, long h, long w, long k, long r, long s, long stride_h, long stride_w, long pad_h, long pad_w, MemorySegment x, MemorySegment weight, int weight_dtype, MemorySegment bias, MemorySegment y, int compute_dtype) {
        var mh$ = pt_conv2d_forward_ex.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_conv2d_forward_ex", device, n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w, x, weight, weight_dtype, bias, y, compute_dtype);
            }
            return (int)mh$.invokeExact(device, n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w, x, weight, weight_dtype, bias, y, compute_dtype);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_conv2d_backward_ex {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT,
            panoptim_h.C_INT
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_conv2d_backward_ex");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_conv2d_backward_ex(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float * x, const void * weight, int weight_dtype, const float * dy, float * dx, float * dweight, float * dbias, int accumulate, int compute_dtype)
     * }
     */
    public static FunctionDescriptor pt_conv2d_backward_ex$descriptor() {
        return pt_conv2d_backward_ex.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_conv2d_backward_ex(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float * x, const void * weight, int weight_dtype, const float * dy, float * dx, float * dweight, float * dbias, int accumulate, int compute_dtype)
     * }
     */
    public static MethodHandle pt_conv2d_backward_ex$handle() {
        return pt_conv2d_backward_ex.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_conv2d_backward_ex(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float * x, const void * weight, int weight_dtype, const float * dy, float * dx, float * dweight, float * dbias, int accumulate, int compute_dtype)
     * }
     */
    public static MemorySegment pt_conv2d_backward_ex$address() {
        return pt_conv2d_backward_ex.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_conv2d_backward_ex(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w, const float * x, const void * weight, int weight_dtype, const float * dy, float * dx, float * dweight, float * dbias, int accumulate, int compute_dtype)
     * }
     */
    public static int pt_conv2d_backward_ex(int device, long n, long c, long h, long w, long k, long r, long s, long stride_h, long stride_w, long pad_h, long pad_w, MemorySegment x, MemorySegment weight, int weight_dtype, MemorySegment dy, MemorySegment dx, MemorySegment dweight, MemorySegment dbias, int accumulate, int compute_dtype) {
        var mh$ = pt_conv2d_backward_ex.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_conv2d_backward_ex", device, n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w, x, weight, weight_dtype, dy, dx, dweight, dbias, accumulate, compute_dtype);
            }
            return (int)mh$.invokeExact(device, n, c, h, w, k, r, s, stride_h, stride_w, pad_h, pad_w, x, weight, weight_dtype, dy, dx, dweight, dbias, accumulate, compute_dtype);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_amp_check_finite {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_INT,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_amp_check_finite");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_amp_check_finite(int device, int64_t num_tensors, const int64_t * numels, const void *const * tensors, int dtype, float * found_inf)
     * }
     */
    public static FunctionDescriptor pt_amp_check_finite$descriptor() {
        return pt_amp_check_finite.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_amp_check_finite(int device, int64_t num_tensors, const int64_t * numels, const void *const * tensors, int dtype, float * found_inf)
     * }
     */
    public static MethodHandle pt_amp_check_finite$handle() {
        return pt_amp_check_finite.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_amp_check_finite(int device, int64_t num_tensors, const int64_t * numels, const void *const * tensors, int dtype, float * found_inf)
     * }
     */
    public static MemorySegment pt_amp_check_finite$address() {
        return pt_amp_check_finite.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_amp_check_finite(int device, int64_t num_tensors, const int64_t * numels, const void *const * tensors, int dtype, float * found_inf)
     * }
     */
    public static int pt_amp_check_finite(int device, long num_tensors, MemorySegment numels, MemorySegment tensors, int dtype, MemorySegment found_inf) {
        var mh$ = pt_amp_check_finite.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_amp_check_finite", device, num_tensors, numels, tensors, dtype, found_inf);
            }
            return (int)mh$.invokeExact(device, num_tensors, numels, tensors, dtype, found_inf);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_amp_update_scale {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_DOUBLE,
            panoptim_h.C_LONG
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_amp_update_scale");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_amp_update_scale(int device, float * scale, int32_t * growth_tracker, const float * found_inf, double growth_factor, double backoff_factor, int64_t growth_interval)
     * }
     */
    public static FunctionDescriptor pt_amp_update_scale$descriptor() {
        return pt_amp_update_scale.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_amp_update_scale(int device, float * scale, int32_t * growth_tracker, const float * found_inf, double growth_factor, double backoff_factor, int64_t growth_interval)
     * }
     */
    public static MethodHandle pt_amp_update_scale$handle() {
        return pt_amp_update_scale.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_amp_update_scale(int device, float * scale, int32_t * growth_tracker, const float * found_inf, double growth_factor, double backoff_factor, int64_t growth_interval)
     * }
     */
    public static MemorySegment pt_amp_update_scale$address() {
        return pt_amp_update_scale.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_amp_update_scale(int device, float * scale, int32_t * growth_tracker, const float * found_inf, double growth_factor, double backoff_factor, int64_t growth_interval)
     * }
     */
    public static int pt_amp_update_scale(int device, MemorySegment scale, MemorySegment growth_tracker, MemorySegment found_inf, double growth_factor, double backoff_factor, long growth_interval) {
        var mh$ = pt_amp_update_scale.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_amp_update_scale", device, scale, growth_tracker, found_inf, growth_factor, backoff_factor, growth_interval);
            }
            return (int)mh$.invokeExact(device, scale, growth_tracker, found_inf, growth_factor, backoff_factor, growth_interval);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pt_scale_by {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panoptim_h.C_INT,
            panoptim_h.C_INT,
            panoptim_h.C_LONG,
            panoptim_h.C_POINTER,
            panoptim_h.C_POINTER
        );

        public static final MemorySegment ADDR = panoptim_h.findOrThrow("pt_scale_by");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int pt_scale_by(int device, int64_t numel, float * y, const float * scale)
     * }
     */
    public static FunctionDescriptor pt_scale_by$descriptor() {
        return pt_scale_by.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int pt_scale_by(int device, int64_t numel, float * y, const float * scale)
     * }
     */
    public static MethodHandle pt_scale_by$handle() {
        return pt_scale_by.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int pt_scale_by(int device, int64_t numel, float * y, const float * scale)
     * }
     */
    public static MemorySegment pt_scale_by$address() {
        return pt_scale_by.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int pt_scale_by(int device, int64_t numel, float * y, const float * scale)
     * }
     */
    public static int pt_scale_by(int device, long numel, MemorySegment y, MemorySegment scale) {
        var mh$ = pt_scale_by.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pt_scale_by", device, numel, y, scale);
            }
            return (int)mh$.invokeExact(device, numel, y, scale);
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
}
