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
 *  - All tensors are contiguous float32, except where a pt_dtype argument says otherwise (bf16
 *    grads and model copies of the *_ex steps; the mixed-precision section at the end: pt_cast,
 *    the *_ex layers, AMP). Params and optimizer state are updated in place; grads are never
 *    written. For PT_DEVICE_CPU every pointer is host memory.
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

/* ---------------------------------------------------------------- CUDA devices, memory and streams
 *
 * CUDA memory is reached through these calls only, so that the same code runs on a real GPU and on
 * the CUDA simulator (libpanoptim_cudasim.so, which runs the same CUDA sources on the CPU).
 * `index` names a device (0 = cuda:0). All panoptim work on a device is queued, in order, on one
 * stream per device (pt_cuda_stream); host -> device and device -> device copies and kernels return
 * before the work is done, device -> host copies wait for it. Errors as everywhere: a status and
 * pt_last_error(), never an abort; a bad pointer or index is an error, never a crash.
 */

/* 1 when this library runs its CUDA kernels on the CPU simulator (no GPU involved), else 0. */
PT_API int pt_cuda_simulated(void);
/* Facts about device `index` for `panoptim info`: name (NUL-terminated, truncated to name_capacity),
 * total memory in bytes, compute capability and number of multiprocessors. Any out pointer may be NULL. */
PT_API int pt_cuda_device_info(int index, char *name, int64_t name_capacity, int64_t *total_memory,
                               int *cc_major, int *cc_minor, int *multiprocessors);
/* Make device `index` the current one of the calling host thread (the one PT_DEVICE_CUDA calls use). */
PT_API int pt_cuda_set_device(int index);
/* The stream on which panoptim queues all work for device `index` (a cudaStream_t), for callers who
 * order their own CUDA work with panoptim's. */
PT_API int pt_cuda_stream(int index, void **stream);
/* Allocate `bytes` on device `index` from its stream-ordered caching pool (cudaMallocAsync):
 * 256-byte aligned; bytes == 0 gives *ptr = NULL. PT_ERR_OUT_OF_MEMORY when the device is full. */
PT_API int pt_cuda_malloc(int index, int64_t bytes, void **ptr);
/* Return `ptr` (from pt_cuda_malloc on that device, or NULL) to the pool, after the work queued before. */
PT_API int pt_cuda_free(int index, void *ptr);
/* Copy `bytes` between host and device `index` or within it; `kind` is a pt_copy_kind. Device -> host
 * waits for the queued work and the copy itself; the others are queued (the host source may be
 * reused on return). Pointers are checked against the kind: a host pointer where device memory is
 * expected is an error. */
typedef enum pt_copy_kind {
    PT_COPY_HOST_TO_DEVICE = 1,
    PT_COPY_DEVICE_TO_HOST = 2,
    PT_COPY_DEVICE_TO_DEVICE = 3
} pt_copy_kind;
PT_API int pt_cuda_copy(int index, void *dst, const void *src, int64_t bytes, int kind);
/* Set `bytes` of device memory to the byte `value` (queued). */
PT_API int pt_cuda_memset(int index, void *ptr, int value, int64_t bytes);
/* Wait until all work queued on device `index` is done; reports an error a kernel raised. */
PT_API int pt_cuda_synchronize(int index);
/* Bytes in live allocations and bytes the pool holds from the device (torch's memory_allocated /
 * memory_reserved). Either pointer may be NULL. */
PT_API int pt_cuda_memory_stats(int index, int64_t *allocated, int64_t *reserved);
/* Give the pool's unused memory back to the device (torch.cuda.empty_cache). */
PT_API int pt_cuda_empty_cache(int index);

/* Pinned (page-locked) host memory, the source of uploads that overlap compute (torch's
 * pin_memory). bytes == 0 gives *ptr = NULL; pt_cuda_host_free(NULL) does nothing, and a pointer
 * that is not pinned memory is refused. */
PT_API int pt_cuda_host_alloc(int64_t bytes, void **ptr);
PT_API int pt_cuda_host_free(void *ptr);
/* Uploads: host -> device copies on a second stream of device `index` (the copy stream), so that
 * the next batch travels while panoptim's stream computes on the current one. pt_cuda_upload
 * queues the copy and returns at once with *ticket (1, 2, ...): the copy starts after the work
 * queued on panoptim's stream before the call (dst may be a buffer that work still reads) and
 * runs alongside the work queued after. `src` should be pinned (pageable memory works, without the
 * overlap) and must stay unchanged until pt_cuda_upload_wait(ticket) returns.
 * pt_cuda_upload_join makes panoptim's stream wait on the device (the host does not wait) for
 * upload `ticket` and every earlier one, before the work queued after the join;
 * pt_cuda_upload_wait makes the host wait for them. */
PT_API int pt_cuda_upload(int index, void *dst, const void *src, int64_t bytes, int64_t *ticket);
PT_API int pt_cuda_upload_join(int index, int64_t ticket);
PT_API int pt_cuda_upload_wait(int index, int64_t ticket);

/* ---------------------------------------------------------------- CUDA graphs
 *
 * Capture the work a training step queues on a device's panoptim stream once, then replay it with
 * one launch instead of one per kernel (torch.cuda.CUDAGraph):
 *
 *   step();                                  warm-up, eagerly: allocates every buffer the step uses
 *   pt_cuda_graph_capture_begin(0);
 *   step();                                  recorded, nothing runs
 *   pt_cuda_graph_capture_end(0, &graph);
 *   for (...) { update inputs and lr in device memory; pt_cuda_graph_replay(graph); }
 *   pt_cuda_graph_destroy(graph);
 *
 * What a replay does is fixed at capture: the same kernels on the same addresses, and the same
 * kernel arguments (sizes and host scalars are baked in). So
 *  - memory is static: a replay reads and writes the buffers the captured calls were given, with
 *    their contents at replay time; change inputs by writing into those buffers, and keep them
 *    allocated until the graph is destroyed;
 *  - a value that must change between replays comes from device memory: the learning rate and the
 *    step counts of an optimizer step through pt_step_extras.lr / .steps (the *_ex calls), never
 *    the lr argument, which is baked in as captured;
 *  - during a capture (between begin and end, from any thread, as CUDA's global capture mode) panoptim
 *    refuses, with a message saying why, each call that a graph cannot record: pt_cuda_malloc and
 *    pt_cuda_free ("allocation during CUDA graph capture: allocate before capturing"), host -> device
 *    pt_cuda_copy (the graph would keep reading its host source), and every call that waits for the
 *    device: pt_cuda_synchronize, device -> host pt_cuda_copy, pt_cuda_empty_cache, and the layer
 *    calls that return a host result (pt_cross_entropy_forward's *loss, pt_argmax_correct). Such a
 *    refusal (PT_ERR_UNSUPPORTED), like any CUDA capture error, breaks the capture:
 *    pt_cuda_graph_capture_end then fails naming the first call that broke it, and gives no graph.
 *    Device -> device copies, memsets, kernels and panoptim's internal scratch memory are recorded.
 * All work queued on the device's panoptim stream during the capture is recorded, whichever thread
 * queued it; capture and end it on one thread.
 */
typedef struct pt_cuda_graph pt_cuda_graph; /* opaque: a captured, instantiated graph */
/* Start capturing panoptim's stream of device `index` (a created, non-blocking stream). Fails if
 * that device captures already. */
PT_API int pt_cuda_graph_capture_begin(int index);
/* End the capture of device `index` and instantiate it: *graph receives the graph, or NULL when the
 * capture failed (a refused call broke it: the message names the first one; or CUDA's error). The
 * capture ends either way. */
PT_API int pt_cuda_graph_capture_end(int index, pt_cuda_graph **graph);
/* Queue one replay of `graph` on the stream it was captured on and return without waiting,
 * ordered with the other work of that stream like any call. */
PT_API int pt_cuda_graph_replay(pt_cuda_graph *graph);
/* Free the graph (NULL is fine); a replay already queued still completes. */
PT_API int pt_cuda_graph_destroy(pt_cuda_graph *graph);
/* *capturing = 1 while device `index` captures (between begin and end), else 0. */
PT_API int pt_cuda_graph_capturing(int index, int *capturing);

/* ---------------------------------------------------------------- CUDA backend: own kernels or vendor libraries
 *
 * Which code runs the PT_DEVICE_CUDA matrix products, linear, conv2d and batchnorm2d calls:
 * panoptim's own kernels (the default) or NVIDIA's libraries, cuBLAS and cuDNN, loaded at run time
 * with dlopen (libcublas.so.13/.12, libcudnn.so.9), so that libpanoptim needs neither to load.
 * Both follow the same contracts (fp32, no TF32: results agree within rounding). The other CUDA
 * calls (optimizer steps, elementwise layers, the fused batchnorm2d_relu pair) always run
 * panoptim's kernels. The simulator runs panoptim's own kernels only.
 * The switch is process-wide; it starts from the environment variable PANOPTIM_CUDA_BACKEND
 * ("own" or "vendor"; unset or empty = own). An unknown value fails every CUDA call, with the
 * value named, until pt_cuda_set_backend chooses. Libraries are searched in PANOPTIM_CUBLAS_PATH /
 * PANOPTIM_CUDNN_PATH (a file or a folder), then by the dynamic loader (LD_LIBRARY_PATH, ldconfig),
 * then in the usual CUDA folders and Python wheels (site-packages/nvidia/x/lib); a missing library
 * makes the vendor call fail with PT_ERR_UNSUPPORTED saying where it looked.
 */
typedef enum pt_cuda_backend {
    PT_CUDA_BACKEND_OWN = 0,    /* panoptim's kernels (default) */
    PT_CUDA_BACKEND_VENDOR = 1  /* cuBLAS (matmul, linear) and cuDNN (conv2d, batchnorm2d) */
} pt_cuda_backend;
/* Choose the backend (a pt_cuda_backend); clears an invalid PANOPTIM_CUDA_BACKEND. VENDOR fails with
 * PT_ERR_UNSUPPORTED on a build without CUDA and on the simulator. The libraries load at first use. */
PT_API int pt_cuda_set_backend(int backend);
/* The backend in force (PT_CUDA_BACKEND_OWN while PANOPTIM_CUDA_BACKEND is invalid). */
PT_API int pt_cuda_get_backend(void);
/* A NUL-terminated description (truncated to capacity) of the backend in force and, per vendor
 * library, the file loaded and its version, or why it cannot be used. Loads the libraries, needs
 * no GPU. Fails only for buf NULL or capacity < 1. */
PT_API int pt_cuda_vendor_info(char *buf, int64_t capacity);

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

/*
 * Extended fused steps (the *_ex entry points): the plain calls above plus, per pt_step_extras,
 * torch's capturable variant (lr and step counts read from device memory, so a step needs no host
 * sync), AMP (grad_scale / found_inf on the device, as torch's GradScaler) and bf16 mixed precision
 * (fp32 master params and state, bf16 grads and a bf16 model copy written in the same pass).
 * All extras pointers are in the memory of the call's device (host memory for PT_DEVICE_CPU).
 * extras == NULL, or all fields zero, is exactly the plain call. The CPU implementation is the
 * reference of the CUDA one, as for the plain calls.
 * Per element the order is: g = grad (bf16 widened exactly), g = g / *grad_scale, then the plain
 * step, then params_bf16[i][j] = bf16(p[j]).
 * For PT_DEVICE_CUDA (plain calls too) the pointer arrays, numels, steps[] and
 * momentum_buffer_is_new are host arrays whose pointers are device addresses of the current
 * device (pt_cuda_set_device); a host pointer or another device's memory among them is
 * PT_ERR_INVALID_ARGUMENT naming the list and index. The step is queued on the device's panoptim
 * stream and the call returns without waiting for it.
 */
/* Element types: float32, bfloat16 (8-bit exponent, 7-bit mantissa) and float16 (IEEE binary16).
 * Narrowing rounds to nearest, ties to even; NaN stays NaN (the canonical 0x7fff); float16
 * overflows to +-inf and keeps subnormals. See pt_cast and the mixed-precision layers below. */
typedef enum pt_dtype {
    PT_DTYPE_FLOAT32 = 0,
    PT_DTYPE_BFLOAT16 = 1,
    PT_DTYPE_FLOAT16 = 2
} pt_dtype;

typedef struct pt_step_extras {
    /* Capturable: the learning rate, one float read by the kernel; replaces the lr argument, which
     * is then ignored (not checked: a value on the device is not read by the host). */
    const float *lr;
    /* Capturable (Adam, AdamW, RMSprop): num_tensors float step counts, one per tensor, in one
     * array (torch keeps "step" as a float tensor; whole numbers, exact below 2^24). A step that is
     * taken adds 1 to every count, empty tensors' too, and Adam's bias corrections use the
     * incremented value. For Adam/AdamW it replaces steps[], which must then be NULL; RMSprop's
     * update does not depend on it (the counts are only kept). Must be NULL for SGD. */
    float *steps;
    /* AMP: grads are divided by *grad_scale (one float) before use; grads are never written. */
    const float *grad_scale;
    /* AMP: if *found_inf (one float) is non-zero the call changes nothing: no param, state or step. */
    const float *found_inf;
    /* The element type behind grads[i]: PT_DTYPE_FLOAT32 (the plain calls) or PT_DTYPE_BFLOAT16
     * (PT_DTYPE_FLOAT16 is not accepted here). */
    int32_t grad_dtype;
    int32_t reserved; /* must be 0 */
    /* Mixed precision: NULL, or per tensor a bf16 buffer of numels[i] elements that receives the
     * updated fp32 param (the master) rounded to nearest even, in the same pass. */
    void *const *params_bf16;
} pt_step_extras;

PT_API int pt_sgd_step_ex(int device, int64_t num_tensors, const int64_t *numels,
                          float *const *params, const void *const *grads,
                          float *const *momentum_buffers, const uint8_t *momentum_buffer_is_new,
                          double lr, double momentum, double dampening, double weight_decay,
                          int nesterov, int maximize, const pt_step_extras *extras);
PT_API int pt_rmsprop_step_ex(int device, int64_t num_tensors, const int64_t *numels,
                              float *const *params, const void *const *grads,
                              float *const *square_avgs, float *const *momentum_buffers,
                              float *const *grad_avgs,
                              double lr, double alpha, double eps, double weight_decay,
                              double momentum, int centered, int maximize, const pt_step_extras *extras);
PT_API int pt_adam_step_ex(int device, int64_t num_tensors, const int64_t *numels,
                           float *const *params, const void *const *grads,
                           float *const *exp_avgs, float *const *exp_avg_sqs,
                           float *const *max_exp_avg_sqs, const int64_t *steps,
                           double lr, double beta1, double beta2, double eps, double weight_decay,
                           int amsgrad, int maximize, const pt_step_extras *extras);
PT_API int pt_adamw_step_ex(int device, int64_t num_tensors, const int64_t *numels,
                            float *const *params, const void *const *grads,
                            float *const *exp_avgs, float *const *exp_avg_sqs,
                            float *const *max_exp_avg_sqs, const int64_t *steps,
                            double lr, double beta1, double beta2, double eps, double weight_decay,
                            int amsgrad, int maximize, const pt_step_extras *extras);

/*
 * The memory roofline of a fused AdamW step, for benchmarks: over n elements, reads p, g, m, v and
 * writes p, m, v (28 bytes per element) with trivial arithmetic (m += g; v += g; p += m - v), on
 * all CPU threads (PT_DEVICE_CPU) or as one CUDA kernel (PT_DEVICE_CUDA, queued on the stream).
 * A fused step that moves the same bytes cannot be faster than this loop on the same machine.
 */
PT_API int pt_roofline_step(int device, int64_t n, float *p, const float *g, float *m, float *v);

/* ---------------------------------------------------------------- neural-network layers
 *
 * Forward and backward kernels of the layers a ResNet needs. Tensors are contiguous float32 in
 * NCHW order (the mixed-precision *_ex variants of matmul, linear and conv2d at the end also take
 * bf16 / fp16 weights); shapes are given as counts. Conventions shared by every backward:
 *  - input grads (dx) are overwritten; a NULL input-grad pointer skips that computation;
 *  - param grads (dweight, dbias) are added to when `accumulate` != 0 (torch's .grad accumulation)
 *    and overwritten otherwise; a NULL param-grad pointer skips it (a frozen param).
 * Class targets are int32 in [0, classes). Errors as everywhere: a status and pt_last_error().
 * With PT_DEVICE_CUDA every tensor (targets and argmax included) is device memory of the current
 * device and the call is queued on panoptim's stream without waiting, except the two with a host
 * result (*loss, *correct: host pointers), which synchronize the stream. Targets and argmax
 * indices are then checked on the device: those two calls refuse bad targets as the CPU does
 * (writing nothing); pt_cross_entropy_backward and pt_maxpool2d_backward, which cannot report
 * without synchronizing, write NaN over the row / plane that a bad index points from.
 */

/* Matrix product for users and layers: c (M, N) = alpha * op(a) @ op(b) + beta * c, where op(a) is
 * (M, K) (a stored (K, M) when trans_a) and op(b) is (K, N) (b stored (N, K) when trans_b).
 * Row-major. On the CPU this is OpenBLAS sgemm. */
PT_API int pt_matmul(int device, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
                     double alpha, const float *a, const float *b, double beta, float *c);

/* Linear (torch.nn.Linear): y (N, OUT) = x (N, IN) @ weight^T + bias, weight (OUT, IN), bias (OUT)
 * or NULL. */
PT_API int pt_linear_forward(int device, int64_t n, int64_t in_features, int64_t out_features,
                             const float *x, const float *weight, const float *bias, float *y);
/* dx (N, IN) = dy @ weight;  dweight (OUT, IN) (+)= dy^T @ x;  dbias (OUT) (+)= sum over N of dy. */
PT_API int pt_linear_backward(int device, int64_t n, int64_t in_features, int64_t out_features,
                              const float *x, const float *weight, const float *dy,
                              float *dx, float *dweight, float *dbias, int accumulate);

/* Conv2d (torch.nn.Conv2d, groups = 1, dilation = 1): x (N, C, H, W), weight (K, C, R, S),
 * bias (K) or NULL, y (N, K, P, Q) with P = (H + 2*pad_h - R) / stride_h + 1 and
 * Q = (W + 2*pad_w - S) / stride_w + 1 (both must be >= 1). Zero padding. */
PT_API int pt_conv2d_forward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k,
                             int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h,
                             int64_t pad_w, const float *x, const float *weight, const float *bias, float *y);
/* dx (N, C, H, W);  dweight (K, C, R, S) (+)=;  dbias (K) (+)=;  dy is (N, K, P, Q). */
PT_API int pt_conv2d_backward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k,
                              int64_t r, int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h,
                              int64_t pad_w, const float *x, const float *weight, const float *dy,
                              float *dx, float *dweight, float *dbias, int accumulate);

/* ---------------------------------------------------------------- CPU conv2d backend: own kernels or oneDNN
 *
 * Which code runs the PT_DEVICE_CPU conv2d calls (plain and _ex): panoptim's own kernels (im2col +
 * OpenBLAS sgemm) or oneDNN, the library libtorch's CPU convolutions run on (JIT kernels for the
 * CPU at hand in blocked layouts, with reorders from and to NCHW in every call). oneDNN 2.x is loaded
 * at run time with dlopen (libdnnl.so.2, Debian's libdnnl2; PANOPTIM_ONEDNN_PATH may name the file
 * or its folder), so libpanoptim never needs it to load.
 *  - AUTO (the default): oneDNN for the calls it runs faster -- filters larger than 1x1 with more
 *    than one output pixel, and every bfloat16 forward -- the own kernels for the rest (a 1x1
 *    filter is a plain GEMM on NCHW; with one output pixel only the filter taps that see the image
 *    are packed and multiplied) and for everything when oneDNN is missing;
 *  - OWN: the own kernels only;
 *  - ONEDNN: oneDNN for every call it has a fast kernel for; PT_ERR_UNSUPPORTED (saying where it
 *    looked) when it cannot be loaded.
 * Both follow the same contract: results agree within float32 rounding (summation order differs).
 * Compute dtype bfloat16 on oneDNN rounds x, weight and dy to bfloat16 as the contract of the _ex
 * calls says and runs AVX-512 BF16 kernels where the CPU has them. fp16 always runs the own kernels.
 * dbias is always summed by the own kernel. oneDNN calls are serialized by one lock (each already
 * runs on pt_num_threads() threads) and reuse one workspace that only grows.
 * The choice starts from the environment variable PANOPTIM_CPU_CONV ("auto", "own", "onednn";
 * unset or empty = auto). An unknown value fails every CPU conv2d call, with the value named, until
 * pt_cpu_set_conv_backend chooses.
 */
typedef enum pt_cpu_conv_backend {
    PT_CPU_CONV_AUTO = 0,  /* oneDNN where it is faster, when it loads */
    PT_CPU_CONV_OWN = 1,   /* im2col + OpenBLAS */
    PT_CPU_CONV_ONEDNN = 2 /* oneDNN wherever it has a fast kernel */
} pt_cpu_conv_backend;
/* Choose the backend (a pt_cpu_conv_backend); clears an invalid PANOPTIM_CPU_CONV. ONEDNN loads
 * oneDNN now and fails with PT_ERR_UNSUPPORTED (nothing changed) when it cannot be loaded. */
PT_API int pt_cpu_set_conv_backend(int backend);
/* The backend in force (PT_CPU_CONV_AUTO while PANOPTIM_CPU_CONV is invalid). */
PT_API int pt_cpu_get_conv_backend(void);
/* A NUL-terminated description (truncated to capacity): the backend in force, the error of a bad
 * PANOPTIM_CPU_CONV, and oneDNN's version and file or why it cannot be used (loads it). Fails only
 * for buf NULL or capacity < 1. */
PT_API int pt_cpu_conv_backend_info(char *buf, int64_t capacity);

/* BatchNorm2d (torch.nn.BatchNorm2d) over x (N, C, HW) per channel; weight, bias (C) or NULL
 * (affine = False). training != 0: normalizes with the batch statistics (biased variance), writes
 * save_mean and save_invstd = 1/sqrt(var + eps) (C each, needed by backward) and, when running_mean
 * and running_var are not NULL, updates them: running = (1 - momentum) * running + momentum * stat,
 * with the unbiased variance (N*HW/(N*HW - 1)) for running_var, as torch does.
 * training == 0: normalizes with running_mean / running_var (save_* may be NULL). */
PT_API int pt_batchnorm2d_forward(int device, int training, int64_t n, int64_t c, int64_t hw,
                                  const float *x, const float *weight, const float *bias,
                                  float *running_mean, float *running_var, double momentum, double eps,
                                  float *y, float *save_mean, float *save_invstd);
/* Backward of the forward above. training != 0: through the batch statistics (save_mean and
 * save_invstd of that forward); training == 0: the statistics are constants, and save_mean /
 * save_invstd hold running_mean and 1/sqrt(running_var + eps). dweight, dbias (C) (+)=. */
PT_API int pt_batchnorm2d_backward(int device, int training, int64_t n, int64_t c, int64_t hw,
                                   const float *x, const float *weight, const float *save_mean,
                                   const float *save_invstd, const float *dy, float *dx, float *dweight,
                                   float *dbias, int accumulate);
/* BatchNorm2d then ReLU in one op (the bn -> relu of ResNet blocks): y = max(bn(x), 0), with the
 * arguments, statistics and checks of pt_batchnorm2d_forward; 3 sweeps over the tensors where the
 * two calls make 5 (the intermediate is neither written nor read back), and the backward 5 for 8.
 * The normalization uses the statistics as saved (float), so y differs from
 * relu(pt_batchnorm2d_forward) by rounding only (~1e-7 relative).
 * The backward takes dy of y and the forward's save_mean / save_invstd (eval: as for
 * pt_batchnorm2d_backward), masks it as ReLU's backward does (dy passes where y > 0) and goes on
 * through the batch norm: dx, dweight, dbias (+)= as pt_batchnorm2d_backward. It needs bias (NULL
 * when the forward had none) because it recomputes y from x and the statistics instead of reading
 * it: x is read anyway, so that saves a tensor read in each of its two passes, and nothing of the
 * forward but its statistics need be kept. Either backend of PT_DEVICE_CUDA runs panoptim's own
 * kernels for this pair (cuDNN's batch norm plus a ReLU would be the unfused passes). */
PT_API int pt_batchnorm2d_relu_forward(int device, int training, int64_t n, int64_t c, int64_t hw,
                                       const float *x, const float *weight, const float *bias,
                                       float *running_mean, float *running_var, double momentum,
                                       double eps, float *y, float *save_mean, float *save_invstd);
PT_API int pt_batchnorm2d_relu_backward(int device, int training, int64_t n, int64_t c, int64_t hw,
                                        const float *x, const float *weight, const float *bias,
                                        const float *save_mean, const float *save_invstd,
                                        const float *dy, float *dx, float *dweight, float *dbias,
                                        int accumulate);

/* ReLU: y = max(x, 0) (y may alias x);  backward: dx = dy where x > 0, else 0 (dx may alias dy). */
PT_API int pt_relu_forward(int device, int64_t numel, const float *x, float *y);
PT_API int pt_relu_backward(int device, int64_t numel, const float *x, const float *dy, float *dx);

/* Elementwise helpers: y = a + b (residual add; y may alias a or b); y += alpha * x (grad
 * accumulation); y = value. */
PT_API int pt_add(int device, int64_t numel, const float *a, const float *b, float *y);
PT_API int pt_axpy(int device, int64_t numel, double alpha, const float *x, float *y);
PT_API int pt_fill(int device, int64_t numel, double value, float *y);

/* MaxPool2d (torch.nn.MaxPool2d, dilation 1, floor mode): x (N, C, H, W), y (N, C, P, Q) with
 * P = (H + 2*pad - kernel) / stride + 1 (padding counts as -inf; pad <= kernel / 2 as torch requires).
 * argmax (N, C, P, Q) receives the index within the H*W plane of each maximum (NULL: not saved). */
PT_API int pt_maxpool2d_forward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t kernel,
                                int64_t stride, int64_t padding, const float *x, float *y, int32_t *argmax);
/* dx (N, C, H, W) = 0, then dy scattered to the argmax positions (summed where windows overlap). */
PT_API int pt_maxpool2d_backward(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t p,
                                 int64_t q, const float *dy, const int32_t *argmax, float *dx);

/* AdaptiveAvgPool2d(1): y (N, C) = mean over the HW plane of x (N, C, HW);  backward dx = dy / HW. */
PT_API int pt_global_avgpool_forward(int device, int64_t n, int64_t c, int64_t hw, const float *x, float *y);
PT_API int pt_global_avgpool_backward(int device, int64_t n, int64_t c, int64_t hw, const float *dy, float *dx);

/* Softmax cross-entropy with logits (torch.nn.CrossEntropyLoss, mean reduction): logits (N, C),
 * targets (N) in [0, C). With label smoothing e the target distribution is (1 - e) * onehot + e / C.
 * Writes the softmax to probs (N, C) (used by the backward) and the mean loss to *loss. */
PT_API int pt_cross_entropy_forward(int device, int64_t n, int64_t classes, const float *logits,
                                    const int32_t *targets, double label_smoothing, float *probs,
                                    double *loss);
/* dlogits (N, C) = grad_scale * (probs - target distribution) / N. */
PT_API int pt_cross_entropy_backward(int device, int64_t n, int64_t classes, const float *probs,
                                     const int32_t *targets, double label_smoothing, double grad_scale,
                                     float *dlogits);
/* *correct = number of rows whose argmax (first maximum) equals the target. */
PT_API int pt_argmax_correct(int device, int64_t n, int64_t classes, const float *logits,
                             const int32_t *targets, int64_t *correct);
/* The two calls above without the wait: the mean loss / the correct count (exact below 2^24) is
 * written as one float to *loss / *correct in the call's device memory (host memory for the CPU),
 * and a CUDA call is queued without synchronizing, so that a training loop reads its metrics back
 * once per logging interval. On CUDA a bad target makes the result NaN (nothing else is written by
 * the forward); the CPU refuses it as the plain calls do. */
PT_API int pt_cross_entropy_forward_nosync(int device, int64_t n, int64_t classes, const float *logits,
                                           const int32_t *targets, double label_smoothing, float *probs,
                                           float *loss);
PT_API int pt_argmax_correct_nosync(int device, int64_t n, int64_t classes, const float *logits,
                                    const int32_t *targets, float *correct);

/* ---------------------------------------------------------------- mixed precision
 *
 * bf16 / fp16 compute with fp32 accumulation (torch.autocast) and AMP's dynamic loss scaling
 * (torch.amp.GradScaler). Pointers are device memory of the current device for PT_DEVICE_CUDA
 * (queued on panoptim's stream, no host sync) and host memory for PT_DEVICE_CPU.
 */

/* dst[i] = src[i] converted from src_dtype to dst_dtype (pt_dtype), for i < numel: widening is
 * exact, narrowing rounds to nearest even (see pt_dtype); the same dtype is a copy. src and dst
 * must not overlap (unless equal with the same dtype). numel == 0 does nothing (pointers may be
 * NULL). An unknown dtype is PT_ERR_INVALID_ARGUMENT naming it. */
PT_API int pt_cast(int device, int64_t numel, const void *src, int src_dtype, void *dst, int dst_dtype);

/*
 * Mixed-precision dense layers (torch.autocast numerics, fp32 accumulation): the calls of the
 * same names without _ex, with
 *  - operands a, b (matmul) and weight stored as a_dtype / b_dtype / weight_dtype (pt_dtype): the
 *    fp32 master weight, or the bf16 / fp16 model copy the fused optimizer writes
 *    (pt_step_extras.params_bf16); x, dy, bias, c, y, dx, dweight and dbias are float32;
 *  - every operand element of a product (a, b; x, weight, dy) rounded to compute_dtype before it
 *    is multiplied (widening from storage is exact; rounding to nearest even), and the products
 *    summed in float32. bf16 * bf16 and fp16 * fp16 products are exact in float32, so results
 *    differ from a double-precision sum over the rounded operands by float32 summation error only.
 *    E.g. dweight = round(dy)^T @ round(x); y = round(x) @ round(weight)^T + bias.
 *  - bias is added, and dbias summed from dy, in float32 without rounding (they are no products).
 * compute_dtype PT_DTYPE_FLOAT32 with float32 operands is exactly the plain call (the plain calls
 * are this case). Backends: the CPU rounds the operands into float32 scratch and runs the same
 * OpenBLAS kernels (PT_ERR_OUT_OF_MEMORY if the scratch cannot be had); CUDA runs panoptim's own
 * GEMM / implicit-GEMM kernels, which round each operand as they load it. The vendor backend
 * (cuBLAS / cuDNN) is used for the all-float32 calls only: any other dtype runs panoptim's own
 * kernels whatever pt_cuda_get_backend says. An unknown dtype is PT_ERR_INVALID_ARGUMENT naming it.
 */
PT_API int pt_matmul_ex(int device, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha,
                        const void *a, int a_dtype, const void *b, int b_dtype, double beta, float *c,
                        int compute_dtype);
PT_API int pt_linear_forward_ex(int device, int64_t n, int64_t in_features, int64_t out_features, const float *x,
                                const void *weight, int weight_dtype, const float *bias, float *y, int compute_dtype);
PT_API int pt_linear_backward_ex(int device, int64_t n, int64_t in_features, int64_t out_features, const float *x,
                                 const void *weight, int weight_dtype, const float *dy, float *dx, float *dweight,
                                 float *dbias, int accumulate, int compute_dtype);
PT_API int pt_conv2d_forward_ex(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r,
                                int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w,
                                const float *x, const void *weight, int weight_dtype, const float *bias, float *y,
                                int compute_dtype);
PT_API int pt_conv2d_backward_ex(int device, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r,
                                 int64_t s, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w,
                                 const float *x, const void *weight, int weight_dtype, const float *dy, float *dx,
                                 float *dweight, float *dbias, int accumulate, int compute_dtype);

/*
 * AMP dynamic loss scaling, torch.amp.GradScaler's device-side steps (no host sync on CUDA: the
 * scale, the growth tracker and found_inf are one float / int32 / float each in device memory):
 *   loss grad *= scale (pt_scale_by) -> backward -> pt_amp_check_finite over the grads ->
 *   optimizer *_ex step with extras.grad_scale = scale and extras.found_inf (unscales, or skips the
 *   step) -> pt_amp_update_scale.
 */
/* *found_inf = 1.0f if any element of any tensors[i] (numels[i] elements of dtype, a pt_dtype) is
 * inf or NaN; otherwise *found_inf is left as it was (never cleared: zero it before the first of
 * several calls). One kernel launch for all tensors on CUDA. numels and tensors are host arrays
 * (of device pointers for CUDA); tensors[i] may be NULL when numels[i] == 0. */
PT_API int pt_amp_check_finite(int device, int64_t num_tensors, const int64_t *numels, const void *const *tensors,
                               int dtype, float *found_inf);
/* torch's _amp_update_scale_: if *found_inf != 0: *scale *= backoff_factor, *growth_tracker = 0;
 * else *growth_tracker += 1 and, when it reaches growth_interval, *scale *= growth_factor (kept
 * unchanged if that overflows to inf) and *growth_tracker = 0. Products in double, rounded to float.
 * Errors (GradScaler's checks): growth_factor <= 1 or not finite, backoff_factor outside (0, 1),
 * growth_interval outside [1, INT32_MAX]. */
PT_API int pt_amp_update_scale(int device, float *scale, int32_t *growth_tracker, const float *found_inf,
                               double growth_factor, double backoff_factor, int64_t growth_interval);
/* y[i] *= *scale for i < numel (scale: one float in the device's memory), e.g. the loss gradient
 * times the loss scale without reading the scale on the host. */
PT_API int pt_scale_by(int device, int64_t numel, float *y, const float *scale);

#ifdef __cplusplus
}
#endif

#endif /* PANOPTIM_H */
