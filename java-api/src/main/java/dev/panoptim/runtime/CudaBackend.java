package dev.panoptim.runtime;

/**
 * Which code runs the CUDA matrix products, linear, conv2d and batchnorm2d calls (panoptim.h, "CUDA
 * backend"): panoptim's own kernels, or NVIDIA's cuBLAS and cuDNN loaded at run time. Both are fp32
 * without TF32 and follow the same contracts. Chosen with {@link Cuda#setBackend}, or at start with
 * the environment variable {@code PANOPTIM_CUDA_BACKEND=own|vendor}.
 */
public enum CudaBackend {
    /** panoptim's own CUDA kernels (the default; the only one on the simulator). */
    OWN(0),
    /** cuBLAS (matmul, linear) and cuDNN (conv2d, batchnorm2d); needs a GPU and the libraries. */
    VENDOR(1);

    private final int code;

    CudaBackend(int code) {
        this.code = code;
    }

    /** The pt_cuda_backend value of the C API. */
    public int code() {
        return code;
    }

    /** The backend of a pt_cuda_backend value. */
    public static CudaBackend of(int code) {
        for (CudaBackend b : values()) {
            if (b.code == code) return b;
        }
        throw new IllegalArgumentException("unknown pt_cuda_backend " + code + " (0 = own, 1 = vendor)");
    }
}
