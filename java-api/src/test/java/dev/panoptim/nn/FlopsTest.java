package dev.panoptim.nn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flops against multiply-accumulate counts done by hand (the arithmetic is in the comments). */
class FlopsTest {
    @Test
    void convAndLinearByHand() {
        // Conv2d(3, 5, 3, stride 2, padding 1) on 3x9x9: out (9 + 2 - 3) / 2 + 1 = 5, so 5*5 * 5 * 3*3*3 = 3375.
        try (Conv2d conv = new Conv2d(3, 5, 3, 2, 1)) {
            assertEquals(3375, Flops.forwardMacs(conv, 3, 9, 9));
            assertEquals(6750, Flops.forwardFlops(conv, 3, 9, 9), "forward FLOPs = 2 x MACs");
        }
        // Linear(7, 4): 7 * 4 = 28 per row.
        try (Linear fc = new Linear(7, 4)) {
            assertEquals(28, Flops.forwardMacs(fc, 7));
        }
        // Sequential(conv, ReLU, Flatten, Linear(125, 4)): 3375 + 125 * 4 = 3875; ReLU and Flatten add nothing.
        try (Sequential s = new Sequential(new Conv2d(3, 5, 3, 2, 1), new ReLU(), new Flatten(), new Linear(125, 4))) {
            assertEquals(3875, Flops.forwardMacs(s, 3, 9, 9));
        }
    }

    @Test
    void smallCnnByHand() {
        // k = 0, c = 8, one 1x28x28 image:
        //   conv1: 28*28 * 8 * 1*3*3    =  56,448
        //   conv2: 14*14 * 16 * 8*3*3   = 225,792   (after the first 2x2 pooling)
        //   fc:    16*7*7 = 784 -> 10   =   7,840
        //   total                         290,080 MACs; forward FLOPs 580,160.
        try (SmallCnn m = SmallCnn.builder().widthExponent(0).dropout(0.2).build()) {
            assertEquals(290_080, Flops.forwardMacs(m, 1, 28, 28));
            assertEquals(580_160, Flops.forwardFlops(m, 1, 28, 28));
            // Training compute: 3 x 580,160 x 60,000 examples = 1.044288e11.
            assertEquals(1.044288e11, Flops.trainingFlops(Flops.forwardFlops(m, 1, 28, 28), 60_000), 1);
        }
        // k = 2, c = 16: 28*28*16*9 = 112,896; 14*14*32*16*9 = 903,168; 32*49*10 = 15,680; total 1,031,744.
        try (SmallCnn m = SmallCnn.builder().widthExponent(2).build()) {
            assertEquals(1_031_744, Flops.forwardMacs(m, 1, 28, 28));
        }
    }

    @Test
    void resnet18MatchesThePublishedCount() {
        // torchvision's resnet18 on 3x224x224 with 1000 classes: 1,814,073,344 MACs (the 1.81 G of fvcore and ptflops'
        // conv + linear count); on Fashion-MNIST (1x28x28, 10 classes) 33,010,944 by the same layer-by-layer sum.
        try (ResNet r = ResNet.resnet18(3, 1000)) {
            assertEquals(1_814_073_344L, Flops.forwardMacs(r, 3, 224, 224));
        }
        try (ResNet r = ResNet.resnet18(1, 10)) {
            assertEquals(33_010_944L, Flops.forwardMacs(r, 1, 28, 28));
        }
    }

    @Test
    void unknownModulesAndBadShapesAreRefused() {
        Module custom = new Module() {
            @Override public dev.panoptim.tensor.Tensor forward(dev.panoptim.tensor.Tensor input) { return input; }
            @Override public dev.panoptim.tensor.Tensor backward(dev.panoptim.tensor.Tensor g) { return g; }
        };
        var e = assertThrows(IllegalArgumentException.class, () -> Flops.forwardMacs(custom, 3));
        assertTrue(e.getMessage().contains("cannot count"), e.getMessage());
        try (Linear fc = new Linear(7, 4)) {
            e = assertThrows(IllegalArgumentException.class, () -> Flops.forwardMacs(fc, 6));
            assertTrue(e.getMessage().contains("[1, 6]"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Flops.forwardMacs(fc));
        }
    }
}
