/*
 * Internal: panoptim's own CUDA SGEMM (cuda/matmul.cu) and what is built on it: the CUDA twins of
 * pt_cpu_matmul and pt_cpu_linear_forward / _backward (cuda/matmul.cu, cuda/linear.cu;
 * cuda/absent/gemm_absent.c where the library is built without nvcc).
 *
 * The twins (same names and argument order as cpu/dense_kernels.h, pt_cuda_ for pt_cpu_): api/
 * dense_api.c has validated the dimensions (>= 1), the tensor sizes, alpha / beta and the required
 * pointers. These check that every pointer is memory of the current device (a host pointer is
 * PT_ERR_INVALID_ARGUMENT naming it, never an illegal-address fault), queue the work on
 * panoptim's stream of that device and return without waiting. Matrix dimensions above INT_MAX
 * are PT_ERR_UNSUPPORTED, as on the CPU.
 *
 * pt_cuda_gemm / pt_cuda_sgemm: the GEMM itself, for the other CUDA kernels of the library
 * (linear.cu; conv and vendor paths may call it too). Row-major, as pt_matmul:
 *   c (M, N) = alpha * op(a) @ op(b) + beta * c [+ bias]
 * op(a) (M, K) is a stored (M, K) with leading dimension lda, or (K, M) when trans_a; op(b) (K, N)
 * is b stored (K, N), or (N, K) when trans_b. beta == 0 never reads c (it may hold NaN). K == 0 or
 * alpha == 0 gives c = beta * c (+ bias) without reading a or b; M == 0 or N == 0 does nothing. No pointer checks here (the caller
 * has them, or made the buffers); queued on `stream` (a cudaStream_t) without waiting.
 * Deterministic: no atomics; each element of c is summed by one thread in one fixed order, or, when
 * a long K is split over several blocks, its slices are summed in slice order by one thread of a
 * second kernel; the split depends on the shape and the GPU's multiprocessor count only. Equal
 * inputs give equal bits run after run, whatever the schedule.
 */
#ifndef PT_MATMUL_CUDA_H
#define PT_MATMUL_CUDA_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* c (M, N) = alpha * op(a) @ op(b) + beta * c, as pt_cpu_matmul_ex: a and b stored as a_dtype /
 * b_dtype, each element rounded to compute_dtype (all float32: pt_cpu_matmul). */
int pt_cuda_matmul(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha, const void *a,
                   int a_dtype, const void *b, int b_dtype, double beta, float *c, int compute_dtype);

/* y (N, OUT) = x (N, IN) @ weight (OUT, IN)^T + bias (OUT, or NULL): one GEMM with the bias added in
 * its epilogue. weight is weight_dtype; x and weight rounded to compute_dtype (pt_cpu_linear_forward_ex). */
int pt_cuda_linear_forward(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                           const void *weight, int weight_dtype, const float *bias, float *y, int compute_dtype);
/* dx (N, IN) = dy @ weight;  dweight (OUT, IN) (+)= dy^T @ x;  dbias (OUT) (+)= sum over N of dy
 * (a column-sum kernel in double, fixed order, of dy unrounded). NULL outputs are skipped. The
 * products' operands are rounded to compute_dtype (pt_cpu_linear_backward_ex). */
int pt_cuda_linear_backward(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                            const void *weight, int weight_dtype, const float *dy, float *dx, float *dweight,
                            float *dbias, int accumulate, int compute_dtype);

/* What the GEMM adds after alpha * op(a) @ op(b) + beta * c. */
enum pt_gemm_bias {
    PT_GEMM_BIAS_NONE = 0,
    PT_GEMM_BIAS_COLS = 1, /* + bias[j]: one value per column, bias has N floats (linear's) */
    PT_GEMM_BIAS_ROWS = 2  /* + bias[i]: one value per row, bias has M floats (a conv's, K x PQ) */
};

/* One GEMM, or `batch` of them: product z uses a + z * stride_a, b + z * stride_b, c + z *
 * stride_c (elements; the bias is shared). Fill every field; batch = 1 and strides 0 for a single
 * product. The dtypes come last so that an initializer without them (zeros) is all float32; any
 * other makes the product mixed: a, b elements of a_dtype / b_dtype rounded to compute_dtype as
 * they are loaded (pt_cpu_matmul_ex's numerics), summed in float32. */
typedef struct pt_gemm {
    int trans_a, trans_b;
    int64_t m, n, k;
    float alpha, beta;
    const void *a;
    int64_t lda;
    const void *b;
    int64_t ldb;
    float *c;
    int64_t ldc;
    const float *bias; /* NULL, or as bias_kind says */
    int bias_kind;     /* enum pt_gemm_bias */
    int64_t batch, stride_a, stride_b, stride_c;
    int a_dtype, b_dtype, compute_dtype; /* pt_dtype, 0 = float32 */
} pt_gemm;

/* Queues g on `stream` (a cudaStream_t). PT_OK, PT_ERR_INVALID_ARGUMENT for a leading dimension
 * smaller than its rows or a negative count, PT_ERR_UNSUPPORTED for a dimension over INT_MAX, or
 * PT_ERR_DEVICE when the launch fails; messages start with `op`. */
int pt_cuda_gemm(const char *op, void *stream, const pt_gemm *g);

/* The plain BLAS form: pt_cuda_gemm with no bias and batch 1. */
int pt_cuda_sgemm(const char *op, void *stream, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
                  float alpha, const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c,
                  int64_t ldc);

/* Checks that each of ptrs[0 .. count) (count <= 8) is NULL or memory of device `index`, else
 * PT_ERR_INVALID_ARGUMENT naming names[i] (see pt_cuda_check_lists: repeated calls are cached). */
int pt_cuda_check_device_pointers(const char *op, int index, int count, const char *const *names,
                                  const void *const *ptrs);

/* For tests: the block tile pt_cuda_gemm uses, 64 (64 x 64) or 128 (128 x 128), and the number of
 * K slices of a single product (split-K; 1: none); 0 lets it choose by the size of the grid, as it
 * does by default. Not thread-safe. */
void pt_cuda_gemm_force(int tile, int splits);

#ifdef __cplusplus
}
#endif

#endif
