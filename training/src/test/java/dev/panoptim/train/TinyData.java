package dev.panoptim.train;

import dev.panoptim.data.FashionMnist;
import dev.panoptim.data.ImageDataset;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small in-memory 28x28 grey datasets: class c is a bright horizontal band at rows 2c..2c+4 over noise, easy to learn. */
final class TinyData {
    private TinyData() {}

    static ImageDataset bands(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] px = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = i % 10;
            labels[i] = (byte) c;
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int v = rng.nextInt(60);
                    if (y >= 2 * c + 2 && y < 2 * c + 6) v += 150;
                    px[i * 784 + y * 28 + x] = (byte) v;
                }
            }
        }
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < 10; c++) classes.add("band" + c);
        return new ImageDataset(px, labels, 1, 28, 28, classes);
    }

    /** A training set of {@code train} and a test set of {@code test} band images, Fashion-MNIST's transforms. */
    static TrainingData data(int train, int test) {
        return new TrainingData(bands(train, 1), bands(test, 2), FashionMnist.trainTransforms(), FashionMnist.testTransforms());
    }
}
