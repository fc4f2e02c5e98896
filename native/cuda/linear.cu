// Fully connected layer on CUDA: pt_cuda_linear_forward / _backward, the twins of cpu/linear.c.
//   https://pytorch.org/docs/stable/generated/torch.nn.Linear.html
//
//   forward:  y (N, OUT) = x (N, IN) @ weight (OUT, IN)^T + bias (OUT)   one GEMM, bias in its epilogue
//   backward: dx (N, IN) = dy (N, OUT) @ weight                          one GEMM
//             dweight (OUT, IN) (+)= dy^T @ x                            one GEMM, beta = accumulate
//             dbias (OUT) (+)= sum over the N rows of dy                 column_sums_kernel
//
// Invariants: x, weight and dy are never written; a NULL dx, dweight or dbias is skipped; without
// accumulate, dweight and dbias are only written (their old contents may be NaN). Everything is
// queued on panoptim's stream of the current device, in that order, without waiting.
// Mixed precision: weight is weight_dtype and the GEMMs round their operands to compute_dtype as
// they load them (pt_gemm's dtypes); dbias sums dy as given.
// Deterministic: the GEMMs are (cuda/matmul.cu), and dbias sums each column in double in a fixed
// order (16 strided partial sums, then those 16 in order), rounding once, as the CPU twin does.
#include "cuda/pt_cuda.cuh"

#include <limits.h>

#include "cuda/matmul_cuda.h"

namespace {

constexpr int kSumCols = 32;  // columns per block: a warp reads 128 contiguous bytes of a row
constexpr int kSumRows = 16;  // rows summed side by side
constexpr int kSumThreads = kSumCols * kSumRows;

// dbias[col] (+)= sum over rows of dy[row][col]; block x: kSumCols columns.
__global__ void __launch_bounds__(kSumThreads)
    column_sums_kernel(int64_t rows, int cols, const float *__restrict__ dy, float *__restrict__ dbias, bool accumulate) {
    double *part = pt_dynamic_shared<double>();  // [kSumRows][kSumCols + 1]
    const int tx = threadIdx.x % kSumCols, ty = threadIdx.x / kSumCols;
    const int col = blockIdx.x * kSumCols + tx;
    double s = 0.0;
    if (col < cols) {
        const float *p = dy + (int64_t)ty * cols + col;
        const int64_t step = (int64_t)kSumRows * cols;
        for (int64_t r = ty; r < rows; r += kSumRows, p += step) s += (double)*p;
    }
    part[ty * (kSumCols + 1) + tx] = s;
    __syncthreads();
    if (ty == 0 && col < cols) {
        double total = 0.0;
#pragma unroll
        for (int y = 0; y < kSumRows; y++) total += part[y * (kSumCols + 1) + tx];
        dbias[col] = accumulate ? (float)((double)dbias[col] + total) : (float)total;
    }
}

// N, IN and OUT within the kernels' int dimensions.
int check_dims(const char *op, int64_t n, int64_t in_features, int64_t out_features) {
    const int64_t dims[3] = {n, in_features, out_features};
    static const char *const names[3] = {"n", "in_features", "out_features"};
    for (int i = 0; i < 3; i++)
        if (dims[i] > INT_MAX)
            return pt_fail(PT_ERR_UNSUPPORTED, "%s: %s = %lld exceeds %d, the largest matrix dimension of the CUDA GEMM",
                           op, names[i], (long long)dims[i], INT_MAX);
    return PT_OK;
}

}  // namespace

// The name of the public call: the plain one when nothing is mixed.
static const char *op_name(const char *plain, const char *ex, int weight_dtype, int compute_dtype) {
    return (weight_dtype | compute_dtype) == PT_DTYPE_FLOAT32 ? plain : ex;
}

extern "C" int pt_cuda_linear_forward(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                                      const void *weight, int weight_dtype, const float *bias, float *y,
                                      int compute_dtype) {
    const char *op = op_name("pt_linear_forward", "pt_linear_forward_ex", weight_dtype, compute_dtype);
    PT_TRY(check_dims(op, n, in_features, out_features));
    int index = 0;
    cudaStream_t stream = nullptr;
    PT_TRY(pt_cuda_current(&index, &stream));
    static const char *const names[4] = {"x", "weight", "bias", "y"};
    const void *const ptrs[4] = {x, weight, bias, y};
    PT_TRY(pt_cuda_check_device_pointers(op, index, 4, names, ptrs));
    // (N, IN) @ (OUT, IN)^T, + bias[o] per column.
    const pt_gemm g = {0,      1,           n, out_features, in_features, 1.0f, 0.0f, x, in_features, weight,
                       in_features, y, out_features, bias, bias ? PT_GEMM_BIAS_COLS : PT_GEMM_BIAS_NONE, 1, 0, 0, 0,
                       PT_DTYPE_FLOAT32, weight_dtype, compute_dtype};
    return pt_cuda_gemm(op, stream, &g);
}

extern "C" int pt_cuda_linear_backward(int64_t n, int64_t in_features, int64_t out_features, const float *x,
                                       const void *weight, int weight_dtype, const float *dy, float *dx, float *dweight,
                                       float *dbias, int accumulate, int compute_dtype) {
    const char *op = op_name("pt_linear_backward", "pt_linear_backward_ex", weight_dtype, compute_dtype);
    PT_TRY(check_dims(op, n, in_features, out_features));
    int index = 0;
    cudaStream_t stream = nullptr;
    PT_TRY(pt_cuda_current(&index, &stream));
    static const char *const names[6] = {"x", "weight", "dy", "dx", "dweight", "dbias"};
    const void *const ptrs[6] = {x, weight, dy, dx, dweight, dbias};
    PT_TRY(pt_cuda_check_device_pointers(op, index, 6, names, ptrs));
    if (dx != nullptr) { /* (N, OUT) @ (OUT, IN) */
        const pt_gemm g = {0, 0, n, in_features, out_features, 1.0f, 0.0f, dy, out_features, weight, in_features, dx,
                           in_features, nullptr, PT_GEMM_BIAS_NONE, 1, 0, 0, 0, PT_DTYPE_FLOAT32, weight_dtype,
                           compute_dtype};
        PT_TRY(pt_cuda_gemm(op, stream, &g));
    }
    if (dweight != nullptr) { /* dy^T (OUT, N) @ x (N, IN) */
        const pt_gemm g = {1, 0, out_features, in_features, n, 1.0f, accumulate ? 1.0f : 0.0f, dy, out_features, x,
                           in_features, dweight, in_features, nullptr, PT_GEMM_BIAS_NONE, 1, 0, 0, 0, PT_DTYPE_FLOAT32,
                           PT_DTYPE_FLOAT32, compute_dtype};
        PT_TRY(pt_cuda_gemm(op, stream, &g));
    }
    if (dbias != nullptr) {
        const unsigned blocks = (unsigned)((out_features + kSumCols - 1) / kSumCols);
        const size_t smem = sizeof(double) * kSumRows * (kSumCols + 1);
        const cudaError_t err = pt_launch<column_sums_kernel>(dim3(blocks), dim3(kSumThreads), smem, stream, n,
                                                              (int)out_features, dy, dbias, accumulate != 0);
        if (err != cudaSuccess) return pt_cuda_fail(err, op, "column_sums_kernel launch (dbias)");
    }
    return PT_OK;
}
