package dev.panoptim.train;

import dev.panoptim.nn.CrossEntropyLoss;
import dev.panoptim.nn.Module;
import dev.panoptim.optim.GradScaler;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.runtime.Cuda;
import dev.panoptim.runtime.CudaGraph;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The training step as a CUDA graph (torch's {@code torch.cuda.graphs} recipe): a replay runs the
 * step's forward, loss, backward and optimizer step with one launch instead of one per kernel.
 *
 * <p>A graph replays the same kernels on the same addresses, so the step reads its batch from static
 * device buffers (each batch is copied into them on the device first), writes its loss and correct
 * count into a static pair that is copied into the interval's {@link StepMetrics} after the replay,
 * zeroes grads in place, and runs a capturable optimizer (learning rate and step counts in device
 * memory; the schedule's {@code setLr} writes them between replays). For each batch shape the first
 * step runs eagerly (it allocates every buffer the step uses: a capture may not allocate), the second
 * is captured and replayed, and the later ones are replayed. Anything else that runs the model
 * (an evaluation, a batch of another shape) may move its buffers, so it calls {@link #invalidate()}:
 * the graph is dropped and the next step warms up again.
 *
 * <pre>{@code
 * try (GraphedTrainingStep graphed = new GraphedTrainingStep(device, model, criterion, optimizer, null)) {
 *     graphed.step(batch, metrics, slot);
 * }
 * }</pre>
 */
final class GraphedTrainingStep implements AutoCloseable {
    private final Device device;
    private final Module model;
    private final CrossEntropyLoss criterion;
    private final Optimizer optimizer;
    private final GradScaler scaler;  // fp16's loss scaling (device-side state, so it is captured too), or null
    private final Tensor result;     // [loss, correct] of the last step, where the captured step writes them
    private Tensor images;
    private Tensor targets;          // int32 labels in float32 storage (both 4 bytes)
    private int[] shape;
    private boolean warm;
    private CudaGraph graph;
    private int captures;

    GraphedTrainingStep(Device device, Module model, CrossEntropyLoss criterion, Optimizer optimizer, GradScaler scaler) {
        if (!device.isCuda()) throw new IllegalArgumentException("CUDA graphs need a CUDA device, got " + device);
        this.device = device;
        this.model = model;
        this.criterion = criterion;
        this.optimizer = optimizer;
        this.scaler = scaler;
        this.result = Tensor.zeros(device, 2);
    }

    /** One training step on {@code batch} (on the device): eager, captured, or replayed; its metrics go to {@code slot}. */
    void step(DeviceBatches.Item batch, StepMetrics metrics, int slot) {
        int[] s = batch.images().shape();
        if (!Arrays.equals(s, shape)) {
            invalidate();
            if (images != null) images.close();
            if (targets != null) targets.close();
            images = null;
            targets = null;
            images = Tensor.zeros(device, s);
            targets = Tensor.zeros(device, batch.size());
            shape = s.clone();
        }
        int index = device.index();
        Cuda.copyOnDevice(index, images.dataAddress(), batch.images().dataAddress(), images.numel() * Float.BYTES);
        Cuda.copyOnDevice(index, targets.dataAddress(), batch.targets().address(), (long) batch.size() * Integer.BYTES);
        if (!model.isTraining()) model.train();
        if (graph != null) {
            graph.replay();
        } else if (!warm) {
            body();
            warm = true;
        } else {
            graph = CudaGraph.capture(index, this::body);
            captures++;
            graph.replay();
        }
        long base = metrics.values().dataAddress();
        Cuda.copyOnDevice(index, base + (long) slot * Float.BYTES, result.dataAddress(), Float.BYTES);
        Cuda.copyOnDevice(index, base + (long) metrics.correctIndex(slot) * Float.BYTES, result.dataAddress() + Float.BYTES,
                Float.BYTES);
    }

    /** The step a graph records: nothing in it allocates once the warm-up step has run. */
    private void body() {
        optimizer.zeroGrad(false);
        MemorySegment t = targets.nativeSegment();
        Tensor logits = model.forward(images);
        criterion.forward(logits, t, result, 0);
        CrossEntropyLoss.correct(logits, t, result, 1);
        MixedPrecision.backwardAndStep(model, criterion, optimizer, scaler);
    }

    /** Drops the graph: the model ran outside it and may have moved the buffers it was captured on. */
    void invalidate() {
        if (graph != null) graph.close();
        graph = null;
        warm = false;
    }

    /** How many graphs were captured (one per batch shape and stretch of training steps). */
    int captures() {
        return captures;
    }

    @Override
    public void close() {
        invalidate();
        if (images != null) images.close();
        if (targets != null) targets.close();
        result.close();
    }
}
