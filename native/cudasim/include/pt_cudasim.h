/* Controls of the CUDA simulator for its tests (C linkage; only in libpanoptim_cudasim and the
 * simulated test builds). The environment sets the same: PANOPTIM_CUDA_SIM_SCHEDULE,
 * PANOPTIM_CUDA_SIM_THREADS (native/cudasim/runtime/config.cpp). */
#ifndef PT_CUDASIM_H
#define PT_CUDASIM_H
#ifdef __cplusplus
extern "C" {
#endif
/* "in-order", "reverse" or "shuffle:SEED": the order of a block's threads between barriers. 0 or -1. */
int pt_cudasim_set_schedule(const char *schedule);
/* OS threads that run blocks at once (>= 1). 0 or -1. */
int pt_cudasim_set_threads(int threads);
#ifdef __cplusplus
}
#endif
#endif
