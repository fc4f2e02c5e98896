package dev.panoptim.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batching, shuffling, seeded determinism and resuming (prefetch's own behaviour is in PrefetchTest). */
class DataLoaderTest {
    static final ImageDataset DS = TestData.dataset(10, 3, 4, 4);

    /** What a batch held, copied out so that it outlives the batch. */
    record Seen(int index, int[] shape, float[] images, int[] labels, int[] indices) {
        static Seen of(Batch b) {
            try (b) {
                return new Seen(b.index(), b.images().shape(), b.images().toFloatArray(), b.labels(), b.indices());
            }
        }

        void assertSame(Seen o) {
            assertEquals(index, o.index);
            assertArrayEquals(shape, o.shape);
            assertArrayEquals(labels, o.labels, "labels of batch " + index);
            assertArrayEquals(indices, o.indices, "indices of batch " + index);
            assertArrayEquals(images, o.images, "images of batch " + index);
        }
    }

    static List<Seen> all(BatchIterator it) {
        List<Seen> out = new ArrayList<>();
        try (it) {
            for (Batch b : it) out.add(Seen.of(b));
        }
        return out;
    }

    static void assertSameBatches(List<Seen> a, List<Seen> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) a.get(i).assertSame(b.get(i));
    }

    static DataLoader.Builder augmented(Dataset ds) {
        return DataLoader.builder(ds).batchSize(4).shuffle(true).seed(123)
                .transforms(new RandomCrop(4, 1), new RandomHorizontalFlip(), new ToFloat(), new Cutout(2));
    }

    @Test
    void batchShapesWithAndWithoutTheLastPartialBatch() {
        for (boolean prefetch : new boolean[] {false, true}) {
            DataLoader keep = DataLoader.builder(DS).batchSize(4).prefetch(prefetch).build();
            assertEquals(3, keep.batchesPerEpoch());
            List<Seen> batches = all(keep.epoch(0));
            assertEquals(3, batches.size());
            assertArrayEquals(new int[] {4, 3, 4, 4}, batches.get(0).shape());
            assertArrayEquals(new int[] {2, 3, 4, 4}, batches.get(2).shape());
            assertArrayEquals(new int[] {8, 9}, batches.get(2).labels());

            DataLoader drop = DataLoader.builder(DS).batchSize(4).dropLast(true).prefetch(prefetch).build();
            assertEquals(2, drop.batchesPerEpoch());
            List<Seen> dropped = all(drop.epoch(0));
            assertEquals(2, dropped.size());
            assertArrayEquals(new int[] {4, 5, 6, 7}, dropped.get(1).indices());
        }
    }

    @Test
    void defaultTransformScalesToUnitRangeInChwOrder() {
        try (Batch b = DataLoader.builder(DS).batchSize(3).build().batch(0, 1)) {
            assertArrayEquals(new int[] {3, 4, 5}, b.indices());
            float[] px = b.images().toFloatArray();
            for (int k = 0; k < 3; k++) {
                for (int j = 0; j < 48; j++) assertEquals(TestData.pixel(3 + k, j) / 255f, px[k * 48 + j]);
            }
            assertEquals(3, b.size());
            assertEquals(0, b.epoch());
            assertEquals(1, b.index());
        }
    }

    @Test
    void shuffleIsAPermutationThatChangesWithEpochAndSeed() {
        ImageDataset ds = TestData.dataset(100, 1, 1, 1);
        DataLoader loader = DataLoader.builder(ds).batchSize(7).shuffle(true).seed(5).build();
        List<Seen> e0 = all(loader.epoch(0));
        int[] seen = e0.stream().flatMapToInt(s -> Arrays.stream(s.indices())).toArray();
        int[] sorted = seen.clone();
        Arrays.sort(sorted);
        int[] identity = java.util.stream.IntStream.range(0, 100).toArray();
        assertArrayEquals(identity, sorted, "every example exactly once");
        assertFalse(Arrays.equals(identity, seen), "shuffled");
        assertArrayEquals(loader.order(0), seen);
        assertFalse(Arrays.equals(loader.order(0), loader.order(1)), "another epoch, another order");
        assertArrayEquals(loader.order(3), DataLoader.builder(ds).shuffle(true).seed(5).build().order(3), "same seed, same order");
        assertFalse(Arrays.equals(loader.order(0), DataLoader.builder(ds).shuffle(true).seed(6).build().order(0)));
        assertArrayEquals(identity, DataLoader.builder(ds).seed(5).build().order(4), "no shuffle, dataset order");
        for (Seen s : e0) {
            for (int k = 0; k < s.labels().length; k++) assertEquals(s.indices()[k] % 10, s.labels()[k], "labels follow their images");
        }
    }

    @Test
    void sameSeedGivesIdenticalAugmentedBatches() {
        ImageDataset ds = TestData.dataset(10, 1, 4, 4);
        List<Seen> a = all(augmented(ds).build().epoch(2));
        List<Seen> b = all(augmented(ds).build().epoch(2));
        assertSameBatches(a, b);
        List<Seen> other = all(augmented(ds).seed(124).build().epoch(2));
        assertFalse(Arrays.equals(a.get(0).images(), other.get(0).images()), "another seed, other batches");
        List<Seen> nextEpoch = all(augmented(ds).build().epoch(3));
        assertFalse(Arrays.equals(a.get(0).indices(), nextEpoch.get(0).indices()), "another epoch, another order");
    }

    @Test
    void resumingMidEpochYieldsTheRemainingBatchesOfAnUninterruptedRun() {
        ImageDataset ds = TestData.dataset(23, 1, 4, 4);
        for (boolean prefetch : new boolean[] {false, true}) {
            DataLoader loader = augmented(ds).prefetch(prefetch).build();
            List<Seen> whole = all(loader.epoch(1));
            assertEquals(6, whole.size());
            // run 2 batches, "crash", keep the position, resume with a fresh loader
            int epoch, next;
            try (BatchIterator it = loader.epoch(1)) {
                Seen.of(it.next());
                Seen.of(it.next());
                epoch = it.epoch();
                next = it.nextBatch();
            }
            assertEquals(2, next);
            List<Seen> rest = all(augmented(ds).prefetch(prefetch).build().iterator(epoch, next));
            assertSameBatches(whole.subList(2, 6), rest);
            assertTrue(all(loader.iterator(1, 6)).isEmpty(), "resuming at the end gives nothing");
            Seen single = Seen.of(loader.batch(1, 4));
            single.assertSame(whole.get(4));
        }
    }

    @Test
    void prefetchOnAndOffGiveIdenticalBatches() {
        ImageDataset ds = TestData.dataset(30, 3, 4, 4);
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Seen> on = all(augmented(ds).prefetch(true).prefetchDepth(1).build().epoch(epoch));
            List<Seen> off = all(augmented(ds).prefetch(false).build().epoch(epoch));
            assertSameBatches(on, off);
        }
    }

    @Test
    void emptyEpochs() {
        DataLoader loader = DataLoader.builder(DS).batchSize(11).dropLast(true).build();
        assertEquals(0, loader.batchesPerEpoch());
        try (BatchIterator it = loader.epoch(0)) {
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
        }
        assertEquals(0, DataLoader.builder(DS.subset()).build().batchesPerEpoch());
    }

    @Test
    void builderAndArgumentsAreChecked() {
        assertEquals("batchSize must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(DS).batchSize(0).build()).getMessage());
        assertEquals("prefetchDepth must be in [1, 8], got 0",
                assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(DS).prefetchDepth(0).build()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(null).build());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(DS).transforms((Transform) null));
        DataLoader loader = DataLoader.builder(DS).batchSize(4).build();
        assertEquals("startBatch must be in [0, 3] (the batches per epoch), got 4",
                assertThrows(IllegalArgumentException.class, () -> loader.iterator(0, 4)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> loader.epoch(-1));
        assertThrows(IllegalArgumentException.class, () -> loader.batch(0, 3));
        assertNotEquals("", loader.toString());
    }

    @Test
    void batchImagesAreUnusableAfterClose() {
        Batch b = DataLoader.builder(DS).batchSize(2).build().batch(0, 0);
        b.close();
        b.close();
        assertThrows(IllegalStateException.class, () -> b.images().toFloatArray());
    }

    @Test
    void transformsThatChangeTheSizeShapeTheBatch() {
        DataLoader loader = DataLoader.builder(DS).batchSize(5).transforms(new RandomCrop(2, 0), new ToFloat()).build();
        try (Batch b = loader.batch(0, 0)) {
            assertArrayEquals(new int[] {5, 3, 2, 2}, b.images().shape());
        }
    }
}
