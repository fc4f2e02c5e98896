// Internal state of the simulator's runtime, shared by the files of native/cudasim/runtime/.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

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

// Device memory by hand, for graph allocations (capture.cpp): allocate() and release() of cudaMalloc.
cudaError_t allocate_device(void **ptr, size_t bytes, const char *call);
cudaError_t release_device(void *ptr, const char *call);

// ---- streams (streams.cpp)
// An operation queued on a stream; returns the error it raised.
using Operation = std::function<cudaError_t()>;
// Queues `op` on `stream`; while the stream captures, records `replay` (or `op` when empty) into
// its capture instead (capture.cpp).
cudaError_t enqueue(cudaStream_t stream, const char *what, Operation op, Operation replay = {});
// Runs the queued work of every stream (cudaDeviceSynchronize).
cudaError_t synchronize_all();
// The one lock of the queues, the captures and the graphs (recursive: draining one stream may
// drain another first).
std::recursive_mutex &queue_mutex();
struct CUstream_st *resolve_stream(cudaStream_t stream);  // the legacy stream for 0 and its aliases
bool stream_is_live(struct CUstream_st *s);

struct QueuedOp {
    uint64_t seq;
    const char *what;
    bool always_runs;  // frees still run after a fault, so memory is not lost
    Operation run;
};

// ---- stream capture (capture.cpp): what a capturing stream records instead of running
struct RecordedOp {
    const char *what;
    Operation run;
};
// Memory that cudaMallocAsync gave out during a capture (a graph allocation node): owned by the
// capture, then the graph and its executables, freed with the last of them.
struct GraphMemory {
    void *ptr;
    size_t bytes;
    bool freed_in_graph = false;  // a cudaFreeAsync of it was captured
    GraphMemory(void *p, size_t b) : ptr(p), bytes(b) {}
    ~GraphMemory();
};
using GraphMemoryList = std::shared_ptr<std::vector<std::shared_ptr<GraphMemory>>>;
struct Capture {
    cudaStreamCaptureMode mode;
    std::thread::id thread;                // the thread that began it
    std::vector<RecordedOp> ops;           // in stream order
    GraphMemoryList memory;
    bool invalidated = false;
    std::string why;                       // the call that invalidated it, for cudaStreamEndCapture
};
// Called with queue_mutex() held: records op into s's capture (cudaErrorStreamCaptureInvalidated
// once it was invalidated).
cudaError_t record(struct CUstream_st *s, const char *what, Operation op);
// Invalidates s's capture for `call` and returns cudaErrorStreamCaptureUnsupported with `reason`.
cudaError_t refuse_in_capture(struct CUstream_st *s, const char *call, const char *reason);
// A call that a capture in global mode (any thread) or thread-local mode (its own thread)
// prohibits: synchronous allocations, frees, copies and device synchronization. Invalidates those
// captures and returns cudaErrorStreamCaptureUnsupported; cudaSuccess when none prohibits it.
cudaError_t check_unsafe_call(const char *call);
// Work on the legacy stream while a blocking stream captures would depend on the capture:
// invalidates that capture, cudaErrorStreamCaptureImplicit. Called with queue_mutex() held.
cudaError_t check_legacy_use(const char *call);
bool is_capturing(cudaStream_t stream);
// A copy on a capturing stream: both sides device or pinned host memory, else refused (memory.cpp).
cudaError_t check_capturable_copy(void *dst, const void *src, cudaStream_t stream);
// A graph of the recorded work, registered as live (graphs.cpp).
cudaGraph_t new_graph(std::vector<RecordedOp> ops, GraphMemoryList memory);
// cudaMallocAsync / cudaFreeAsync on a capturing stream: graph allocation and free nodes.
cudaError_t capture_malloc(void **ptr, size_t bytes, cudaStream_t stream);
cudaError_t capture_free(void *ptr, cudaStream_t stream);

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

// A stream of the simulator: its queue of work not yet run, and its capture while it captures.
struct CUstream_st {
    std::deque<pt_sim::QueuedOp> queue;
    unsigned flags;
    bool legacy;
    std::unique_ptr<pt_sim::Capture> capture;
};

// A captured graph and an executable instantiated from it (graphs.cpp): the recorded work in
// stream order, and the memory its allocation nodes gave out.
struct CUgraph_st {
    std::vector<pt_sim::RecordedOp> ops;
    pt_sim::GraphMemoryList memory;
};
struct CUgraphExec_st {
    std::vector<pt_sim::RecordedOp> ops;
    pt_sim::GraphMemoryList memory;
};
