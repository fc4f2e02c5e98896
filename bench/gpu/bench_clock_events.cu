// The CUDA-event clock of bench_clock.h: one event per mark, recorded on panoptim's stream; only
// read() waits, so the timed steps run back to back as in training.
#include <cuda_runtime.h>

#include <cstdlib>

extern "C" {
#include "bench_clock.h"
#include "panoptim.h"
}

struct bench_clock {
    cudaStream_t stream;
    int marks;
    cudaEvent_t *events;
};

static int fail(cudaError_t e, const char **err) {
    *err = cudaGetErrorString(e);
    return PT_ERR_DEVICE;
}

static void event_close(bench_clock *c) {
    if (!c) return;
    for (int i = 0; c->events && i < c->marks; i++)
        if (c->events[i]) cudaEventDestroy(c->events[i]);
    free(c->events);
    free(c);
}

static int event_open(bench_clock **out, int cuda_index, void *stream, int marks, const char **err) {
    bench_clock *c = static_cast<bench_clock *>(calloc(1, sizeof(bench_clock)));
    if (c) c->events = static_cast<cudaEvent_t *>(calloc((size_t)marks, sizeof(cudaEvent_t)));
    if (!c || !c->events) {
        free(c);
        *err = "out of host memory";
        return PT_ERR_OUT_OF_MEMORY;
    }
    c->stream = static_cast<cudaStream_t>(stream), c->marks = marks;
    for (int i = 0; i < marks; i++) {
        const cudaError_t e = cudaEventCreate(&c->events[i]);
        if (e != cudaSuccess) {
            event_close(c);
            return fail(e, err);
        }
    }
    *out = c;
    return PT_OK;
}

static int event_mark(bench_clock *c, int i, const char **err) {
    const cudaError_t e = cudaEventRecord(c->events[i], c->stream);
    return e == cudaSuccess ? PT_OK : fail(e, err);
}

static int event_read(bench_clock *c, double *ms, const char **err) {
    cudaError_t e = cudaEventSynchronize(c->events[c->marks - 1]);
    for (int i = 0; e == cudaSuccess && i + 1 < c->marks; i++) {
        float t = 0;
        e = cudaEventElapsedTime(&t, c->events[i], c->events[i + 1]);
        ms[i] = t;
    }
    return e == cudaSuccess ? PT_OK : fail(e, err);
}

extern "C" const bench_clock_ops bench_event_clock = {event_open, event_mark, event_read, event_close, "CUDA events"};
