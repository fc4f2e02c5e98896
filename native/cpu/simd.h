/*
 * Internal: what the fast CPU kernels (cpu/sgd.c, cpu/rmsprop.c, cpu/adam.c) share --
 * ISA multiversioning of their inner loops, and the parallel walk over fixed-size chunks of
 * all the tensors of one call.
 *
 * Multiversioning. The library is built for baseline x86-64 (no -march), yet the inner loops
 * should use AVX-512 or AVX2+FMA where the CPU has them. PT_SIMD_CLONES asks GCC to compile a
 * function three times -- x86-64-v4 (AVX-512F/BW/CD/DQ/VL), x86-64-v3 (AVX2, FMA, ...) and
 * the default -- and to pick one once, at load time, through an ifunc resolver.
 * pt_simd_level() (api/info.c) asks the CPU the same two questions in the same order, so it
 * reports the clone that actually runs. Where target_clones or ifuncs are unavailable (other
 * compilers or architectures, or -DPT_NO_SIMD_CLONES) the macro is empty, PT_HAVE_SIMD_CLONES
 * is 0 and pt_simd_level() says "baseline".
 *
 * FP contraction. -std=c11 turns it off (ISO C rounds every operation), which would keep the
 * FMA units idle. Kernel code between PT_KERNEL_BEGIN and PT_KERNEL_END is compiled with
 * -ffp-contract=fast instead, so the v3/v4 clones fuse a*b+c. The results then differ from
 * the uncontracted scalar references by an ulp or so per operation -- as torch's own
 * vectorized kernels do -- and the parity tests compare with tolerances.
 */
#ifndef PT_SIMD_H
#define PT_SIMD_H

#include <stdint.h>

#include <omp.h>

#include "panoptim.h"

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
    !defined(PT_NO_SIMD_CLONES)
#define PT_HAVE_SIMD_CLONES 1
#define PT_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define PT_HAVE_SIMD_CLONES 0
#define PT_SIMD_CLONES
#endif

#if defined(__GNUC__) && !defined(__clang__)
#define PT_KERNEL_BEGIN _Pragma("GCC push_options") _Pragma("GCC optimize(\"fp-contract=fast\")")
#define PT_KERNEL_END _Pragma("GCC pop_options")
#else
#define PT_KERNEL_BEGIN
#define PT_KERNEL_END
#endif

/* The loop bodies take their option flags as constants and are inlined into each clone once
 * per flag combination, so that every hot loop is branch-free. */
#if defined(__GNUC__)
#define PT_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define PT_ALWAYS_INLINE inline
#endif

/* Elements per parallel chunk: 256 KiB per stream, so a chunk costs far more than handing it to
 * a thread, yet a 2^24-element call still splits into 256 chunks for balance. */
#define PT_CHUNK_ELEMENTS ((int64_t)65536)
/* Calls with fewer elements than this run on the calling thread: waking the OpenMP team costs a
 * few microseconds, more than such a step. */
#define PT_PARALLEL_MIN_ELEMENTS ((int64_t)65536)

/* Updates elements [begin, end) of tensor i of the call described by ctx. */
typedef void (*pt_piece_fn)(const void *ctx, int64_t i, int64_t begin, int64_t end);

/*
 * Calls fn over every element of every tensor exactly once. The tensors are laid end to end
 * into one index space cut into PT_CHUNK_ELEMENTS-sized chunks, which OpenMP hands out in
 * contiguous blocks (schedule(static)). A chunk that spans tensor boundaries becomes one piece
 * per tensor, so many small tensors share a chunk and one huge tensor is split among threads:
 * the work per thread is balanced by elements, whatever the shapes. Nothing is allocated.
 */
static inline void pt_for_each_chunk(int64_t num_tensors, const int64_t *numels, pt_piece_fn fn,
                                     const void *ctx) {
    int64_t total = 0;
    for (int64_t i = 0; i < num_tensors; i++) total += numels[i];
    const int threads = pt_num_threads(); /* process-wide, whichever thread calls (api/info.c) */
    if (total < PT_PARALLEL_MIN_ELEMENTS || threads == 1) {
        for (int64_t i = 0; i < num_tensors; i++)
            if (numels[i] > 0) fn(ctx, i, 0, numels[i]);
        return;
    }
    const int64_t num_chunks = (total + PT_CHUNK_ELEMENTS - 1) / PT_CHUNK_ELEMENTS;
#pragma omp parallel num_threads(threads)
    {
        /* Per-thread cursor: tensor t covers [t_start, t_start + numels[t]) of the index space.
         * A static schedule gives each thread increasing chunk numbers, so the cursor only moves
         * forward and finding the tensors of a chunk costs O(1) amortized. */
        int64_t t = 0, t_start = 0;
#pragma omp for schedule(static)
        for (int64_t c = 0; c < num_chunks; c++) {
            int64_t pos = c * PT_CHUNK_ELEMENTS;
            const int64_t hi = pos + PT_CHUNK_ELEMENTS < total ? pos + PT_CHUNK_ELEMENTS : total;
            if (pos < t_start) { /* not promised by OpenMP; stay correct anyway */
                t = 0;
                t_start = 0;
            }
            while (pos < hi) {
                while (t_start + numels[t] <= pos) t_start += numels[t++];
                const int64_t begin = pos - t_start;
                const int64_t end = hi - t_start < numels[t] ? hi - t_start : numels[t];
                fn(ctx, t, begin, end);
                pos = t_start + end;
            }
        }
    }
}

#endif
