// DeviceGuard: makes a device current for a scope and restores the caller's after (torch's
// DeviceGuard), so that every panoptim call leaves the calling thread's current device as it was.
#pragma once

#include <cuda_runtime.h>

class DeviceGuard {
  public:
    explicit DeviceGuard(int index) {
        if (cudaGetDevice(&previous_) != cudaSuccess) previous_ = -1;
        if (previous_ != index) status_ = cudaSetDevice(index);
    }
    ~DeviceGuard() {
        if (previous_ >= 0) cudaSetDevice(previous_);
    }
    cudaError_t status() const { return status_; }

  private:
    int previous_ = -1;
    cudaError_t status_ = cudaSuccess;
};
