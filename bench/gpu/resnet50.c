/*
 * torchvision.models.resnet50()'s parameters, in model.parameters() order (torchvision/models/
 * resnet.py: Bottleneck with expansion 4, layers [3, 4, 6, 3], widths 64..512, stride on the 3x3,
 * downsample = conv1x1 + BatchNorm2d on each stage's first block). Convs have no bias; each
 * BatchNorm2d has weight and bias (its running stats are buffers, not parameters).
 * bench/gpu/torch_optim.py builds the same list and checks it against torchvision where installed.
 */
#include "resnet50.h"

typedef struct param_list {
    int64_t (*shapes)[4];
    int64_t *numels;
    int count;
} param_list;

static void add(param_list *l, int64_t a, int64_t b, int64_t c, int64_t d) {
    if (l->shapes) {
        l->shapes[l->count][0] = a, l->shapes[l->count][1] = b;
        l->shapes[l->count][2] = c, l->shapes[l->count][3] = d;
    }
    if (l->numels) l->numels[l->count] = a * b * c * d;
    l->count++;
}

static void conv(param_list *l, int64_t out, int64_t in, int64_t k) { add(l, out, in, k, k); }

static void batchnorm(param_list *l, int64_t channels) {
    add(l, channels, 1, 1, 1); /* weight */
    add(l, channels, 1, 1, 1); /* bias */
}

int resnet50_parameters(int64_t shapes[][4], int64_t *numels) {
    param_list l = {shapes, numels, 0};
    conv(&l, 64, 3, 7); /* conv1 */
    batchnorm(&l, 64);  /* bn1 */
    static const int blocks[4] = {3, 4, 6, 3};
    int64_t in = 64;
    for (int stage = 0; stage < 4; stage++) {
        const int64_t width = (int64_t)64 << stage, out = width * 4;
        for (int b = 0; b < blocks[stage]; b++) {
            conv(&l, width, in, 1); /* conv1, bn1 */
            batchnorm(&l, width);
            conv(&l, width, width, 3); /* conv2, bn2 */
            batchnorm(&l, width);
            conv(&l, out, width, 1); /* conv3, bn3 */
            batchnorm(&l, out);
            if (b == 0) { /* downsample.0, downsample.1 */
                conv(&l, out, in, 1);
                batchnorm(&l, out);
            }
            in = out;
        }
    }
    add(&l, 1000, 2048, 1, 1); /* fc.weight */
    add(&l, 1000, 1, 1, 1);    /* fc.bias */
    return l.count;
}
