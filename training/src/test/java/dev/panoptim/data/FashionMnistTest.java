package dev.panoptim.data;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fashion-MNIST from IDX files written here; the real files when the Debian package is installed. */
class FashionMnistTest {
    @TempDir
    Path dir;

    @Test
    void loadsGzippedTrainAndPlainTest() throws Exception {
        TestData.writeFashionMnist(dir, "train", 12, true);
        TestData.writeFashionMnist(dir, "t10k", 5, false);
        ImageDataset train = FashionMnist.load(dir, Split.TRAIN);
        ImageDataset test = FashionMnist.load(dir, Split.TEST);
        assertEquals(12, train.size());
        assertEquals(5, test.size());
        assertEquals(1, train.channels());
        assertEquals(28, train.height());
        assertEquals(28, train.width());
        assertEquals(FashionMnist.CLASSES, train.classes());
        assertEquals("Ankle boot", train.classes().get(9));
        Example ex = train.get(11);
        assertEquals(1, ex.label());
        assertEquals(784, ex.image().length);
        assertEquals(TestData.pixel(11, 0), ex.image()[0]);
        assertEquals(TestData.pixel(11, 783), ex.image()[783]);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, test.labels());
    }

    @Test
    void plainFileIsPreferredOverGzWhenBothExist() throws Exception {
        TestData.writeFashionMnist(dir, "t10k", 3, true);
        TestData.writeFashionMnist(dir, "t10k", 4, false);
        assertEquals(4, FashionMnist.load(dir, Split.TEST).size());
    }

    @Test
    void countMismatchBetweenImagesAndLabelsNamesTheFiles() throws Exception {
        TestData.writeFashionMnist(dir, "train", 6, true);
        Path labels = TestData.write(dir.resolve("train-labels-idx1-ubyte.gz"), TestData.gzip(TestData.idxLabels(TestData.labels(5))));
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.load(dir, Split.TRAIN));
        assertEquals(labels, e.file());
        assertEquals(labels + ": holds 5 labels but train-images-idx3-ubyte.gz holds 6 images", e.getMessage());
    }

    @Test
    void labelOutsideTheTenClasses() throws Exception {
        TestData.writeFashionMnist(dir, "t10k", 3, false);
        Path labels = TestData.write(dir.resolve("t10k-labels-idx1-ubyte"), TestData.idxLabels(new byte[] {0, 10, 1}));
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.load(dir, Split.TEST));
        assertEquals(labels + ": label 10 at index 1 is not a Fashion-MNIST class (0..9)", e.getMessage());
    }

    @Test
    void imagesOfTheWrongSize() throws Exception {
        TestData.writeFashionMnist(dir, "t10k", 2, false);
        Path images = TestData.write(dir.resolve("t10k-images-idx3-ubyte"), TestData.idxImages(2, 27, 27, new byte[2 * 729]));
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.load(dir, Split.TEST));
        assertEquals(images + ": holds 27x27 images; Fashion-MNIST images are 28x28", e.getMessage());
    }

    @Test
    void missingFilesAreNamed() {
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.load(dir, Split.TRAIN));
        assertEquals(dir.resolve("train-images-idx3-ubyte.gz") + ": not found (nor train-images-idx3-ubyte)", e.getMessage());
    }

    /** The real data set, from the Debian package dataset-fashion-mnist; skipped, saying why, when it is not installed. */
    @Test
    void realFashionMnistWhenInstalled() {
        Path d = FashionMnist.DEFAULT_DIR;
        boolean present = Files.isRegularFile(d.resolve("train-images-idx3-ubyte.gz")) || Files.isRegularFile(d.resolve("train-images-idx3-ubyte"));
        if (!present) {
            System.err.println("SKIPPED realFashionMnistWhenInstalled: " + d + " has no Fashion-MNIST (apt-get install dataset-fashion-mnist)");
        }
        Assumptions.assumeTrue(present, () -> "Fashion-MNIST is not installed in " + d + " (apt-get install dataset-fashion-mnist)");
        ImageDataset train = FashionMnist.load(Split.TRAIN);
        ImageDataset test = FashionMnist.load(Split.TEST);
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        int[] perClass = new int[10];
        for (int l : test.labels()) perClass[l]++;
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, perClass);
        assertEquals(9, train.label(0));   // the first training image is an ankle boot
        Statistics s = Statistics.of(train);
        System.err.println("Fashion-MNIST training set: " + s);
        assertEquals(FashionMnist.MEAN, s.mean()[0], 5e-5);
        assertEquals(FashionMnist.STD, s.std()[0], 5e-5);
        assertEquals(6000, train.everyKth(10).size());
    }
}
