package dev.panoptim.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CIFAR-10's binary format, on small batch files written here. */
class Cifar10Test {
    @TempDir
    Path root;

    /** Five training batches of 2, 3, 1, 2, 2 records and a test batch of 3, in root/cifar-10-batches-bin. */
    private Path writeAll() throws Exception {
        Path dir = root.resolve(Cifar10.FOLDER);
        int[] sizes = {2, 3, 1, 2, 2};
        int first = 0;
        for (int b = 0; b < 5; b++) {
            byte[] labels = new byte[sizes[b]];
            for (int r = 0; r < labels.length; r++) labels[r] = (byte) ((first + r) % 10);
            TestData.writeCifarBatch(dir.resolve("data_batch_" + (b + 1) + ".bin"), labels, first);
            first += sizes[b];
        }
        TestData.writeCifarBatch(dir.resolve("test_batch.bin"), new byte[] {9, 0, 5}, 100);
        return dir;
    }

    @Test
    void loadsTheBatchesInOrderAsChwImages() throws Exception {
        Path dir = writeAll();
        ImageDataset train = Cifar10.load(dir, Split.TRAIN);
        assertEquals(10, train.size());
        assertEquals(3, train.channels());
        assertEquals(32, train.height());
        assertEquals(32, train.width());
        assertEquals(Cifar10.CLASSES, train.classes());
        for (int i = 0; i < 10; i++) {
            assertEquals(i % 10, train.label(i));
            float[] img = train.get(i).image();
            // red plane first, then green (offset 1024), then blue (2048): the record's order is CHW already
            assertEquals(TestData.pixel(i, 0), img[0]);
            assertEquals(TestData.pixel(i, 1024 + 33), img[1024 + 33]);
            assertEquals(TestData.pixel(i, 3071), img[3071]);
        }
        ImageDataset test = Cifar10.load(dir, Split.TEST);
        assertEquals(3, test.size());
        assertEquals(List.of(9, 0, 5), List.of(test.label(0), test.label(1), test.label(2)));
        assertEquals(TestData.pixel(102, 5), test.get(2).image()[5]);
    }

    @Test
    void theFolderHoldingCifar10BatchesBinWorksToo() throws Exception {
        writeAll();
        assertEquals(3, Cifar10.load(root, Split.TEST).size());
    }

    @Test
    void classNamesFromBatchesMeta() throws Exception {
        Path dir = writeAll();
        Files.writeString(dir.resolve("batches.meta.txt"), "plane\ncar\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");
        assertEquals("plane", Cifar10.load(dir, Split.TEST).classes().get(0));
        Files.writeString(dir.resolve("batches.meta.txt"), "plane\ncar\n");
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.load(dir, Split.TEST));
        assertEquals(dir.resolve("batches.meta.txt") + ": holds 2 class names, expected 10", e.getMessage());
    }

    @Test
    void sizeNotAWholeNumberOfRecords() throws Exception {
        Path dir = writeAll();
        Path f = dir.resolve("data_batch_4.bin");
        Files.write(f, new byte[2 * Cifar10.RECORD_BYTES - 1]);
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.load(dir, Split.TRAIN));
        assertEquals(f, e.file());
        assertTrue(e.getMessage().startsWith(f + ": size 6145 bytes is not a multiple of the 3073-byte record"), e.getMessage());
    }

    @Test
    void labelAboveNine() throws Exception {
        Path dir = writeAll();
        Path f = TestData.writeCifarBatch(dir.resolve("test_batch.bin"), new byte[] {3, 11}, 0);
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.load(dir, Split.TEST));
        assertEquals(f + ": record 1 has label 11; CIFAR-10 labels are 0..9", e.getMessage());
    }

    @Test
    void missingBatch() throws Exception {
        Path dir = writeAll();
        Files.delete(dir.resolve("data_batch_3.bin"));
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.load(dir, Split.TRAIN));
        assertEquals(dir.resolve("data_batch_3.bin")
                + ": missing (the CIFAR-10 training set is data_batch_1.bin .. data_batch_5.bin)", e.getMessage());
        assertEquals(3, Cifar10.load(dir, Split.TEST).size(), "the test split does not need the training batches");
    }

    @Test
    void emptyBatchAndMissingFolder() throws Exception {
        Path dir = writeAll();
        Files.write(dir.resolve("test_batch.bin"), new byte[0]);
        assertEquals(dir.resolve("test_batch.bin") + ": is empty",
                assertThrows(DatasetException.class, () -> Cifar10.load(dir, Split.TEST)).getMessage());
        Path nowhere = root.resolve("no-such-dir");
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.load(nowhere, Split.TEST));
        assertTrue(e.getMessage().startsWith(nowhere + ": not found"), e.getMessage());
        assertTrue(e.getMessage().contains("cifar-10-binary.tar.gz"), e.getMessage());
    }
}
