/* bench_steps.h: the optimizer calls of bench/gpu with the benchmark's options. */
#include "bench_steps.h"

#include <string.h>

#include "panoptim.h"

static const char *const names[OP_COUNT] = {"sgd", "rmsprop", "adam", "adamw", "roofline", "copy"};
static const int bytes[OP_COUNT] = {20, 20, 28, 28, 28, 8};

const char *bench_op_name(bench_op op) { return names[op]; }

int bench_op_parse(const char *name) {
    for (int k = 0; k < OP_COUNT; k++)
        if (strcmp(name, names[k]) == 0) return k;
    return -1;
}

int bench_op_bytes(bench_op op) { return bytes[op]; }

int bench_step(bench_op op, int device, bench_tensors *t) {
    float *const *p = t->p, *const *s1 = t->s1, *const *s2 = t->s2;
    const float *const *g = (const float *const *)t->g;
    if (op == OP_ADAM || op == OP_ADAMW)
        for (int64_t i = 0; i < t->count; i++) t->steps[i]++;
    switch (op) {
    case OP_SGD: /* zeroed buffers make the first step's buf = g, as torch's new buffer */
        return pt_sgd_step(device, t->count, t->numels, p, g, s1, NULL, 0.01, 0.9, 0.0, 0.0, 0, 0);
    case OP_RMSPROP:
        return pt_rmsprop_step(device, t->count, t->numels, p, g, s1, NULL, NULL, 0.01, 0.99, 1e-8, 0.0, 0.0, 0, 0);
    case OP_ADAM:
        return pt_adam_step(device, t->count, t->numels, p, g, s1, s2, NULL, t->steps, 1e-3, 0.9, 0.999, 1e-8, 0.0, 0, 0);
    case OP_ADAMW:
        return pt_adamw_step(device, t->count, t->numels, p, g, s1, s2, NULL, t->steps, 1e-3, 0.9, 0.999, 1e-8, 0.01, 0, 0);
    default:
        return PT_ERR_INVALID_ARGUMENT;
    }
}
