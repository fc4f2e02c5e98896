package dev.panoptim.cli;

import dev.panoptim.runtime.CpuConv;
import dev.panoptim.runtime.Cuda;
import dev.panoptim.runtime.CudaStatus;
import dev.panoptim.runtime.Panoptim;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code panoptim info}: backend, SIMD level, threads, library path, and CUDA: simulated on the CPU
 * (PANOPTIM_CUDA_SIM=1), each device's name, memory and compute capability, or unavailable and why;
 * the CUDA backend (own or vendor) and whether cuBLAS and cuDNN can be loaded.
 */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show the native backend, SIMD level, threads and CUDA status.")
final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        CudaStatus cuda = Panoptim.cuda();
        System.out.println("panoptim " + Panoptim.version());
        System.out.println("backend:       cpu (C11 + OpenMP)" + (cuda.available() ? ", cuda" + (cuda.simulated() ? " (simulated)" : "") : ""));
        System.out.println("simd:          " + Panoptim.simdLevel());
        System.out.println("threads:       " + Panoptim.numThreads());
        cpuConvLines(CpuConv.info()).forEach(System.out::println);
        System.out.println("library:       " + Panoptim.libraryPath() + " (from " + Panoptim.librarySource() + ")");
        System.out.println("cuda compiled: " + (cuda.compiled() ? "yes" : "no"));
        System.out.println("cuda:          " + cudaLine(cuda));
        if (cuda.available()) {
            for (Cuda.DeviceInfo d : Cuda.devices()) {
                System.out.printf("  cuda:%d       %s, %.1f GiB, compute capability %d.%d, %d SMs%n", d.index(), d.name(),
                        d.totalMemory() / (double) (1L << 30), d.ccMajor(), d.ccMinor(), d.multiprocessors());
            }
        }
        vendorLines(Cuda.vendorInfo()).forEach(System.out::println);
        System.out.println("java:          " + Runtime.version() + " (" + System.getProperty("java.home") + ")");
        return 0;
    }

    /**
     * pt_cuda_vendor_info's text for people: "cuda backend:  own", then each vendor library (version
     * and file, or why it is unavailable) indented under it.
     */
    static List<String> vendorLines(String info) {
        List<String> out = new ArrayList<>();
        for (String line : info.strip().split("\n")) {
            if (line.startsWith("backend: ")) {
                out.add("cuda backend:  " + line.substring("backend: ".length())
                        + " (PANOPTIM_CUDA_BACKEND=own|vendor; vendor = cuBLAS and cuDNN)");
            } else if (!line.isBlank()) {
                out.add("  " + line);
            }
        }
        return out;
    }

    /** pt_cpu_conv_backend_info's text for people: "cpu conv:      auto (...)", then oneDNN's line indented. */
    static List<String> cpuConvLines(String info) {
        List<String> out = new ArrayList<>();
        for (String line : info.strip().split("\n")) {
            if (line.startsWith("backend: ")) {
                out.add("cpu conv:      " + line.substring("backend: ".length())
                        + " (PANOPTIM_CPU_CONV=auto|own|onednn; onednn = oneDNN, libtorch's CPU convolutions)");
            } else if (!line.isBlank()) {
                out.add("  " + line);
            }
        }
        return out;
    }

    /** Available (and how: a GPU or the simulator), or unavailable with the reason and how to simulate. */
    static String cudaLine(CudaStatus cuda) {
        if (cuda.simulated() && cuda.available()) {
            return "simulated on the CPU (" + cuda.deviceCount() + " device(s), no GPU involved)";
        }
        if (cuda.available()) return "available, " + cuda.reason();
        return "unavailable: " + cuda.reason() + " (" + Cuda.SIMULATOR_HINT + ")";
    }
}
