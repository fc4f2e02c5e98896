/*
 * Timing marks for bench/gpu: mark(i) before step i and once after the last, then the time between
 * marks. Two clocks behind one table of functions:
 *  - CUDA events recorded on panoptim's stream (bench_clock_events.cu, real GPUs): nothing waits
 *    between steps, so back-to-back steps are timed as a training loop runs them;
 *  - the host's monotonic clock (bench_clock_host.c: the CPU device, and the CUDA simulator, whose
 *    timings mean nothing but whose logic is the same), waiting for the device at each mark.
 */
#ifndef PT_BENCH_CLOCK_H
#define PT_BENCH_CLOCK_H

typedef struct bench_clock bench_clock;

typedef struct bench_clock_ops {
    /* `marks` marks on device `cuda_index` (-1: the CPU) and its stream; a status, message in *err. */
    int (*open)(bench_clock **c, int cuda_index, void *stream, int marks, const char **err);
    int (*mark)(bench_clock *c, int i, const char **err);
    /* Waits for the last mark, then ms[i] = time from mark i to mark i + 1 for i < marks - 1. */
    int (*read)(bench_clock *c, double *ms, const char **err);
    void (*close)(bench_clock *c);
    const char *name;
} bench_clock_ops;

extern const bench_clock_ops bench_host_clock;
#ifdef BENCH_HAVE_EVENTS
extern const bench_clock_ops bench_event_clock;
#endif

#endif
