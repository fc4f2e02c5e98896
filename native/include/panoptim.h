/*
 * panoptim.h -- the one C API of panoptim: the contract between the Java bindings and the kernels.
 *
 * Conventions
 *  - Every function that can fail returns a pt_status (PT_OK == 0). On failure a human-readable
 *    message is stored in a thread-local buffer, read with pt_last_error(). The library never aborts
 *    and never writes to stdout/stderr.
 *  - Fused multi-tensor steps: one call updates a list of tensors given as parallel arrays of
 *    pointers (params[i], grads[i], state[i]) and element counts numels[i]. A model with hundreds of
 *    parameter tensors costs one call per param group.
 *  - All tensors are contiguous float32. Params and optimizer state are updated in place; grads are
 *    never written. For PT_DEVICE_CPU every pointer is host memory.
 *  - Semantics are torch.optim's (https://pytorch.org/docs/stable/optim.html), element by element,
 *    in float32 with the per-step scalars (bias corrections, step sizes) computed once per tensor in
 *    double precision.
 *  - A tensor with numels[i] == 0 is allowed and untouched; its pointers may then be NULL.
 */
#ifndef PANOPTIM_H
#define PANOPTIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define PT_API __attribute__((visibility("default")))
#else
#define PT_API
#endif

#define PANOPTIM_VERSION_MAJOR 0
#define PANOPTIM_VERSION_MINOR 1
#define PANOPTIM_VERSION_PATCH 0

/* Status codes returned by every fallible call. */
typedef enum pt_status {
    PT_OK = 0,
    PT_ERR_INVALID_ARGUMENT = 1, /* a null pointer, negative count, out-of-range hyperparameter... */
    PT_ERR_UNSUPPORTED = 2,      /* the operation or device is not available in this build/machine */
    PT_ERR_DEVICE = 3,           /* the device runtime (CUDA) reported an error */
    PT_ERR_OUT_OF_MEMORY = 4,
    PT_ERR_INTERNAL = 5
} pt_status;

/* Where the memory behind the pointers of a call lives, and so which kernel runs. */
typedef enum pt_device {
    PT_DEVICE_CPU = 0,
    PT_DEVICE_CUDA = 1
} pt_device;

/* ---------------------------------------------------------------- errors and library info */

/* Message of the last failed call on this thread ("" if none). Valid until the next call. */
PT_API const char *pt_last_error(void);
/* Forget the last error of this thread. */
PT_API void pt_clear_error(void);
/* Version string, "MAJOR.MINOR.PATCH". */
PT_API const char *pt_version(void);
/* SIMD level the CPU kernels dispatch to on this machine: "avx512", "avx2+fma" or "baseline". */
PT_API const char *pt_simd_level(void);
/* Number of threads the CPU kernels use: the last pt_set_num_threads value, else OpenMP's max
 * threads (OMP_NUM_THREADS or the core count). */
PT_API int pt_num_threads(void);
/* Set the number of CPU threads (n >= 1), for kernels called from any thread. */
PT_API int pt_set_num_threads(int n);
/* 1 if the library was built with its CUDA kernels, 0 otherwise. */
PT_API int pt_cuda_compiled(void);
/* Number of usable CUDA devices in *count. Returns PT_OK with *count >= 1, or an error status
 * whose message says why CUDA cannot be used (not compiled in, no driver, no device). */
PT_API int pt_cuda_device_count(int *count);

/* ---------------------------------------------------------------- fused optimizer steps */

/*
 * SGD (torch.optim.SGD), per element, g = grad (negated if maximize):
 *   g += weight_decay * p                                 (if weight_decay != 0)
 *   if momentum != 0:
 *     buf = g                                             (if momentum_buffer_is_new[i])
 *     buf = momentum * buf + (1 - dampening) * g          (otherwise)
 *     g = nesterov ? g + momentum * buf : buf
 *   p -= lr * g
 * momentum_buffers and momentum_buffer_is_new may be NULL when momentum == 0.
 * momentum_buffer_is_new may be NULL, meaning no buffer is new.
 * Errors: lr < 0, momentum < 0, weight_decay < 0, nesterov with momentum <= 0 or dampening != 0.
 */
PT_API int pt_sgd_step(int device, int64_t num_tensors, const int64_t *numels,
                       float *const *params, const float *const *grads,
                       float *const *momentum_buffers, const uint8_t *momentum_buffer_is_new,
                       double lr, double momentum, double dampening, double weight_decay,
                       int nesterov, int maximize);

/*
 * RMSprop (torch.optim.RMSprop), per element, g = grad (negated if maximize):
 *   g += weight_decay * p                                 (if weight_decay != 0)
 *   sq = alpha * sq + (1 - alpha) * g * g
 *   if centered: ga = ga + (1 - alpha) * (g - ga);  avg = sqrt(sq - ga * ga) + eps
 *   else:        avg = sqrt(sq) + eps
 *   if momentum > 0: buf = momentum * buf + g / avg;  p -= lr * buf
 *   else:            p -= lr * g / avg
 * All state starts at zero. momentum_buffers may be NULL when momentum == 0, grad_avgs when !centered.
 * Errors: lr < 0, alpha < 0, eps < 0, weight_decay < 0, momentum < 0.
 */
PT_API int pt_rmsprop_step(int device, int64_t num_tensors, const int64_t *numels,
                           float *const *params, const float *const *grads,
                           float *const *square_avgs, float *const *momentum_buffers,
                           float *const *grad_avgs,
                           double lr, double alpha, double eps, double weight_decay,
                           double momentum, int centered, int maximize);

/*
 * Adam (torch.optim.Adam, weight decay as L2) and AdamW (decoupled weight decay), per element,
 * g = grad (negated if maximize), t = steps[i] (the step being taken, >= 1):
 *   Adam:  g += weight_decay * p          AdamW: p *= 1 - lr * weight_decay
 *   m = m + (1 - beta1) * (g - m)
 *   v = beta2 * v + (1 - beta2) * g * g
 *   if amsgrad: vmax = max(vmax, v), and vmax replaces v below
 *   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * State starts at zero. max_exp_avg_sqs may be NULL when !amsgrad.
 * Errors: lr < 0, beta1 or beta2 outside [0, 1), eps < 0, weight_decay < 0, steps[i] < 1.
 */
PT_API int pt_adam_step(int device, int64_t num_tensors, const int64_t *numels,
                        float *const *params, const float *const *grads,
                        float *const *exp_avgs, float *const *exp_avg_sqs,
                        float *const *max_exp_avg_sqs, const int64_t *steps,
                        double lr, double beta1, double beta2, double eps, double weight_decay,
                        int amsgrad, int maximize);

PT_API int pt_adamw_step(int device, int64_t num_tensors, const int64_t *numels,
                         float *const *params, const float *const *grads,
                         float *const *exp_avgs, float *const *exp_avg_sqs,
                         float *const *max_exp_avg_sqs, const int64_t *steps,
                         double lr, double beta1, double beta2, double eps, double weight_decay,
                         int amsgrad, int maximize);

#ifdef __cplusplus
}
#endif

#endif /* PANOPTIM_H */
