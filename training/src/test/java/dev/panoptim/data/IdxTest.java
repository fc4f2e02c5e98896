package dev.panoptim.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IDX files written here, plain and gzipped, good and corrupt. */
class IdxTest {
    @TempDir
    Path dir;

    @Test
    void readsPlainAndGzippedFilesAlike() throws Exception {
        byte[] px = TestData.pixels(3, 4 * 5);
        byte[] images = TestData.idxImages(3, 4, 5, px);
        byte[] labels = TestData.idxLabels(new byte[] {7, 0, 9});
        for (boolean gz : new boolean[] {false, true}) {
            // the gzip magic decides, not the name: the plain file is called .gz
            Path im = TestData.write(dir.resolve("im" + gz + ".gz"), gz ? TestData.gzip(images) : images);
            Path lb = TestData.write(dir.resolve("lb" + gz), gz ? TestData.gzip(labels) : labels);
            Idx.Images read = Idx.readImages(im);
            assertEquals(3, read.count());
            assertEquals(4, read.rows());
            assertEquals(5, read.cols());
            assertArrayEquals(px, read.pixels());
            assertArrayEquals(new byte[] {7, 0, 9}, Idx.readLabels(lb));
        }
    }

    @Test
    void emptyFileOfZeroImagesIsFine() throws Exception {
        Path im = TestData.write(dir.resolve("empty"), TestData.idxImages(0, 28, 28, new byte[0]));
        assertEquals(0, Idx.readImages(im).count());
    }

    @Test
    void labelsFileReadAsImagesSaysWhatItIs() throws Exception {
        Path lb = TestData.write(dir.resolve("train-labels-idx1-ubyte"), TestData.idxLabels(new byte[] {1, 2}));
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.readImages(lb));
        assertEquals(lb, e.file());
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte"), e.getMessage());
        assertTrue(e.getMessage().contains("magic number 0x00000801, expected 0x00000803 (this is an IDX labels file)"), e.getMessage());
    }

    @Test
    void badMagicNamesTheFile() throws Exception {
        byte[] bytes = TestData.idxImages(1, 2, 2, new byte[4]);
        bytes[2] = 0x0D;   // float data, not unsigned bytes
        Path f = TestData.write(dir.resolve("weird.idx"), TestData.gzip(bytes));
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.readImages(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("magic number 0x00000D03"), e.getMessage());
    }

    @Test
    void truncatedDataPlainAndGzipped() throws Exception {
        byte[] whole = TestData.idxImages(3, 4, 4, TestData.pixels(3, 16));
        byte[] cut = Arrays.copyOf(whole, whole.length - 5);
        for (boolean gz : new boolean[] {false, true}) {
            Path f = TestData.write(dir.resolve("cut" + gz), gz ? TestData.gzip(cut) : cut);
            DatasetException e = assertThrows(DatasetException.class, () -> Idx.readImages(f));
            assertTrue(e.getMessage().contains(f.getFileName().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("truncated: the header announces 3 images of 4x4 (48 bytes of data)"
                    + " but the file holds 43 bytes of data"), e.getMessage());
        }
    }

    @Test
    void truncatedHeader() throws Exception {
        Path f = TestData.write(dir.resolve("short"), Arrays.copyOf(TestData.idxLabels(new byte[3]), 6));
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.readLabels(f));
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
        Path tiny = TestData.write(dir.resolve("tiny"), new byte[] {0, 0});
        assertTrue(assertThrows(DatasetException.class, () -> Idx.readLabels(tiny)).getMessage().contains("truncated"));
    }

    @Test
    void brokenGzipStream() throws Exception {
        byte[] gz = TestData.gzip(TestData.idxImages(20, 8, 8, TestData.pixels(20, 64)));
        Path f = TestData.write(dir.resolve("broken.gz"), Arrays.copyOf(gz, gz.length / 2));
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.readImages(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("gzip") || e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void bytesAfterTheData() throws Exception {
        byte[] whole = TestData.idxLabels(new byte[] {1, 2, 3});
        byte[] longer = Arrays.copyOf(whole, whole.length + 2);
        for (boolean gz : new boolean[] {false, true}) {
            Path f = TestData.write(dir.resolve("long" + gz), gz ? TestData.gzip(longer) : longer);
            DatasetException e = assertThrows(DatasetException.class, () -> Idx.readLabels(f));
            assertTrue(e.getMessage().contains("bytes after the data"), e.getMessage());
        }
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("nope-idx1-ubyte");
        DatasetException e = assertThrows(DatasetException.class, () -> Idx.readLabels(f));
        assertEquals(f + ": file not found", e.getMessage());
    }
}
