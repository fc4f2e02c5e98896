/* Internal: whether a CUDA layer call goes to the vendor libraries (cuBLAS for matmul and linear,
 * cuDNN for conv2d and batchnorm2d: cuda/vendor/vendor.h) instead of panoptim's own kernels, as
 * chosen by pt_cuda_set_backend or PANOPTIM_CUDA_BACKEND. Checked after the arguments, so both
 * backends refuse the same bad calls with the same messages. */
#ifndef PT_VENDOR_DISPATCH_H
#define PT_VENDOR_DISPATCH_H

#include "panoptim.h"
#include "cuda/vendor/vendor.h"

static inline int pt_use_vendor(int device) {
    return device == PT_DEVICE_CUDA && pt_cuda_get_backend() == PT_CUDA_BACKEND_VENDOR;
}

#endif
