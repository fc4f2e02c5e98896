package dev.panoptim.runtime;

import dev.panoptim.bindings.c.panoptim_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A CUDA graph of the work a block of code queues on a device (torch.cuda.CUDAGraph): captured
 * once, then replayed as one launch instead of one per kernel. {@link #capture} runs the body once
 * while the device's panoptim stream is captured, so nothing executes then; {@link #replay()}
 * queues the recorded work again, on current memory contents, and returns without waiting.
 *
 * <p>What a replay does is fixed at capture: the same kernels on the same buffers with the same
 * arguments. So run the step once eagerly first (it allocates every buffer: outputs, grads,
 * optimizer state), keep those buffers alive while the graph is used, change inputs by writing
 * into them (e.g. {@code Tensor.copyFrom}) between replays, zero grads in place
 * ({@code zeroGrad(false)}), and take values that change per step from device memory: an
 * optimizer built with {@code capturable(true)} reads its lr and step counts there, and its
 * {@code setLr} writes the device lr between replays. During the capture panoptim refuses what a
 * graph cannot record - allocating or freeing device memory ("allocation during CUDA graph
 * capture: allocate before capturing"), copies from the host, and anything that waits for the
 * device (copies to the host, synchronize, a loss read on the host) - with a
 * {@link PanoptimException} naming the call; the capture then yields no graph.
 *
 * <pre>{@code
 * step();                                              // warm-up, eager
 * try (CudaGraph g = CudaGraph.capture(0, () -> step())) {
 *     for (int i = 0; i < steps; i++) { loadBatch(); opt.paramGroups().get(0).setLr(lr(i)); g.replay(); }
 * }
 * }</pre>
 */
public final class CudaGraph implements AutoCloseable {
    private final int device;
    private MemorySegment graph;  // pt_cuda_graph *, NULL once closed

    private CudaGraph(int device, MemorySegment graph) {
        this.device = device;
        this.graph = graph;
    }

    /**
     * Captures what {@code body} queues on cuda:{@code device} (its work must be on that device).
     * A body that throws ends the capture, discarding it, and its exception is rethrown. Throws
     * {@link IllegalStateException} naming the first refused call when the capture failed while the
     * body went on (it caught the refusal), and when the device is capturing already.
     */
    public static CudaGraph capture(int device, Runnable body) {
        if (body == null) throw new IllegalArgumentException("body must not be null");
        Cuda.requireDevice(device, "a CUDA graph capture");
        int begun = panoptim_h.pt_cuda_graph_capture_begin(device);
        if (begun != panoptim_h.PT_OK()) {
            throw new IllegalStateException("CUDA graph capture on cuda:" + device + " cannot begin: " + NativeStatus.lastError());
        }
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            try {
                end(device).close();
            } catch (RuntimeException discarded) {
                e.addSuppressed(discarded);  // the capture failed because of e: e says why
            }
            throw e;
        }
        return end(device);
    }

    /** Ends the capture of {@code device}: the graph, or IllegalStateException with why there is none. */
    private static CudaGraph end(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            int code = panoptim_h.pt_cuda_graph_capture_end(device, out);
            if (code != panoptim_h.PT_OK()) {
                throw new IllegalStateException("CUDA graph capture on cuda:" + device + " failed ("
                        + NativeStatus.of(code) + "): " + NativeStatus.lastError());
            }
            return new CudaGraph(device, out.get(ValueLayout.ADDRESS, 0));
        }
    }

    /** True while cuda:{@code device} is capturing (inside a {@link #capture} body). */
    public static boolean capturing(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            NativeStatus.check(panoptim_h.pt_cuda_graph_capturing(device, out), "pt_cuda_graph_capturing(cuda:" + device + ")");
            return out.get(ValueLayout.JAVA_INT, 0) != 0;
        }
    }

    /** Queues one replay on the device's panoptim stream, ordered after the work queued before; no wait. */
    public void replay() {
        if (graph == null) throw new IllegalStateException("this CUDA graph of cuda:" + device + " is closed");
        NativeStatus.check(panoptim_h.pt_cuda_graph_replay(graph), "CUDA graph replay on cuda:" + device);
    }

    /** The device it was captured on. */
    public int device() {
        return device;
    }

    /** Frees the graph (a replay already queued still completes). Idempotent. */
    @Override
    public void close() {
        if (graph == null) return;
        MemorySegment g = graph;
        graph = null;
        NativeStatus.check(panoptim_h.pt_cuda_graph_destroy(g), "pt_cuda_graph_destroy(cuda:" + device + ")");
    }
}
