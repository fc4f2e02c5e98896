package dev.panoptim.cli;

import dev.panoptim.runtime.CudaStatus;
import dev.panoptim.runtime.Panoptim;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code panoptim info}: backend, SIMD level, threads, library path, and CUDA present or not and why. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show the native backend, SIMD level, threads and CUDA status.")
final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        CudaStatus cuda = Panoptim.cuda();
        System.out.println("panoptim " + Panoptim.version());
        System.out.println("backend:       cpu (C11 + OpenMP)" + (cuda.available() ? ", cuda" : ""));
        System.out.println("simd:          " + Panoptim.simdLevel());
        System.out.println("threads:       " + Panoptim.numThreads());
        System.out.println("library:       " + Panoptim.libraryPath() + " (from " + Panoptim.librarySource() + ")");
        System.out.println("cuda compiled: " + (cuda.compiled() ? "yes" : "no"));
        System.out.println("cuda:          " + (cuda.available() ? "available, " : "unavailable: ") + cuda.reason());
        System.out.println("java:          " + Runtime.version() + " (" + System.getProperty("java.home") + ")");
        return 0;
    }
}
