package dev.panoptim.data;

/**
 * Which part of a dataset to load: the training set or the test set.
 *
 * <pre>{@code Dataset test = FashionMnist.load(Split.TEST);}</pre>
 */
public enum Split {
    /** The training set (Fashion-MNIST: 60000 images; CIFAR-10: data_batch_1..5, 50000 images). */
    TRAIN,
    /** The test set (Fashion-MNIST: 10000 images; CIFAR-10: test_batch, 10000 images). */
    TEST
}
