/* Internal: the CUDA backend switch of panoptim.h (pt_cuda_set_backend & co., native/cuda/backend.cu)
 * as the other CUDA sources see it. */
#ifndef PT_CUDA_BACKEND_H
#define PT_CUDA_BACKEND_H

#ifdef __cplusplus
extern "C" {
#endif

/* PT_OK, or PT_ERR_INVALID_ARGUMENT with "op: PANOPTIM_CUDA_BACKEND=... is not ..." while the
 * environment names no backend this library can run and pt_cuda_set_backend has not chosen one.
 * Every CUDA call that reaches a device checks it (cuda_device.cu), so the first one reports it. */
int pt_cuda_backend_check(const char *op);

/* Forget the choice and read PANOPTIM_CUDA_BACKEND again, as at start (for tests). */
void pt_cuda_backend_reload_env(void);

#ifdef __cplusplus
}
#endif

#endif
