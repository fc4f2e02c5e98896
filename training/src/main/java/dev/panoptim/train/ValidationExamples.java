package dev.panoptim.train;

import dev.panoptim.data.Batch;
import dev.panoptim.data.DataLoader;
import dev.panoptim.data.Dataset;
import dev.panoptim.nn.Module;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;
import dev.panoptim.track.Media;

import java.util.ArrayList;
import java.util.List;

/**
 * The first few validation images with what the model makes of them, for the dashboard's "classification
 * probabilities" view: the same images at every evaluation (so their probabilities can be watched as training goes),
 * each a {@link Media#classification} of its raw pixels, the model's softmax over the dataset's class names and the
 * true label. One forward pass of one small batch in evaluation mode, on the model's device; the logits are the only
 * thing read back.
 *
 * <pre>{@code List<Media> shown = new ValidationExamples(validationLoader, 8).classify(model, device);}</pre>
 */
final class ValidationExamples {
    private final DataLoader loader;
    private final Dataset dataset;

    /** The first {@code count} (at least 1) images of {@code validation}'s dataset, through its transforms. */
    ValidationExamples(DataLoader validation, int count) {
        this.dataset = validation.dataset();
        this.loader = DataLoader.builder(dataset).batchSize(Math.max(1, Math.min(count, dataset.size()))).shuffle(false)
                .transforms(validation.transform()).build();
    }

    /** The images with {@code model}'s probabilities; the model must already be in evaluation mode and on {@code device}. */
    List<Media> classify(Module model, Device device) {
        try (Batch batch = loader.batch(0, 0)) {
            float[] logits;
            Tensor images = batch.images();
            Tensor moved = images.device().equals(device) ? null : images.to(device);
            try {
                logits = model.forward(moved != null ? moved : images).toFloatArray();   // the module owns its output
            } finally {
                if (moved != null) moved.close();
            }
            int n = batch.size(), classes = logits.length / n;
            List<String> names = classNames(classes);
            List<Media> shown = new ArrayList<>(n);
            float[] pixels = new float[dataset.imageSize()];
            for (int i = 0; i < n; i++) {
                int index = batch.indices()[i];
                dataset.readImage(index, pixels, 0);   // the raw 0..255 pixels: the transforms' normalization is not for eyes
                Media image = Media.image(pixels, dataset.channels(), dataset.height(), dataset.width(), 0f, 255f);
                shown.add(Media.classification(image, names, softmax(logits, i * classes, classes), batch.labels()[i])
                        .withCaption("validation #" + index));
            }
            return shown;
        }
    }

    /** The dataset's class names, numbered names past them when the model has more outputs than the dataset classes. */
    private List<String> classNames(int outputs) {
        List<String> known = dataset.classes();
        List<String> names = new ArrayList<>(outputs);
        for (int c = 0; c < outputs; c++) names.add(c < known.size() ? known.get(c) : "class " + c);
        return names;
    }

    /** The softmax of {@code logits[from .. from + n)}, shifted by the largest for range. */
    static float[] softmax(float[] logits, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) max = Math.max(max, logits[from + c]);
        double[] e = new double[n];
        double sum = 0;
        for (int c = 0; c < n; c++) sum += e[c] = Math.exp(logits[from + c] - max);
        float[] p = new float[n];
        for (int c = 0; c < n; c++) p[c] = (float) (e[c] / sum);
        return p;
    }
}
