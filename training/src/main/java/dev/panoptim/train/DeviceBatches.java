package dev.panoptim.train;

import dev.panoptim.data.Batch;
import dev.panoptim.data.BatchIterator;
import dev.panoptim.runtime.Cuda;
import dev.panoptim.runtime.PinnedMemory;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * The batches of a {@link BatchIterator} on the trainer's device, with their labels as int32 class
 * indices where the loss kernels read them.
 *
 * <p>On the CPU a batch is the loader's own tensor, used in place. On CUDA (torch's
 * {@code pin_memory=True} with {@code non_blocking} copies on a side stream): each batch is copied into
 * pinned staging memory and uploaded on the device's copy stream one batch ahead, into one of two
 * device slots, so the upload of batch i+1 runs while the GPU computes batch i; the upload waits on
 * the device for the work queued before it (batch i-1, the slot's previous user), and the compute
 * stream joins an upload before the batch it carries is used. The host blocks only on the loader and,
 * for the pinned slot it refills, on the upload two batches back.
 *
 * <pre>{@code
 * try (DeviceBatches batches = new DeviceBatches(loader.epoch(0), device)) {
 *     while (batches.hasNext()) { DeviceBatches.Item b = batches.next(); model.forward(b.images()); }
 * }
 * }</pre>
 */
final class DeviceBatches implements AutoCloseable {
    /** A batch on the device: valid until the second {@link #next()} after it (or {@link #close()}). */
    record Item(Tensor images, MemorySegment targets, int[] labels, int index, long ticket) {
        int size() {
            return labels.length;
        }
    }

    private final BatchIterator source;
    private final Device device;
    private final Slot[] slots;
    private Item ready;          // CUDA: the uploaded batch next() returns next
    private Batch heldOnCpu;     // CPU: the batch handed out last, closed at the next call
    private final Arena cpuTargets = Arena.ofShared();
    private MemorySegment cpuTargetBuffer = MemorySegment.NULL;
    private long staged;
    private boolean closed;

    DeviceBatches(BatchIterator source, Device device) {
        this.source = source;
        this.device = device;
        this.slots = device.isCuda() ? new Slot[] {new Slot(), new Slot()} : new Slot[0];
    }

    boolean hasNext() {
        return ready != null || source.hasNext();
    }

    Item next() {
        if (closed) throw new IllegalStateException("DeviceBatches is closed");
        if (device.isCpu()) return nextOnCpu();
        if (ready == null) {
            if (!source.hasNext()) throw new NoSuchElementException("no more batches");
            ready = stage(source.next());
        }
        Item out = ready;
        Cuda.joinUpload(device.index(), out.ticket());
        ready = source.hasNext() ? stage(source.next()) : null;
        return out;
    }

    private Item nextOnCpu() {
        if (heldOnCpu != null) heldOnCpu.close();
        heldOnCpu = null;
        Batch b = source.next();
        heldOnCpu = b;
        int[] labels = b.labels();
        if (cpuTargetBuffer.byteSize() < (long) labels.length * Integer.BYTES) {
            cpuTargetBuffer = cpuTargets.allocate(ValueLayout.JAVA_INT, Math.max(1, labels.length));
        }
        MemorySegment t = cpuTargetBuffer.asSlice(0, (long) labels.length * Integer.BYTES);
        MemorySegment.copy(labels, 0, t, ValueLayout.JAVA_INT, 0, labels.length);
        return new Item(b.images(), t, labels, b.index(), 0);
    }

    /** Copies {@code b} into the next slot's pinned memory and queues its upload; closes {@code b}. */
    private Item stage(Batch b) {
        try (b) {
            Slot slot = slots[(int) (staged++ % 2)];
            int[] labels = b.labels();
            Tensor images = b.images();
            long imageBytes = images.numel() * Float.BYTES, labelBytes = (long) labels.length * Integer.BYTES;
            slot.fit(images.shape(), labels.length, imageBytes + labelBytes);
            MemorySegment pinned = slot.pinned.segment();
            MemorySegment.copy(images.segment(), 0, pinned, 0, imageBytes);
            MemorySegment.copy(labels, 0, pinned, ValueLayout.JAVA_INT, imageBytes, labels.length);
            // Two uploads from one pinned buffer; the later ticket covers both (one stream, in order).
            Cuda.upload(device.index(), slot.images.dataAddress(), pinned.asSlice(0, imageBytes), imageBytes);
            slot.ticket = Cuda.upload(device.index(), slot.targets.dataAddress(), pinned.asSlice(imageBytes, labelBytes),
                    labelBytes);
            MemorySegment targets = slot.targets.nativeSegment().asSlice(0, labelBytes);
            return new Item(slot.images, targets, labels, b.index(), slot.ticket);
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (heldOnCpu != null) heldOnCpu.close();
        cpuTargets.close();
        RuntimeException first = null;
        for (Slot s : slots) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }

    /** One staging buffer and the device memory it uploads into. */
    private final class Slot implements AutoCloseable {
        PinnedMemory pinned;
        Tensor images;
        Tensor targets;   // int32 labels in float32 storage (both 4 bytes), as NativeInts keeps them
        long ticket;

        /** Makes room for a batch of {@code shape}; first waits until the slot's last upload has read its pinned memory. */
        void fit(int[] shape, int labels, long bytes) {
            if (ticket != 0) Cuda.awaitUpload(device.index(), ticket);
            if (pinned == null || pinned.segment().byteSize() < bytes) {
                if (pinned != null) pinned.close();
                pinned = null;
                pinned = PinnedMemory.allocate(bytes);
            }
            // A freed tensor's memory is reused only after the work queued before the free (pt_cuda_free's contract).
            if (images == null || !Arrays.equals(shape, images.shape())) {
                if (images != null) images.close();
                images = null;
                images = Tensor.zeros(device, shape);
            }
            if (targets == null || targets.numel() != labels) {
                if (targets != null) targets.close();
                targets = null;
                targets = Tensor.zeros(device, labels);
            }
        }

        @Override
        public void close() {
            try {
                if (ticket != 0) Cuda.awaitUpload(device.index(), ticket);
            } finally {
                if (pinned != null) pinned.close();
                if (images != null) images.close();
                if (targets != null) targets.close();
            }
        }
    }
}
