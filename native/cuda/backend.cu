// The CUDA backend switch (panoptim.h, "CUDA backend"): which code runs the PT_DEVICE_CUDA matmul,
// linear, conv2d and batchnorm2d calls, panoptim's kernels or cuBLAS/cuDNN (native/cuda/vendor/).
// Compiled into the real library and the simulator; the simulator has no vendor libraries, so there
// VENDOR is refused with the reason. native/api dispatches on pt_cuda_get_backend().
//
// The choice starts from PANOPTIM_CUDA_BACKEND, read once at the first call that needs it. A bad
// value cannot be refused where it was written, so it is remembered and every CUDA call fails with
// it (pt_cuda_backend_check) until pt_cuda_set_backend makes a choice: a typo must not silently run
// the other backend.
#include "cuda/pt_cuda.cuh"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mutex>

#include "cuda/backend.h"
#include "cuda/vendor/vendor.h"

namespace {

std::mutex g_mutex;
bool g_read = false;              // PANOPTIM_CUDA_BACKEND has been read (or overridden)
int g_backend = PT_CUDA_BACKEND_OWN;
char g_env_error[256] = "";       // why PANOPTIM_CUDA_BACKEND cannot be used, "" when it can

#if defined(PANOPTIM_CUDASIM)
constexpr const char *kSimulatorReason =
    "the simulator runs panoptim's own kernels only (the vendor backend needs the real libpanoptim, a GPU and "
    "cuBLAS/cuDNN)";
#endif

// Reads PANOPTIM_CUDA_BACKEND; called with g_mutex held.
void read_env_locked() {
    g_read = true;
    g_backend = PT_CUDA_BACKEND_OWN;
    g_env_error[0] = '\0';
    const char *v = getenv("PANOPTIM_CUDA_BACKEND");
    if (v == nullptr || v[0] == '\0' || strcasecmp(v, "own") == 0) return;
    if (strcasecmp(v, "vendor") == 0) {
#if defined(PANOPTIM_CUDASIM)
        snprintf(g_env_error, sizeof g_env_error, "PANOPTIM_CUDA_BACKEND=vendor cannot be honoured: %s; unset it or set it to own",
                 kSimulatorReason);
#else
        g_backend = PT_CUDA_BACKEND_VENDOR;
#endif
        return;
    }
    snprintf(g_env_error, sizeof g_env_error,
             "PANOPTIM_CUDA_BACKEND=\"%.64s\" is not a CUDA backend: use own or vendor (or leave it unset)", v);
}

}  // namespace

extern "C" int pt_cuda_backend_check(const char *op) {
    std::lock_guard<std::mutex> lock(g_mutex);
    if (!g_read) read_env_locked();
    if (g_env_error[0] == '\0') return PT_OK;
    return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: %s", op, g_env_error);
}

extern "C" void pt_cuda_backend_reload_env(void) {
    std::lock_guard<std::mutex> lock(g_mutex);
    read_env_locked();
}

extern "C" int pt_cuda_set_backend(int backend) {
    if (backend != PT_CUDA_BACKEND_OWN && backend != PT_CUDA_BACKEND_VENDOR)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "pt_cuda_set_backend: unknown backend %d (0 = own, 1 = vendor)", backend);
#if defined(PANOPTIM_CUDASIM)
    if (backend == PT_CUDA_BACKEND_VENDOR)
        return pt_fail(PT_ERR_UNSUPPORTED, "pt_cuda_set_backend: cannot choose vendor: %s", kSimulatorReason);
#endif
    std::lock_guard<std::mutex> lock(g_mutex);
    g_read = true;
    g_env_error[0] = '\0';  // an explicit choice overrides a bad PANOPTIM_CUDA_BACKEND
    g_backend = backend;
    return PT_OK;
}

extern "C" int pt_cuda_get_backend(void) {
    std::lock_guard<std::mutex> lock(g_mutex);
    if (!g_read) read_env_locked();
    return g_backend;
}

extern "C" int pt_cuda_vendor_info(char *buf, int64_t capacity) {
    if (buf == nullptr) return pt_fail(PT_ERR_INVALID_ARGUMENT, "pt_cuda_vendor_info: buf is NULL");
    if (capacity < 1)
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "pt_cuda_vendor_info: capacity must be >= 1, got %lld",
                       (long long)capacity);
    int backend;
    char env_error[sizeof g_env_error];
    {
        std::lock_guard<std::mutex> lock(g_mutex);
        if (!g_read) read_env_locked();
        backend = g_backend;
        memcpy(env_error, g_env_error, sizeof env_error);
    }
    int used = snprintf(buf, (size_t)capacity, "backend: %s\n", backend == PT_CUDA_BACKEND_VENDOR ? "vendor" : "own");
    if (env_error[0] != '\0' && used < capacity)
        used += snprintf(buf + used, (size_t)(capacity - used), "error: %s\n", env_error);
    if (used >= capacity) return PT_OK;  // truncated: snprintf kept the NUL
#if defined(PANOPTIM_CUDASIM)
    snprintf(buf + used, (size_t)(capacity - used), "vendor: unavailable: %s\n", kSimulatorReason);
#else
    pt_vendor_describe(buf + used, capacity - used);
#endif
    return PT_OK;
}
