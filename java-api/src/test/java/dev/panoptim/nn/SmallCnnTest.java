package dev.panoptim.nn;

import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.panoptim.nn.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SmallCnn: the width rule, its state dict names and shapes, parameter counts by hand, forward and backward shapes, bad settings. */
class SmallCnnTest {
    @Test
    void widthIsRoundBaseTimesSqrtTwoToTheK() {
        // 8 * sqrt(2)^k = 8, 11.31, 16, 22.63, 32, 45.25, 64; and 5.66, 4 below k = 0.
        int[] expected = {4, 6, 8, 11, 16, 23, 32, 45, 64};
        for (int k = -2; k <= 6; k++) assertEquals(expected[k + 2], SmallCnn.channels(8, k), "k=" + k);
        assertEquals(1, SmallCnn.channels(8, -6), "8 / 8");
        assertEquals(1, SmallCnn.channels(8, -7), "round(0.71)");
        // 8 / 16 = 0.5 rounds half to even (Math.rint, as Python's round): 0 channels.
        assertThrows(IllegalArgumentException.class, () -> SmallCnn.channels(8, -8));
        var e = assertThrows(IllegalArgumentException.class, () -> SmallCnn.channels(8, -10));
        assertTrue(e.getMessage().contains("k=-10"), e.getMessage());
    }

    @Test
    void stateDictAndParameterCountMatchAHandCount() {
        // k = 2: c = 16. conv1 16*1*3*3 + 16 = 160; conv2 32*16*3*3 + 32 = 4640;
        // fc: 32 channels * 7 * 7 = 1568 features, 1568 * 10 + 10 = 15690. Total 20490.
        try (SmallCnn m = SmallCnn.builder().inChannels(1).imageSize(28).classes(10).widthExponent(2).baseChannels(8)
                .dropout(0.2).build()) {
            assertEquals(16, m.channels());
            assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc.weight", "fc.bias"),
                    List.copyOf(m.stateDict().keySet()));
            assertArrayEquals(new int[] {16, 1, 3, 3}, m.stateDict().get("conv1.weight").shape());
            assertArrayEquals(new int[] {32, 16, 3, 3}, m.stateDict().get("conv2.weight").shape());
            assertArrayEquals(new int[] {10, 1568}, m.stateDict().get("fc.weight").shape());
            assertEquals(20490, m.parameterCount());
            assertTrue(m.namedChildren().get("dropout") instanceof Dropout d && d.p() == 0.2);
        }
        // k = 0, 3 channels, 32x32 (CIFAR): c = 8; conv1 8*3*9 + 8 = 224; conv2 16*8*9 + 16 = 1168;
        // fc 16*8*8 = 1024 features, 1024 * 10 + 10 = 10250. Total 11642. No dropout module at p = 0.
        try (SmallCnn m = SmallCnn.builder().inChannels(3).imageSize(32).build()) {
            assertEquals(11642, m.parameterCount());
            assertFalse(m.namedChildren().containsKey("dropout"));
        }
    }

    @Test
    void forwardAndBackwardShapesAndEvalIsDeterministic() {
        Init.manualSeed(3);
        try (SmallCnn m = SmallCnn.builder().imageSize(12, 9).classes(4).widthExponent(-2).dropout(0.5).build();
             Tensor x = random(new SplittableRandom(1), 2, 1, 12, 9)) {
            // c = 4; 12x9 -> 6x4 -> 3x2, so fc takes 8 * 3 * 2 = 48 features.
            assertArrayEquals(new int[] {4, 48}, m.stateDict().get("fc.weight").shape());
            Tensor y = m.forward(x);
            assertArrayEquals(new int[] {2, 4}, y.shape());
            Tensor dx = m.backward(y);
            assertArrayEquals(new int[] {2, 1, 12, 9}, dx.shape());
            assertTrue(m.namedParameters().get("conv1.weight").grad() != null, "gradients reach the first layer");
            m.eval();
            float[] a = m.forward(x).toFloatArray();
            assertArrayEquals(a, m.forward(x).toFloatArray(), "no dropout in eval mode");
            var e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(2, 1, 28, 28)));
            assertTrue(e.getMessage().contains("12, 9"), e.getMessage());
        }
    }

    @Test
    void aSeedGivesTheSameWeightsWithAndWithoutDropout() {
        Init.manualSeed(11);
        try (SmallCnn plain = SmallCnn.builder().widthExponent(1).build()) {
            Init.manualSeed(11);
            try (SmallCnn dropped = SmallCnn.builder().widthExponent(1).dropout(0.2).build()) {
                for (var e : plain.stateDict().entrySet()) {
                    assertArrayEquals(e.getValue().toFloatArray(), dropped.stateDict().get(e.getKey()).toFloatArray(), e.getKey());
                }
            }
        }
    }

    @Test
    void badSettingsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> SmallCnn.builder().dropout(1).build());
        assertTrue(e.getMessage().contains("dropout"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SmallCnn.builder().imageSize(3).build());
        assertTrue(e.getMessage().contains("3x3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SmallCnn.builder().baseChannels(0).build());
        assertTrue(e.getMessage().contains("baseChannels"), e.getMessage());
    }
}
