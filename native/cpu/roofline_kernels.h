/*
 * Internal: the two twins behind pt_roofline_step (api/roofline_api.c validates the arguments).
 * Per element, over n elements:  m += g;  v += g;  p += m - v   (m and v the updated values).
 * That is the memory traffic of a fused AdamW step (read p, g, m, v; write p, m, v: 28 bytes per
 * element) with none of its arithmetic, so the time of this loop is the floor of such a step on the
 * same machine. The sums are plain float additions (no multiply, so nothing can be contracted):
 * both twins give bit-identical results, which the tests check exactly.
 */
#ifndef PT_ROOFLINE_KERNELS_H
#define PT_ROOFLINE_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* cpu/roofline.c: vectorized, on all pt_num_threads() threads in the fused steps' own chunks. */
void pt_cpu_roofline_step(int64_t n, float *p, const float *g, float *m, float *v);

/* cuda/roofline.cu (absent/roofline_absent.c without nvcc): one kernel queued on panoptim's stream
 * of the current device; every pointer is device memory. Returns a status. */
int pt_cuda_roofline_step(int64_t n, float *p, const float *g, float *m, float *v);

#ifdef __cplusplus
}
#endif

#endif
