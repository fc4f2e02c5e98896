package dev.panoptim.examples.djl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.metric.Metric;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import dev.panoptim.djl.PanoptimOptimizer;
import dev.panoptim.djl.PanoptimOptimizers;
import dev.panoptim.djl.UpdateCounts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Trains a small DJL classifier (2 -> 32 -> 3) on three Gaussian blobs with panoptim's fused AdamW
 * as its Optimizer, prints the mean loss of the first and the last epoch, and saves the model and
 * the optimizer's state side by side.
 *
 * <pre>{@code java -Dai.djl.offline=true -jar target/djl-trainer.jar [output-dir]}</pre>
 */
public final class TrainWithDjl {
    private static final int CLASSES = 3, POINTS = 900, BATCH = 30, EPOCHS = 5;

    private TrainWithDjl() {}

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("djl-trainer");
        Engine.getInstance().setRandomSeed(7);   // the initial weights and the batch order
        try (PanoptimOptimizer adamW = PanoptimOptimizers.adamW().optLearningRate(0.01f).build();
             Model model = Model.newInstance("classifier")) {
            model.setBlock(new SequentialBlock()
                    .add(Linear.builder().setUnits(32).build())
                    .add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(CLASSES).build()));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    // DJL's own: .optOptimizer(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(0.01f)).build())
                    .optOptimizer(adamW)
                    .addTrainingListeners(TrainingListener.Defaults.logging());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.setMetrics(new Metrics());
                trainer.initialize(new Shape(BATCH, 2));
                EasyTrain.fit(trainer, EPOCHS, blobs(model.getNDManager()), null);
                List<Metric> losses = trainer.getMetrics().getMetric("train_epoch_" + trainer.getLoss().getName());
                System.out.printf("first loss %.5f last loss %.5f%n",
                        losses.getFirst().getValue().doubleValue(), losses.getLast().getValue().doubleValue());
            }
            UpdateCounts updates = adamW.updateCounts();   // zero copy: DJL's float32 CPU tensors, stepped in place
            System.out.printf("updates: zeroCopy=%d copied=%d%n", updates.zeroCopy(), updates.copied());

            model.save(dir, "classifier");
            adamW.saveState(model.getBlock(), dir.resolve("classifier.optimizer"));   // adamW.loadState(...) resumes
            try (Stream<Path> saved = Files.list(dir)) {
                saved.sorted().forEach(file -> System.out.println("saved " + file));
            }
        }
    }

    /** Three blobs in the plane, centres on a circle of radius 2, in batches of BATCH, shuffled. */
    private static ArrayDataset blobs(NDManager manager) {
        float[] points = new float[POINTS * 2];
        int[] labels = new int[POINTS];
        Random random = new Random(7);
        for (int i = 0; i < POINTS; i++) {
            labels[i] = i % CLASSES;
            double angle = 2 * Math.PI * labels[i] / CLASSES;
            points[2 * i] = (float) (2 * Math.cos(angle) + 0.7 * random.nextGaussian());
            points[2 * i + 1] = (float) (2 * Math.sin(angle) + 0.7 * random.nextGaussian());
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(points, new Shape(POINTS, 2)))
                .optLabels(manager.create(labels))
                .setSampling(BATCH, true)
                .build();
    }
}
