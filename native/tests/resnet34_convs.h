/*
 * ResNet-34's conv shapes at 32x32 inputs (CIFAR-sized: the stem and max-pool take 32 -> 16 -> 8,
 * so the four stages run at 8x8, 4x4, 2x2 and 1x1), with how often each occurs in the network;
 * square inputs and filters, one stride and pad for both dimensions. Shared by the conv benchmarks:
 * native/tests/bench_conv.c (the CPU kernels) and bench/gpu/conv_bench.c (the CUDA ones).
 */
#ifndef PT_RESNET34_CONVS_H
#define PT_RESNET34_CONVS_H

#include <stdint.h>

typedef struct shape {
    const char *name;
    int64_t c, h, k, r, stride, pad;
    int count; /* occurrences in resnet34 */
} shape;

static const shape shapes[] = {
    {"stem 3->64 7x7 s2 @32", 3, 32, 64, 7, 2, 3, 1},
    {"layer1 64 3x3 @8", 64, 8, 64, 3, 1, 1, 6},
    {"layer2.0 64->128 3x3 s2 @8", 64, 8, 128, 3, 2, 1, 1},
    {"layer2 128 3x3 @4", 128, 4, 128, 3, 1, 1, 7},
    {"layer2 down 64->128 1x1 s2", 64, 8, 128, 1, 2, 0, 1},
    {"layer3.0 128->256 3x3 s2 @4", 128, 4, 256, 3, 2, 1, 1},
    {"layer3 256 3x3 @2", 256, 2, 256, 3, 1, 1, 11},
    {"layer3 down 128->256 1x1 s2", 128, 4, 256, 1, 2, 0, 1},
    {"layer4.0 256->512 3x3 s2 @2", 256, 2, 512, 3, 2, 1, 1},
    {"layer4 512 3x3 @1", 512, 1, 512, 3, 1, 1, 5},
    {"layer4 down 256->512 1x1 s2", 256, 2, 512, 1, 2, 0, 1},
};

#endif
