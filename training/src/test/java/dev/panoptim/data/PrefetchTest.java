package dev.panoptim.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The background prefetch thread: errors reach the consumer, the queue is bounded, no thread outlives its iterator. */
class PrefetchTest {
    static final ImageDataset DS = TestData.dataset(40, 1, 2, 2);

    static List<Thread> prefetchThreads() {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(Prefetcher.THREAD_PREFIX) && t.isAlive()) out.add(t);
        }
        return out;
    }

    /** Waits up to 10 s for every prefetch thread to end, running the GC when asked (for dropped iterators). */
    static void assertNoPrefetchThreadSoon(boolean gc) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!prefetchThreads().isEmpty() && System.nanoTime() < deadline) {
            if (gc) System.gc();
            Thread.sleep(20);
        }
        assertEquals(List.of(), prefetchThreads(), "prefetch threads still running");
    }

    /** A transform that throws on the image of dataset example {@code bad} (recognised by its first pixel). */
    static Transform failingOn(int bad) {
        return (img, rng) -> {
            if (img.data()[0] == TestData.pixel(bad, 0)) throw new IllegalStateException("example " + bad + " is cursed");
            return img;
        };
    }

    @Test
    void workerExceptionIsRethrownInTheConsumerAsWithoutPrefetch() throws Exception {
        for (boolean prefetch : new boolean[] {true, false}) {
            DataLoader loader = DataLoader.builder(DS).batchSize(4).prefetch(prefetch).transforms(failingOn(9)).build();
            BatchIterator it = loader.epoch(0);
            it.next().close();
            it.next().close();   // batches 0 and 1 (examples 0..7) are fine
            DataLoaderException e = assertThrows(DataLoaderException.class, it::next);
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertEquals("preparing batch 2 of epoch 0 failed: java.lang.IllegalStateException: example 9 is cursed", e.getMessage());
            assertFalse(it.hasNext(), "the iterator is done after a failure");
            it.close();
        }
        assertNoPrefetchThreadSoon(false);
    }

    @Test
    void closingEarlyStopsTheThreadAndKeepsTheTakenBatchUsable() throws Exception {
        DataLoader loader = DataLoader.builder(DS).batchSize(2).build();
        Batch kept;
        try (BatchIterator it = loader.epoch(0)) {
            kept = it.next();
            Thread.sleep(50);   // let the thread fill its queue and block
            assertFalse(prefetchThreads().isEmpty());
        }
        assertEquals(List.of(), prefetchThreads(), "close() waits for the thread");
        assertEquals(TestData.pixel(0, 0) / 255f, kept.images().get(0));
        kept.close();
    }

    @Test
    void finishedIterationLeavesNoThread() throws Exception {
        DataLoader loader = DataLoader.builder(DS).batchSize(8).build();
        for (int epoch = 0; epoch < 3; epoch++) {
            try (BatchIterator it = loader.epoch(epoch)) {
                for (Batch b : it) b.close();
            }
        }
        assertNoPrefetchThreadSoon(false);
    }

    @Test
    void anAbandonedIteratorStopsItsThreadWhenCollected() throws Exception {
        DataLoader loader = DataLoader.builder(DS).batchSize(2).build();
        abandon(loader);
        assertFalse(prefetchThreads().isEmpty(), "the dropped iterator's thread waits on its full queue");
        assertNoPrefetchThreadSoon(true);
    }

    private static void abandon(DataLoader loader) {
        BatchIterator it = loader.epoch(0);
        it.next().close();
        // dropped without close(): the thread is blocked on its full queue
    }

    @Test
    void theQueueIsBoundedByTheDepth() throws Exception {
        AtomicInteger prepared = new AtomicInteger();
        DataLoader loader = DataLoader.builder(DS).batchSize(2).prefetchDepth(2)
                .transforms((img, rng) -> { prepared.incrementAndGet(); return img; }).build();
        try (BatchIterator it = loader.epoch(0)) {
            it.next().close();
            Thread.sleep(200);
            // taken: 1 batch; waiting in the queue: 2; at most one more being prepared or blocked on put
            assertTrue(prepared.get() <= 2 * (1 + 2 + 1), "prepared " + prepared.get() + " images ahead of a slow consumer");
            assertTrue(prepared.get() >= 2 * (1 + 2), "prepared only " + prepared.get());
        }
    }

    @Test
    void anInterruptedConsumerGetsAnExceptionAndTheThreadStops() throws Exception {
        DataLoader loader = DataLoader.builder(DS).batchSize(2).transforms((img, rng) -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return img;
        }).build();
        BatchIterator it = loader.epoch(0);
        Thread.currentThread().interrupt();
        DataLoaderException e = assertThrows(DataLoaderException.class, it::next);
        assertTrue(Thread.interrupted(), "the interrupt flag is kept");
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertFalse(it.hasNext());
        assertNoPrefetchThreadSoon(false);
    }
}
