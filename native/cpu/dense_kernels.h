/*
 * Internal: the CPU kernels of the dense layers behind pt_matmul, pt_linear_* and pt_conv2d_*.
 * Arguments are already validated by api/dense_api.c: pointers are non-null where required,
 * every dimension is >= 1, every tensor's byte size fits in a ptrdiff_t, and every dimension a
 * GEMM is called with fits in OpenBLAS's 32-bit int. Kernels only compute.
 *
 * Two twins per op, same names and argument order:
 *  - pt_cpu_<op>        (cpu/<op>.c): OpenBLAS sgemm, with im2col/col2im around it for conv2d;
 *  - pt_reference_<op>  (cpu/reference/<op>_reference.c): plain direct loops accumulating in
 *                        double, the readable specification the fast kernel is tested against.
 * Backward conventions (panoptim.h): dx is overwritten, dweight and dbias are added to when
 * `accumulate` and overwritten otherwise; a NULL output pointer skips that output.
 */
#ifndef PT_DENSE_KERNELS_H
#define PT_DENSE_KERNELS_H

#include <stdint.h>

/* Shape of one conv2d call, with the output size worked out by the caller:
 * x (N, C, H, W), weight (K, C, R, S), y (N, K, P, Q),
 * P = (H + 2*pad_h - R) / stride_h + 1, Q = (W + 2*pad_w - S) / stride_w + 1. */
typedef struct pt_conv2d_shape {
    int64_t n, c, h, w;
    int64_t k, r, s;
    int64_t stride_h, stride_w, pad_h, pad_w;
    int64_t p, q;
} pt_conv2d_shape;

/* Row-major sgemm with 64-bit counts (each <= INT_MAX, see above): c (M, N) = alpha * op(a) @ op(b)
 * + beta * c, with leading dimensions lda, ldb, ldc. beta == 0 ignores c's old contents (even NaN),
 * as BLAS does. Runs on pt_num_threads() threads (cpu/matmul.c says how). */
void pt_cpu_sgemm(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float *a,
                  int64_t lda, const float *b, int64_t ldb, float beta, float *c, int64_t ldc);

/* Called before a parallel region whose threads each call pt_cpu_sgemm: makes those calls run on
 * their calling thread alone (already so for the OpenMP and sequential OpenBLAS; the pthreads one is
 * set to 1 thread until the next pt_cpu_sgemm outside a region). */
void pt_cpu_sgemm_per_thread(void);
/* 1 when sgemm runs on a thread pool of its own (the pthreads OpenBLAS), not OpenMP's. */
int pt_cpu_sgemm_has_own_threads(void);

/* c (M, N) = alpha * op(a) @ op(b) + beta * c; op(a) is (M, K), a is stored (K, M) when trans_a;
 * op(b) is (K, N), b is stored (N, K) when trans_b. beta == 0 ignores c's old contents. */
void pt_cpu_matmul(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha, const float *a,
                   const float *b, double beta, float *c);
void pt_reference_matmul(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha,
                         const float *a, const float *b, double beta, float *c);

/* y (N, OUT) = x (N, IN) @ weight (OUT, IN)^T + bias (OUT, or NULL). */
void pt_cpu_linear_forward(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                           const float *weight, const float *bias, float *y);
void pt_reference_linear_forward(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                                 const float *weight, const float *bias, float *y);
/* dx (N, IN) = dy @ weight;  dweight (OUT, IN) (+)= dy^T @ x;  dbias (OUT) (+)= sum over N of dy. */
void pt_cpu_linear_backward(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                            const float *weight, const float *dy, float *dx, float *dweight, float *dbias,
                            int accumulate);
void pt_reference_linear_backward(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                                  const float *weight, const float *dy, float *dx, float *dweight,
                                  float *dbias, int accumulate);

/* How pt_cpu_conv2d_* (cpu/conv2d.c) split a call on `threads` threads: 1 when each thread takes
 * its own images (with a single-threaded sgemm), 0 when the threads share each sgemm; and how many
 * images one im2col workspace holds then. Tests use them to make sure both paths, several groups
 * and a 1-image tail are exercised. */
int pt_cpu_conv2d_splits_batch(const pt_conv2d_shape *sh, int threads, int with_dweight);
int64_t pt_cpu_conv2d_group_images(const pt_conv2d_shape *sh, int threads, int with_dweight);

/* y (N, K, P, Q) = conv(x (N, C, H, W), weight (K, C, R, S)) + bias (K, or NULL).
 * The fast kernel needs an im2col workspace: it returns PT_OK, or PT_ERR_OUT_OF_MEMORY (with the
 * message set) having written nothing. */
int pt_cpu_conv2d_forward(const pt_conv2d_shape *sh, const float *x, const float *weight, const float *bias,
                          float *y);
void pt_reference_conv2d_forward(const pt_conv2d_shape *sh, const float *x, const float *weight,
                                 const float *bias, float *y);
/* dx (N, C, H, W) = ;  dweight (K, C, R, S) (+)= ;  dbias (K) (+)= ;  from dy (N, K, P, Q).
 * Fast kernel: PT_OK or PT_ERR_OUT_OF_MEMORY (with nothing written). */
int pt_cpu_conv2d_backward(const pt_conv2d_shape *sh, const float *x, const float *weight, const float *dy,
                           float *dx, float *dweight, float *dbias, int accumulate);
void pt_reference_conv2d_backward(const pt_conv2d_shape *sh, const float *x, const float *weight,
                                  const float *dy, float *dx, float *dweight, float *dbias, int accumulate);

/*
 * Mixed precision (cpu/mixed_dense.c): the calls above with operands stored as float32, bfloat16 or
 * float16 (a, b; weight) and every operand element rounded to compute_dtype before the products,
 * which are summed in float32; c, y, x, dy, bias and the grads are float32. All float32 is exactly
 * the plain call. dtypes are validated pt_dtype values. PT_OK, or PT_ERR_OUT_OF_MEMORY (message set,
 * nothing written) when the rounded copies cannot be allocated.
 */
int pt_cpu_matmul_ex(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha, const void *a,
                     int a_dtype, const void *b, int b_dtype, double beta, float *c, int compute_dtype);
int pt_cpu_linear_forward_ex(int64_t n, int64_t in_features, int64_t out_features, const float *x, const void *weight,
                             int weight_dtype, const float *bias, float *y, int compute_dtype);
int pt_cpu_linear_backward_ex(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                              const void *weight, int weight_dtype, const float *dy, float *dx, float *dweight,
                              float *dbias, int accumulate, int compute_dtype);
int pt_cpu_conv2d_forward_ex(const pt_conv2d_shape *sh, const float *x, const void *weight, int weight_dtype,
                             const float *bias, float *y, int compute_dtype);
int pt_cpu_conv2d_backward_ex(const pt_conv2d_shape *sh, const float *x, const void *weight, int weight_dtype,
                              const float *dy, float *dx, float *dweight, float *dbias, int accumulate,
                              int compute_dtype);

#endif
