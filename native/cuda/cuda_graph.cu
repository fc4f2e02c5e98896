// CUDA graphs of panoptim's streams: the "CUDA graphs" section of panoptim.h. A training step is
// captured once from the device's panoptim stream (cuda_device.cu) and replayed without the
// launch overhead of its kernels (torch.cuda.CUDAGraph). Host runtime calls only, so the file
// compiles with nvcc and against the simulator (which records and replays the same way).
//
// The capture is global-mode (torch's default): while it lasts, no thread may make a CUDA call
// that could wait for the device. panoptim enforces its own rules before CUDA sees the call
// (capture.h): pt_cuda_malloc / pt_cuda_free, host -> device copies and the synchronizing calls
// are refused and break the capture; a CUDA capture error met anyway (pt_cuda_fail) breaks it too.
// The first break is kept, and pt_cuda_graph_capture_end reports it instead of a graph: a graph
// that lacks work of the step would silently train wrong.
#include "cuda/pt_cuda.cuh"

#include <mutex>
#include <new>
#include <string>

#include "cuda/capture.h"
#include "cuda/device_guard.cuh"

struct pt_cuda_graph {
    int index;
    cudaStream_t stream;  // the stream it was captured on, which replays queue on
    cudaGraphExec_t exec;
};

namespace {

constexpr int kMaxDevices = 64;  // as cuda_device.cu

// The capture of one device's stream. Its own mutex, never held across a CUDA call: pt_cuda_fail
// may record a break from inside any call (pt_cuda_capture_broken).
struct CaptureState {
    std::mutex mutex;
    bool capturing = false;
    std::string broken;  // the first refused or failed call, "" while the capture is sound
};

CaptureState g_captures[kMaxDevices];

// Keeps the first break only: later failures are usually its consequences.
void break_capture(CaptureState &c, const char *message) {
    std::lock_guard<std::mutex> lock(c.mutex);
    if (c.capturing && c.broken.empty()) c.broken = message;
}

bool capturing(int index) {
    if (index < 0 || index >= kMaxDevices) return false;
    std::lock_guard<std::mutex> lock(g_captures[index].mutex);
    return g_captures[index].capturing;
}

}  // namespace

// ------------------------------------------------------------------ the rules (capture.h)

extern "C" int pt_cuda_capture_refuse(const char *op, int index, const char *why) {
    if (!capturing(index)) return PT_OK;
    const int s = pt_fail(PT_ERR_UNSUPPORTED, "%s: %s; this breaks the CUDA graph capture of cuda:%d (pt_cuda_graph_capture_end "
                          "will fail)", op, why, index);
    break_capture(g_captures[index], pt_last_error());
    return s;
}

extern "C" int pt_cuda_capture_refuse_host_result(const char *op) {
    int index = 0;
    if (cudaGetDevice(&index) != cudaSuccess) {
        cudaGetLastError();
        return PT_OK;  // the call itself will report why CUDA is unusable
    }
    return pt_cuda_capture_refuse(op, index,
                                  "a host result during CUDA graph capture: the call must wait for the device to return "
                                  "it, and during a capture nothing runs until the graph is replayed (compute it outside "
                                  "the captured step)");
}

extern "C" void pt_cuda_capture_broken(const char *message) {
    int index = 0;
    if (cudaGetDevice(&index) != cudaSuccess || index < 0 || index >= kMaxDevices) return;
    break_capture(g_captures[index], message);
}

// ------------------------------------------------------------------ the C API

extern "C" int pt_cuda_graph_capture_begin(int index) {
    const char *op = "pt_cuda_graph_capture_begin";
    void *stream = nullptr;
    PT_TRY(pt_cuda_stream(index, &stream));  // checks the index; creates the stream on first use
    CaptureState &c = g_captures[index];
    {
        std::lock_guard<std::mutex> lock(c.mutex);
        if (c.capturing)
            return pt_fail(PT_ERR_INVALID_ARGUMENT,
                           "%s: cuda:%d is already capturing; end that capture with pt_cuda_graph_capture_end first", op,
                           index);
    }
    DeviceGuard guard(index);
    if (guard.status() != cudaSuccess) return pt_cuda_fail(guard.status(), op, "cudaSetDevice");
    PT_CUDA_TRY(op, cudaStreamBeginCapture(static_cast<cudaStream_t>(stream), cudaStreamCaptureModeGlobal));
    std::lock_guard<std::mutex> lock(c.mutex);
    c.capturing = true;
    c.broken.clear();
    return PT_OK;
}

extern "C" int pt_cuda_graph_capture_end(int index, pt_cuda_graph **graph) {
    const char *op = "pt_cuda_graph_capture_end";
    if (graph == nullptr) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: graph is NULL", op);
    *graph = nullptr;
    void *stream = nullptr;
    PT_TRY(pt_cuda_stream(index, &stream));
    CaptureState &c = g_captures[index];
    if (!capturing(index))
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: cuda:%d is not capturing (pt_cuda_graph_capture_begin first)", op, index);
    DeviceGuard guard(index);
    if (guard.status() != cudaSuccess) return pt_cuda_fail(guard.status(), op, "cudaSetDevice");
    cudaGraph_t captured = nullptr;
    const cudaError_t ended = cudaStreamEndCapture(static_cast<cudaStream_t>(stream), &captured);
    if (ended == cudaErrorStreamCaptureWrongThread) return pt_cuda_fail(ended, op, "cudaStreamEndCapture");  // still capturing
    std::string broken;
    {
        std::lock_guard<std::mutex> lock(c.mutex);
        c.capturing = false;
        broken.swap(c.broken);
    }
    if (!broken.empty() || ended != cudaSuccess) {
        if (captured != nullptr) cudaGraphDestroy(captured);
        if (broken.empty()) return pt_cuda_fail(ended, op, "cudaStreamEndCapture");
        cudaGetLastError();
        return pt_fail(PT_ERR_UNSUPPORTED, "%s: no graph: the capture of cuda:%d was broken by %s", op, index, broken.c_str());
    }
    cudaGraphExec_t exec = nullptr;
    const cudaError_t instantiated = cudaGraphInstantiate(&exec, captured, 0);
    cudaGraphDestroy(captured);  // the executable is independent of it
    if (instantiated != cudaSuccess) return pt_cuda_fail(instantiated, op, "cudaGraphInstantiate");
    pt_cuda_graph *g = new (std::nothrow) pt_cuda_graph{index, static_cast<cudaStream_t>(stream), exec};
    if (g == nullptr) {
        cudaGraphExecDestroy(exec);
        return pt_fail(PT_ERR_OUT_OF_MEMORY, "%s: no host memory for the graph", op);
    }
    *graph = g;
    return PT_OK;
}

extern "C" int pt_cuda_graph_replay(pt_cuda_graph *graph) {
    const char *op = "pt_cuda_graph_replay";
    if (graph == nullptr) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: graph is NULL", op);
    DeviceGuard guard(graph->index);
    if (guard.status() != cudaSuccess) return pt_cuda_fail(guard.status(), op, "cudaSetDevice");
    PT_CUDA_TRY(op, cudaGraphLaunch(graph->exec, graph->stream));
    return PT_OK;
}

extern "C" int pt_cuda_graph_destroy(pt_cuda_graph *graph) {
    const char *op = "pt_cuda_graph_destroy";
    if (graph == nullptr) return PT_OK;
    DeviceGuard guard(graph->index);
    // A replay still queued finishes first: CUDA frees an executable in flight when it completes.
    const cudaError_t err = cudaGraphExecDestroy(graph->exec);
    delete graph;
    if (err != cudaSuccess) return pt_cuda_fail(err, op, "cudaGraphExecDestroy");
    return PT_OK;
}

extern "C" int pt_cuda_graph_capturing(int index, int *is_capturing) {
    const char *op = "pt_cuda_graph_capturing";
    if (is_capturing == nullptr) return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: capturing is NULL", op);
    void *stream = nullptr;
    PT_TRY(pt_cuda_stream(index, &stream));
    *is_capturing = capturing(index) ? 1 : 0;
    return PT_OK;
}
