package dev.panoptim.track;

import dev.panoptim.runtime.Cuda;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the process's resources into a live run's system metrics ({@link RunStore#logSystem}) from a daemon thread
 * named {@code panoptim-system-RUNID}, every {@link #interval()} (default {@value #DEFAULT_SECONDS} s; the system
 * property {@value #INTERVAL_PROPERTY}, else the environment variable {@value #INTERVAL_ENV}, in seconds, may be
 * fractional; 0 turns sampling off), like W&amp;B's system panel:
 * <ul>
 *   <li>{@code cpu.percent}: the process's CPU time over the interval as a share of all cores (0..100);</li>
 *   <li>{@code memory.rss_mb}: the process's resident memory (VmRSS of /proc/self/status; elsewhere the Java heap in use);</li>
 *   <li>{@code memory.system_used_percent}: the machine's memory in use;</li>
 *   <li>{@code gpuN.memory_mb} and {@code gpuN.memory_allocated_mb}, per CUDA device (the simulator's too): the memory
 *       the process's pool holds from it and the part in live tensors (torch's memory_reserved / memory_allocated).</li>
 * </ul>
 * Sampling never disturbs the run: a failing source is reported once on stderr and left out from then on, and the
 * sampler stops by itself when the run ends elsewhere. {@link #close()} stops it and waits for a sample in flight.
 *
 * <pre>{@code java -Dpanoptim.system.interval=2 ...   // sample every 2 s}</pre>
 */
final class SystemSampler implements AutoCloseable {
    static final String INTERVAL_PROPERTY = "panoptim.system.interval";
    static final String INTERVAL_ENV = "PANOPTIM_SYSTEM_INTERVAL";
    static final double DEFAULT_SECONDS = 10;

    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    private final RunStore store;
    private final String runId;
    private final ScheduledExecutorService thread;
    /** The executor's one thread, joined by close() so none outlives the run. */
    private volatile Thread worker;
    private final com.sun.management.OperatingSystemMXBean os;
    private final int cores = Runtime.getRuntime().availableProcessors();
    private long lastCpuNanos;
    private long lastWallNanos;
    private boolean cpuFailed, memoryFailed, gpuFailed;

    /** Starts sampling {@code runId} every {@code every}. */
    private SystemSampler(RunStore store, String runId, Duration every) {
        this.store = store;
        this.runId = runId;
        this.os = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean sun ? sun : null;
        this.lastCpuNanos = cpuNanos();
        this.lastWallNanos = System.nanoTime();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "panoptim-system-" + runId);
            t.setDaemon(true);
            worker = t;
            return t;
        });
        long ms = Math.max(1, every.toMillis());
        thread.scheduleAtFixedRate(this::sampleAndLog, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** A sampler of the run at the configured interval, or null when sampling is off (interval 0). */
    static SystemSampler start(RunStore store, String runId) {
        Duration every;
        try {
            every = interval();
        } catch (IllegalArgumentException e) {   // a bad setting costs the samples' interval, never the run
            System.err.println("panoptim: " + e.getMessage() + "; sampling every " + DEFAULT_SECONDS + " s");
            every = Duration.ofMillis((long) (DEFAULT_SECONDS * 1000));
        }
        return every.isZero() ? null : new SystemSampler(store, runId, every);
    }

    /** {@value #INTERVAL_PROPERTY}, else {@value #INTERVAL_ENV}, else {@value #DEFAULT_SECONDS} s; a bad value is an IllegalArgumentException. */
    static Duration interval() {
        String text = System.getProperty(INTERVAL_PROPERTY);
        String from = "-D" + INTERVAL_PROPERTY;
        if (text == null || text.isBlank()) {
            text = System.getenv(INTERVAL_ENV);
            from = INTERVAL_ENV;
        }
        if (text == null || text.isBlank()) return Duration.ofMillis((long) (DEFAULT_SECONDS * 1000));
        double seconds;
        try {
            seconds = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException(from + " must be a number of seconds >= 0 (0: no system metrics), got '" + text + "'");
        }
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    private void sampleAndLog() {
        Map<String, Double> values = sample();
        if (values.isEmpty()) return;
        try {
            store.logSystem(runId, System.currentTimeMillis(), values);
        } catch (IllegalStateException e) {
            thread.shutdown();   // the run ended elsewhere (RunNotRunningException), or the store was closed at exit
        } catch (RuntimeException e) {
            System.err.println("panoptim: system metrics of run " + runId + " not written: " + e.getMessage());
        }
    }

    /** One sample of every source that works. */
    Map<String, Double> sample() {
        Map<String, Double> out = new LinkedHashMap<>();
        if (!cpuFailed) {
            try {
                long cpu = cpuNanos(), wall = System.nanoTime();
                if (cpu >= 0 && wall > lastWallNanos) out.put("cpu.percent", 100.0 * (cpu - lastCpuNanos) / ((wall - lastWallNanos) * (double) cores));
                lastCpuNanos = cpu;
                lastWallNanos = wall;
            } catch (RuntimeException e) {
                cpuFailed = failed("CPU", e);
            }
        }
        if (!memoryFailed) {
            try {
                out.put("memory.rss_mb", rssBytes() / (1024.0 * 1024.0));
                if (os != null && os.getTotalMemorySize() > 0) {
                    out.put("memory.system_used_percent", 100.0 * (os.getTotalMemorySize() - os.getFreeMemorySize()) / os.getTotalMemorySize());
                }
            } catch (RuntimeException | IOException e) {
                memoryFailed = failed("memory", e);
            }
        }
        if (!gpuFailed) {
            try {
                if (Cuda.isAvailable()) {
                    for (int i = 0; i < Cuda.deviceCount(); i++) {
                        out.put("gpu" + i + ".memory_mb", Cuda.memoryReserved(i) / (1024.0 * 1024.0));
                        out.put("gpu" + i + ".memory_allocated_mb", Cuda.memoryAllocated(i) / (1024.0 * 1024.0));
                    }
                } else {
                    gpuFailed = true;   // no CUDA here: nothing to sample, and nothing to report
                }
            } catch (RuntimeException | LinkageError e) {
                gpuFailed = failed("GPU memory", e);
            }
        }
        return out;
    }

    private long cpuNanos() {
        return os != null ? os.getProcessCpuTime() : -1;
    }

    /** VmRSS of /proc/self/status (Linux); elsewhere the Java heap in use. */
    private static long rssBytes() throws IOException {
        if (Files.isReadable(PROC_STATUS)) {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.substring(6).strip().split("\\s+")[0]) * 1024;
            }
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private boolean failed(String what, Throwable e) {
        System.err.println("panoptim: cannot sample " + what + " for the system metrics of run " + runId + " (" + e
                + "); left out from now on");
        return true;
    }

    /** Stops sampling and waits (at most 5 s) for a sample in flight and the thread's end; idempotent. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (thread.awaitTermination(5, TimeUnit.SECONDS) && worker != null && worker != Thread.currentThread()) worker.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
