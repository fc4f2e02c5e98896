package dev.panoptim.data;

import dev.panoptim.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Batches of a {@link Dataset}, like torch's {@code DataLoader}: optional shuffling, transforms, a last
 * partial batch or not ({@code dropLast}), and a background thread that prepares the next batches while
 * the training step runs.
 *
 * <p>Determinism: everything random is derived from the seed. Epoch e's order is a permutation drawn
 * from (seed, e); the example at position p of epoch e is transformed with a generator drawn from
 * (seed, e, p). So the batches depend only on (seed, epoch, batch index): the same with prefetch on
 * or off, and {@code iterator(epoch, k)} after a restart yields exactly the batches k, k+1, ... that an
 * uninterrupted iteration would have. A checkpoint stores {@link BatchIterator#epoch()} and
 * {@link BatchIterator#nextBatch()}.
 *
 * <p>Memory: each {@link Batch} owns its off-heap tensor and the caller closes it; batches prepared in
 * advance and not taken are closed by {@link BatchIterator#close()} (or, for an iterator dropped without
 * closing, when it is garbage-collected). The loader itself holds nothing off-heap.
 *
 * <pre>{@code
 * DataLoader loader = DataLoader.builder(FashionMnist.load(Split.TRAIN)).batchSize(64).shuffle(true).seed(42)
 *         .transforms(FashionMnist.trainTransforms()).build();
 * for (int epoch = 0; epoch < 5; epoch++) {
 *     try (BatchIterator batches = loader.epoch(epoch)) {
 *         for (Batch b : batches) {
 *             try (b) { step(b.images(), b.labels()); }
 *         }
 *     }
 * }
 * }</pre>
 */
public final class DataLoader {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final Transform transform;
    private final int prefetchDepth;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.transform = b.transform;
        this.prefetchDepth = b.prefetch ? b.prefetchDepth : 0;
    }

    /** A builder over {@code dataset}; see the defaults on each setter. */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /** Batches of one epoch, from the first: {@code iterator(epoch, 0)}. */
    public BatchIterator epoch(int epoch) {
        return iterator(epoch, 0);
    }

    /**
     * Batches {@code startBatch}, {@code startBatch + 1}, ... of epoch {@code epoch} (both from 0), the same
     * as an iteration of the whole epoch would give from there. Close it (try-with-resources): that stops
     * the prefetch thread and frees the batches it prepared.
     */
    public BatchIterator iterator(int epoch, int startBatch) {
        if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        int n = batchesPerEpoch();
        if (startBatch < 0 || startBatch > n) {
            throw new IllegalArgumentException("startBatch must be in [0, " + n + "] (the batches per epoch), got " + startBatch);
        }
        return new BatchIterator(this, epoch, order(epoch), startBatch, n, prefetchDepth);
    }

    /** Batch {@code index} of epoch {@code epoch}, prepared on the calling thread; the caller closes it. */
    public Batch batch(int epoch, int index) {
        if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        if (index < 0 || index >= batchesPerEpoch()) {
            throw new IllegalArgumentException("batch index must be in [0, " + batchesPerEpoch() + "), got " + index);
        }
        return makeBatch(epoch, order(epoch), index);
    }

    /** Batches per epoch: {@code ceil(size / batchSize)}, or {@code floor} with {@code dropLast}. */
    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * The dataset indices in the order epoch {@code epoch} visits them: 0, 1, 2, ... without shuffling,
     * else a permutation drawn (Fisher-Yates) from (seed, epoch).
     */
    public int[] order(int epoch) {
        int n = dataset.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (shuffle) {
            SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, Seeds.SHUFFLE, epoch, 0));
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** Prepares batch {@code b} of an epoch whose order is {@code order}. Thread-safe: the loader is immutable. */
    Batch makeBatch(int epoch, int[] order, int b) {
        int from = b * batchSize;
        int m = Math.min(batchSize, order.length - from);
        int[] labels = new int[m];
        int[] indices = new int[m];
        int c = dataset.channels(), h = dataset.height(), w = dataset.width();
        Tensor images = null;
        try {
            int[] shape = null;
            for (int k = 0; k < m; k++) {
                int pos = from + k;
                int i = order[pos];
                float[] px = new float[dataset.imageSize()];
                dataset.readImage(i, px, 0);
                Image img = transform.apply(new Image(px, c, h, w),
                        new SplittableRandom(Seeds.derive(seed, Seeds.AUGMENT, epoch, pos)));
                if (img == null) throw new IllegalStateException(transform + " returned no image");
                int[] s = {img.channels(), img.height(), img.width()};
                if (images == null) {
                    shape = s;
                    images = Tensor.zeros(m, s[0], s[1], s[2]);
                } else if (!Arrays.equals(s, shape)) {
                    throw new IllegalStateException("the transforms made a " + s[0] + "x" + s[1] + "x" + s[2]
                            + " image of example " + i + " but a " + shape[0] + "x" + shape[1] + "x" + shape[2]
                            + " image of the first example of the batch");
                }
                long len = img.data().length;
                MemorySegment.copy(img.data(), 0, images.segment(), ValueLayout.JAVA_FLOAT, k * len * Float.BYTES, (int) len);
                labels[k] = dataset.label(i);
                indices[k] = i;
            }
            if (images == null) images = Tensor.zeros(0, c, h, w);
            return new Batch(images, labels, indices, epoch, b);
        } catch (RuntimeException | Error e) {
            if (images != null) images.close();
            throw e;
        }
    }

    /** The dataset batched. */
    public Dataset dataset() { return dataset; }

    /** Images per batch. */
    public int batchSize() { return batchSize; }

    /** Whether each epoch visits the dataset in a shuffled order. */
    public boolean shuffle() { return shuffle; }

    /** The seed of the shuffles and augmentations. */
    public long seed() { return seed; }

    /** Whether the last, partial batch of an epoch is dropped. */
    public boolean dropLast() { return dropLast; }

    /** The transform applied to every image. */
    public Transform transform() { return transform; }

    /** How many batches the prefetch thread may hold ready; 0 when prefetching is off. */
    public int prefetchDepth() { return prefetchDepth; }

    @Override
    public String toString() {
        return "DataLoader(size=" + dataset.size() + ", batchSize=" + batchSize + ", shuffle=" + shuffle + ", seed=" + seed
                + ", dropLast=" + dropLast + ", transform=" + transform + ", prefetch=" + prefetchDepth + ")";
    }

    /**
     * Settings of a {@link DataLoader}, checked in {@link #build()}.
     *
     * <pre>{@code DataLoader.builder(ds).batchSize(64).shuffle(true).seed(7).dropLast(true).prefetch(false).build()}</pre>
     */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 1;
        private boolean shuffle = false;
        private long seed = 0;
        private boolean dropLast = false;
        private Transform transform = new ToFloat();
        private boolean prefetch = true;
        private int prefetchDepth = 2;

        private Builder(Dataset dataset) {
            this.dataset = dataset;
        }

        /** Images per batch, >= 1 (default 1, as torch's). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Shuffle each epoch (default false). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Seed of the shuffles and the augmentations (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Drop the last batch of an epoch when it is partial (default false). */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** The transforms applied to each image, in order; they replace the default, {@code ToFloat()} alone. */
        public Builder transforms(Transform... transforms) {
            return transforms(transforms == null ? null : Arrays.asList(transforms));
        }

        /** The transforms applied to each image, in order; they replace the default, {@code ToFloat()} alone. */
        public Builder transforms(List<? extends Transform> transforms) {
            Compose all = new Compose(transforms);   // checks for nulls
            this.transform = all.steps().size() == 1 ? all.steps().get(0) : all;
            return this;
        }

        /** Prepare the next batches on a background daemon thread (default true). */
        public Builder prefetch(boolean prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /** How many prepared batches may wait for the consumer, 1 to 8 (default 2). */
        public Builder prefetchDepth(int depth) {
            this.prefetchDepth = depth;
            return this;
        }

        /** The loader; invalid settings are an {@link IllegalArgumentException} naming the value. */
        public DataLoader build() {
            if (dataset == null) throw new IllegalArgumentException("dataset must not be null");
            if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            if (prefetchDepth < 1 || prefetchDepth > 8) {
                throw new IllegalArgumentException("prefetchDepth must be in [1, 8], got " + prefetchDepth);
            }
            return new DataLoader(this);
        }
    }
}
