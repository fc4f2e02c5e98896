/**
 * Datasets and the DataLoader: Fashion-MNIST (IDX files) and CIFAR-10 (binary batches) held in memory
 * as bytes, every-k-th subsets, transforms (ToFloat, Normalize, RandomCrop, RandomHorizontalFlip,
 * Cutout), and a seeded, resumable DataLoader with a background prefetch thread.
 *
 * <pre>{@code
 * DataLoader loader = DataLoader.builder(FashionMnist.load(Split.TRAIN).everyKth(10))
 *         .batchSize(64).shuffle(true).seed(42).transforms(FashionMnist.trainTransforms()).build();
 * try (BatchIterator batches = loader.epoch(0)) {
 *     for (Batch b : batches) try (b) { ... }
 * }
 * }</pre>
 */
package dev.panoptim.data;
