/*
 * Setup helpers for the C tests of CUDA kernels (test_cuda_*.c): a call that must succeed (the test
 * cannot go on otherwise, so it exits naming the call and pt_last_error()), host allocation that
 * exits on failure, and float buffers moved to and from device 0 through the public API.
 */
#ifndef PT_TEST_CUDA_SUPPORT_H
#define PT_TEST_CUDA_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>

#include "panoptim.h"

/* MUST(call): call returns PT_OK, or the test exits 1 with file:line, the call and the message. */
#define MUST(call)                                                                                    \
    do {                                                                                              \
        int s_ = (call);                                                                              \
        if (s_ != PT_OK) {                                                                            \
            fprintf(stderr, "FAIL %s:%d: %s: status %d (%s)\n", __FILE__, __LINE__, #call, s_,       \
                    pt_last_error());                                                                 \
            exit(1);                                                                                  \
        }                                                                                             \
    } while (0)

static inline void *xmalloc(size_t bytes) {
    void *p = malloc(bytes ? bytes : 1);
    if (!p) exit(2);
    return p;
}

/* The number of CUDA devices, or the exit status of a test that cannot run: 77 (skipped) where
 * CUDA is unusable in the real build, 1 (a failure) where the simulator has no device. Use as
 * `int count = cuda_devices_or_exit_status("test_x"); if (count < 0) return -count;`. */
static inline int cuda_devices_or_exit_status(const char *test) {
    int count = 0;
    if (pt_cuda_device_count(&count) == PT_OK) return count;
    if (pt_cuda_simulated()) {
        fprintf(stderr, "FAIL: the simulator reports no device: %s\n", pt_last_error());
        return -1;
    }
    printf("%s: skipped, CUDA unusable here: %s\n", test, pt_last_error());
    return -77;
}

/* n floats on device 0, a copy of host (host == NULL: as allocated, NaN on the simulator). */
static inline float *device_floats(const float *host, int64_t n) {
    void *d = NULL;
    MUST(pt_cuda_malloc(0, (int64_t)sizeof(float) * n, &d));
    if (host) MUST(pt_cuda_copy(0, d, host, (int64_t)sizeof(float) * n, PT_COPY_HOST_TO_DEVICE));
    return (float *)d;
}

/* `bytes` on device 0, a copy of host (any element type: float32, bf16, fp16 data). */
static inline void *device_bytes(const void *host, size_t bytes) {
    void *d = NULL;
    MUST(pt_cuda_malloc(0, (int64_t)bytes, &d));
    MUST(pt_cuda_copy(0, d, host, (int64_t)bytes, PT_COPY_HOST_TO_DEVICE));
    return d;
}

/* A new host copy of n device floats, once the work queued on the device has finished. */
static inline float *host_floats(const float *dev, int64_t n) {
    float *h = (float *)xmalloc(sizeof(float) * (size_t)n);
    MUST(pt_cuda_synchronize(0));
    MUST(pt_cuda_copy(0, h, dev, (int64_t)sizeof(float) * n, PT_COPY_DEVICE_TO_HOST));
    return h;
}

#endif
