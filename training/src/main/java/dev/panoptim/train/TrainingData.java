package dev.panoptim.train;

import dev.panoptim.data.Cifar10;
import dev.panoptim.data.Compose;
import dev.panoptim.data.DataLoader;
import dev.panoptim.data.Dataset;
import dev.panoptim.data.FashionMnist;
import dev.panoptim.data.Split;
import dev.panoptim.data.Subset;

import java.util.Objects;

/**
 * The datasets of a training run and how they are batched: the training set (every
 * {@code subset}-th example, or a seeded {@code dataFraction} of those; shuffled from the seed,
 * augmented when asked), the validation set (every {@code valSubset}-th test example) and the whole test set for the final {@code test_accuracy}.
 * Normalisation is the dataset's (Fashion-MNIST's own statistics, ImageNet's for CIFAR-10).
 *
 * <pre>{@code TrainingData data = TrainingData.load(args);   // or new TrainingData(train, test, transforms...)}</pre>
 *
 * @param train           the full training split (the subset is taken here)
 * @param test            the full test split
 * @param trainTransforms the augmentations and normalisation of training batches
 * @param testTransforms  the normalisation of evaluation batches
 */
public record TrainingData(Dataset train, Dataset test, Compose trainTransforms, Compose testTransforms) {
    public TrainingData {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(trainTransforms, "trainTransforms");
        Objects.requireNonNull(testTransforms, "testTransforms");
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()) {
            throw new IllegalArgumentException("the training images are " + train.channels() + "x" + train.height() + "x"
                    + train.width() + " but the test images " + test.channels() + "x" + test.height() + "x" + test.width());
        }
    }

    /** The dataset of {@code args}: from {@code args.data()}, else Fashion-MNIST's default folder. */
    public static TrainingData load(TrainingArgs args) {
        if (args.dataset().equals("cifar10")) {
            return new TrainingData(Cifar10.load(args.data(), Split.TRAIN), Cifar10.load(args.data(), Split.TEST),
                    args.augment() ? Cifar10.trainTransforms() : Cifar10.testTransforms(), Cifar10.testTransforms());
        }
        return fashionMnist(args.data() == null ? FashionMnist.DEFAULT_DIR : args.data(), args.augment());
    }

    /** Fashion-MNIST from {@code dir}, with or without augmentation. */
    public static TrainingData fashionMnist(java.nio.file.Path dir, boolean augment) {
        return new TrainingData(FashionMnist.load(dir, Split.TRAIN), FashionMnist.load(dir, Split.TEST),
                augment ? FashionMnist.trainTransforms() : FashionMnist.testTransforms(), FashionMnist.testTransforms());
    }

    /** Channels per image. */
    public int channels() {
        return train.channels();
    }

    /**
     * The training batches: every {@code subset}-th example, of which the {@code dataFraction} of a permutation
     * seeded by {@code seed} ({@link Subset#fraction}), shuffled from {@code seed}, the last partial batch kept
     * unless it would hold a single image (BatchNorm cannot train on one).
     */
    public DataLoader trainLoader(TrainingArgs args) {
        Dataset subset = train.everyKth(args.subset());
        if (args.dataFraction() < 1) subset = Subset.fraction(subset, args.dataFraction(), args.seed());
        return DataLoader.builder(subset).batchSize(args.batchSize()).shuffle(true).seed(args.seed())
                .dropLast(subset.size() % args.batchSize() == 1).transforms(trainTransforms.steps()).build();
    }

    /** The validation batches: every {@code valSubset}-th test example, in order. */
    public DataLoader validationLoader(TrainingArgs args) {
        return DataLoader.builder(test.everyKth(args.valSubset())).batchSize(args.evalBatchSize()).shuffle(false)
                .transforms(testTransforms.steps()).build();
    }

    /** The whole test set, in order. */
    public DataLoader testLoader(TrainingArgs args) {
        return DataLoader.builder(test).batchSize(args.evalBatchSize()).shuffle(false).transforms(testTransforms.steps()).build();
    }
}
