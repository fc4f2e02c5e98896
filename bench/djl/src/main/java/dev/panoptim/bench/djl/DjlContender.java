package dev.panoptim.bench.djl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/**
 * DJL's side of {@link TrainingRace}: {@link TorchvisionResNet18} on the default engine (PyTorch
 * here) in a DJL Trainer with softmax cross-entropy and DJL's own AdamW (lr 1e-3, weight decay
 * 0.01). The batch lives in the trainer's manager and is attached to a sub-manager for each step,
 * so a step copies no input and frees its temporaries when it ends.
 *
 * <pre>{@code
 * try (var c = new DjlContender(64, 3, 32, images, labels)) { float loss = c.train(); }
 * }</pre>
 */
final class DjlContender implements TrainingRace.Contender {
    private final Model model;
    private final Trainer trainer;
    private final NDArray images, labels;

    DjlContender(int width, int channels, int size, float[] x, int[] y) {
        model = Model.newInstance("DJL");
        model.setBlock(TorchvisionResNet18.build(width, 10));
        Optimizer adamW = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-3f)).optWeightDecays(0.01f).build();
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(adamW));
        Engine.getInstance().setRandomSeed(7);
        Shape shape = new Shape(y.length, channels, size, size);
        trainer.initialize(shape);
        images = trainer.getManager().create(x, shape);
        labels = trainer.getManager().create(y, new Shape(y.length));
    }

    @Override
    public String name() {
        return "DJL " + Engine.getInstance().getEngineName();
    }

    @Override
    public long parameters() {
        return model.getBlock().getParameters().values().stream()
                .filter(p -> p.requiresGradient()).mapToLong(p -> p.getArray().size()).sum();
    }

    @Override
    public float train() {
        try (NDManager step = trainer.getManager().newSubManager()) {
            images.tempAttach(step);
            labels.tempAttach(step);
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray pred = trainer.forward(new NDList(images)).singletonOrThrow();
                NDArray l = trainer.getLoss().evaluate(new NDList(labels), new NDList(pred));
                collector.backward(l);
                loss = l.getFloat();
            }
            trainer.step();
            return loss;
        }
    }

    @Override
    public float evaluate() {
        try (NDManager step = trainer.getManager().newSubManager()) {
            images.tempAttach(step);
            labels.tempAttach(step);
            NDArray pred = trainer.evaluate(new NDList(images)).singletonOrThrow();
            return trainer.getLoss().evaluate(new NDList(labels), new NDList(pred)).getFloat();
        }
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
