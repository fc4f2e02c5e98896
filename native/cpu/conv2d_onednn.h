/*
 * Internal: conv2d on oneDNN (cpu/conv2d_onednn.c), the library libtorch's CPU convolutions run on,
 * loaded at run time with dlopen, and the choice between it and panoptim's own im2col + OpenBLAS
 * kernels (cpu/conv2d_backend.c, the public pt_cpu_*_conv_backend calls of panoptim.h).
 */
#ifndef PT_CONV2D_ONEDNN_H
#define PT_CONV2D_ONEDNN_H

#include <stdint.h>

#include "cpu/dense_kernels.h"

/* Runs the call on oneDNN when the conv backend in force takes it: returns 1 with *status set
 * (PT_OK, or an error with its message), or 0 when the own kernels are to run it. The arguments
 * are those of pt_cpu_conv2d_forward_ex / _backward_ex, already validated. */
int pt_cpu_conv2d_forward_on_backend(const pt_conv2d_shape *sh, const float *x, const void *weight, int weight_dtype,
                                     const float *bias, float *y, int compute_dtype, int *status);
int pt_cpu_conv2d_backward_on_backend(const pt_conv2d_shape *sh, const float *x, const void *weight,
                                      int weight_dtype, const float *dy, float *dx, float *dweight, int accumulate,
                                      int compute_dtype, int *status);

/* Whether the `auto` backend gives this shape's forward (backward = 0) or backward with this
 * compute dtype to oneDNN (when it loads); cpu/conv2d_backend.c says why. */
int pt_cpu_conv2d_auto_takes(const pt_conv2d_shape *sh, int backward, int compute_dtype);

/* The passes of a convolution, as oneDNN makes a primitive for each. */
typedef enum pt_onednn_pass { PT_ONEDNN_FORWARD = 0, PT_ONEDNN_BACKWARD_DATA = 1, PT_ONEDNN_BACKWARD_WEIGHTS = 2 } pt_onednn_pass;

/* Loads oneDNN once (later calls return the first answer): PT_OK, or PT_ERR_UNSUPPORTED with the
 * message saying where it looked. */
int pt_onednn_load(void);
/* After a successful load: the file loaded and oneDNN's version, e.g. "/usr/lib/.../libdnnl.so.2
 * (oneDNN 2.6.3)"; otherwise why it is not available. Never NULL. */
const char *pt_onednn_description(void);

/* One pass of one call on oneDNN. Pointers: forward (x, weight, bias or NULL, y); backward data
 * (dy, weight, dx); backward weights (x, dy, dweight; summed into dweight when accumulate).
 * Returns PT_OK, or 1 (not an error: `declined`) when oneDNN has no fast kernel for it (its
 * primitive could not be made, or only oneDNN's reference loops could run it), or an error status
 * (out of memory, a failed execution) with its message. Calls are serialized by one lock. */
#define PT_ONEDNN_DECLINED 1
int pt_onednn_conv2d(int pass, const pt_conv2d_shape *sh, int weight_dtype, int compute_dtype, const void *a,
                     const void *b, const void *c, void *out, int accumulate);

/* The implementation oneDNN picked for a pass of a shape (its impl_info_str, e.g. "jit:avx512_core"),
 * making the primitive if needed; "declined" or "unavailable" otherwise. For tests and
 * `panoptim info`. */
const char *pt_onednn_conv2d_impl(int pass, const pt_conv2d_shape *sh, int weight_dtype, int compute_dtype);

#endif
