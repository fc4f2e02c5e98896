/* Built instead of cuda/matmul.cu and cuda/linear.cu when the library is compiled without nvcc:
 * the same entry points (cuda/matmul_cuda.h), failing with the reason. */
#include "api/error.h"
#include "cuda/matmul_cuda.h"

static int no_cuda(const char *op) {
    return pt_fail(PT_ERR_UNSUPPORTED, "%s: this libpanoptim was built without CUDA (nvcc was not found at build time)",
                   op);
}

int pt_cuda_matmul(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha, const void *a,
                   int a_dtype, const void *b, int b_dtype, double beta, float *c, int compute_dtype) {
    return no_cuda("pt_matmul");
}

int pt_cuda_linear_forward(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                           const void *weight, int weight_dtype, const float *bias, float *y, int compute_dtype) {
    return no_cuda("pt_linear_forward");
}

int pt_cuda_linear_backward(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                            const void *weight, int weight_dtype, const float *dy, float *dx, float *dweight,
                            float *dbias, int accumulate, int compute_dtype) {
    return no_cuda("pt_linear_backward");
}

int pt_cuda_gemm(const char *op, void *stream, const pt_gemm *g) { return no_cuda(op); }

int pt_cuda_sgemm(const char *op, void *stream, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
                  float alpha, const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c,
                  int64_t ldc) {
    return no_cuda(op);
}

int pt_cuda_check_device_pointers(const char *op, int index, int count, const char *const *names,
                                  const void *const *ptrs) {
    return no_cuda(op);
}

void pt_cuda_gemm_force(int tile, int splits) {}
