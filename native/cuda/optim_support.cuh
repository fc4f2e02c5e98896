// Host helpers shared by the CUDA fused steps (sgd.cu, rmsprop.cu, adam.cu):
//  - pt_cuda_begin_step (device_pointers.cu): the current device and stream, and the checks;
//  - pt_cuda_check_lists (device_pointers.cu): the pointers of a call are device memory of the
//    current device, else PT_ERR_INVALID_ARGUMENT naming the list and index;
//  - pt_cuda_count_steps (step_counts.cu): the capturable step counts, incremented on the device.
#pragma once

#include "cuda/pt_cuda.cuh"

#include <stdint.h>

#include "cuda/multi_tensor_apply.cuh"

// One list of a call: per_tensor lists hold num_tensors pointers (those of empty tensors are not
// checked); the others are a single pointer (ptrs points to it). ptrs == NULL: the list is unused.
struct pt_cuda_list {
    const char *name;
    const void *const *ptrs;
    bool per_tensor;
};

// Checks every non-NULL pointer of the lists with cudaPointerGetAttributes: device memory of
// device `index` (or managed memory). A training loop passes the same lists every step, so the
// last validated calls of this host thread are remembered (a hash of the device, the counts and
// every pointer) and a repeated call costs one pass of hashing.
int pt_cuda_check_lists(const char *op, int index, int64_t num_tensors, const int64_t *numels,
                        const pt_cuda_list *lists, int num_lists);

// Queues steps[i] += 1 for i < n on `stream`, unless *found_inf != 0 (found_inf may be NULL).
// Queued after the optimizer's kernel, which read the counts before: every block of that kernel
// sees the old count, and each count is incremented exactly once.
int pt_cuda_count_steps(const char *op, cudaStream_t stream, float *steps, int64_t n, const float *found_inf);

// What a fused step needs once its arguments are checked.
struct pt_cuda_step {
    int index;                  // the current device
    cudaStream_t stream;        // panoptim's stream on it
    pt_mta::DeviceExtras x;     // lr, steps, grad_scale, found_inf (device pointers, may be NULL)
    bool bf16_grads;            // grads are __nv_bfloat16, else float
    void *const *params_bf16;   // host array of device pointers, or NULL
    float *steps;               // extras->steps, or NULL
};

// The common start of a fused CUDA step: at most INT32_MAX tensors, pt_cuda_current, and
// pt_cuda_check_lists over `lists` (params, grads and the optimizer's state, at most 8) plus the
// extras' pointers (x may be NULL).
int pt_cuda_begin_step(const char *op, int64_t num_tensors, const int64_t *numels, const pt_step_extras *x,
                       const pt_cuda_list *lists, int num_lists, pt_cuda_step *out);
