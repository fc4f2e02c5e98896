/*
 * The CPU conv2d backend switch (panoptim.h, "CPU conv2d backend"): which code runs a PT_DEVICE_CPU
 * conv2d call, panoptim's own im2col + OpenBLAS kernels (cpu/conv2d.c) or oneDNN
 * (cpu/conv2d_onednn.c), and, in `auto`, the rule that picks per shape.
 *
 * The choice starts from PANOPTIM_CPU_CONV, read at the first call that needs it. As with
 * PANOPTIM_CUDA_BACKEND, a bad value is remembered and every CPU conv2d call fails with it until
 * pt_cpu_set_conv_backend chooses: a typo must not silently run the other code.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/error.h"
#include "cpu/conv2d_onednn.h"
#include "panoptim.h"

static pthread_mutex_t g_mutex = PTHREAD_MUTEX_INITIALIZER;
static int g_read;                 /* PANOPTIM_CPU_CONV has been read (or overridden) */
static int g_backend = PT_CPU_CONV_AUTO;
static char g_env_error[160] = ""; /* why PANOPTIM_CPU_CONV cannot be used, "" when it can */

static void read_env_locked(void) {
    g_read = 1;
    g_backend = PT_CPU_CONV_AUTO;
    g_env_error[0] = '\0';
    const char *v = getenv("PANOPTIM_CPU_CONV");
    if (v == NULL || v[0] == '\0' || strcasecmp(v, "auto") == 0) return;
    if (strcasecmp(v, "own") == 0) g_backend = PT_CPU_CONV_OWN;
    else if (strcasecmp(v, "onednn") == 0) g_backend = PT_CPU_CONV_ONEDNN;
    else
        snprintf(g_env_error, sizeof g_env_error,
                 "PANOPTIM_CPU_CONV=\"%.48s\" is not a CPU conv backend: use auto, own or onednn (or leave it unset)", v);
}

/* The backend in force, or -1 with the error set when PANOPTIM_CPU_CONV is bad. */
static int backend_for(const char *op) {
    pthread_mutex_lock(&g_mutex);
    if (!g_read) read_env_locked();
    const int backend = g_env_error[0] ? -1 : g_backend;
    char error[sizeof g_env_error];
    memcpy(error, g_env_error, sizeof error);
    pthread_mutex_unlock(&g_mutex);
    if (backend < 0) pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s", op, error);
    return backend;
}

int pt_cpu_set_conv_backend(int backend) {
    if (backend != PT_CPU_CONV_AUTO && backend != PT_CPU_CONV_OWN && backend != PT_CPU_CONV_ONEDNN)
        return pt_fail(PT_ERR_INVALID_ARGUMENT,
                       "pt_cpu_set_conv_backend: unknown backend %d (0 = auto, 1 = own, 2 = onednn)", backend);
    if (backend == PT_CPU_CONV_ONEDNN) PT_TRY(pt_onednn_load());
    pthread_mutex_lock(&g_mutex);
    g_read = 1;
    g_env_error[0] = '\0'; /* an explicit choice overrides a bad PANOPTIM_CPU_CONV */
    g_backend = backend;
    pthread_mutex_unlock(&g_mutex);
    return PT_OK;
}

int pt_cpu_get_conv_backend(void) {
    pthread_mutex_lock(&g_mutex);
    if (!g_read) read_env_locked();
    const int backend = g_backend;
    pthread_mutex_unlock(&g_mutex);
    return backend;
}

int pt_cpu_conv_backend_info(char *buf, int64_t capacity) {
    if (buf == NULL) return pt_fail(PT_ERR_INVALID_ARGUMENT, "pt_cpu_conv_backend_info: buf is NULL");
    if (capacity < 1)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "pt_cpu_conv_backend_info: capacity must be >= 1, got %lld",
                       (long long)capacity);
    pthread_mutex_lock(&g_mutex);
    if (!g_read) read_env_locked();
    const int backend = g_backend;
    char error[sizeof g_env_error];
    memcpy(error, g_env_error, sizeof error);
    pthread_mutex_unlock(&g_mutex);
    static const char *const names[3] = {"auto", "own", "onednn"};
    snprintf(buf, (size_t)capacity, "backend: %s\n%s%s%sonednn: %s\n", names[backend], error[0] ? "error: " : "",
             error, error[0] ? "\n" : "", pt_onednn_description());
    return PT_OK;
}

/* ---------------------------------------------------------------- the per-shape rule of `auto` */

/*
 * Whether `auto` gives a call to oneDNN. Measured with bench_conv_backends on ResNet-18's shapes
 * (batch 128, 2 threads of a Zen 4; docs/BENCHMARKS.md) and inside the network: oneDNN's blocked
 * JIT kernels, reorders included, ran the 3x3 and 7x7 convolutions with more than one output pixel
 * 2-3.7x faster forward and 1.4-3.3x backward in float32, but lost where there is little to block:
 *  - 1x1 filters (the downsamples) in float32: the own kernel is one GEMM on the NCHW layout with
 *    no copy, oneDNN pays two reorders around a small product (0.6x at 7x7, about even below);
 *  - one output pixel (the last stage on small images): the own kernels pack and multiply only the
 *    filter taps that see the image (1 of 9), oneDNN reorders and multiplies all nine. Alone, with
 *    the weight in cache, its forward still looked 1.1-1.6x faster; inside the network, where the
 *    2.4M-float weight comes cold from memory, ResNet-18's layer4 forward took 11.1 ms on oneDNN
 *    against 6.5 ms on the own kernels, and backward lost alone too (0.4-0.6x).
 * With bfloat16 compute the own kernels first round every operand into a float32 copy, while
 * oneDNN's AVX-512 BF16 kernels read bf16 directly: its forward won on every shape (2-5x), 1x1
 * filters and one output pixel included; backward keeps the float32 rule.
 */
int pt_cpu_conv2d_auto_takes(const pt_conv2d_shape *sh, int backward, int compute_dtype) {
    if (!backward && compute_dtype == PT_DTYPE_BFLOAT16) return 1;
    return sh->r * sh->s > 1 && sh->p * sh->q > 1;
}

/* oneDNN runs the products in float32 or bfloat16, from float32 or bfloat16 weights. */
static int onednn_dtypes(int weight_dtype, int compute_dtype) {
    return (weight_dtype == PT_DTYPE_FLOAT32 || weight_dtype == PT_DTYPE_BFLOAT16) &&
           (compute_dtype == PT_DTYPE_FLOAT32 || compute_dtype == PT_DTYPE_BFLOAT16);
}

/* Whether oneDNN is to run the call: 1 yes, 0 no, or minus an error status (its message set). In
 * auto, oneDNN missing means the own kernels; chosen explicitly, it is an error. */
static int wants_onednn(const char *op, const pt_conv2d_shape *sh, int backward, int weight_dtype, int compute_dtype) {
    const int backend = backend_for(op);
    if (backend < 0) return -PT_ERR_INVALID_ARGUMENT;
    if (backend == PT_CPU_CONV_OWN || !onednn_dtypes(weight_dtype, compute_dtype)) return 0;
    if (backend == PT_CPU_CONV_AUTO) return pt_cpu_conv2d_auto_takes(sh, backward, compute_dtype) && pt_onednn_load() == PT_OK;
    const int loaded = pt_onednn_load();
    return loaded == PT_OK ? 1 : -loaded;
}

/* A oneDNN pass's status as the dispatch's: declined means the own kernels (auto and onednn
 * alike: oneDNN's reference loops are never the faster code). */
static int taken(int status, int *out) {
    if (status == PT_ONEDNN_DECLINED) return 0;
    *out = status;
    return 1;
}

int pt_cpu_conv2d_forward_on_backend(const pt_conv2d_shape *sh, const float *x, const void *weight, int weight_dtype,
                                     const float *bias, float *y, int compute_dtype, int *status) {
    const int want = wants_onednn("pt_conv2d_forward", sh, 0, weight_dtype, compute_dtype);
    if (want < 0) return *status = -want, 1;
    if (!want) return 0;
    return taken(pt_onednn_conv2d(PT_ONEDNN_FORWARD, sh, weight_dtype, compute_dtype, x, weight, bias, y, 0), status);
}

int pt_cpu_conv2d_backward_on_backend(const pt_conv2d_shape *sh, const float *x, const void *weight,
                                      int weight_dtype, const float *dy, float *dx, float *dweight, int accumulate,
                                      int compute_dtype, int *status) {
    if (!dx && !dweight) return 0;
    const int want = wants_onednn("pt_conv2d_backward", sh, 1, weight_dtype, compute_dtype);
    if (want < 0) return *status = -want, 1;
    if (!want) return 0;
    /* Both passes or neither (a declined one runs the whole call on the own kernels): asked first,
     * so that nothing is written before the answer. */
    const int passes[2] = {dx ? PT_ONEDNN_BACKWARD_DATA : -1, dweight ? PT_ONEDNN_BACKWARD_WEIGHTS : -1};
    for (int i = 0; i < 2; i++)
        if (passes[i] >= 0 && strcmp(pt_onednn_conv2d_impl(passes[i], sh, weight_dtype, compute_dtype), "declined") == 0)
            return 0;
    int s = PT_OK;
    if (dx) s = pt_onednn_conv2d(PT_ONEDNN_BACKWARD_DATA, sh, weight_dtype, compute_dtype, dy, weight, NULL, dx, 0);
    if (s == PT_OK && dweight)
        s = pt_onednn_conv2d(PT_ONEDNN_BACKWARD_WEIGHTS, sh, weight_dtype, compute_dtype, x, dy, NULL, dweight,
                             accumulate);
    *status = s;
    return 1;
}
