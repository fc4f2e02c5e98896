// Errors of the simulated runtime: CUDA's last-error rule (per host thread, cleared by
// cudaGetLastError) and, beyond CUDA, a detailed message per error naming what went wrong and
// where, which cudaGetErrorString returns for the latest detailed error of that code.
#include <cstdarg>
#include <cstdio>

#include "runtime.h"

namespace pt_sim {
namespace {
thread_local cudaError_t last_error = cudaSuccess;
thread_local cudaError_t detail_code = cudaSuccess;
thread_local std::string detail;
}  // namespace

cudaError_t fail(cudaError_t code, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    detail = std::string("[CUDA simulator] ") + buf;
    detail_code = code;
    last_error = code;
    return code;
}

[[noreturn]] void misaligned_access(const void *address, unsigned bytes) {
    char buf[256];
    snprintf(buf, sizeof buf, "misaligned %u-byte vector access at %p (a GPU requires %u-byte alignment) in %s", bytes,
             address, bytes, where_in_kernel().c_str());
    throw KernelFault(cudaErrorMisalignedAddress, buf);
}
}  // namespace pt_sim

cudaError_t cudaGetLastError(void) {
    cudaError_t e = pt_sim::last_error;
    pt_sim::last_error = cudaSuccess;
    return e;
}

cudaError_t cudaPeekAtLastError(void) { return pt_sim::last_error; }

const char *cudaGetErrorName(cudaError_t error) {
    switch (error) {
#define PT_NAME(e) \
    case e:        \
        return #e;
        PT_NAME(cudaSuccess)
        PT_NAME(cudaErrorInvalidValue)
        PT_NAME(cudaErrorMemoryAllocation)
        PT_NAME(cudaErrorInitializationError)
        PT_NAME(cudaErrorInvalidConfiguration)
        PT_NAME(cudaErrorInvalidDevicePointer)
        PT_NAME(cudaErrorInvalidMemcpyDirection)
        PT_NAME(cudaErrorInsufficientDriver)
        PT_NAME(cudaErrorInvalidDeviceFunction)
        PT_NAME(cudaErrorNoDevice)
        PT_NAME(cudaErrorInvalidDevice)
        PT_NAME(cudaErrorInvalidResourceHandle)
        PT_NAME(cudaErrorIllegalState)
        PT_NAME(cudaErrorNotReady)
        PT_NAME(cudaErrorIllegalAddress)
        PT_NAME(cudaErrorLaunchOutOfResources)
        PT_NAME(cudaErrorMisalignedAddress)
        PT_NAME(cudaErrorLaunchFailure)
        PT_NAME(cudaErrorNotSupported)
        PT_NAME(cudaErrorStreamCaptureUnsupported)
        PT_NAME(cudaErrorStreamCaptureInvalidated)
        PT_NAME(cudaErrorStreamCaptureImplicit)
        PT_NAME(cudaErrorStreamCaptureWrongThread)
        PT_NAME(cudaErrorUnknown)
#undef PT_NAME
    }
    return "cudaErrorUnknown";
}

static const char *generic_description(cudaError_t error) {
    switch (error) {
    case cudaSuccess: return "no error";
    case cudaErrorInvalidValue: return "invalid argument";
    case cudaErrorMemoryAllocation: return "out of memory";
    case cudaErrorInvalidConfiguration: return "invalid configuration argument";
    case cudaErrorInvalidDevice: return "invalid device ordinal";
    case cudaErrorInvalidResourceHandle: return "invalid resource handle";
    case cudaErrorNotReady: return "device not ready";
    case cudaErrorIllegalAddress: return "an illegal memory access was encountered";
    case cudaErrorMisalignedAddress: return "misaligned address";
    case cudaErrorLaunchFailure: return "unspecified launch failure";
    case cudaErrorInvalidMemcpyDirection: return "invalid copy direction for memcpy";
    case cudaErrorIllegalState: return "the operation cannot be performed in the present state";
    case cudaErrorStreamCaptureUnsupported: return "operation not permitted when stream is capturing";
    case cudaErrorStreamCaptureInvalidated: return "operation failed due to a previous error during capture";
    case cudaErrorStreamCaptureImplicit: return "operation would make the legacy stream depend on a capturing blocking stream";
    case cudaErrorStreamCaptureWrongThread: return "attempt to terminate a thread-local capture sequence from another thread";
    default: return "unknown error";
    }
}

const char *cudaGetErrorString(cudaError_t error) {
    if (error != cudaSuccess && error == pt_sim::detail_code && !pt_sim::detail.empty()) return pt_sim::detail.c_str();
    return generic_description(error);
}
