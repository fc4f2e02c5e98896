/*
 * One step of each benchmarked update over a list of tensors, through the public C API, with the
 * options of the JMH benchmark (bench/.../OptimizerStepBench) and of bench/gpu/torch_optim.py:
 * SGD lr 0.01, momentum 0.9; RMSprop torch's defaults (lr 0.01, alpha 0.99, eps 1e-8); Adam and
 * AdamW lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0 / 0.01; no amsgrad, nesterov,
 * centered or maximize. Plus the roofline (pt_roofline_step) and the copy baseline.
 */
#ifndef PT_BENCH_STEPS_H
#define PT_BENCH_STEPS_H

#include <stdint.h>

typedef enum bench_op { OP_SGD, OP_RMSPROP, OP_ADAM, OP_ADAMW, OP_ROOFLINE, OP_COPY, OP_COUNT } bench_op;

/* "sgd", "rmsprop", "adam", "adamw", "roofline", "copy". */
const char *bench_op_name(bench_op op);
/* -1 when `name` is none of those. */
int bench_op_parse(const char *name);
/* Bytes read + written per param: 28 (Adam, AdamW, roofline), 20 (SGD with momentum, RMSprop), 8 (copy). */
int bench_op_bytes(bench_op op);

/* The tensors of a workload: p, g and two state arrays per tensor (s2 unused by SGD and RMSprop). */
typedef struct bench_tensors {
    int64_t count;
    const int64_t *numels;
    float **p, **g, **s1, **s2;
    int64_t *steps; /* Adam's per-tensor step counts, advanced by bench_step */
} bench_tensors;

/* One update of `op` (not OP_ROOFLINE or OP_COPY) on `device` (pt_device); a pt_status. */
int bench_step(bench_op op, int device, bench_tensors *t);

#endif
