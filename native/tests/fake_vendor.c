/*
 * A stand-in for cuBLAS and a broken cuDNN, for test_cuda_backend's fake-vendor run (CMake test
 * test_cuda_backend_fake_vendor): the loader must take a file named by PANOPTIM_CUBLAS_PATH, report
 * the version it gives and the file's path, and refuse a "cuDNN" that lacks functions, naming the
 * first missing one. Nothing here is ever asked to compute.
 */
#include <stddef.h>

#define FAKE_API __attribute__((visibility("default")))

FAKE_API int cublasCreate_v2(void **handle) { *handle = NULL; return 0; }
FAKE_API int cublasSetStream_v2(void *handle, void *stream) { return 0; }
FAKE_API int cublasSetMathMode(void *handle, int mode) { return 0; }
FAKE_API int cublasGetProperty(int type, int *value) {
    *value = type == 0 ? 13 : type == 1 ? 1 : 7; /* "13.1.7" */
    return 0;
}
FAKE_API const char *cublasGetStatusString(int status) { return "fake"; }
FAKE_API int cublasSgemm_v2(void *h, int ta, int tb, int m, int n, int k, const float *alpha, const float *a, int lda,
                            const float *b, int ldb, const float *beta, float *c, int ldc) {
    return 0;
}

/* cuDNN: the version and nothing else, so cudnnGetErrorString is the first missing function. */
FAKE_API size_t cudnnGetVersion(void) { return 90600; }
