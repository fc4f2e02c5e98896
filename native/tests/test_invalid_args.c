/*
 * Every error path of api/optim_api.c: the documented status, and a pt_last_error() that names
 * the problem. Also: empty calls succeed, NULL is accepted where the header allows it, and a
 * rejected call writes nothing.
 */
#include <math.h>
#include <string.h>

#include "panoptim.h"
#include "test_expect_error.h"

/* Two valid tensors of 4 elements with every state buffer. */
static int64_t n2[2] = {4, 4};
static float a0[4], a1[4], b0[4], b1[4], c0[4], c1[4], d0[4], d1[4], e0[4], e1[4];
static float *P[2] = {a0, a1}, *M[2] = {c0, c1}, *V[2] = {d0, d1}, *X[2] = {e0, e1};
static const float *G[2] = {b0, b1};
static int64_t S[2] = {1, 1};

/* A CUDA step over these host arrays: without a usable CUDA device it says why CUDA is
 * unavailable; with one, the host pointers are refused, naming the first. */
#define EXPECT_CUDA_REFUSED(call)                                        \
    do {                                                                 \
        int count_;                                                      \
        if (pt_cuda_device_count(&count_) == PT_OK)                      \
            EXPECT(INVALID, "params[0]", call);                          \
        else                                                             \
            EXPECT(PT_ERR_UNSUPPORTED, "CUDA", call);                    \
    } while (0)

static void sgd_errors(void) {
    EXPECT(INVALID, "unknown device", pt_sgd_step(2, 2, n2, P, G, M, NULL, 0.1, 0.9, 0, 0, 0, 0));
    EXPECT(INVALID, "unknown device", pt_sgd_step(-1, 2, n2, P, G, M, NULL, 0.1, 0.9, 0, 0, 0, 0));
    EXPECT(INVALID, "num_tensors", pt_sgd_step(CPU, -1, n2, P, G, M, NULL, 0.1, 0.9, 0, 0, 0, 0));
    EXPECT(INVALID, "numels is NULL", pt_sgd_step(CPU, 2, NULL, P, G, M, NULL, 0.1, 0.9, 0, 0, 0, 0));
    int64_t neg[2] = {4, -1};
    EXPECT(INVALID, "numels[1] is negative", pt_sgd_step(CPU, 2, neg, P, G, M, NULL, 0.1, 0.9, 0, 0, 0, 0));
    EXPECT(INVALID, "lr", pt_sgd_step(CPU, 2, n2, P, G, M, NULL, -0.1, 0.9, 0, 0, 0, 0));
    EXPECT(INVALID, "lr", pt_sgd_step(CPU, 2, n2, P, G, M, NULL, NAN, 0.9, 0, 0, 0, 0));
    EXPECT(INVALID, "momentum", pt_sgd_step(CPU, 2, n2, P, G, M, NULL, 0.1, -0.9, 0, 0, 0, 0));
    EXPECT(INVALID, "weight_decay", pt_sgd_step(CPU, 2, n2, P, G, M, NULL, 0.1, 0.9, 0, -1e-4, 0, 0));
    EXPECT(INVALID, "dampening", pt_sgd_step(CPU, 2, n2, P, G, M, NULL, 0.1, 0.9, NAN, 0, 0, 0));
    EXPECT(INVALID, "nesterov", pt_sgd_step(CPU, 2, n2, P, G, M, NULL, 0.1, 0.0, 0, 0, 1, 0));
    EXPECT(INVALID, "nesterov", pt_sgd_step(CPU, 2, n2, P, G, M, NULL, 0.1, 0.9, 0.1, 0, 1, 0));
    EXPECT(INVALID, "params is NULL", pt_sgd_step(CPU, 2, n2, NULL, G, M, NULL, 0.1, 0.9, 0, 0, 0, 0));
    EXPECT(INVALID, "grads is NULL", pt_sgd_step(CPU, 2, n2, P, NULL, M, NULL, 0.1, 0.9, 0, 0, 0, 0));
    EXPECT(INVALID, "momentum_buffers is NULL", pt_sgd_step(CPU, 2, n2, P, G, NULL, NULL, 0.1, 0.9, 0, 0, 0, 0));
    float *p_hole[2] = {a0, NULL}, *m_hole[2] = {NULL, c1};
    const float *g_hole[2] = {b0, NULL};
    EXPECT(INVALID, "params[1] is NULL", pt_sgd_step(CPU, 2, n2, p_hole, G, M, NULL, 0.1, 0.9, 0, 0, 0, 0));
    EXPECT(INVALID, "grads[1] is NULL", pt_sgd_step(CPU, 2, n2, P, g_hole, M, NULL, 0.1, 0.9, 0, 0, 0, 0));
    EXPECT(INVALID, "momentum_buffers[0] is NULL",
           pt_sgd_step(CPU, 2, n2, P, G, m_hole, NULL, 0.1, 0.9, 0, 0, 0, 0));
    EXPECT_CUDA_REFUSED(pt_sgd_step(CUDA, 2, n2, P, G, M, NULL, 0.1, 0.9, 0, 0, 0, 0));
    /* Allowed NULLs: buffers without momentum, pointers of empty tensors, everything when empty. */
    EXPECT(PT_OK, "", pt_sgd_step(CPU, 2, n2, P, G, NULL, NULL, 0.1, 0.0, 0, 0, 0, 0));
    int64_t empty1[2] = {4, 0};
    EXPECT(PT_OK, "", pt_sgd_step(CPU, 2, empty1, p_hole, g_hole, NULL, NULL, 0.1, 0.0, 0, 0, 0, 0));
    EXPECT(PT_OK, "", pt_sgd_step(CPU, 0, NULL, NULL, NULL, NULL, NULL, 0.1, 0.9, 0, 0, 0, 0));
}

static void rmsprop_errors(void) {
    EXPECT(INVALID, "unknown device", pt_rmsprop_step(7, 2, n2, P, G, V, M, X, 0.01, 0.99, 1e-8, 0, 0.9, 1, 0));
    EXPECT(INVALID, "num_tensors", pt_rmsprop_step(CPU, -3, n2, P, G, V, M, X, 0.01, 0.99, 1e-8, 0, 0.9, 1, 0));
    EXPECT(INVALID, "lr", pt_rmsprop_step(CPU, 2, n2, P, G, V, M, X, -0.01, 0.99, 1e-8, 0, 0.9, 1, 0));
    EXPECT(INVALID, "lr", pt_rmsprop_step(CPU, 2, n2, P, G, V, M, X, NAN, 0.99, 1e-8, 0, 0.9, 1, 0));
    EXPECT(INVALID, "alpha", pt_rmsprop_step(CPU, 2, n2, P, G, V, M, X, 0.01, -0.5, 1e-8, 0, 0.9, 1, 0));
    EXPECT(INVALID, "eps", pt_rmsprop_step(CPU, 2, n2, P, G, V, M, X, 0.01, 0.99, -1e-8, 0, 0.9, 1, 0));
    EXPECT(INVALID, "weight_decay", pt_rmsprop_step(CPU, 2, n2, P, G, V, M, X, 0.01, 0.99, 1e-8, -1, 0.9, 1, 0));
    EXPECT(INVALID, "momentum", pt_rmsprop_step(CPU, 2, n2, P, G, V, M, X, 0.01, 0.99, 1e-8, 0, -0.9, 1, 0));
    EXPECT(INVALID, "params", pt_rmsprop_step(CPU, 2, n2, NULL, G, V, M, X, 0.01, 0.99, 1e-8, 0, 0.9, 1, 0));
    EXPECT(INVALID, "grads", pt_rmsprop_step(CPU, 2, n2, P, NULL, V, M, X, 0.01, 0.99, 1e-8, 0, 0.9, 1, 0));
    EXPECT(INVALID, "square_avgs", pt_rmsprop_step(CPU, 2, n2, P, G, NULL, M, X, 0.01, 0.99, 1e-8, 0, 0.9, 1, 0));
    EXPECT(INVALID, "momentum_buffers",
           pt_rmsprop_step(CPU, 2, n2, P, G, V, NULL, X, 0.01, 0.99, 1e-8, 0, 0.9, 1, 0));
    EXPECT(INVALID, "grad_avgs", pt_rmsprop_step(CPU, 2, n2, P, G, V, M, NULL, 0.01, 0.99, 1e-8, 0, 0.9, 1, 0));
    float *v_hole[2] = {d0, NULL};
    EXPECT(INVALID, "square_avgs[1]",
           pt_rmsprop_step(CPU, 2, n2, P, G, v_hole, M, X, 0.01, 0.99, 1e-8, 0, 0.9, 1, 0));
    EXPECT_CUDA_REFUSED(pt_rmsprop_step(CUDA, 2, n2, P, G, V, M, X, 0.01, 0.99, 1e-8, 0, 0.9, 1, 0));
    EXPECT(PT_OK, "", pt_rmsprop_step(CPU, 2, n2, P, G, V, NULL, NULL, 0.01, 0.99, 1e-8, 0, 0.0, 0, 0));
    EXPECT(PT_OK, "", pt_rmsprop_step(CPU, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0.01, 0.99, 1e-8, 0, 0.9, 1, 0));
}

/* Adam and AdamW share their checks; both entry points are exercised, and each names itself. */
typedef int (*adam_fn)(int, int64_t, const int64_t *, float *const *, const float *const *, float *const *,
                       float *const *, float *const *, const int64_t *, double, double, double, double, double,
                       int, int);

static void adam_errors(adam_fn step, const char *op) {
    EXPECT(INVALID, op, step(3, 2, n2, P, G, M, V, X, S, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0));
    EXPECT(INVALID, "unknown device", step(3, 2, n2, P, G, M, V, X, S, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0));
    EXPECT(INVALID, "num_tensors", step(CPU, -1, n2, P, G, M, V, X, S, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0));
    EXPECT(INVALID, "numels", step(CPU, 2, NULL, P, G, M, V, X, S, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0));
    EXPECT(INVALID, "lr", step(CPU, 2, n2, P, G, M, V, X, S, -1e-3, 0.9, 0.999, 1e-8, 0, 1, 0));
    EXPECT(INVALID, "lr", step(CPU, 2, n2, P, G, M, V, X, S, NAN, 0.9, 0.999, 1e-8, 0, 1, 0));
    EXPECT(INVALID, "beta1", step(CPU, 2, n2, P, G, M, V, X, S, 1e-3, -0.1, 0.999, 1e-8, 0, 1, 0));
    EXPECT(INVALID, "beta1", step(CPU, 2, n2, P, G, M, V, X, S, 1e-3, 1.0, 0.999, 1e-8, 0, 1, 0));
    EXPECT(INVALID, "beta1", step(CPU, 2, n2, P, G, M, V, X, S, 1e-3, NAN, 0.999, 1e-8, 0, 1, 0));
    EXPECT(INVALID, "beta2", step(CPU, 2, n2, P, G, M, V, X, S, 1e-3, 0.9, 1.0, 1e-8, 0, 1, 0));
    EXPECT(INVALID, "beta2", step(CPU, 2, n2, P, G, M, V, X, S, 1e-3, 0.9, -1e-9, 1e-8, 0, 1, 0));
    EXPECT(INVALID, "eps", step(CPU, 2, n2, P, G, M, V, X, S, 1e-3, 0.9, 0.999, -1e-8, 0, 1, 0));
    EXPECT(INVALID, "weight_decay", step(CPU, 2, n2, P, G, M, V, X, S, 1e-3, 0.9, 0.999, 1e-8, -0.01, 1, 0));
    EXPECT(INVALID, "params", step(CPU, 2, n2, NULL, G, M, V, X, S, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0));
    EXPECT(INVALID, "grads", step(CPU, 2, n2, P, NULL, M, V, X, S, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0));
    EXPECT(INVALID, "exp_avgs", step(CPU, 2, n2, P, G, NULL, V, X, S, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0));
    EXPECT(INVALID, "exp_avg_sqs", step(CPU, 2, n2, P, G, M, NULL, X, S, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0));
    EXPECT(INVALID, "max_exp_avg_sqs", step(CPU, 2, n2, P, G, M, V, NULL, S, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0));
    float *x_hole[2] = {NULL, e1};
    EXPECT(INVALID, "max_exp_avg_sqs[0]", step(CPU, 2, n2, P, G, M, V, x_hole, S, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0));
    EXPECT(INVALID, "steps is NULL", step(CPU, 2, n2, P, G, M, V, X, NULL, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0));
    int64_t bad_steps[2] = {1, 0};
    EXPECT(INVALID, "steps[1]", step(CPU, 2, n2, P, G, M, V, X, bad_steps, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0));
    EXPECT_CUDA_REFUSED(step(CUDA, 2, n2, P, G, M, V, X, S, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0));
    EXPECT(PT_OK, "", step(CPU, 2, n2, P, G, M, V, NULL, S, 1e-3, 0.9, 0.999, 1e-8, 0, 0, 0));
    EXPECT(PT_OK, "", step(CPU, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0));

    /* Validation completes before any write: tensor 0 is valid, tensor 1's step is not. */
    for (int j = 0; j < 4; j++) a0[j] = c0[j] = d0[j] = e0[j] = 0.5f, b0[j] = 1.0f;
    EXPECT(INVALID, "steps[1]", step(CPU, 2, n2, P, G, M, V, X, bad_steps, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0));
    for (int j = 0; j < 4; j++)
        CHECK(a0[j] == 0.5f && c0[j] == 0.5f && d0[j] == 0.5f && e0[j] == 0.5f,
              "%s: a rejected call wrote tensor 0 (element %d)", op, j);
}

/* The *_ex calls: the plain checks, then the extras' own. */
static void extras_errors(void) {
    static uint16_t h0[4], h1[4];
    static void *B[2] = {h0, h1}, *b_hole[2] = {h0, NULL};
    static float counts[2] = {0, 0}, lr = 0.1f;
    const void *const *g = (const void *const *)G;
    pt_step_extras x = {0};
    x.reserved = 1;
    EXPECT(INVALID, "extras->reserved", pt_sgd_step_ex(CPU, 2, n2, P, g, M, NULL, 0.1, 0.9, 0, 0, 0, 0, &x));
    x.reserved = 0, x.grad_dtype = 2;
    EXPECT(INVALID, "grad_dtype", pt_adam_step_ex(CPU, 2, n2, P, g, M, V, X, S, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0, &x));
    x.grad_dtype = -1;
    EXPECT(INVALID, "grad_dtype",
           pt_rmsprop_step_ex(CPU, 2, n2, P, g, V, M, X, 0.01, 0.99, 1e-8, 0, 0.9, 1, 0, &x));
    x.grad_dtype = PT_DTYPE_BFLOAT16, x.steps = counts;
    EXPECT(INVALID, "extras->steps must be NULL for SGD",
           pt_sgd_step_ex(CPU, 2, n2, P, g, M, NULL, 0.1, 0.9, 0, 0, 0, 0, &x));
    EXPECT(INVALID, "steps must be NULL when extras->steps",
           pt_adamw_step_ex(CPU, 2, n2, P, g, M, V, X, S, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0, &x));
    x.steps = NULL;
    EXPECT(INVALID, "steps is NULL",
           pt_adam_step_ex(CPU, 2, n2, P, g, M, V, X, NULL, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0, &x));
    x.params_bf16 = b_hole;
    EXPECT(INVALID, "extras->params_bf16[1] is NULL",
           pt_sgd_step_ex(CPU, 2, n2, P, g, M, NULL, 0.1, 0.9, 0, 0, 0, 0, &x));
    /* The plain checks still run, naming the _ex call. */
    x.params_bf16 = B;
    EXPECT(INVALID, "pt_sgd_step_ex: invalid lr", pt_sgd_step_ex(CPU, 2, n2, P, g, M, NULL, -1, 0.9, 0, 0, 0, 0, &x));
    EXPECT(INVALID, "pt_rmsprop_step_ex: grads is NULL",
           pt_rmsprop_step_ex(CPU, 2, n2, P, NULL, V, M, X, 0.01, 0.99, 1e-8, 0, 0.9, 1, 0, &x));
    /* extras->lr replaces the lr argument, which is then not checked (NaN passes). */
    x.lr = &lr, x.steps = counts;
    EXPECT(PT_OK, "", pt_rmsprop_step_ex(CPU, 2, n2, P, g, V, M, X, NAN, 0.99, 1e-8, 0, 0.9, 1, 0, &x));
    EXPECT(PT_OK, "", pt_adamw_step_ex(CPU, 2, n2, P, g, M, V, X, NULL, NAN, 0.9, 0.999, 1e-8, 0, 1, 0, &x));
    CHECK(counts[0] == 2.0f && counts[1] == 2.0f, "extras->steps counted %g, %g (want 2, 2)", counts[0], counts[1]);
    x.steps = NULL;
    EXPECT(PT_OK, "", pt_sgd_step_ex(CPU, 2, n2, P, g, M, NULL, NAN, 0.9, 0, 0, 0, 0, &x));
    EXPECT(PT_OK, "", pt_sgd_step_ex(CPU, 0, NULL, NULL, NULL, NULL, NULL, 0.1, 0.9, 0, 0, 0, 0, &x));
}

int main(void) {
    for (int j = 0; j < 4; j++) a0[j] = a1[j] = b0[j] = b1[j] = c0[j] = c1[j] = 0.5f, d0[j] = d1[j] = e0[j] = e1[j] = 0.25f;
    sgd_errors();
    rmsprop_errors();
    adam_errors(pt_adam_step, "pt_adam_step");
    adam_errors(pt_adamw_step, "pt_adamw_step");
    extras_errors();

    EXPECT(INVALID, "threads", pt_set_num_threads(0));
    EXPECT(INVALID, "threads", pt_set_num_threads(-4));
    return test_exit_status("test_invalid_args");
}
