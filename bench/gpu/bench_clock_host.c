/* The host clock of bench_clock.h: CLOCK_MONOTONIC, after waiting for the device's queued work. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <time.h>

#include "bench_clock.h"
#include "panoptim.h"

struct bench_clock {
    int cuda_index, marks;
    double *at; /* seconds */
};

static int host_open(bench_clock **out, int cuda_index, void *stream, int marks, const char **err) {
    (void)stream;
    bench_clock *c = calloc(1, sizeof *c);
    if (c) c->at = calloc((size_t)marks, sizeof(double));
    if (!c || !c->at) {
        free(c);
        *err = "out of host memory";
        return PT_ERR_OUT_OF_MEMORY;
    }
    c->cuda_index = cuda_index, c->marks = marks;
    *out = c;
    return PT_OK;
}

static int host_mark(bench_clock *c, int i, const char **err) {
    if (c->cuda_index >= 0) {
        const int s = pt_cuda_synchronize(c->cuda_index);
        if (s != PT_OK) {
            *err = pt_last_error();
            return s;
        }
    }
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    c->at[i] = (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
    return PT_OK;
}

static int host_read(bench_clock *c, double *ms, const char **err) {
    (void)err;
    for (int i = 0; i + 1 < c->marks; i++) ms[i] = 1e3 * (c->at[i + 1] - c->at[i]);
    return PT_OK;
}

static void host_close(bench_clock *c) {
    if (c) free(c->at);
    free(c);
}

const bench_clock_ops bench_host_clock = {host_open, host_mark, host_read, host_close, "host clock"};
