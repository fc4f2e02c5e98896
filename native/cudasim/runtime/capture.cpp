// Stream capture on the simulator (cudaStreamBeginCapture ... cudaStreamEndCapture): while a
// stream captures, the work queued on it (launches with their copied arguments, memsets, copies
// between device or pinned memory, graph allocations) is recorded in order instead of run; a
// replay (graphs.cpp) queues the recording again. What a GPU refuses during a capture is refused
// here with cudaErrorStreamCaptureUnsupported, and it invalidates the capture, so that
// cudaStreamEndCapture fails with cudaErrorStreamCaptureInvalidated naming the first offending
// call:
//  - synchronizing the capturing stream (cudaStreamSynchronize / cudaStreamQuery), whose work has
//    not run and will not until a replay;
//  - in cudaStreamCaptureModeGlobal (any thread) or ThreadLocal (the capturing thread) the
//    "potentially unsafe" calls: cudaMalloc, cudaFree, cudaMallocHost, cudaFreeHost, cudaMemcpy,
//    cudaDeviceSynchronize; Relaxed allows them, as on a GPU;
//  - work on the legacy default stream while a blocking stream captures (it would wait for the
//    capture: cudaErrorStreamCaptureImplicit);
//  - beyond CUDA's rules, what the simulator does not record: events (cross-stream fork and join),
//    copies from or to pageable host memory, cudaFreeAsync of memory allocated before the capture.
// Capture of the legacy stream itself is impossible, as on a GPU.
#include <algorithm>
#include <cstdarg>
#include <cstdio>

#include "runtime.h"

namespace pt_sim {

GraphMemory::~GraphMemory() { release_device(ptr, "cudaGraphDestroy (graph memory)"); }

namespace {
std::vector<CUstream_st *> capturing;  // the streams with a capture, guarded by queue_mutex()

const char *mode_name(cudaStreamCaptureMode mode) {
    switch (mode) {
    case cudaStreamCaptureModeGlobal: return "global";
    case cudaStreamCaptureModeThreadLocal: return "thread-local";
    default: return "relaxed";
    }
}

// Keeps the first reason: the call that broke the capture is what cudaStreamEndCapture names.
void invalidate(CUstream_st *s, const std::string &why) {
    if (!s->capture->invalidated) {
        s->capture->invalidated = true;
        s->capture->why = why;
    }
}

bool has_capture(CUstream_st *s) { return std::find(capturing.begin(), capturing.end(), s) != capturing.end(); }
}  // namespace

cudaError_t record(CUstream_st *s, const char *what, Operation op) {
    Capture &c = *s->capture;
    if (c.invalidated)
        return fail(cudaErrorStreamCaptureInvalidated,
                    "%s on stream %p: its capture was invalidated by %s; end it (cudaStreamEndCapture) and capture again",
                    what, (void *)s, c.why.c_str());
    c.ops.push_back(RecordedOp{what, std::move(op)});
    return cudaSuccess;
}

cudaError_t refuse_in_capture(CUstream_st *s, const char *call, const char *reason) {
    invalidate(s, std::string(call) + " (" + reason + ")");
    return fail(cudaErrorStreamCaptureUnsupported, "%s on capturing stream %p: %s; the capture is invalidated", call,
                (void *)s, reason);
}

cudaError_t check_unsafe_call(const char *call) {
    std::lock_guard<std::recursive_mutex> lock(queue_mutex());
    cudaError_t result = cudaSuccess;
    for (CUstream_st *s : capturing) {
        const Capture &c = *s->capture;
        bool prohibits = c.mode == cudaStreamCaptureModeGlobal ||
                         (c.mode == cudaStreamCaptureModeThreadLocal && c.thread == std::this_thread::get_id());
        if (!prohibits) continue;
        invalidate(s, std::string(call) + " during the capture");
        if (result == cudaSuccess)
            result = fail(cudaErrorStreamCaptureUnsupported,
                          "%s while stream %p captures in %s mode: synchronizing calls and synchronous allocations and "
                          "frees are not allowed during a capture; the capture is invalidated",
                          call, (void *)s, mode_name(c.mode));
    }
    return result;
}

cudaError_t check_legacy_use(const char *call) {
    cudaError_t result = cudaSuccess;
    for (CUstream_st *s : capturing) {
        if (s->flags & cudaStreamNonBlocking) continue;
        invalidate(s, std::string(call) + " on the legacy default stream");
        if (result == cudaSuccess)
            result = fail(cudaErrorStreamCaptureImplicit,
                          "%s on the legacy default stream while the blocking stream %p captures: it would wait for "
                          "the capture (capture a stream created with cudaStreamNonBlocking); the capture is invalidated",
                          call, (void *)s);
    }
    return result;
}

bool is_capturing(cudaStream_t stream) {
    std::lock_guard<std::recursive_mutex> lock(queue_mutex());
    return has_capture(resolve_stream(stream));
}

cudaError_t capture_malloc(void **ptr, size_t bytes, cudaStream_t stream) {
    std::lock_guard<std::recursive_mutex> lock(queue_mutex());
    CUstream_st *s = resolve_stream(stream);
    if (ptr == nullptr) return fail(cudaErrorInvalidValue, "cudaMallocAsync: the output pointer is NULL");
    *ptr = nullptr;
    if (s->capture->invalidated) return record(s, "cudaMallocAsync", Operation());  // the invalidation's error
    cudaError_t e = allocate_device(ptr, bytes, "cudaMallocAsync");
    if (e != cudaSuccess || *ptr == nullptr) return e;
    auto memory = std::make_shared<GraphMemory>(*ptr, bytes);
    s->capture->memory->push_back(memory);
    GraphMemory *m = memory.get();  // alive while any graph, executable or queued replay holds the list
    // Each replay hands the memory out afresh, poisoned as any new allocation is.
    return record(s, "cudaMallocAsync (graph allocation)", [m]() {
        std::memset(m->ptr, kPoisonByte, m->bytes);
        return cudaSuccess;
    });
}

cudaError_t capture_free(void *ptr, cudaStream_t stream) {
    std::lock_guard<std::recursive_mutex> lock(queue_mutex());
    CUstream_st *s = resolve_stream(stream);
    for (auto &m : *s->capture->memory) {
        if (m->ptr != ptr) continue;
        if (m->freed_in_graph)
            return fail(cudaErrorInvalidValue, "cudaFreeAsync(%p) during a capture: this capture freed it already", ptr);
        m->freed_in_graph = true;
        // The memory stays the graph's until the graph goes: nothing to do at a replay.
        return record(s, "cudaFreeAsync (graph free)", []() { return cudaSuccess; });
    }
    return refuse_in_capture(s, "cudaFreeAsync",
                             "the memory was allocated before the capture, and the simulator's graphs free only memory "
                             "they allocated (free it before or after the capture)");
}

}  // namespace pt_sim

using pt_sim::queue_mutex;

cudaError_t cudaStreamBeginCapture(cudaStream_t stream, cudaStreamCaptureMode mode) {
    if (mode != cudaStreamCaptureModeGlobal && mode != cudaStreamCaptureModeThreadLocal && mode != cudaStreamCaptureModeRelaxed)
        return pt_sim::fail(cudaErrorInvalidValue, "cudaStreamBeginCapture: unknown capture mode %d", (int)mode);
    std::lock_guard<std::recursive_mutex> lock(queue_mutex());
    CUstream_st *s = pt_sim::resolve_stream(stream);
    if (!pt_sim::stream_is_live(s))
        return pt_sim::fail(cudaErrorInvalidResourceHandle, "cudaStreamBeginCapture: %p is not a live stream", (void *)stream);
    if (s->legacy)
        return pt_sim::fail(cudaErrorStreamCaptureUnsupported,
                            "cudaStreamBeginCapture: the legacy default stream (%p) cannot be captured; capture a stream "
                            "created with cudaStreamCreateWithFlags",
                            (void *)stream);
    if (s->capture)
        return pt_sim::fail(cudaErrorIllegalState, "cudaStreamBeginCapture: stream %p is already capturing", (void *)stream);
    s->capture.reset(new pt_sim::Capture{mode, std::this_thread::get_id(), {},
                                         std::make_shared<std::vector<std::shared_ptr<pt_sim::GraphMemory>>>(), false, ""});
    pt_sim::capturing.push_back(s);
    return cudaSuccess;
}

cudaError_t cudaStreamEndCapture(cudaStream_t stream, cudaGraph_t *graph) {
    if (graph == nullptr) return pt_sim::fail(cudaErrorInvalidValue, "cudaStreamEndCapture: graph is NULL");
    std::lock_guard<std::recursive_mutex> lock(queue_mutex());
    CUstream_st *s = pt_sim::resolve_stream(stream);
    if (!pt_sim::has_capture(s))
        return pt_sim::fail(cudaErrorIllegalState, "cudaStreamEndCapture: stream %p is not capturing", (void *)stream);
    if (s->capture->mode != cudaStreamCaptureModeRelaxed && s->capture->thread != std::this_thread::get_id())
        return pt_sim::fail(cudaErrorStreamCaptureWrongThread,
                            "cudaStreamEndCapture: the capture of stream %p (%s mode) was begun by another thread, which "
                            "must end it",
                            (void *)stream, pt_sim::mode_name(s->capture->mode));
    std::unique_ptr<pt_sim::Capture> c = std::move(s->capture);
    pt_sim::capturing.erase(std::find(pt_sim::capturing.begin(), pt_sim::capturing.end(), s));
    *graph = nullptr;
    if (c->invalidated)  // its graph memory goes with it
        return pt_sim::fail(cudaErrorStreamCaptureInvalidated,
                            "cudaStreamEndCapture: the capture of stream %p was invalidated by %s; no graph", (void *)stream,
                            c->why.c_str());
    *graph = pt_sim::new_graph(std::move(c->ops), c->memory);
    return cudaSuccess;
}

cudaError_t cudaStreamIsCapturing(cudaStream_t stream, cudaStreamCaptureStatus *status) {
    if (status == nullptr) return pt_sim::fail(cudaErrorInvalidValue, "cudaStreamIsCapturing: status is NULL");
    std::lock_guard<std::recursive_mutex> lock(queue_mutex());
    CUstream_st *s = pt_sim::resolve_stream(stream);
    if (!pt_sim::stream_is_live(s))
        return pt_sim::fail(cudaErrorInvalidResourceHandle, "cudaStreamIsCapturing: %p is not a live stream", (void *)stream);
    if (s->legacy) {
        for (CUstream_st *t : pt_sim::capturing)
            if (!(t->flags & cudaStreamNonBlocking))
                return pt_sim::fail(cudaErrorStreamCaptureImplicit,
                                    "cudaStreamIsCapturing: asked of the legacy default stream while the blocking stream "
                                    "%p captures",
                                    (void *)t);
    }
    *status = !s->capture ? cudaStreamCaptureStatusNone
              : s->capture->invalidated ? cudaStreamCaptureStatusInvalidated
                                        : cudaStreamCaptureStatusActive;
    return cudaSuccess;
}
