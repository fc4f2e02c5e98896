// Internal state of the simulator's runtime, shared by the files of native/cudasim/runtime/.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>

#include "cuda_runtime.h"

namespace pt_sim {

// ---- errors (errors.cpp)
// Record a detailed message for `code` on this thread (returned by cudaGetErrorString(code) until
// the next detailed error) and make it the last error; returns code.
cudaError_t fail(cudaError_t code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
// A fault raised inside a simulated kernel; unwinds that thread's fiber, fails the launch.
struct KernelFault : std::runtime_error {
    cudaError_t code;
    KernelFault(cudaError_t c, const std::string &what) : std::runtime_error(what), code(c) {}
};
// "kernel adam_kernel<0>, block (3,0,0), thread (17,0,0)": where the current thread is.
std::string where_in_kernel();

// ---- memory (memory.cpp)
enum class AllocKind { kDevice, kPinnedHost };
struct Allocation {
    uintptr_t base;
    size_t bytes;
    AllocKind kind;
    int device;
};
// The allocation containing [p, p + bytes) (bytes may be 0: p may then be one past the end).
bool find_allocation(const void *p, size_t bytes, Allocation *out);
int current_device();

// ---- streams (streams.cpp)
// An operation queued on a stream; returns the error it raised.
using Operation = std::function<cudaError_t()>;
cudaError_t enqueue(cudaStream_t stream, const char *what, Operation op);
// Runs the queued work of every stream (cudaDeviceSynchronize).
cudaError_t synchronize_all();

// ---- kernels (grid.cpp)
cudaError_t run_grid(const KernelLaunch &launch, uint64_t launch_index);
// The dynamic shared memory limit raised with cudaFuncSetAttribute for `kernel` (device.cpp).
size_t dynamic_shared_limit(const void *kernel);
// Bytes of static __shared__ memory in the library (all kernels together; shared_memory.cpp).
size_t static_shared_bytes();
// Fill this OS thread's static __shared__ memory with the poison pattern.
void poison_static_shared();
constexpr unsigned char kPoisonByte = 0xff;  // 0xffffffff is a float NaN and the int -1

// ---- configuration (config.cpp): PANOPTIM_CUDA_SIM_SCHEDULE, PANOPTIM_CUDA_SIM_THREADS
enum class Schedule { kInOrder, kReverse, kShuffle };
struct Config {
    Schedule schedule;
    uint64_t seed;
    int worker_threads;
};
Config config();

}  // namespace pt_sim
