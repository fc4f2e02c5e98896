/*
 * Fast matrix product: pt_cpu_matmul, the twin of reference/matmul_reference.c, and pt_cpu_sgemm,
 * the one place the library calls OpenBLAS (linear.c and conv2d.c go through it).
 *   https://www.netlib.org/lapack/explore-html/d4/de2/sgemm_8f.html (the BLAS contract)
 *
 * c (M, N) = alpha * op(a) @ op(b) + beta * c, row-major, op(a) (M, K), op(b) (K, N).
 * beta == 0 means c is only written (old NaNs are not propagated), as BLAS specifies.
 *
 * Threads. OpenBLAS comes in two threading flavours and either may be the libopenblas.so.0 that
 * the loader picks (Debian switches them with update-alternatives; the build prefers the OpenMP one,
 * see CMakeLists.txt):
 *  - OpenMP (openblas_get_parallel() == 2): sgemm runs an OpenMP team of omp_get_max_threads() of
 *    the *calling* thread, sharing libgomp's pool with our own kernels, and runs single-threaded
 *    inside a parallel region. So the calling thread's team size is set to pt_num_threads().
 *  - pthreads (== 1): sgemm uses its own thread pool sized by openblas_set_num_threads (global).
 * Called outside our parallel regions, sgemm runs on pt_num_threads() threads. Called inside one
 * (cpu/conv2d.c gives each thread its own images), the OpenMP and sequential flavours run it on the
 * calling thread alone; the pthreads one would wake its own threads, unless told beforehand
 * (pt_cpu_sgemm_per_thread). Its idle threads also spin a while after each call, which starves
 * OpenMP loops run in between: pt_cpu_sgemm_has_own_threads() tells the caller to run those on the
 * calling thread.
 */
#include <cblas.h>
#include <omp.h>

#include "cpu/dense_kernels.h"
#include "panoptim.h"

/* openblas_get_parallel(): 0 sequential, 1 pthreads, 2 OpenMP. */
#define PT_OPENBLAS_PTHREADS 1
#define PT_OPENBLAS_OPENMP 2

static void blas_use_threads(int threads) {
    if (openblas_get_parallel() == PT_OPENBLAS_OPENMP) {
        if (omp_get_max_threads() != threads) omp_set_num_threads(threads);
    } else if (openblas_get_num_threads() != threads) {
        openblas_set_num_threads(threads);
    }
}

void pt_cpu_sgemm(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float *a,
                  int64_t lda, const float *b, int64_t ldb, float beta, float *c, int64_t ldc) {
    if (!omp_in_parallel()) blas_use_threads(pt_num_threads());
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, (int)m,
                (int)n, (int)k, alpha, a, (int)lda, b, (int)ldb, beta, c, (int)ldc);
}

void pt_cpu_sgemm_per_thread(void) {
    if (openblas_get_parallel() == PT_OPENBLAS_PTHREADS) openblas_set_num_threads(1);
}

int pt_cpu_sgemm_has_own_threads(void) { return openblas_get_parallel() == PT_OPENBLAS_PTHREADS; }

void pt_cpu_matmul(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha, const float *a,
                   const float *b, double beta, float *c) {
    /* Row-major leading dimensions: the stored row lengths. */
    const int64_t lda = trans_a ? m : k, ldb = trans_b ? k : n;
    pt_cpu_sgemm(trans_a, trans_b, m, n, k, (float)alpha, a, lda, b, ldb, (float)beta, c, n);
}
