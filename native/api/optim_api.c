/*
 * The public fused-step entry points: validate every argument (the library never trusts its
 * caller and never aborts), then dispatch on the device to the CPU or CUDA kernel.
 * The plain pt_*_step are the *_ex ones with extras == NULL. What can be checked on the host is
 * checked here, for both devices; the CUDA side (cuda/optim_cuda.h) checks that pointers are
 * device memory. Values behind extras pointers (lr, step counts, grad_scale, found_inf) live on
 * the call's device and are used as they are, unchecked, as torch's fused kernels do.
 */
#include <stddef.h>

#include "api/error.h"
#include "cpu/optim_kernels.h"
#include "cuda/optim_cuda.h"

/* Checks shared by every step: the list itself and one pointer array of it.
 * `required` arrays must hold a non-null pointer for each tensor with numels[i] > 0. */
static int check_list(const char *op, int device, int64_t n, const int64_t *numels) {
    if (device != PT_DEVICE_CPU && device != PT_DEVICE_CUDA)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: unknown device %d (0 = CPU, 1 = CUDA)", op, device);
    if (n < 0) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: num_tensors must be >= 0, got %lld", op, (long long)n);
    if (n > 0 && numels == NULL) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: numels is NULL", op);
    for (int64_t i = 0; i < n; i++)
        if (numels[i] < 0)
            return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: numels[%lld] is negative (%lld)", op, (long long)i,
                           (long long)numels[i]);
    return PT_OK;
}

static int check_pointers(const char *op, const char *name, int64_t n, const int64_t *numels,
                          const void *const *ptrs) {
    if (n == 0) return PT_OK;
    if (ptrs == NULL) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s is NULL", op, name);
    for (int64_t i = 0; i < n; i++)
        if (numels[i] > 0 && ptrs[i] == NULL)
            return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s[%lld] is NULL for a tensor of %lld elements", op, name,
                           (long long)i, (long long)numels[i]);
    return PT_OK;
}

/* `!(x >= lo)` so that NaN is rejected too. */
#define CHECK_MIN(op, name, x, lo)                                                                       \
    do {                                                                                                 \
        if (!((x) >= (lo))) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: invalid %s %g (must be >= %g)", \
                                           op, name, (double)(x), (double)(lo));                         \
    } while (0)
#define CHECK_PTRS(op, name, n, numels, p)                                                  \
    do {                                                                                    \
        int s_ = check_pointers(op, name, n, numels, (const void *const *)(p));             \
        if (s_ != PT_OK) return s_;                                                         \
    } while (0)

enum optimizer_kind { KIND_SGD, KIND_RMSPROP, KIND_ADAM };

/* The extras' own fields; NULL is the plain call. Whether the plain steps[] may be NULL is the
 * Adam family's check (it depends on extras->steps). */
static int check_extras(const char *op, int kind, int64_t n, const int64_t *numels, const pt_step_extras *x) {
    if (x == NULL) return PT_OK;
    if (x->reserved != 0)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: extras->reserved must be 0, got %d", op, (int)x->reserved);
    if (x->grad_dtype != PT_DTYPE_FLOAT32 && x->grad_dtype != PT_DTYPE_BFLOAT16)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: unknown extras->grad_dtype %d (0 = float32, 1 = bfloat16)", op,
                       (int)x->grad_dtype);
    if (kind == KIND_SGD && x->steps != NULL)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: extras->steps must be NULL for SGD (it keeps no step count)", op);
    if (x->params_bf16 != NULL) CHECK_PTRS(op, "extras->params_bf16", n, numels, x->params_bf16);
    return PT_OK;
}

/* All-zero extras are the plain call, which the CPU runs on its plain kernels. */
static int extras_trivial(const pt_step_extras *x) {
    return x == NULL || (x->lr == NULL && x->steps == NULL && x->grad_scale == NULL && x->found_inf == NULL &&
                         x->grad_dtype == PT_DTYPE_FLOAT32 && x->params_bf16 == NULL);
}

/* The lr argument is replaced by extras->lr when that is set, and is then not checked. */
static int lr_from_extras(const pt_step_extras *x) { return x != NULL && x->lr != NULL; }

int pt_sgd_step(int device, int64_t num_tensors, const int64_t *numels, float *const *params,
                const float *const *grads, float *const *momentum_buffers,
                const uint8_t *momentum_buffer_is_new, double lr, double momentum, double dampening,
                double weight_decay, int nesterov, int maximize) {
    return pt_sgd_step_ex(device, num_tensors, numels, params, (const void *const *)grads, momentum_buffers,
                          momentum_buffer_is_new, lr, momentum, dampening, weight_decay, nesterov, maximize, NULL);
}

int pt_sgd_step_ex(int device, int64_t num_tensors, const int64_t *numels, float *const *params,
                   const void *const *grads, float *const *momentum_buffers, const uint8_t *momentum_buffer_is_new,
                   double lr, double momentum, double dampening, double weight_decay, int nesterov, int maximize,
                   const pt_step_extras *extras) {
    const char *op = extras ? "pt_sgd_step_ex" : "pt_sgd_step";
    int s = check_list(op, device, num_tensors, numels);
    if (s != PT_OK) return s;
    if (!lr_from_extras(extras)) CHECK_MIN(op, "lr", lr, 0.0);
    CHECK_MIN(op, "momentum", momentum, 0.0);
    CHECK_MIN(op, "weight_decay", weight_decay, 0.0);
    if (dampening != dampening) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: dampening is NaN", op);
    if (nesterov && (momentum <= 0.0 || dampening != 0.0))
        return pt_fail(PT_ERR_INVALID_ARGUMENT,
                       "%s: nesterov momentum requires a momentum > 0 and zero dampening (got momentum %g, dampening %g)",
                       op, momentum, dampening);
    CHECK_PTRS(op, "params", num_tensors, numels, params);
    CHECK_PTRS(op, "grads", num_tensors, numels, grads);
    if (momentum != 0.0) CHECK_PTRS(op, "momentum_buffers", num_tensors, numels, momentum_buffers);
    s = check_extras(op, KIND_SGD, num_tensors, numels, extras);
    if (s != PT_OK) return s;
    pt_sgd_options o = {lr, momentum, dampening, weight_decay, nesterov != 0, maximize != 0};
    if (device == PT_DEVICE_CUDA)
        return pt_cuda_sgd_step(op, num_tensors, numels, params, grads, momentum_buffers, momentum_buffer_is_new, &o,
                                extras);
    if (extras_trivial(extras))
        pt_cpu_sgd_step(num_tensors, numels, params, (const float *const *)grads, momentum_buffers,
                        momentum_buffer_is_new, &o);
    else
        pt_cpu_sgd_step_ex(num_tensors, numels, params, grads, momentum_buffers, momentum_buffer_is_new, &o, extras);
    return PT_OK;
}

int pt_rmsprop_step(int device, int64_t num_tensors, const int64_t *numels, float *const *params,
                    const float *const *grads, float *const *square_avgs, float *const *momentum_buffers,
                    float *const *grad_avgs, double lr, double alpha, double eps, double weight_decay,
                    double momentum, int centered, int maximize) {
    return pt_rmsprop_step_ex(device, num_tensors, numels, params, (const void *const *)grads, square_avgs,
                              momentum_buffers, grad_avgs, lr, alpha, eps, weight_decay, momentum, centered, maximize,
                              NULL);
}

int pt_rmsprop_step_ex(int device, int64_t num_tensors, const int64_t *numels, float *const *params,
                       const void *const *grads, float *const *square_avgs, float *const *momentum_buffers,
                       float *const *grad_avgs, double lr, double alpha, double eps, double weight_decay,
                       double momentum, int centered, int maximize, const pt_step_extras *extras) {
    const char *op = extras ? "pt_rmsprop_step_ex" : "pt_rmsprop_step";
    int s = check_list(op, device, num_tensors, numels);
    if (s != PT_OK) return s;
    if (!lr_from_extras(extras)) CHECK_MIN(op, "lr", lr, 0.0);
    CHECK_MIN(op, "alpha", alpha, 0.0);
    CHECK_MIN(op, "eps", eps, 0.0);
    CHECK_MIN(op, "weight_decay", weight_decay, 0.0);
    CHECK_MIN(op, "momentum", momentum, 0.0);
    CHECK_PTRS(op, "params", num_tensors, numels, params);
    CHECK_PTRS(op, "grads", num_tensors, numels, grads);
    CHECK_PTRS(op, "square_avgs", num_tensors, numels, square_avgs);
    if (momentum > 0.0) CHECK_PTRS(op, "momentum_buffers", num_tensors, numels, momentum_buffers);
    if (centered) CHECK_PTRS(op, "grad_avgs", num_tensors, numels, grad_avgs);
    s = check_extras(op, KIND_RMSPROP, num_tensors, numels, extras);
    if (s != PT_OK) return s;
    pt_rmsprop_options o = {lr, alpha, eps, weight_decay, momentum, centered != 0, maximize != 0};
    if (device == PT_DEVICE_CUDA)
        return pt_cuda_rmsprop_step(op, num_tensors, numels, params, grads, square_avgs, momentum_buffers, grad_avgs,
                                    &o, extras);
    if (extras_trivial(extras))
        pt_cpu_rmsprop_step(num_tensors, numels, params, (const float *const *)grads, square_avgs, momentum_buffers,
                            grad_avgs, &o);
    else
        pt_cpu_rmsprop_step_ex(num_tensors, numels, params, grads, square_avgs, momentum_buffers, grad_avgs, &o,
                               extras);
    return PT_OK;
}

static int adam_family_step(const char *op, int decoupled, int device, int64_t num_tensors,
                            const int64_t *numels, float *const *params, const void *const *grads,
                            float *const *exp_avgs, float *const *exp_avg_sqs, float *const *max_exp_avg_sqs,
                            const int64_t *steps, double lr, double beta1, double beta2, double eps,
                            double weight_decay, int amsgrad, int maximize, const pt_step_extras *extras) {
    int s = check_list(op, device, num_tensors, numels);
    if (s != PT_OK) return s;
    if (!lr_from_extras(extras)) CHECK_MIN(op, "lr", lr, 0.0);
    if (!(beta1 >= 0.0 && beta1 < 1.0))
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: invalid beta1 %g (must be in [0, 1))", op, beta1);
    if (!(beta2 >= 0.0 && beta2 < 1.0))
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: invalid beta2 %g (must be in [0, 1))", op, beta2);
    CHECK_MIN(op, "eps", eps, 0.0);
    CHECK_MIN(op, "weight_decay", weight_decay, 0.0);
    CHECK_PTRS(op, "params", num_tensors, numels, params);
    CHECK_PTRS(op, "grads", num_tensors, numels, grads);
    CHECK_PTRS(op, "exp_avgs", num_tensors, numels, exp_avgs);
    CHECK_PTRS(op, "exp_avg_sqs", num_tensors, numels, exp_avg_sqs);
    if (amsgrad) CHECK_PTRS(op, "max_exp_avg_sqs", num_tensors, numels, max_exp_avg_sqs);
    s = check_extras(op, KIND_ADAM, num_tensors, numels, extras);
    if (s != PT_OK) return s;
    if (extras != NULL && extras->steps != NULL) {
        if (steps != NULL)
            return pt_fail(PT_ERR_INVALID_ARGUMENT,
                           "%s: steps must be NULL when extras->steps holds the step counts", op);
    } else {
        if (num_tensors > 0 && steps == NULL) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: steps is NULL", op);
        for (int64_t i = 0; i < num_tensors; i++)
            if (steps[i] < 1)
                return pt_fail(PT_ERR_INVALID_ARGUMENT,
                               "%s: steps[%lld] is %lld (the step being taken counts from 1)", op, (long long)i,
                               (long long)steps[i]);
    }
    pt_adam_options o = {lr, beta1, beta2, eps, weight_decay, amsgrad != 0, maximize != 0, decoupled};
    if (device == PT_DEVICE_CUDA)
        return pt_cuda_adam_step(op, num_tensors, numels, params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs,
                                 steps, &o, extras);
    if (extras_trivial(extras))
        pt_cpu_adam_step(num_tensors, numels, params, (const float *const *)grads, exp_avgs, exp_avg_sqs,
                         max_exp_avg_sqs, steps, &o);
    else
        pt_cpu_adam_step_ex(num_tensors, numels, params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, &o,
                            extras);
    return PT_OK;
}

int pt_adam_step(int device, int64_t num_tensors, const int64_t *numels, float *const *params,
                 const float *const *grads, float *const *exp_avgs, float *const *exp_avg_sqs,
                 float *const *max_exp_avg_sqs, const int64_t *steps, double lr, double beta1, double beta2,
                 double eps, double weight_decay, int amsgrad, int maximize) {
    return adam_family_step("pt_adam_step", 0, device, num_tensors, numels, params, (const void *const *)grads,
                            exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, lr, beta1, beta2, eps, weight_decay,
                            amsgrad, maximize, NULL);
}

int pt_adamw_step(int device, int64_t num_tensors, const int64_t *numels, float *const *params,
                  const float *const *grads, float *const *exp_avgs, float *const *exp_avg_sqs,
                  float *const *max_exp_avg_sqs, const int64_t *steps, double lr, double beta1, double beta2,
                  double eps, double weight_decay, int amsgrad, int maximize) {
    return adam_family_step("pt_adamw_step", 1, device, num_tensors, numels, params, (const void *const *)grads,
                            exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, lr, beta1, beta2, eps, weight_decay,
                            amsgrad, maximize, NULL);
}

int pt_adam_step_ex(int device, int64_t num_tensors, const int64_t *numels, float *const *params,
                    const void *const *grads, float *const *exp_avgs, float *const *exp_avg_sqs,
                    float *const *max_exp_avg_sqs, const int64_t *steps, double lr, double beta1, double beta2,
                    double eps, double weight_decay, int amsgrad, int maximize, const pt_step_extras *extras) {
    return adam_family_step(extras ? "pt_adam_step_ex" : "pt_adam_step", 0, device, num_tensors, numels, params,
                            grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, lr, beta1, beta2, eps,
                            weight_decay, amsgrad, maximize, extras);
}

int pt_adamw_step_ex(int device, int64_t num_tensors, const int64_t *numels, float *const *params,
                     const void *const *grads, float *const *exp_avgs, float *const *exp_avg_sqs,
                     float *const *max_exp_avg_sqs, const int64_t *steps, double lr, double beta1, double beta2,
                     double eps, double weight_decay, int amsgrad, int maximize, const pt_step_extras *extras) {
    return adam_family_step(extras ? "pt_adamw_step_ex" : "pt_adamw_step", 1, device, num_tensors, numels, params,
                            grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, lr, beta1, beta2, eps,
                            weight_decay, amsgrad, maximize, extras);
}
