/*
 * The public fused-step entry points: validate every argument (the library never trusts its
 * caller and never aborts), then dispatch on the device to the CPU or CUDA kernel.
 */
#include <stddef.h>

#include "api/error.h"
#include "cpu/optim_kernels.h"

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

static int cuda_not_built(const char *op) {
    return pt_fail(PT_ERR_UNSUPPORTED, "%s: the CUDA optimizer kernels are not written yet; use device CPU", op);
}

int pt_sgd_step(int device, int64_t num_tensors, const int64_t *numels, float *const *params,
                const float *const *grads, float *const *momentum_buffers,
                const uint8_t *momentum_buffer_is_new, double lr, double momentum, double dampening,
                double weight_decay, int nesterov, int maximize) {
    static const char op[] = "pt_sgd_step";
    int s = check_list(op, device, num_tensors, numels);
    if (s != PT_OK) return s;
    CHECK_MIN(op, "lr", lr, 0.0);
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
    if (device == PT_DEVICE_CUDA) return cuda_not_built(op);
    pt_sgd_options o = {lr, momentum, dampening, weight_decay, nesterov != 0, maximize != 0};
    pt_cpu_sgd_step(num_tensors, numels, params, grads, momentum_buffers, momentum_buffer_is_new, &o);
    return PT_OK;
}

int pt_rmsprop_step(int device, int64_t num_tensors, const int64_t *numels, float *const *params,
                    const float *const *grads, float *const *square_avgs, float *const *momentum_buffers,
                    float *const *grad_avgs, double lr, double alpha, double eps, double weight_decay,
                    double momentum, int centered, int maximize) {
    static const char op[] = "pt_rmsprop_step";
    int s = check_list(op, device, num_tensors, numels);
    if (s != PT_OK) return s;
    CHECK_MIN(op, "lr", lr, 0.0);
    CHECK_MIN(op, "alpha", alpha, 0.0);
    CHECK_MIN(op, "eps", eps, 0.0);
    CHECK_MIN(op, "weight_decay", weight_decay, 0.0);
    CHECK_MIN(op, "momentum", momentum, 0.0);
    CHECK_PTRS(op, "params", num_tensors, numels, params);
    CHECK_PTRS(op, "grads", num_tensors, numels, grads);
    CHECK_PTRS(op, "square_avgs", num_tensors, numels, square_avgs);
    if (momentum > 0.0) CHECK_PTRS(op, "momentum_buffers", num_tensors, numels, momentum_buffers);
    if (centered) CHECK_PTRS(op, "grad_avgs", num_tensors, numels, grad_avgs);
    if (device == PT_DEVICE_CUDA) return cuda_not_built(op);
    pt_rmsprop_options o = {lr, alpha, eps, weight_decay, momentum, centered != 0, maximize != 0};
    pt_cpu_rmsprop_step(num_tensors, numels, params, grads, square_avgs, momentum_buffers, grad_avgs, &o);
    return PT_OK;
}

static int adam_family_step(const char *op, int decoupled, int device, int64_t num_tensors,
                            const int64_t *numels, float *const *params, const float *const *grads,
                            float *const *exp_avgs, float *const *exp_avg_sqs, float *const *max_exp_avg_sqs,
                            const int64_t *steps, double lr, double beta1, double beta2, double eps,
                            double weight_decay, int amsgrad, int maximize) {
    int s = check_list(op, device, num_tensors, numels);
    if (s != PT_OK) return s;
    CHECK_MIN(op, "lr", lr, 0.0);
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
    if (num_tensors > 0 && steps == NULL) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: steps is NULL", op);
    for (int64_t i = 0; i < num_tensors; i++)
        if (steps[i] < 1)
            return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: steps[%lld] is %lld (the step being taken counts from 1)",
                           op, (long long)i, (long long)steps[i]);
    if (device == PT_DEVICE_CUDA) return cuda_not_built(op);
    pt_adam_options o = {lr, beta1, beta2, eps, weight_decay, amsgrad != 0, maximize != 0, decoupled};
    pt_cpu_adam_step(num_tensors, numels, params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, &o);
    return PT_OK;
}

int pt_adam_step(int device, int64_t num_tensors, const int64_t *numels, float *const *params,
                 const float *const *grads, float *const *exp_avgs, float *const *exp_avg_sqs,
                 float *const *max_exp_avg_sqs, const int64_t *steps, double lr, double beta1, double beta2,
                 double eps, double weight_decay, int amsgrad, int maximize) {
    return adam_family_step("pt_adam_step", 0, device, num_tensors, numels, params, grads, exp_avgs, exp_avg_sqs,
                            max_exp_avg_sqs, steps, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);
}

int pt_adamw_step(int device, int64_t num_tensors, const int64_t *numels, float *const *params,
                  const float *const *grads, float *const *exp_avgs, float *const *exp_avg_sqs,
                  float *const *max_exp_avg_sqs, const int64_t *steps, double lr, double beta1, double beta2,
                  double eps, double weight_decay, int amsgrad, int maximize) {
    return adam_family_step("pt_adamw_step", 1, device, num_tensors, numels, params, grads, exp_avgs, exp_avg_sqs,
                            max_exp_avg_sqs, steps, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);
}
