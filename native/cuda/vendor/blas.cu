// pt_matmul, pt_linear_forward and pt_linear_backward on cuBLAS (the vendor backend; contracts in
// panoptim.h). All matrices are row-major; cuBLAS is column-major, and a row-major (M, N) matrix is
// the column-major (N, M) one, so C = op(A) op(B) is computed as C^T = op(B)^T op(A)^T: the operands
// swap places and each keeps its own transpose flag and leading dimension.
// fp32 in PEDANTIC math mode (loader.cu): no TF32, as the own kernels.
#include "cuda/vendor/vendor_support.cuh"

#include "cuda/vendor/vendor.h"

namespace {

// y (N, OUT) row r = bias, before the product is added with beta = 1.
__global__ void broadcast_rows(float *y, const float *bias, int64_t rows, int64_t cols) {
    const int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (i < rows * cols) y[i] = bias[i % cols];
}

// out (cols) (+)= the sums over rows of x (rows, cols): dbias of linear. One thread per column;
// neighbouring threads read neighbouring floats of a row. Summed in fp32 in row order, like the
// own kernel's plain reference would.
__global__ void column_sums(const float *x, int64_t rows, int64_t cols, float *out, int accumulate) {
    const int64_t j = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= cols) return;
    float sum = 0.0f;
    for (int64_t r = 0; r < rows; r++) sum += x[r * cols + j];
    out[j] = accumulate ? out[j] + sum : sum;
}

int blocks_for(int64_t count, int threads) { return (int)((count + threads - 1) / threads); }

// c (M, N) = alpha * op(a) @ op(b) + beta * c, all row-major (see the top of the file).
int gemm(const PtBlasCall &call, const char *op, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
         float alpha, const float *a, const float *b, float beta, float *c) {
    const int64_t dims[3] = {m, n, k};
    const char *dim_names[3] = {"m", "n", "k"};
    for (int i = 0; i < 3; i++) {
        int s = pt_vendor_check_int(op, dim_names[i], dims[i]);
        if (s != PT_OK) return s;
    }
    const int lda = (int)(trans_a ? m : k), ldb = (int)(trans_b ? k : n), ldc = (int)n;
    PT_CUBLAS_TRY(call, op,
                  call.f->cublasSgemm_v2(call.handle, trans_b ? PT_CUBLAS_OP_T : PT_CUBLAS_OP_N,
                                         trans_a ? PT_CUBLAS_OP_T : PT_CUBLAS_OP_N, (int)n, (int)m, (int)k, &alpha, b,
                                         ldb, a, lda, &beta, c, ldc));
    return PT_OK;
}

}  // namespace

extern "C" int pt_vendor_matmul(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha,
                                const float *a, const float *b, double beta, float *c) {
    const char *op = "pt_matmul";
    const char *names[] = {"a", "b", "c"};
    const void *ptrs[] = {a, b, c};
    PtBlasCall call;
    int s = pt_vendor_begin_blas(op, names, ptrs, 3, &call);
    if (s != PT_OK) return s;
    return gemm(call, op, trans_a, trans_b, m, n, k, (float)alpha, a, b, (float)beta, c);
}

// y (N, OUT) = x (N, IN) @ weight^T (weight is (OUT, IN)) + bias.
extern "C" int pt_vendor_linear_forward(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                                        const float *weight, const float *bias, float *y) {
    const char *op = "pt_linear_forward";
    const char *names[] = {"x", "weight", "bias", "y"};
    const void *ptrs[] = {x, weight, bias, y};
    PtBlasCall call;
    int s = pt_vendor_begin_blas(op, names, ptrs, 4, &call);
    if (s != PT_OK) return s;
    if (bias != nullptr) {
        const int threads = 256;
        PT_CUDA_TRY(op, (pt_launch<broadcast_rows>(dim3(blocks_for(n * out_features, threads)), dim3(threads), 0,
                                                   call.stream, y, bias, n, out_features)));
    }
    return gemm(call, op, 0, 1, n, out_features, in_features, 1.0f, x, weight, bias != nullptr ? 1.0f : 0.0f, y);
}

// dx (N, IN) = dy (N, OUT) @ weight (OUT, IN);  dweight (OUT, IN) (+)= dy^T @ x;  dbias (OUT) (+)= sum_N dy.
extern "C" int pt_vendor_linear_backward(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                                         const float *weight, const float *dy, float *dx, float *dweight,
                                         float *dbias, int accumulate) {
    const char *op = "pt_linear_backward";
    const char *names[] = {"x", "weight", "dy", "dx", "dweight", "dbias"};
    const void *ptrs[] = {x, weight, dy, dx, dweight, dbias};
    PtBlasCall call;
    int s = pt_vendor_begin_blas(op, names, ptrs, 6, &call);
    if (s != PT_OK) return s;
    if (dx != nullptr) {
        s = gemm(call, op, 0, 0, n, in_features, out_features, 1.0f, dy, weight, 0.0f, dx);
        if (s != PT_OK) return s;
    }
    if (dweight != nullptr) {
        s = gemm(call, op, 1, 0, out_features, in_features, n, 1.0f, dy, x, accumulate ? 1.0f : 0.0f, dweight);
        if (s != PT_OK) return s;
    }
    if (dbias != nullptr) {
        const int threads = 256;
        PT_CUDA_TRY(op, (pt_launch<column_sums>(dim3(blocks_for(out_features, threads)), dim3(threads), 0, call.stream,
                                                dy, n, out_features, dbias, accumulate)));
    }
    return PT_OK;
}
