/*
 * bench/gpu/gpu_bench: one step of SGD (momentum), RMSprop, Adam and AdamW, the roofline of a fused
 * AdamW step (pt_roofline_step) and a device-to-device copy, timed over two workloads on one device:
 *   single    one tensor of --numel params (default 2^28)
 *   resnet50  torchvision resnet50's 161 parameter tensors (25.6 M params), each divided by
 *             --resnet-divisor (default 1: the real shapes)
 * after --warmup steps, --steps timed steps back to back (CUDA events on panoptim's stream; the host
 * clock for --device cpu and on the CUDA simulator). Per row: median ms per step, GB/s (bytes read +
 * written per param: 28 Adam/AdamW/roofline, 20 SGD-momentum/RMSprop, 8 copy, over 10^9), its ratio to
 * the copy's and the roofline's GB/s of the same workload. Before timing, each optimizer's first step
 * is checked against the CPU kernel on the first elements of the first tensor.
 *
 * Prints a table; --json FILE writes one JSON object per row (the fields bench/gpu/torch_optim.py
 * writes too; bench/gpu/combine.py joins the two). Exit status: 0, or 1 when a step failed or a check
 * disagreed, 2 on bad arguments, 77 when --device cuda finds no usable device. An optimizer whose
 * CUDA kernel the library lacks (PT_ERR_UNSUPPORTED) is reported and skipped, unless --require-all.
 *
 *   gpu_bench [--device cuda|cpu] [--numel N] [--resnet-divisor D] [--workloads single,resnet50]
 *             [--ops sgd,rmsprop,adam,adamw,roofline,copy] [--warmup W] [--steps R] [--json FILE]
 *             [--require-all]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_clock.h"
#include "bench_mem.h"
#include "bench_steps.h"
#include "panoptim.h"
#include "resnet50.h"

enum { CHECK_ELEMENTS = 4096, PAD_FLOATS = 64 /* 256 bytes: every tensor starts aligned, as cudaMalloc's */ };

typedef struct options {
    bench_device device;
    int64_t numel, resnet_divisor;
    int warmup, steps, require_all, workloads[2], ops[OP_COUNT];
    const char *json;
} options;

typedef struct workload {
    const char *name;
    int64_t count, numels[RESNET50_TENSORS], total, padded_total;
    float *slab[4]; /* p, g, s1, s2 */
    float *p[RESNET50_TENSORS], *g[RESNET50_TENSORS], *s1[RESNET50_TENSORS], *s2[RESNET50_TENSORS];
    int64_t steps[RESNET50_TENSORS];
} workload;

typedef struct row {
    double ms, ms_min, gbps;
    int64_t numel;
    char status[200], check[64];
} row;

static const char usage_text[] =
    "usage: gpu_bench [--device cuda|cpu] [--numel N] [--resnet-divisor D] [--workloads single,resnet50]\n"
    "                 [--ops sgd,rmsprop,adam,adamw,roofline,copy] [--warmup W] [--steps R] [--json FILE]\n"
    "                 [--require-all]\n";

static int usage(const char *why) {
    fprintf(stderr, "gpu_bench: %s\n%s", why, usage_text);
    return 2;
}

static int parse_count(const char *s, int64_t min, int64_t *out) {
    char *end = NULL;
    const long long v = strtoll(s, &end, 10);
    if (!s[0] || *end || v < min) return 0;
    *out = v;
    return 1;
}

/* A comma-separated list of names into flags[]: 0 when a name is unknown. */
static int parse_list(char *list, int *flags, int n, int (*lookup)(const char *)) {
    memset(flags, 0, sizeof(int) * (size_t)n);
    for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
        const int k = lookup(tok);
        if (k < 0) return 0;
        flags[k] = 1;
    }
    return 1;
}

static int workload_parse(const char *name) {
    return strcmp(name, "single") == 0 ? 0 : strcmp(name, "resnet50") == 0 ? 1 : -1;
}

static int parse_args(int argc, char **argv, options *o) {
    *o = (options){{PT_DEVICE_CUDA, 0}, INT64_C(1) << 28, 1, 5, 20, 0, {1, 1}, {1, 1, 1, 1, 1, 1}, NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int64_t n = 0;
        if (strcmp(a, "--require-all") == 0) { o->require_all = 1; continue; }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (!v) return usage("an option without its value");
        i++;
        if (strcmp(a, "--device") == 0 && (strcmp(v, "cuda") == 0 || strcmp(v, "cpu") == 0))
            o->device = strcmp(v, "cuda") == 0 ? (bench_device){PT_DEVICE_CUDA, 0} : (bench_device){PT_DEVICE_CPU, -1};
        else if (strcmp(a, "--numel") == 0 && parse_count(v, 1, &n)) o->numel = n;
        else if (strcmp(a, "--resnet-divisor") == 0 && parse_count(v, 1, &n)) o->resnet_divisor = n;
        else if (strcmp(a, "--warmup") == 0 && parse_count(v, 1, &n) && n < 100000) o->warmup = (int)n;
        else if (strcmp(a, "--steps") == 0 && parse_count(v, 1, &n) && n < 100000) o->steps = (int)n;
        else if (strcmp(a, "--json") == 0) o->json = v;
        else if (strcmp(a, "--workloads") == 0) {
            char buf[256];
            snprintf(buf, sizeof buf, "%s", v);
            if (!parse_list(buf, o->workloads, 2, workload_parse)) return usage("--workloads takes single,resnet50");
        } else if (strcmp(a, "--ops") == 0) {
            char buf[256];
            snprintf(buf, sizeof buf, "%s", v);
            if (!parse_list(buf, o->ops, OP_COUNT, bench_op_parse))
                return usage("--ops takes sgd,rmsprop,adam,adamw,roofline,copy");
        } else {
            char why[300];
            snprintf(why, sizeof why, "bad option or value: %s %s", a, v);
            return usage(why);
        }
    }
    return -1; /* parsed: go on */
}

/* Shapes and slabs of a workload; every tensor starts PAD_FLOATS-aligned within its slab. */
static int workload_open(workload *w, int which, const options *o) {
    memset(w, 0, sizeof *w);
    if (which == 0) {
        w->name = "single", w->count = 1, w->numels[0] = o->numel;
    } else {
        w->name = "resnet50";
        w->count = resnet50_parameters(NULL, w->numels);
        for (int64_t i = 0; i < w->count; i++)
            w->numels[i] = (w->numels[i] + o->resnet_divisor - 1) / o->resnet_divisor;
    }
    int64_t offsets[RESNET50_TENSORS];
    for (int64_t i = 0; i < w->count; i++) {
        offsets[i] = w->padded_total;
        w->total += w->numels[i];
        w->padded_total += (w->numels[i] + PAD_FLOATS - 1) / PAD_FLOATS * PAD_FLOATS;
    }
    const int64_t bytes = (int64_t)sizeof(float) * w->padded_total;
    for (int k = 0; k < 4; k++) {
        const int s = bench_alloc(o->device, bytes, (void **)&w->slab[k]);
        if (s != PT_OK) return s;
    }
    for (int64_t i = 0; i < w->count; i++) {
        w->p[i] = w->slab[0] + offsets[i], w->g[i] = w->slab[1] + offsets[i];
        w->s1[i] = w->slab[2] + offsets[i], w->s2[i] = w->slab[3] + offsets[i];
    }
    int s = bench_fill_random(o->device, w->slab[0], w->padded_total, 0.0f, 1.0f, 1);
    if (s == PT_OK) s = bench_fill_random(o->device, w->slab[1], w->padded_total, 0.1f, 1.0f, 2);
    return s;
}

static void workload_close(workload *w, bench_device d) {
    for (int k = 0; k < 4; k++) bench_free(d, w->slab[k]);
}

static int reset_state(workload *w, bench_device d) {
    const int64_t bytes = (int64_t)sizeof(float) * w->padded_total;
    for (int64_t i = 0; i < w->count; i++) w->steps[i] = 0;
    int s = bench_zero(d, w->slab[2], bytes);
    return s == PT_OK ? bench_zero(d, w->slab[3], bytes) : s;
}

/* One invocation of `op` over the workload. */
static int run_op(bench_op op, workload *w, bench_device d) {
    if (op == OP_ROOFLINE) /* the whole slab at once: the ceiling of one ideal multi-tensor pass */
        return pt_roofline_step(d.kind, w->padded_total, w->slab[0], w->slab[1], w->slab[2], w->slab[3]);
    if (op == OP_COPY) return bench_copy(d, w->slab[2], w->slab[1], (int64_t)sizeof(float) * w->padded_total);
    bench_tensors t = {w->count, w->numels, w->p, w->g, w->s1, w->s2, w->steps};
    return bench_step(op, d.kind, &t);
}

static void describe_failure(row *r, int status) {
    const char *msg = bench_mem_error()[0] ? bench_mem_error() : pt_last_error();
    snprintf(r->status, sizeof r->status, "%s: %s", status == PT_ERR_UNSUPPORTED ? "unsupported" : "error", msg);
}

/* The first step of an optimizer from fresh state, checked on the first elements of tensor 0
 * against the CPU kernel from the same inputs. Fills r->check; returns the step's status. */
static int first_step_checked(bench_op op, workload *w, bench_device d, row *r) {
    enum { K = CHECK_ELEMENTS };
    static float before[4][K], after[3][K];
    const int64_t k = w->numels[0] < K ? w->numels[0] : K, bytes = (int64_t)sizeof(float) * k;
    float *dev[4] = {w->p[0], w->g[0], w->s1[0], w->s2[0]};
    int s = PT_OK;
    for (int a = 0; a < 4 && s == PT_OK; a++) s = bench_download(d, before[a], dev[a], bytes);
    if (s == PT_OK) s = run_op(op, w, d);
    const int back[3] = {0, 2, 3};
    for (int a = 0; a < 3 && s == PT_OK; a++) s = bench_download(d, after[a], dev[back[a]], bytes);
    if (s != PT_OK) return s;
    float *hp = before[0], *hg = before[1], *h1 = before[2], *h2 = before[3];
    int64_t step = 0;
    bench_tensors host = {1, &k, &hp, &hg, &h1, &h2, &step};
    s = bench_step(op, PT_DEVICE_CPU, &host);
    if (s != PT_OK) return s;
    double worst = 0;
    for (int a = 0; a < 3; a++)
        for (int64_t j = 0; j < k; j++) {
            const double want = before[back[a]][j], err = fabs(after[a][j] - want) / (1e-6 + fabs(want));
            if (!(err <= worst)) worst = isnan(err) ? INFINITY : err;
        }
    /* 1e-5: a few float32 ulps, for FMA contraction and a different sqrt/division rounding. */
    snprintf(r->check, sizeof r->check, worst <= 1e-5 ? "ok" : "FAIL max_rel_err=%.3g", worst);
    return PT_OK;
}

static int compare_doubles(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void measure(bench_op op, workload *w, const options *o, void *stream, row *r) {
    memset(r, 0, sizeof *r);
    pt_clear_error();
    bench_mem_clear_error();
    snprintf(r->status, sizeof r->status, "ok");
    snprintf(r->check, sizeof r->check, "-");
    r->numel = op >= OP_ROOFLINE ? w->padded_total : w->total;
    const bench_device d = o->device;
    int s = reset_state(w, d);
    if (s == PT_OK) s = op < OP_ROOFLINE ? first_step_checked(op, w, d, r) : run_op(op, w, d);
    for (int i = 1; i < o->warmup && s == PT_OK; i++) s = run_op(op, w, d);
    if (s != PT_OK) {
        describe_failure(r, s);
        return;
    }
#ifdef BENCH_HAVE_EVENTS
    const bench_clock_ops *clock = d.kind == PT_DEVICE_CUDA ? &bench_event_clock : &bench_host_clock;
#else
    const bench_clock_ops *clock = &bench_host_clock;
#endif
    bench_clock *c = NULL;
    const char *err = NULL;
    double *ms = calloc((size_t)o->steps, sizeof(double));
    s = ms ? clock->open(&c, d.index, stream, o->steps + 1, &err) : PT_ERR_OUT_OF_MEMORY;
    for (int i = 0; i < o->steps && s == PT_OK; i++) {
        s = clock->mark(c, i, &err);
        if (s == PT_OK) s = run_op(op, w, d);
    }
    if (s == PT_OK) s = clock->mark(c, o->steps, &err);
    if (s == PT_OK) s = clock->read(c, ms, &err);
    if (s == PT_OK) {
        qsort(ms, (size_t)o->steps, sizeof(double), compare_doubles);
        r->ms = ms[o->steps / 2], r->ms_min = ms[0];
        r->gbps = (double)bench_op_bytes(op) * (double)r->numel / (r->ms * 1e-3) / 1e9;
    } else if (err) {
        snprintf(r->status, sizeof r->status, "error: %s", err);
    } else {
        describe_failure(r, s);
    }
    if (c) clock->close(c);
    free(ms);
}

static void json_row(FILE *f, const char *device, const workload *w, bench_op op, const options *o, const row *r) {
    fprintf(f, "{\"impl\": \"panoptim\", \"device\": \"%s\", \"workload\": \"%s\", \"optimizer\": \"%s\", "
               "\"tensors\": %lld, \"numel\": %lld, \"bytes_per_param\": %d, \"warmup\": %d, \"steps\": %d, "
               "\"ms\": %.6f, \"ms_min\": %.6f, \"gbps\": %.3f, \"status\": \"",
            device, w->name, bench_op_name(op), (long long)(op >= OP_ROOFLINE ? 1 : w->count), (long long)r->numel,
            bench_op_bytes(op), o->warmup, o->steps, r->ms, r->ms_min, r->gbps);
    for (const char *c = r->status; *c; c++) { /* the message, JSON-escaped */
        if (*c == '"' || *c == '\\') fputc('\\', f);
        fputc((unsigned char)*c < 32 ? ' ' : *c, f);
    }
    fprintf(f, "\", \"check\": \"%s\"}\n", r->check);
}

int main(int argc, char **argv) {
    options o;
    const int parsed = parse_args(argc, argv, &o);
    if (parsed >= 0) return parsed;
    char device[128] = "cpu";
    void *stream = NULL;
    if (o.device.kind == PT_DEVICE_CUDA) {
        int count = 0;
        if (pt_cuda_device_count(&count) != PT_OK) {
            printf("gpu_bench: skipped: %s\n", pt_last_error());
            return 77;
        }
        if (pt_cuda_set_device(0) != PT_OK || pt_cuda_stream(0, &stream) != PT_OK ||
            pt_cuda_device_info(0, device, sizeof device, NULL, NULL, NULL, NULL) != PT_OK) {
            fprintf(stderr, "gpu_bench: %s\n", pt_last_error());
            return 1;
        }
        if (pt_cuda_simulated()) strncat(device, " (simulated)", sizeof device - strlen(device) - 1);
    } else {
        snprintf(device, sizeof device, "cpu (%d threads, %s)", pt_num_threads(), pt_simd_level());
    }
    FILE *json = o.json ? fopen(o.json, "w") : NULL;
    if (o.json && !json) {
        perror(o.json);
        return 1;
    }
    printf("gpu_bench on %s: median of %d steps after %d warm-up; GB/s = bytes read + written / 1e9 / s\n", device,
           o.steps, o.warmup);
    printf("%-9s %-9s %5s %11s %10s %9s %7s %7s  %s\n", "workload", "op", "B/p", "numel", "ms", "GB/s", "x copy",
           "x roof", "status / check");
    int failed = 0;
    for (int which = 0; which < 2; which++) {
        if (!o.workloads[which]) continue;
        workload *w = calloc(1, sizeof *w);
        int s = w ? workload_open(w, which, &o) : PT_ERR_OUT_OF_MEMORY;
        if (s != PT_OK) {
            fprintf(stderr, "gpu_bench: workload %s: %s\n", which ? "resnet50" : "single", bench_mem_error());
            failed = 1;
        }
        row rows[OP_COUNT];
        memset(rows, 0, sizeof rows);
        /* Copy and roofline first: the optimizers' ratios need them. */
        static const bench_op order[OP_COUNT] = {OP_COPY, OP_ROOFLINE, OP_SGD, OP_RMSPROP, OP_ADAM, OP_ADAMW};
        for (int k = 0; k < OP_COUNT && s == PT_OK; k++) {
            const bench_op op = order[k];
            if (!o.ops[op]) continue;
            row *r = &rows[op];
            measure(op, w, &o, stream, r);
            const int ok = strcmp(r->status, "ok") == 0, unsupported = strncmp(r->status, "unsupported", 11) == 0;
            if ((!ok && !(unsupported && !o.require_all)) || strncmp(r->check, "FAIL", 4) == 0) failed = 1;
            char x_copy[16] = "-", x_roof[16] = "-";
            if (ok && o.ops[OP_COPY] && rows[OP_COPY].gbps > 0) snprintf(x_copy, sizeof x_copy, "%.2f", r->gbps / rows[OP_COPY].gbps);
            if (ok && o.ops[OP_ROOFLINE] && rows[OP_ROOFLINE].gbps > 0)
                snprintf(x_roof, sizeof x_roof, "%.2f", r->gbps / rows[OP_ROOFLINE].gbps);
            printf("%-9s %-9s %5d %11lld %10.4f %9.1f %7s %7s  %s%s%s\n", w->name, bench_op_name(op), bench_op_bytes(op),
                   (long long)r->numel, r->ms, r->gbps, x_copy, x_roof, r->status, ok ? " / check " : "", ok ? r->check : "");
            if (json) json_row(json, device, w, op, &o, r);
        }
        if (w) workload_close(w, o.device);
        free(w);
    }
    if (json) fclose(json);
    return failed;
}
