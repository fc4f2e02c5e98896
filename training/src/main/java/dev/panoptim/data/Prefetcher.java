package dev.panoptim.data;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The background half of a prefetching {@link BatchIterator}: a daemon thread that prepares batches
 * {@code start .. end - 1} in order into a bounded queue, and posts a {@link Failure} instead when
 * preparing one throws. {@link #stop()} ends the thread and frees every batch it prepared and nobody took.
 * Holds no reference to the iterator, so that an iterator dropped without closing can be collected
 * and its {@code Cleaner} can stop this.
 */
final class Prefetcher implements Runnable {
    /** Threads are named {@code panoptim-prefetch-N}. */
    static final String THREAD_PREFIX = "panoptim-prefetch-";
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long JOIN_MILLIS = 5_000;

    /** Preparing batch {@code index} threw {@code error}. */
    record Failure(int index, Throwable error) {}

    private final DataLoader loader;
    private final int epoch;
    private final int[] order;
    private final int start;
    private final int end;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean stopped;

    Prefetcher(DataLoader loader, int epoch, int[] order, int start, int end, int depth) {
        this.loader = loader;
        this.epoch = epoch;
        this.order = order;
        this.start = start;
        this.end = end;
        this.queue = new ArrayBlockingQueue<>(depth);
        this.thread = new Thread(this, THREAD_PREFIX + THREADS.incrementAndGet());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public void run() {
        for (int b = start; b < end && !stopped; b++) {
            Batch batch;
            try {
                batch = loader.makeBatch(epoch, order, b);
            } catch (Throwable t) {
                if (!stopped) {
                    try {
                        queue.put(new Failure(b, t));
                    } catch (InterruptedException e) {
                        // stopping: nobody will read the failure
                    }
                }
                return;
            }
            try {
                queue.put(batch);
            } catch (InterruptedException e) {
                batch.close();
                return;
            }
        }
        if (stopped) drain();   // a batch put after stop()'s own drain
    }

    /**
     * The next item, a {@link Batch} or a {@link Failure}, waiting for it; null if the thread ended
     * without producing it (which {@link #run()} never does, but a hang would be worse).
     */
    Object take() throws InterruptedException {
        while (true) {
            Object item = queue.poll(100, TimeUnit.MILLISECONDS);
            if (item != null) return item;
            if (!thread.isAlive()) return queue.poll();
        }
    }

    /** Stops the thread, waits for it (at most 5 s), and closes the batches nobody took. Idempotent. */
    void stop() {
        stopped = true;
        thread.interrupt();
        drain();   // unblocks a put, so the thread sees the interrupt or the flag
        if (Thread.currentThread() != thread) {
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        drain();
    }

    private void drain() {
        Object item;
        while ((item = queue.poll()) != null) {
            if (item instanceof Batch b) b.close();
        }
    }
}
