/* bench_mem.h over panoptim's CUDA memory calls or the C library. */
#include "bench_mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "panoptim.h"

static char last_error[512];

const char *bench_mem_error(void) { return last_error; }

void bench_mem_clear_error(void) { last_error[0] = '\0'; }

static int check(int status, const char *what) {
    if (status != PT_OK) snprintf(last_error, sizeof last_error, "%s: %s", what, pt_last_error());
    return status;
}

int bench_alloc(bench_device d, int64_t bytes, void **ptr) {
    if (d.kind == PT_DEVICE_CUDA) return check(pt_cuda_malloc(d.index, bytes, ptr), "pt_cuda_malloc");
    /* 256-byte aligned like pt_cuda_malloc, rounded up as aligned_alloc requires. */
    *ptr = bytes ? aligned_alloc(256, (size_t)((bytes + 255) / 256 * 256)) : NULL;
    if (bytes && !*ptr) {
        snprintf(last_error, sizeof last_error, "out of host memory allocating %lld bytes", (long long)bytes);
        return PT_ERR_OUT_OF_MEMORY;
    }
    return PT_OK;
}

void bench_free(bench_device d, void *ptr) {
    if (d.kind == PT_DEVICE_CUDA) pt_cuda_free(d.index, ptr);
    else free(ptr);
}

int bench_upload(bench_device d, void *dst, const void *src, int64_t bytes) {
    if (d.kind == PT_DEVICE_CUDA)
        return check(pt_cuda_copy(d.index, dst, src, bytes, PT_COPY_HOST_TO_DEVICE), "upload");
    memcpy(dst, src, (size_t)bytes);
    return PT_OK;
}

int bench_download(bench_device d, void *dst, const void *src, int64_t bytes) {
    if (d.kind == PT_DEVICE_CUDA)
        return check(pt_cuda_copy(d.index, dst, src, bytes, PT_COPY_DEVICE_TO_HOST), "download");
    memcpy(dst, src, (size_t)bytes);
    return PT_OK;
}

int bench_copy(bench_device d, void *dst, const void *src, int64_t bytes) {
    if (d.kind == PT_DEVICE_CUDA)
        return check(pt_cuda_copy(d.index, dst, src, bytes, PT_COPY_DEVICE_TO_DEVICE), "device-to-device copy");
    memcpy(dst, src, (size_t)bytes);
    return PT_OK;
}

int bench_zero(bench_device d, void *ptr, int64_t bytes) {
    if (d.kind == PT_DEVICE_CUDA) return check(pt_cuda_memset(d.index, ptr, 0, bytes), "pt_cuda_memset");
    memset(ptr, 0, (size_t)bytes);
    return PT_OK;
}

/* Random floats are made on the host one block at a time and uploaded: 2^28 of them need no 1 GiB
 * host buffer. Each block has its own draws, so no period shows in the data. */
int bench_fill_random(bench_device d, float *ptr, int64_t n, float lo, float hi, uint64_t seed) {
    enum { BLOCK = 1 << 20 };
    float *host = malloc(sizeof(float) * BLOCK);
    if (!host) {
        snprintf(last_error, sizeof last_error, "out of host memory");
        return PT_ERR_OUT_OF_MEMORY;
    }
    uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
    int status = PT_OK;
    for (int64_t at = 0; at < n && status == PT_OK; at += BLOCK) {
        const int64_t len = n - at < BLOCK ? n - at : BLOCK;
        for (int64_t j = 0; j < len; j++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
            const float mag = lo + (hi - lo) * (float)(x >> 40) * 0x1p-24f;
            host[j] = (x & 1) ? -mag : mag;
        }
        status = bench_upload(d, ptr + at, host, sizeof(float) * len);
    }
    free(host); /* safe: a host -> device pt_cuda_copy is done with its source on return */
    return status;
}
