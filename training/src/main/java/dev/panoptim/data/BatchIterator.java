package dev.panoptim.data;

import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The batches of one epoch of a {@link DataLoader}, from a given batch on: an {@link Iterator} (and an
 * {@link Iterable} of itself, for for-each) that must be closed. With prefetch on, a daemon thread
 * prepares up to {@code prefetchDepth} batches ahead; an exception there is rethrown by {@link #next()}
 * as a {@link DataLoaderException} (the same as with prefetch off), after which the iterator is done.
 * {@link #close()} stops the thread and frees the batches prepared and not taken; an iterator dropped
 * without closing does the same when it is garbage-collected. Not for use by several threads at once.
 *
 * <pre>{@code
 * try (BatchIterator it = loader.iterator(ckpt.epoch(), ckpt.nextBatch())) {   // resume mid-epoch
 *     while (it.hasNext()) {
 *         try (Batch b = it.next()) { step(b); }
 *         if (stopRequested) { save(it.epoch(), it.nextBatch()); break; }
 *     }
 * }
 * }</pre>
 */
public final class BatchIterator implements Iterator<Batch>, Iterable<Batch>, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final DataLoader loader;
    private final int epoch;
    private final int[] order;
    private final int end;
    private final Prefetcher prefetcher;
    private final Cleaner.Cleanable cleanable;
    private int next;
    private boolean done;

    BatchIterator(DataLoader loader, int epoch, int[] order, int start, int end, int prefetchDepth) {
        this.loader = loader;
        this.epoch = epoch;
        this.order = order;
        this.next = start;
        this.end = end;
        if (prefetchDepth > 0 && start < end) {
            Prefetcher p = new Prefetcher(loader, epoch, order, start, end, prefetchDepth);
            this.prefetcher = p;
            this.cleanable = CLEANER.register(this, p::stop);
        } else {
            this.prefetcher = null;
            this.cleanable = null;
        }
    }

    /** The epoch iterated. */
    public int epoch() {
        return epoch;
    }

    /** The index in the epoch of the batch {@link #next()} returns next (for a checkpoint). */
    public int nextBatch() {
        return next;
    }

    /** Batches in the whole epoch. */
    public int batchesPerEpoch() {
        return end;
    }

    @Override
    public boolean hasNext() {
        return !done && next < end;
    }

    /** The next batch, which the caller closes. */
    @Override
    public Batch next() {
        if (!hasNext()) throw new NoSuchElementException(done ? "the iterator is closed or failed" : "epoch " + epoch + " has no more batches");
        int index = next;
        if (prefetcher == null) {
            try {
                Batch b = loader.makeBatch(epoch, order, index);
                next++;
                return b;
            } catch (RuntimeException | Error e) {
                done = true;
                throw failure(index, e);
            }
        }
        Object item;
        try {
            item = prefetcher.take();
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new DataLoaderException("interrupted while waiting for batch " + index + " of epoch " + epoch, e);
        }
        if (item instanceof Batch b) {
            next++;
            return b;
        }
        close();
        if (item instanceof Prefetcher.Failure f) throw failure(f.index(), f.error());
        throw new DataLoaderException("the prefetch thread ended before batch " + index + " of epoch " + epoch, null);
    }

    private DataLoaderException failure(int index, Throwable cause) {
        return new DataLoaderException("preparing batch " + index + " of epoch " + epoch + " failed: " + cause, cause);
    }

    /** This iterator itself (it can be iterated once). */
    @Override
    public Iterator<Batch> iterator() {
        return this;
    }

    /** Stops the prefetch thread (waiting for it) and frees the batches it prepared; then {@link #hasNext()} is false. Idempotent. */
    @Override
    public void close() {
        done = true;
        if (cleanable != null) cleanable.clean();
    }

    @Override
    public String toString() {
        return "BatchIterator(epoch=" + epoch + ", nextBatch=" + next + " of " + end + (prefetcher != null ? ", prefetch" : "") + ")";
    }
}
