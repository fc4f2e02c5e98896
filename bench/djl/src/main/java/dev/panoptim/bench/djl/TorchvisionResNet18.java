package dev.panoptim.bench.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

import java.util.List;

/**
 * torchvision's resnet18 as a DJL block: 7x7/2 stem without bias, 3x3/2 max pool, four stages of
 * two BasicBlocks (widths w, 2w, 4w, 8w; stride 2 and a 1x1 projection where the shape changes),
 * global average pool, linear classifier. With w = 64 and 10 classes it has torchvision's 11.17M
 * parameters (11,172,810 with a 1-channel stem).
 *
 * <pre>{@code
 * Block resnet = TorchvisionResNet18.build(64, 10);   // input (N, 1, 28, 28)
 * }</pre>
 */
public final class TorchvisionResNet18 {
    private TorchvisionResNet18() {}

    public static Block build(int width, int classes) {
        SequentialBlock net = new SequentialBlock()
                .add(conv(width, 7, 2, 3))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        int channels = width;
        for (int stage = 0; stage < 4; stage++) {
            int out = width << stage;
            for (int b = 0; b < 2; b++) {
                int stride = (b == 0 && stage > 0) ? 2 : 1;
                net.add(basicBlock(out, stride, stride != 1 || channels != out));
                channels = out;
            }
        }
        return net.add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    private static Block basicBlock(int filters, int stride, boolean project) {
        SequentialBlock main = new SequentialBlock()
                .add(conv(filters, 3, stride, 1))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(conv(filters, 3, 1, 1))
                .add(BatchNorm.builder().build());
        Block shortcut = project
                ? new SequentialBlock().add(conv(filters, 1, stride, 0)).add(BatchNorm.builder().build())
                : Blocks.identityBlock();
        return new SequentialBlock()
                .add(new ParallelBlock(list -> new NDList(list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow())),
                        List.of(main, shortcut)))
                .add(Activation.reluBlock());
    }

    private static Block conv(int filters, int kernel, int stride, int padding) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optBias(false)
                .build();
    }
}
