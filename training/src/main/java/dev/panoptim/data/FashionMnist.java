package dev.panoptim.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017): 28x28 grey images of 10 kinds of clothing, 60000 to
 * train and 10000 to test, read from its four IDX files (gzipped or not), by default from
 * {@value #DEFAULT_DIR_NAME}, where the Debian package {@code dataset-fashion-mnist} installs them
 * ({@code bin/panoptim demo} and {@code train} install it when missing).
 *
 * <p>Files: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}, each optionally with {@code .gz}. Normalisation uses the training
 * set's own statistics, {@link #MEAN} and {@link #STD} (pixels scaled to [0, 1], as computed by
 * {@link Statistics#of}).
 *
 * <pre>{@code
 * Dataset train = FashionMnist.load(Split.TRAIN);                 // 60000 x 1x28x28, labels 0..9
 * DataLoader loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(1)
 *         .transforms(FashionMnist.trainTransforms()).build();
 * }</pre>
 */
public final class FashionMnist {
    static final String DEFAULT_DIR_NAME = "/usr/share/datasets/fashion-mnist";
    /** Where the Debian package {@code dataset-fashion-mnist} puts the files. */
    public static final Path DEFAULT_DIR = Path.of(DEFAULT_DIR_NAME);
    /** The class names, by label. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Mean pixel of the 60000 training images, pixels scaled to [0, 1] (0.286040). */
    public static final float MEAN = 0.2860f;
    /** Standard deviation of the training pixels, scaled to [0, 1] (population std, 0.353024). */
    public static final float STD = 0.3530f;
    /** Image side in pixels. */
    public static final int SIDE = 28;

    private FashionMnist() {}

    /** The split from {@link #DEFAULT_DIR}. */
    public static ImageDataset load(Split split) {
        return load(DEFAULT_DIR, split);
    }

    /** The split from the IDX files in {@code dir}; a missing or corrupt file is a {@link DatasetException} naming it. */
    public static ImageDataset load(Path dir, Split split) {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        Path imagesFile = find(dir, prefix + "-images-idx3-ubyte");
        Path labelsFile = find(dir, prefix + "-labels-idx1-ubyte");
        Idx.Images images = Idx.readImages(imagesFile);
        if (images.rows() != SIDE || images.cols() != SIDE) {
            throw new DatasetException(imagesFile, "holds " + images.rows() + "x" + images.cols()
                    + " images; Fashion-MNIST images are 28x28");
        }
        byte[] labels = Idx.readLabels(labelsFile);
        if (labels.length != images.count()) {
            throw new DatasetException(labelsFile, "holds " + labels.length + " labels but " + imagesFile.getFileName()
                    + " holds " + images.count() + " images");
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xFF) >= CLASSES.size()) {
                throw new DatasetException(labelsFile, "label " + (labels[i] & 0xFF) + " at index " + i
                        + " is not a Fashion-MNIST class (0..9)");
            }
        }
        return new ImageDataset(images.pixels(), labels, 1, SIDE, SIDE, CLASSES);
    }

    /** {@code ToFloat} then {@code Normalize(MEAN, STD)}: what evaluation uses. */
    public static Compose testTransforms() {
        return new Compose(new ToFloat(), normalize());
    }

    /** Random 28x28 crop of the image padded by 2, horizontal flip, {@code ToFloat}, {@code Normalize(MEAN, STD)}. */
    public static Compose trainTransforms() {
        return new Compose(new RandomCrop(SIDE, 2), new RandomHorizontalFlip(0.5), new ToFloat(), normalize());
    }

    /** {@code Normalize(MEAN, STD)}, the training set's statistics. */
    public static Normalize normalize() {
        return new Normalize(new float[] {MEAN}, new float[] {STD});
    }

    /** {@code dir/base} if it exists, else {@code dir/base.gz}; neither is a {@link DatasetException}. */
    private static Path find(Path dir, String base) {
        Path plain = dir.resolve(base);
        if (Files.isRegularFile(plain)) return plain;
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) return gz;
        throw new DatasetException(gz, "not found (nor " + base + ")"
                + (dir.equals(DEFAULT_DIR) ? "; the Debian package dataset-fashion-mnist installs Fashion-MNIST there"
                        + " (apt-get install dataset-fashion-mnist; bin/panoptim demo does it)" : ""));
    }
}
