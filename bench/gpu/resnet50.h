/* The parameter list of torchvision's resnet50 (161 tensors, 25,557,032 params), for bench/gpu. */
#ifndef PT_BENCH_RESNET50_H
#define PT_BENCH_RESNET50_H

#include <stdint.h>

enum { RESNET50_TENSORS = 161 };
#define RESNET50_PARAMS INT64_C(25557032)

/* Fills shapes[i][0..3] (unused dims are 1) and numels[i] in the order of model.parameters();
 * returns the number of tensors (RESNET50_TENSORS). Either array may be NULL. */
int resnet50_parameters(int64_t shapes[][4], int64_t *numels);

#endif
