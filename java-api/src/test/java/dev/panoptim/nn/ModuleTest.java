package dev.panoptim.nn;

import dev.panoptim.optim.Optimizer;
import dev.panoptim.optim.SGD;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.panoptim.nn.GradCheck.random;
import static dev.panoptim.nn.GradCheck.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Module behaviour: grad accumulation, freezing, buffers, modes, state dicts, errors, lifetime. */
class ModuleTest {

    @Test
    void gradsAccumulateUntilZeroGrad() {
        SplittableRandom rng = new SplittableRandom(1);
        try (Linear fc = new Linear(3, 2); Tensor x = random(rng, 4, 3); Tensor dy = random(rng, 4, 2);
             Optimizer opt = SGD.builder(fc.parameters()).lr(0.0).build()) {
            fc.forward(x);
            fc.backward(dy);
            float[] once = fc.weight().grad().toFloatArray();
            fc.backward(dy);
            float[] twice = fc.weight().grad().toFloatArray();
            for (int i = 0; i < once.length; i++) assertEquals(2 * once[i], twice[i], 1e-6);
            opt.zeroGrad();
            assertNull(fc.weight().grad());
            fc.backward(dy);
            assertArrayEquals(once, fc.weight().grad().toFloatArray(), 1e-7f);
            fc.zeroGrad();
            assertNull(fc.weight().grad());
            assertNull(fc.bias().grad());
        }
    }

    @Test
    void frozenParametersGetNoGrad() {
        SplittableRandom rng = new SplittableRandom(2);
        try (Conv2d conv = new Conv2d(2, 3, 3); Tensor x = random(rng, 1, 2, 5, 5)) {
            conv.weight().requiresGrad(false);
            assertEquals(List.of(conv.bias()), conv.parameters());
            Tensor y = conv.forward(x);
            Tensor dx = conv.backward(Tensor.zerosLike(y).fill(1f));
            assertNull(conv.weight().grad());
            assertEquals(9f, conv.bias().grad().get(0), 1e-5, "dbias = sum of ones over 3x3 outputs");
            assertArrayEquals(x.shape(), dx.shape());
            conv.freeze();
            assertNull(conv.backward(Tensor.zerosLike(y), false), "nothing to compute");
            assertFalse(conv.hasTrainableParameters());
            conv.unfreeze();
            assertEquals(2, conv.parameters().size());
        }
    }

    /** Records backward calls: shows where a chain stops. */
    private static final class Spy extends Module {
        int backwardCalls;

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }

        @Override
        public Tensor backward(Tensor gradOutput) {
            backwardCalls++;
            return gradOutput;
        }
    }

    @Test
    void backwardStopsWhereNothingUpstreamNeedsGrads() {
        SplittableRandom rng = new SplittableRandom(3);
        Spy spy = new Spy();
        try (Sequential model = new Sequential(spy, new Linear(4, 4), new ReLU(), new Linear(4, 2)); Tensor x = random(rng, 3, 4)) {
            Tensor y = model.forward(x);
            model.backward(Tensor.zerosLike(y).fill(1f), false);
            assertEquals(0, spy.backwardCalls, "spy has no parameters and its input grad is not needed");
            assertTrue(((Linear) model.get(1)).weight().grad() != null);
            model.get(1).freeze();
            model.backward(Tensor.zerosLike(y).fill(1f), true);
            assertEquals(1, spy.backwardCalls, "the caller asked for the input grad");
            model.get(3).freeze();
            assertNull(model.backward(Tensor.zerosLike(y).fill(1f), false));
            assertEquals(1, spy.backwardCalls);
        }
    }

    @Test
    void outputBuffersAreReusedAndReallocatedOnlyOnShapeChange() {
        SplittableRandom rng = new SplittableRandom(4);
        try (ReLU relu = new ReLU(); Tensor a = random(rng, 2, 3); Tensor b = random(rng, 2, 3); Tensor c = random(rng, 3, 3)) {
            Tensor ya = relu.forward(a);
            Tensor yb = relu.forward(b);
            assertSame(ya, yb, "same shape, same buffer");
            Tensor yc = relu.forward(c);
            assertNotSame(yb, yc);
            assertTrue(yb.isClosed(), "the old buffer is freed");
        }
    }

    @Test
    void backwardErrors() {
        try (Linear fc = new Linear(3, 2); Tensor x = Tensor.zeros(4, 3); Tensor bad = Tensor.zeros(4, 3)) {
            var e = assertThrows(IllegalStateException.class, () -> fc.backward(Tensor.zeros(4, 2)));
            assertTrue(e.getMessage().contains("before forward"), e.getMessage());
            fc.forward(x);
            var shape = assertThrows(IllegalArgumentException.class, () -> fc.backward(bad));
            assertTrue(shape.getMessage().contains("[4, 3]") && shape.getMessage().contains("[4, 2]"), shape.getMessage());
        }
    }

    @Test
    void forwardErrorsNameTheShapes() {
        try (Conv2d conv = new Conv2d(3, 8, 3); BatchNorm2d bn = new BatchNorm2d(4); Linear fc = new Linear(5, 2);
             MaxPool2d pool = new MaxPool2d(3); Tensor x = Tensor.zeros(2, 2, 8, 8); Tensor small = Tensor.zeros(1, 3, 2, 2);
             Tensor one = Tensor.zeros(1, 4, 1, 1)) {
            var e = assertThrows(IllegalArgumentException.class, () -> conv.forward(x));
            assertTrue(e.getMessage().contains("(N, 3, H, W), got [2, 2, 8, 8]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> conv.forward(small));
            assertTrue(e.getMessage().contains("smaller than the kernel"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> bn.forward(x));
            assertTrue(e.getMessage().contains("(N, 4, H, W), got [2, 2, 8, 8]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> bn.forward(one));
            assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> fc.forward(x));
            assertTrue(e.getMessage().contains("(*, 5), got [2, 2, 8, 8]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> pool.forward(Tensor.zeros(3, 3)));
            assertTrue(e.getMessage().contains("(N, C, H, W), got [3, 3]"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> conv.forward(null));
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new AdaptiveAvgPool2d(2));
        assertTrue(e.getMessage().contains("only output size 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(3, 2, 2), "padding > kernel / 2");
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(0, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> new BasicBlock(64, 128), "needs a downsample");
        assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss(1.5));
    }

    @Test
    void batchNormTrainUpdatesRunningStatsEvalUsesThem() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 2, c = 3, h = 4, w = 5;
        try (BatchNorm2d bn = new BatchNorm2d(c); Tensor x = random(rng, n, c, h, w)) {
            double[] xv = toDouble(x), mean = new double[c], var = new double[c];
            Reference.stats(xv, n, c, h * w, mean, var);
            bn.forward(x);
            double unbiased = (double) (n * h * w) / (n * h * w - 1);
            for (int i = 0; i < c; i++) {
                assertEquals(0.1 * mean[i], bn.runningMean().get(i), 1e-6);
                assertEquals(0.9 + 0.1 * var[i] * unbiased, bn.runningVar().get(i), 1e-6);
            }
            assertEquals(1, bn.numBatchesTracked());

            bn.eval();
            assertFalse(bn.isTraining());
            float[] rm = bn.runningMean().toFloatArray(), rv = bn.runningVar().toFloatArray();
            double[] expected = Reference.batchnormEval(xv, n, c, h * w, new double[] {1, 1, 1}, new double[3],
                    toDouble(bn.runningMean()), toDouble(bn.runningVar()), 1e-5);
            double[] got = toDouble(bn.forward(x));
            for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i], 1e-5);
            assertArrayEquals(rm, bn.runningMean().toFloatArray(), "eval does not touch running stats");
            assertArrayEquals(rv, bn.runningVar().toFloatArray());
            assertEquals(1, bn.numBatchesTracked());

            bn.train();
            bn.forward(x);
            assertEquals(2, bn.numBatchesTracked());
        }
    }

    @Test
    void trainAndEvalAreRecursive() {
        try (ResNet model = new ResNet(new int[] {1, 1, 1, 1}, 3, 2)) {
            model.eval();
            for (Module m : model.modules()) assertFalse(m.isTraining(), m.getClass().getSimpleName());
            model.train();
            for (Module m : model.modules()) assertTrue(m.isTraining());
        }
    }

    @Test
    void stateDictRoundTripGivesTheSameOutputs() {
        SplittableRandom rng = new SplittableRandom(6);
        Init.manualSeed(1);
        try (Sequential a = tiny(); Tensor x = random(rng, 2, 2, 6, 6)) {
            Init.manualSeed(2);
            try (Sequential b = tiny()) {
                a.forward(x);   // moves a's running stats
                a.eval();
                b.eval();
                float[] ya = a.forward(x).toFloatArray();
                assertFalse(java.util.Arrays.equals(ya, b.forward(x).toFloatArray()));
                b.loadStateDict(a.stateDict());
                assertArrayEquals(ya, b.forward(x).toFloatArray());
                assertEquals(1f, b.stateDict().get("1.num_batches_tracked").get(0));
                assertTrue(b.stateDict().get("0.weight").requiresGrad(), "loading keeps the flags");
            }
        }
    }

    private static Sequential tiny() {
        return new Sequential(new Conv2d(2, 3, 3), new BatchNorm2d(3), new ReLU(), new AdaptiveAvgPool2d(1), new Flatten(),
                new Linear(3, 2));
    }

    @Test
    void loadStateDictListsEveryProblemAndChangesNothing() {
        try (Sequential model = tiny()) {
            Map<String, Tensor> own = model.stateDict();
            float[] before = own.get("0.weight").toFloatArray();
            Map<String, Tensor> bad = new LinkedHashMap<>(own);
            List<Tensor> made = new ArrayList<>();
            bad.remove("1.running_var");
            bad.remove("5.bias");
            Tensor extra = Tensor.zeros(3);
            made.add(extra);
            bad.put("1.extra", extra);
            Tensor wrong = Tensor.zeros(2, 4);
            made.add(wrong);
            bad.put("5.weight", wrong);
            Tensor newConv = Tensor.zerosLike(own.get("0.weight"));
            made.add(newConv);
            bad.put("0.weight", newConv);
            var e = assertThrows(IllegalArgumentException.class, () -> model.loadStateDict(bad));
            String m = e.getMessage();
            assertTrue(m.contains("missing keys (2): [1.running_var, 5.bias]"), m);
            assertTrue(m.contains("unexpected keys (1): [1.extra]"), m);
            assertTrue(m.contains("5.weight: expected shape [2, 3], got [2, 4]"), m);
            assertArrayEquals(before, model.stateDict().get("0.weight").toFloatArray(), "nothing loaded");

            bad.put("5.weight", Tensor.zerosLike(own.get("5.weight")));
            made.add(bad.get("5.weight"));
            model.loadStateDict(bad, false);   // non-strict: missing and unexpected keys are fine
            assertArrayEquals(new float[before.length], model.stateDict().get("0.weight").toFloatArray());
            made.forEach(Tensor::close);
        }
    }

    @Test
    void closeFreesEverythingAndLaterUseFails() {
        Sequential model = tiny();
        Tensor w = model.stateDict().get("0.weight");
        Tensor y = model.forward(Tensor.zeros(2, 2, 5, 5));
        model.close();
        model.close();
        assertTrue(w.isClosed());
        assertTrue(y.isClosed(), "outputs are owned by the module");
        assertThrows(IllegalStateException.class, () -> model.forward(Tensor.zeros(2, 2, 5, 5)));
        assertThrows(IllegalStateException.class, model::stateDict);
    }

    @Test
    void devicePlacement() {
        try (Linear fc = new Linear(2, 2); Tensor t = Tensor.zeros(2)) {
            assertSame(fc, fc.to(Device.CPU));
            assertEquals(Device.CPU, fc.device());
            try (Tensor copy = t.to(Device.CPU)) {
                assertNotSame(t, copy, "to() copies, so that the caller owns what it gets");
            }
        }
    }

    @Test
    void seededInitIsReproducibleAndHasTorchsBounds() {
        Init.manualSeed(42);
        try (Conv2d a = new Conv2d(3, 4, 3); Linear fa = new Linear(10, 5)) {
            Init.manualSeed(42);
            try (Conv2d b = new Conv2d(3, 4, 3); Linear fb = new Linear(10, 5)) {
                assertArrayEquals(a.weight().toFloatArray(), b.weight().toFloatArray());
                assertArrayEquals(fa.bias().toFloatArray(), fb.bias().toFloatArray());
            }
            double bound = 1 / Math.sqrt(27);
            double max = 0;
            for (float v : a.weight().toFloatArray()) max = Math.max(max, Math.abs(v));
            assertTrue(max <= bound && max > 0.8 * bound, "kaiming_uniform(a=sqrt(5)) bound 1/sqrt(fan_in): " + max);
            for (float v : a.bias().toFloatArray()) assertTrue(Math.abs(v) <= bound);
        }
        try (BatchNorm2d bn = new BatchNorm2d(2)) {
            assertArrayEquals(new float[] {1, 1}, bn.weight().toFloatArray());
            assertArrayEquals(new float[] {0, 0}, bn.bias().toFloatArray());
            assertArrayEquals(new float[] {0, 0}, bn.runningMean().toFloatArray());
            assertArrayEquals(new float[] {1, 1}, bn.runningVar().toFloatArray());
        }
    }

    @Test
    void crossEntropyErrorsAndAccuracy() {
        try (CrossEntropyLoss loss = new CrossEntropyLoss();
             Tensor logits = Tensor.of(new float[] {1, 2, 0, 5, 1, 1, 0, 0, 3}, 3, 3)) {
            assertThrows(IllegalStateException.class, loss::backward);
            var e = assertThrows(IllegalArgumentException.class, () -> loss.forward(logits, new int[] {0, 3, 1}));
            assertTrue(e.getMessage().contains("target 3 at index 1"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> loss.forward(logits, new int[] {0, 1}));
            assertTrue(e.getMessage().contains("need 3 targets, got 2"), e.getMessage());
            assertEquals(2, CrossEntropyLoss.correct(logits, new int[] {1, 0, 1}));
            assertEquals(2.0 / 3, CrossEntropyLoss.accuracy(logits, new int[] {1, 0, 0}), 1e-12);
            float l = loss.forward(logits, new int[] {1, 0, 2});
            assertTrue(l > 0);
            assertArrayEquals(new int[] {3, 3}, loss.probabilities().shape());
        }
    }
}
