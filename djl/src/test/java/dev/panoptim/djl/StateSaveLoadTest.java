package dev.panoptim.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Saving and loading the optimizer state: training resumed in a new model and optimizer (other DJL
 * parameter ids) from the saved parameters and state ends exactly where uninterrupted training ends.
 */
class StateSaveLoadTest {

    @Test
    void resumedTrainingMatchesUninterruptedTraining(@TempDir Path dir) throws Exception {
        for (Supplier<PanoptimOptimizer> kind : java.util.List.<Supplier<PanoptimOptimizer>>of(
                () -> PanoptimOptimizers.adamW().optLearningRate(0.01f).optAmsgrad(true).build(),
                () -> PanoptimOptimizers.sgd().optLearningRate(0.05f).optMomentum(0.9f).build(),
                () -> PanoptimOptimizers.rmsprop().optLearningRate(0.01f).optCentered(true).optMomentum(0.5f).build())) {
            Map<String, float[]> uninterrupted;
            Path params = dir.resolve("mlp.params"), state = dir.resolve("mlp.optimizer");
            try (PanoptimOptimizer opt = kind.get(); Mlp mlp = Mlp.create(opt, 3)) {
                for (int step = 0; step < 6; step++) {
                    mlp.step(Mlp.inputs(step, 16), Mlp.labels(step, 16));
                    if (step == 2) {
                        mlp.saveParameters(params);
                        opt.saveState(mlp.model.getBlock(), state);
                    }
                }
                uninterrupted = mlp.parameters();
            }
            try (PanoptimOptimizer opt = kind.get(); Mlp mlp = Mlp.load(opt, params)) {
                opt.loadState(mlp.model.getBlock(), state);
                for (int step = 3; step < 6; step++) mlp.step(Mlp.inputs(step, 16), Mlp.labels(step, 16));
                Map<String, float[]> resumed = mlp.parameters();
                for (String name : uninterrupted.keySet()) {
                    assertArrayEquals(uninterrupted.get(name), resumed.get(name), opt + " " + name);
                }
            }
        }
    }

    @Test
    void theStateFileIsADjlNdListWithTorchsNames(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("adam.optimizer");
        try (PanoptimOptimizer adam = PanoptimOptimizers.adam().build(); Mlp mlp = Mlp.create(adam, 4)) {
            mlp.step(Mlp.inputs(0, 16), Mlp.labels(0, 16));
            mlp.step(Mlp.inputs(1, 16), Mlp.labels(1, 16));
            adam.saveState(mlp.model.getBlock(), state);
        }
        try (NDManager m = NDManager.newBaseManager(); InputStream in = Files.newInputStream(state)) {
            NDList list = NDList.decode(m, in);
            assertEquals(OptimizerStateFile.HEADER, list.get(0).getName());
            assertEquals("Adam", new String(list.get(0).toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
            var names = list.stream().map(a -> a.getName()).toList();
            assertTrue(names.contains("01Linear_weight/exp_avg"), names.toString());
            assertTrue(names.contains("01Linear_weight/exp_avg_sq"), names.toString());
            var step = list.stream().filter(a -> "04Linear_bias/step".equals(a.getName())).findFirst().orElseThrow();
            assertEquals(2L, step.toLongArray()[0]);
            assertEquals(1 + 6 * 3, list.size(), "header, then step, exp_avg, exp_avg_sq of 6 trainable params");
        }
    }

    @Test
    void aStateOfAnotherAlgorithmOrModelIsRefused(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("adamw.optimizer");
        try (PanoptimOptimizer adamW = PanoptimOptimizers.adamW().build(); Mlp mlp = Mlp.create(adamW, 4)) {
            mlp.step(Mlp.inputs(0, 16), Mlp.labels(0, 16));
            adamW.saveState(mlp.model.getBlock(), state);
        }
        try (PanoptimOptimizer adam = PanoptimOptimizers.adam().build(); Mlp mlp = Mlp.create(adam, 4)) {
            var e = assertThrows(IllegalArgumentException.class, () -> adam.loadState(mlp.model.getBlock(), state));
            assertTrue(e.getMessage().contains("saved by panoptim AdamW, not by this Adam"), e.getMessage());
        }
        try (PanoptimOptimizer adamW = PanoptimOptimizers.adamW().build();
             ai.djl.Model other = ai.djl.Model.newInstance("other")) {
            var block = new ai.djl.nn.SequentialBlock().add(ai.djl.nn.core.Linear.builder().setUnits(5).build());
            other.setBlock(block);
            block.initialize(other.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(2, 3));
            var e = assertThrows(IllegalArgumentException.class, () -> adamW.loadState(block, state));
            assertTrue(e.getMessage().contains("has shape (24, 12) but the parameter has shape (5, 3)"), e.getMessage());
            var linearOnly = new ai.djl.nn.SequentialBlock().add(ai.djl.nn.core.Linear.builder().setUnits(24).build());
            linearOnly.initialize(other.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(2, 12));
            e = assertThrows(IllegalArgumentException.class, () -> adamW.loadState(linearOnly, state));
            assertTrue(e.getMessage().contains("'02BatchNorm_gamma', which the block does not have"), e.getMessage());
            Files.write(state, new byte[] {1, 2, 3});
            assertThrows(IllegalArgumentException.class, () -> adamW.loadState(block, state));
        }
    }
}
