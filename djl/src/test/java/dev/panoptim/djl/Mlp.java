package dev.panoptim.djl;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A small DJL classifier (Linear, optional BatchNorm, ReLU, Linear) on synthetic Gaussian blobs, made
 * with seeded initial parameters, for comparing optimizers under DJL's own Trainer.
 */
final class Mlp implements AutoCloseable {
    static final int IN = 12, HIDDEN = 24, CLASSES = 3;
    final Model model;
    final Trainer trainer;

    private Mlp(Optimizer optimizer, int seed, boolean batchNorm, Path parameters) {
        model = Model.newInstance("mlp");
        model.setBlock(block(batchNorm));
        if (parameters != null) {
            // Before the trainer: its ParameterStore keeps the arrays it sees at initialize().
            try (var in = new DataInputStream(Files.newInputStream(parameters))) {
                model.getBlock().loadParameters(model.getNDManager(), in);
            } catch (IOException | MalformedModelException e) {
                throw new IllegalStateException(e);
            }
        }
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer));
        // DJL's initializers draw from libtorch's generator: the same seed, the same initial parameters.
        Engine.getInstance().setRandomSeed(seed);
        trainer.initialize(new Shape(8, IN));
    }

    static Block block(boolean batchNorm) {
        SequentialBlock block = new SequentialBlock().add(Linear.builder().setUnits(HIDDEN).build());
        if (batchNorm) block.add(BatchNorm.builder().build());
        return block.add(Activation.reluBlock()).add(Linear.builder().setUnits(CLASSES).build());
    }

    /** A model (with BatchNorm) whose initial parameters depend only on {@code seed}, trained by {@code optimizer}. */
    static Mlp create(Optimizer optimizer, int seed) {
        return new Mlp(optimizer, seed, true, null);
    }

    /** A model (with BatchNorm) with the parameters {@link #saveParameters} wrote. */
    static Mlp load(Optimizer optimizer, Path parameters) {
        return new Mlp(optimizer, 0, true, parameters);
    }

    void saveParameters(Path file) throws IOException {
        try (var out = new DataOutputStream(Files.newOutputStream(file))) {
            model.getBlock().saveParameters(out);
        }
    }

    /** {@link #create} without the BatchNorm, whose first Linear's bias then has a gradient. */
    static Mlp withoutBatchNorm(Optimizer optimizer, int seed) {
        return new Mlp(optimizer, seed, false, null);
    }

    /** One training step on the batch: forward, backward, trainer.step(). Returns the loss. */
    float step(float[] x, int[] y) {
        NDManager m = trainer.getManager();
        try (NDManager batch = m.newSubManager()) {
            NDArray input = batch.create(x, new Shape(y.length, IN));
            NDArray label = batch.create(y, new Shape(y.length));
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray pred = trainer.forward(new NDList(input)).singletonOrThrow();
                NDArray l = trainer.getLoss().evaluate(new NDList(label), new NDList(pred));
                loss = l.getFloat();
                collector.backward(l);
            }
            trainer.step();
            return loss;
        }
    }

    /** Every parameter's values by name. */
    Map<String, float[]> parameters() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var p : model.getBlock().getParameters()) out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        return out;
    }

    /** Batch {@code i} of the blobs: class c centred at +-2 on feature c. */
    static float[] inputs(long seed, int batch) {
        Random r = new Random(seed);
        float[] x = new float[batch * IN];
        int[] y = labels(seed, batch);
        for (int b = 0; b < batch; b++) {
            for (int f = 0; f < IN; f++) x[b * IN + f] = (float) r.nextGaussian() + (f % CLASSES == y[b] ? 2f : 0f);
        }
        return x;
    }

    static int[] labels(long seed, int batch) {
        Random r = new Random(seed * 31 + 7);
        int[] y = new int[batch];
        for (int b = 0; b < batch; b++) y[b] = r.nextInt(CLASSES);
        return y;
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
