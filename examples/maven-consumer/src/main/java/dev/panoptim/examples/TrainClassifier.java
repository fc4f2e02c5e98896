package dev.panoptim.examples;

import dev.panoptim.nn.CrossEntropyLoss;
import dev.panoptim.nn.Linear;
import dev.panoptim.nn.ReLU;
import dev.panoptim.nn.Sequential;
import dev.panoptim.optim.AdamW;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.tensor.Tensor;

import java.util.Random;

/**
 * Trains a small MLP (2 -> 32 -> 3) with panoptim's AdamW on three Gaussian blobs in the plane,
 * full batch, and prints the loss every 50 steps and its first and last value.
 *
 * <pre>{@code java -jar target/maven-consumer.jar [steps]}</pre>
 */
public final class TrainClassifier {
    private static final int CLASSES = 3;
    private static final int POINTS_PER_CLASS = 100;

    private TrainClassifier() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int n = CLASSES * POINTS_PER_CLASS;
        float[] points = new float[n * 2];
        int[] labels = new int[n];
        Random random = new Random(7);
        for (int i = 0; i < n; i++) {
            int c = i % CLASSES;
            double angle = 2 * Math.PI * c / CLASSES;   // blob centres on a circle of radius 2
            points[2 * i] = (float) (2 * Math.cos(angle) + 0.7 * random.nextGaussian());
            points[2 * i + 1] = (float) (2 * Math.sin(angle) + 0.7 * random.nextGaussian());
            labels[i] = c;
        }

        try (Tensor x = Tensor.of(points, n, 2);
             Sequential model = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, CLASSES));
             CrossEntropyLoss criterion = new CrossEntropyLoss();
             Optimizer optimizer = AdamW.builder(model.parameters()).lr(1e-2).weightDecay(1e-2).build()) {
            float first = Float.NaN, last = Float.NaN;
            for (int step = 0; step < steps; step++) {
                float loss = criterion.forward(model.forward(x), labels);
                model.backward(criterion.backward(), false);
                optimizer.step();
                optimizer.zeroGrad();
                if (step == 0) first = loss;
                last = loss;
                if (step % 50 == 0 || step == steps - 1) System.out.printf("step %d loss %.4f%n", step, loss);
            }
            System.out.printf("first loss %.4f last loss %.4f%n", first, last);
        }
    }
}
