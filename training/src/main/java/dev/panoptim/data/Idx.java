package dev.panoptim.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format, http://yann.lecun.com/exdb/mnist/), gzipped or not:
 * gzip is detected by its magic bytes 1f 8b, not by the file name.
 *
 * <p>Format: a big-endian int32 magic {@code 0x000008DD} (08 = unsigned bytes, DD = number of
 * dimensions), DD big-endian int32 sizes, then the data. Images are {@code 0x00000803} (count, rows,
 * columns), labels {@code 0x00000801} (count). A wrong magic, a header or data shorter than announced,
 * bytes after the data and broken gzip data are {@link DatasetException}s naming the file.
 *
 * <pre>{@code Idx.Images im = Idx.readImages(dir.resolve("train-images-idx3-ubyte.gz"));   // im.count() == 60000}</pre>
 */
public final class Idx {
    /** Magic number of an IDX file of unsigned-byte images: 3 dimensions (count, rows, columns). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned-byte labels: 1 dimension (count). */
    public static final int LABELS_MAGIC = 0x00000801;

    private Idx() {}

    /**
     * Images of an IDX3 file: {@code count} images of {@code rows x cols} uint8 pixels, row-major, one
     * after the other in {@code pixels}.
     */
    public record Images(int count, int rows, int cols, byte[] pixels) {}

    /** Reads an IDX images file ({@code 0x00000803}). */
    public static Images readImages(Path file) {
        int[] dims = new int[3];
        byte[] data = read(file, IMAGES_MAGIC, dims);
        return new Images(dims[0], dims[1], dims[2], data);
    }

    /** Reads an IDX labels file ({@code 0x00000801}): one uint8 per example. */
    public static byte[] readLabels(Path file) {
        return read(file, LABELS_MAGIC, new int[1]);
    }

    /** Reads the header (filling {@code dims}) and the data of an IDX file whose magic must be {@code magic}. */
    private static byte[] read(Path file, int magic, int[] dims) {
        int headerBytes = 4 + 4 * dims.length;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;

            byte[] header = in.readNBytes(headerBytes);
            if (header.length < 4) {
                throw new DatasetException(file, "truncated: " + header.length + " bytes, shorter than an IDX magic number");
            }
            ByteBuffer h = ByteBuffer.wrap(header);   // big-endian, as IDX is
            int found = h.getInt();
            if (found != magic) {
                throw new DatasetException(file, String.format("not an IDX %s file: magic number 0x%08X, expected 0x%08X%s",
                        describe(magic), found, magic, found == IMAGES_MAGIC || found == LABELS_MAGIC
                                ? " (this is an IDX " + describe(found) + " file)" : ""));
            }
            if (header.length < headerBytes) {
                throw new DatasetException(file, "truncated header: " + header.length + " bytes, expected " + headerBytes);
            }
            long total = 1;
            for (int i = 0; i < dims.length; i++) {
                dims[i] = h.getInt();
                if (dims[i] < 0 || (i > 0 && dims[i] == 0)) {
                    throw new DatasetException(file, "bad header: dimension " + i + " is " + dims[i]);
                }
                total *= dims[i];
                if (total > Integer.MAX_VALUE - 8) {
                    throw new DatasetException(file, "bad header: the data would hold more than 2^31 bytes");
                }
            }
            if (!gzip) {
                long have = Files.size(file) - headerBytes;
                if (have != total) {
                    throw new DatasetException(file, sizeProblem(have, total, dims));
                }
            }
            byte[] data = in.readNBytes((int) total);
            if (data.length != total) {
                throw new DatasetException(file, sizeProblem(data.length, total, dims));
            }
            if (in.read() != -1) {
                throw new DatasetException(file, "bytes after the data: the header announces " + total + " bytes of data");
            }
            return data;
        } catch (NoSuchFileException e) {
            throw new DatasetException(file, "file not found", e);
        } catch (ZipException | EOFException e) {
            throw new DatasetException(file, "corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DatasetException(file, "cannot read: " + e, e);
        }
    }

    private static String sizeProblem(long have, long expected, int[] dims) {
        String what = dims.length == 3 ? dims[0] + " images of " + dims[1] + "x" + dims[2] : dims[0] + " labels";
        return (have < expected ? "truncated: " : "bytes after the data: ") + "the header announces " + what + " ("
                + expected + " bytes of data) but the file holds " + have + " bytes of data";
    }

    private static String describe(int magic) {
        return magic == IMAGES_MAGIC ? "images" : magic == LABELS_MAGIC ? "labels" : "unknown";
    }
}
