/*
 * Memory of bench/gpu on either device, through panoptim's public API only (pt_cuda_malloc,
 * pt_cuda_copy, ...) for CUDA and the C library for the CPU, so the harness itself has one code path.
 * Every function returns a pt_status; on failure pt_last_error() (or a short text for the host) is
 * copied into bench_mem_error().
 */
#ifndef PT_BENCH_MEM_H
#define PT_BENCH_MEM_H

#include <stdint.h>

typedef struct bench_device {
    int kind;  /* PT_DEVICE_CPU or PT_DEVICE_CUDA */
    int index; /* CUDA device index, -1 for the CPU */
} bench_device;

const char *bench_mem_error(void);
void bench_mem_clear_error(void);
int bench_alloc(bench_device d, int64_t bytes, void **ptr);
void bench_free(bench_device d, void *ptr);
/* host -> device memory and back; waits for queued work where the device needs it. */
int bench_upload(bench_device d, void *dst, const void *src, int64_t bytes);
int bench_download(bench_device d, void *dst, const void *src, int64_t bytes);
/* dst = src within the device: the copy baseline (cudaMemcpyAsync on panoptim's stream, or memcpy). */
int bench_copy(bench_device d, void *dst, const void *src, int64_t bytes);
int bench_zero(bench_device d, void *ptr, int64_t bytes);
/* Fills n floats with random values of magnitude in [lo, hi), both signs, from `seed`. */
int bench_fill_random(bench_device d, float *ptr, int64_t n, float lo, float hi, uint64_t seed);

#endif
