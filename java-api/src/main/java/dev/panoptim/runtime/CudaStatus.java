package dev.panoptim.runtime;

/**
 * Whether CUDA can be used by this libpanoptim, and if not, why.
 *
 * <pre>{@code CudaStatus cuda = Panoptim.cuda(); if (!cuda.available()) System.out.println(cuda.reason());}</pre>
 *
 * @param compiled    the library was built with its CUDA kernels (true for the simulator library too)
 * @param deviceCount usable CUDA devices (0 when unavailable)
 * @param reason      why CUDA is unavailable, or a short description when it is available
 * @param simulated   the library runs its CUDA kernels on the CPU simulator (PANOPTIM_CUDA_SIM=1)
 */
public record CudaStatus(boolean compiled, int deviceCount, String reason, boolean simulated) {
    /** True when at least one CUDA device (real or simulated) can be used. */
    public boolean available() {
        return deviceCount > 0;
    }
}
