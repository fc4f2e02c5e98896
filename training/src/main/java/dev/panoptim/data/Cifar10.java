package dev.panoptim.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 (Krizhevsky 2009), binary version: 32x32 RGB images of 10 classes, from the folder
 * {@code cifar-10-batches-bin} of https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz (give that
 * folder or the folder holding it). {@code data_batch_1.bin} .. {@code data_batch_5.bin} make the
 * training set (50000), {@code test_batch.bin} the test set (10000). Each record is 3073 bytes: the
 * label (0..9), then the red, green and blue 32x32 planes, row-major: already CHW.
 *
 * <p>A missing file, a size that is not a whole number of records, an empty file or a label above 9 is
 * a {@link DatasetException} naming the file. Class names come from {@code batches.meta.txt} when
 * present, else {@link #CLASSES}. Normalisation is ImageNet's, like the course's transform.
 *
 * <pre>{@code
 * Dataset train = Cifar10.load(Path.of("data/cifar-10-batches-bin"), Split.TRAIN);   // 50000 x 3x32x32
 * DataLoader loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(1)
 *         .transforms(Cifar10.trainTransforms()).build();
 * }</pre>
 */
public final class Cifar10 {
    /** The standard class names, by label. */
    public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");
    /** Image side in pixels. */
    public static final int SIDE = 32;
    /** Bytes per image: 3 planes of 32x32. */
    public static final int IMAGE_BYTES = 3 * SIDE * SIDE;
    /** Bytes per record: the label byte and the image. */
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    /** The folder name inside the official archive. */
    public static final String FOLDER = "cifar-10-batches-bin";
    /** ImageNet's per-channel mean (R, G, B), as torchvision's models and the course use. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    /** ImageNet's per-channel standard deviation (R, G, B). */
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    private Cifar10() {}

    /** The files of a split, in the order their records are concatenated. */
    public static List<String> files(Split split) {
        return split == Split.TEST ? List.of("test_batch.bin")
                : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    }

    /** The split from {@code dir} (the {@value #FOLDER} folder, or a folder holding it). */
    public static ImageDataset load(Path dir, Split split) {
        Path root = resolve(dir);
        List<Path> paths = new ArrayList<>();
        long records = 0;
        for (String name : files(split)) {
            Path file = root.resolve(name);
            records += recordsIn(file, split);
            paths.add(file);
        }
        if (records > Integer.MAX_VALUE / RECORD_BYTES) {
            throw new DatasetException(root, "too many records (" + records + ") to hold in memory");
        }
        byte[] labels = new byte[(int) records];
        byte[] pixels = new byte[(int) records * IMAGE_BYTES];
        int at = 0;
        for (Path file : paths) at = readInto(file, labels, pixels, at);
        return new ImageDataset(pixels, labels, 3, SIDE, SIDE, classNames(root));
    }

    /** {@code batches.meta.txt}'s class names (one per line, blank lines ignored) if present, else {@link #CLASSES}. */
    public static List<String> classNames(Path dir) {
        Path meta = resolve(dir).resolve("batches.meta.txt");
        if (!Files.isRegularFile(meta)) return CLASSES;
        List<String> names = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(meta)) {
                if (!line.isBlank()) names.add(line.strip());
            }
        } catch (IOException e) {
            throw new DatasetException(meta, "cannot read: " + e, e);
        }
        if (names.size() != CLASSES.size()) {
            throw new DatasetException(meta, "holds " + names.size() + " class names, expected 10");
        }
        return List.copyOf(names);
    }

    /** {@code ToFloat} then ImageNet's {@code Normalize}: what evaluation uses (the course's test transform). */
    public static Compose testTransforms() {
        return new Compose(new ToFloat(), normalize());
    }

    /** Random 32x32 crop of the image padded by 4, horizontal flip, {@code ToFloat}, ImageNet's {@code Normalize}. */
    public static Compose trainTransforms() {
        return new Compose(new RandomCrop(SIDE, 4), new RandomHorizontalFlip(0.5), new ToFloat(), normalize());
    }

    /** ImageNet's {@code Normalize(mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225))}. */
    public static Normalize normalize() {
        return new Normalize(IMAGENET_MEAN, IMAGENET_STD);
    }

    /** {@code dir} if it holds batch files; else {@code dir/cifar-10-batches-bin} if that exists; else {@code dir}. */
    static Path resolve(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(dir, "not found: expected the CIFAR-10 binary version's folder " + FOLDER
                    + " (from https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz) or a folder holding it");
        }
        Path inner = dir.resolve(FOLDER);
        boolean here = Files.exists(dir.resolve("test_batch.bin")) || Files.exists(dir.resolve("data_batch_1.bin"));
        return !here && Files.isDirectory(inner) ? inner : dir;
    }

    private static long recordsIn(Path file, Split split) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file, "missing (the CIFAR-10 " + (split == Split.TRAIN
                    ? "training set is data_batch_1.bin .. data_batch_5.bin" : "test set is test_batch.bin") + ")");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new DatasetException(file, "cannot read: " + e, e);
        }
        if (size == 0) throw new DatasetException(file, "is empty");
        if (size % RECORD_BYTES != 0) {
            throw new DatasetException(file, "size " + size + " bytes is not a multiple of the " + RECORD_BYTES
                    + "-byte record (1 label byte + 3072 pixel bytes): truncated or not a CIFAR-10 binary batch");
        }
        return size / RECORD_BYTES;
    }

    /** Reads the records of {@code file} into the arrays from record {@code at}; returns the next record index. */
    private static int readInto(Path file, byte[] labels, byte[] pixels, int at) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            int record = 0;
            int label;
            while ((label = in.read()) != -1) {
                if (label >= CLASSES.size()) {
                    throw new DatasetException(file, "record " + record + " has label " + label + "; CIFAR-10 labels are 0..9");
                }
                if (at >= labels.length) throw new DatasetException(file, "changed while being read");
                labels[at] = (byte) label;
                int got = in.readNBytes(pixels, at * IMAGE_BYTES, IMAGE_BYTES);
                if (got != IMAGE_BYTES) throw new DatasetException(file, "truncated in record " + record + " while reading");
                at++;
                record++;
            }
            return at;
        } catch (IOException e) {
            throw new DatasetException(file, "cannot read: " + e, e);
        }
    }
}
