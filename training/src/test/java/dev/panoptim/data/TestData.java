package dev.panoptim.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX and CIFAR-10 files, and builds small in-memory datasets whose pixels say where they come from. */
final class TestData {
    private TestData() {}

    /** Pixel j of image i: a value that differs between images and positions. */
    static int pixel(int i, int j) {
        return (i * 31 + j * 7) % 256;
    }

    static byte[] pixels(int count, int imageSize) {
        byte[] px = new byte[count * imageSize];
        for (int i = 0; i < count; i++) for (int j = 0; j < imageSize; j++) px[i * imageSize + j] = (byte) pixel(i, j);
        return px;
    }

    static byte[] labels(int count) {
        byte[] l = new byte[count];
        for (int i = 0; i < count; i++) l[i] = (byte) (i % 10);
        return l;
    }

    /** {@code n} images of c x h x w with {@link #pixel} values and labels i % 10, classes "c0".."c9". */
    static ImageDataset dataset(int n, int c, int h, int w) {
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < 10; i++) classes.add("c" + i);
        return new ImageDataset(pixels(n, c * h * w), labels(n), c, h, w, classes);
    }

    static byte[] idxImages(int count, int rows, int cols, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
        b.putInt(Idx.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols).put(pixels);
        return b.array();
    }

    static byte[] idxLabels(byte[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(Idx.LABELS_MAGIC).putInt(labels.length).put(labels);
        return b.array();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    static Path write(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, data);
    }

    /** A Fashion-MNIST split of {@code n} 28x28 images in {@code dir}, gzipped or not. */
    static void writeFashionMnist(Path dir, String prefix, int n, boolean gz) throws IOException {
        byte[] images = idxImages(n, 28, 28, pixels(n, 784));
        byte[] labels = idxLabels(labels(n));
        String ext = gz ? ".gz" : "";
        write(dir.resolve(prefix + "-images-idx3-ubyte" + ext), gz ? gzip(images) : images);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), gz ? gzip(labels) : labels);
    }

    /** A CIFAR-10 batch file: record r has label labels[r] and the 3072 pixels of image firstImage + r. */
    static Path writeCifarBatch(Path file, byte[] labels, int firstImage) throws IOException {
        byte[] out = new byte[labels.length * Cifar10.RECORD_BYTES];
        for (int r = 0; r < labels.length; r++) {
            out[r * Cifar10.RECORD_BYTES] = labels[r];
            for (int j = 0; j < Cifar10.IMAGE_BYTES; j++) out[r * Cifar10.RECORD_BYTES + 1 + j] = (byte) pixel(firstImage + r, j);
        }
        return write(file, out);
    }
}
