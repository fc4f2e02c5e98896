// Streams and events of the simulator. Work queues on its stream and runs only at a
// synchronization point (stream/event/device synchronize, a query, a synchronous copy, cudaFree),
// in stream order, with the legacy default stream's implicit ordering against blocking streams.
// So a result read before synchronizing is stale here, as it may be on a GPU, but every time.
// A capturing stream records its work instead (capture.cpp).
#include <algorithm>
#include <chrono>
#include <vector>

#include "runtime.h"

struct CUevent_st {
    CUstream_st *stream = nullptr;
    uint64_t record_seq = 0;
    bool recorded = false, completed = false;
    unsigned flags = 0;
    std::chrono::steady_clock::time_point time;
};

namespace pt_sim {
namespace {
std::recursive_mutex the_queue_mutex;
CUstream_st legacy_stream{{}, cudaStreamDefault, true, nullptr};
std::vector<CUstream_st *> streams{&legacy_stream};
uint64_t next_seq = 1;

CUstream_st *resolve(cudaStream_t s) {
    if (s == nullptr || s == cudaStreamLegacy || s == cudaStreamPerThread) return &legacy_stream;
    return s;
}

bool is_live(CUstream_st *s) { return std::find(streams.begin(), streams.end(), s) != streams.end(); }

cudaError_t drain(CUstream_st *s, uint64_t up_to);

// The legacy default stream waits for earlier work on blocking streams, and they wait for it.
cudaError_t implicit_dependencies(CUstream_st *s, uint64_t seq) {
    cudaError_t first = cudaSuccess;
    for (size_t i = 0; i < streams.size(); i++) {
        CUstream_st *t = streams[i];
        if (t == s || (t->flags & cudaStreamNonBlocking) || (s->flags & cudaStreamNonBlocking)) continue;
        if (!s->legacy && !t->legacy) continue;
        cudaError_t e = drain(t, seq - 1);
        if (first == cudaSuccess) first = e;
    }
    return first;
}

cudaError_t drain(CUstream_st *s, uint64_t up_to) {
    cudaError_t first = cudaSuccess;
    while (!s->queue.empty() && s->queue.front().seq <= up_to) {
        QueuedOp op = std::move(s->queue.front());
        s->queue.pop_front();
        cudaError_t e = implicit_dependencies(s, op.seq);
        if (e == cudaSuccess && first == cudaSuccess) e = op.run();
        else if (op.always_runs) op.run();
        if (e != cudaSuccess && first == cudaSuccess) first = e;
    }
    return first;
}
}  // namespace

std::recursive_mutex &queue_mutex() { return the_queue_mutex; }

CUstream_st *resolve_stream(cudaStream_t stream) { return resolve(stream); }
bool stream_is_live(CUstream_st *s) { return is_live(s); }

cudaError_t enqueue(cudaStream_t stream, const char *what, Operation op, Operation replay) {
    std::lock_guard<std::recursive_mutex> lock(queue_mutex());
    CUstream_st *s = resolve(stream);
    if (!is_live(s)) return fail(cudaErrorInvalidResourceHandle, "%s: stream %p was destroyed or never created", what, (void *)stream);
    if (s->capture) return record(s, what, replay ? std::move(replay) : std::move(op));
    if (s->legacy) {
        cudaError_t e = check_legacy_use(what);
        if (e != cudaSuccess) return e;
    }
    bool always = std::string(what) == "cudaFreeAsync";
    s->queue.push_back(QueuedOp{next_seq++, what, always, std::move(op)});
    return cudaSuccess;
}

cudaError_t synchronize_all() {
    std::lock_guard<std::recursive_mutex> lock(queue_mutex());
    cudaError_t first = cudaSuccess;
    for (size_t i = 0; i < streams.size(); i++) {
        cudaError_t e = drain(streams[i], UINT64_MAX);
        if (first == cudaSuccess) first = e;
    }
    return first;
}
}  // namespace pt_sim


cudaError_t cudaStreamCreateWithFlags(cudaStream_t *stream, unsigned int flags) {
    if (stream == nullptr) return pt_sim::fail(cudaErrorInvalidValue, "cudaStreamCreate: stream is NULL");
    std::lock_guard<std::recursive_mutex> lock(pt_sim::queue_mutex());
    CUstream_st *s = new CUstream_st{{}, flags, false, nullptr};
    pt_sim::streams.push_back(s);
    *stream = s;
    return cudaSuccess;
}

cudaError_t cudaStreamCreate(cudaStream_t *stream) { return cudaStreamCreateWithFlags(stream, cudaStreamDefault); }

cudaError_t cudaStreamDestroy(cudaStream_t stream) {
    std::lock_guard<std::recursive_mutex> lock(pt_sim::queue_mutex());
    CUstream_st *s = pt_sim::resolve(stream);
    if (s->legacy || !pt_sim::is_live(s)) return pt_sim::fail(cudaErrorInvalidResourceHandle, "cudaStreamDestroy: %p is not a live stream", (void *)stream);
    if (s->capture)
        return pt_sim::fail(cudaErrorIllegalState, "cudaStreamDestroy: stream %p is capturing; end the capture first (cudaStreamEndCapture)",
                            (void *)stream);
    cudaError_t e = pt_sim::drain(s, UINT64_MAX);  // a GPU finishes the stream's work first, too
    pt_sim::streams.erase(std::find(pt_sim::streams.begin(), pt_sim::streams.end(), s));
    delete s;
    return e;
}

// cudaStreamSynchronize and cudaStreamQuery (`call`): a capturing stream runs nothing until its
// graph is launched, so waiting for it is refused, and ends the capture, as on a GPU.
static cudaError_t synchronize_stream(cudaStream_t stream, const char *call) {
    std::lock_guard<std::recursive_mutex> lock(pt_sim::queue_mutex());
    CUstream_st *s = pt_sim::resolve(stream);
    if (!pt_sim::is_live(s)) return pt_sim::fail(cudaErrorInvalidResourceHandle, "%s: %p is not a live stream", call, (void *)stream);
    if (s->capture) return pt_sim::refuse_in_capture(s, call, "the stream is capturing: its work runs only when its graph is launched");
    if (s->legacy) {
        cudaError_t e = pt_sim::check_legacy_use(call);
        if (e != cudaSuccess) return e;
    }
    return pt_sim::drain(s, UINT64_MAX);
}

cudaError_t cudaStreamSynchronize(cudaStream_t stream) { return synchronize_stream(stream, "cudaStreamSynchronize"); }

// A query runs the queued work (nothing else would), then reports it done.
cudaError_t cudaStreamQuery(cudaStream_t stream) { return synchronize_stream(stream, "cudaStreamQuery"); }

cudaError_t cudaDeviceSynchronize(void) {
    cudaError_t e = pt_sim::check_unsafe_call("cudaDeviceSynchronize");
    return e != cudaSuccess ? e : pt_sim::synchronize_all();
}

cudaError_t cudaEventCreateWithFlags(cudaEvent_t *event, unsigned int flags) {
    if (event == nullptr) return pt_sim::fail(cudaErrorInvalidValue, "cudaEventCreate: event is NULL");
    *event = new CUevent_st();
    (*event)->flags = flags;
    return cudaSuccess;
}

cudaError_t cudaEventCreate(cudaEvent_t *event) { return cudaEventCreateWithFlags(event, cudaEventDefault); }

cudaError_t cudaEventDestroy(cudaEvent_t event) {
    if (event == nullptr) return pt_sim::fail(cudaErrorInvalidResourceHandle, "cudaEventDestroy: NULL event");
    std::lock_guard<std::recursive_mutex> lock(pt_sim::queue_mutex());
    if (event->recorded && !event->completed && pt_sim::is_live(event->stream)) pt_sim::drain(event->stream, event->record_seq);
    delete event;
    return cudaSuccess;
}

// A GPU captures events as the fork and join of a multi-stream graph; the simulator records
// single-stream graphs only, and says so.
static const char *const kNoEventCapture =
    "the simulator captures one stream only: events in a capture (a cross-stream fork or join) are not supported";

cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream) {
    if (event == nullptr) return pt_sim::fail(cudaErrorInvalidResourceHandle, "cudaEventRecord: NULL event");
    std::lock_guard<std::recursive_mutex> lock(pt_sim::queue_mutex());
    CUstream_st *s = pt_sim::resolve(stream);
    if (s->capture) return pt_sim::refuse_in_capture(s, "cudaEventRecord", kNoEventCapture);
    event->stream = s;
    event->record_seq = pt_sim::next_seq;
    event->recorded = true;
    event->completed = false;
    return pt_sim::enqueue(stream, "cudaEventRecord", [event]() {
        event->completed = true;
        event->time = std::chrono::steady_clock::now();
        return cudaSuccess;
    });
}

cudaError_t cudaEventSynchronize(cudaEvent_t event) {
    if (event == nullptr) return pt_sim::fail(cudaErrorInvalidResourceHandle, "cudaEventSynchronize: NULL event");
    std::lock_guard<std::recursive_mutex> lock(pt_sim::queue_mutex());
    if (!event->recorded || event->completed) return cudaSuccess;
    return pt_sim::drain(event->stream, event->record_seq);
}

cudaError_t cudaEventQuery(cudaEvent_t event) { return cudaEventSynchronize(event); }

cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t start, cudaEvent_t end) {
    if (ms == nullptr || start == nullptr || end == nullptr)
        return pt_sim::fail(cudaErrorInvalidValue, "cudaEventElapsedTime: a NULL argument");
    if ((start->flags | end->flags) & cudaEventDisableTiming)
        return pt_sim::fail(cudaErrorInvalidResourceHandle, "cudaEventElapsedTime: an event was created with cudaEventDisableTiming");
    if (!start->completed || !end->completed)
        return pt_sim::fail(cudaErrorNotReady, "cudaEventElapsedTime: an event has not completed (synchronize it first)");
    *ms = std::chrono::duration<float, std::milli>(end->time - start->time).count();
    return cudaSuccess;
}

cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned int) {
    if (event == nullptr) return pt_sim::fail(cudaErrorInvalidResourceHandle, "cudaStreamWaitEvent: NULL event");
    std::lock_guard<std::recursive_mutex> lock(pt_sim::queue_mutex());
    CUstream_st *s = pt_sim::resolve(stream);
    if (s->capture) return pt_sim::refuse_in_capture(s, "cudaStreamWaitEvent", kNoEventCapture);
    if (!event->recorded) return cudaSuccess;
    CUstream_st *other = event->stream;
    uint64_t seq = event->record_seq;
    return pt_sim::enqueue(stream, "cudaStreamWaitEvent", [other, seq]() {
        return pt_sim::is_live(other) ? pt_sim::drain(other, seq) : cudaSuccess;
    });
}
