/*
 * CUDA graphs (panoptim.h, "CUDA graphs"): a training-like step (a capturable AdamW step through
 * pt_adamw_step_ex with lr and step counts in device memory, then a pt_axpy) captured once and
 * replayed equals the same calls made eagerly, bit for bit, with the device lr changed between
 * replays and the inputs changed before a later replay; a step over more tensors than a kernel
 * argument holds is captured too. Each call panoptim refuses during a capture fails naming why,
 * and pt_cuda_graph_capture_end then fails naming it and gives no graph. Runs on the simulator,
 * and on a GPU where there is one (exit 77, skipped, where CUDA is unusable in the real build).
 */
#include <stdlib.h>
#include <string.h>

#include "panoptim.h"
#include "test_cuda_support.h"
#include "test_expect_error.h"

#define AXPY_N 301 /* odd: vector body and tail */

/* Device memory of one step: T tensors of params, grads, exp_avg, exp_avg_sq; the capturable lr
 * and step counts; x and y of the axpy. Host copies of the starting values. */
typedef struct step_state {
    int64_t t;
    int64_t *numels;
    float **param, **grad, **m, **v;
    float *lr, *steps, *x, *y;
    float **param0, **grad0, *x0, *y0;
} step_state;

static float *random_host(int64_t n) {
    float *h = xmalloc(sizeof(float) * (size_t)n);
    for (int64_t i = 0; i < n; i++) h[i] = rng_signed(0.05f, 1.5f);
    return h;
}

static void upload(float *dev, const float *host, int64_t n) {
    MUST(pt_cuda_copy(0, dev, host, (int64_t)sizeof(float) * n, PT_COPY_HOST_TO_DEVICE));
}

static step_state state_new(int64_t t, const int64_t *sizes) {
    step_state s;
    memset(&s, 0, sizeof s);
    s.t = t;
    s.numels = xmalloc(sizeof(int64_t) * (size_t)t);
    float ***lists[6] = {&s.param, &s.grad, &s.m, &s.v, &s.param0, &s.grad0};
    for (int l = 0; l < 6; l++) *lists[l] = xmalloc(sizeof(float *) * (size_t)t);
    for (int64_t i = 0; i < t; i++) {
        s.numels[i] = sizes[i];
        s.param[i] = device_floats(NULL, sizes[i]);
        s.grad[i] = device_floats(NULL, sizes[i]);
        s.m[i] = device_floats(NULL, sizes[i]);
        s.v[i] = device_floats(NULL, sizes[i]);
        s.param0[i] = random_host(sizes[i]);
        s.grad0[i] = random_host(sizes[i]);
    }
    s.lr = device_floats(NULL, 1);
    s.steps = device_floats(NULL, t);
    s.x = device_floats(NULL, AXPY_N);
    s.y = device_floats(NULL, AXPY_N);
    s.x0 = random_host(AXPY_N);
    s.y0 = random_host(AXPY_N);
    return s;
}

/* Back to the starting values: params, grads, x, y as drawn; state and step counts zero. */
static void state_reset(step_state *s) {
    for (int64_t i = 0; i < s->t; i++) {
        upload(s->param[i], s->param0[i], s->numels[i]);
        upload(s->grad[i], s->grad0[i], s->numels[i]);
        MUST(pt_cuda_memset(0, s->m[i], 0, (int64_t)sizeof(float) * s->numels[i]));
        MUST(pt_cuda_memset(0, s->v[i], 0, (int64_t)sizeof(float) * s->numels[i]));
    }
    MUST(pt_cuda_memset(0, s->steps, 0, (int64_t)sizeof(float) * s->t));
    upload(s->x, s->x0, AXPY_N);
    upload(s->y, s->y0, AXPY_N);
}

static void set_lr(step_state *s, float lr) { upload(s->lr, &lr, 1); }

/* The step: AdamW with lr and step counts read from the device, then y += 0.5 * x. The lr
 * argument (1.0) is ignored: a graph would bake it in. */
static int step(step_state *s) {
    pt_step_extras extras;
    memset(&extras, 0, sizeof extras);
    extras.lr = s->lr;
    extras.steps = s->steps;
    const int st = pt_adamw_step_ex(PT_DEVICE_CUDA, s->t, s->numels, s->param, (const void *const *)s->grad, s->m,
                                    s->v, NULL, NULL, 1.0, 0.9, 0.999, 1e-8, 0.01, 0, 0, &extras);
    if (st != PT_OK) return st;
    return pt_axpy(PT_DEVICE_CUDA, AXPY_N, 0.5, s->x, s->y);
}

/* Every device value of the step, bit for bit: params, exp_avg, exp_avg_sq, step counts, y. */
static int same_results(step_state *a, step_state *b, const char *what) {
    int differ = 0;
    for (int64_t i = 0; i < a->t; i++) {
        float *const pairs[3][2] = {{a->param[i], b->param[i]}, {a->m[i], b->m[i]}, {a->v[i], b->v[i]}};
        for (int k = 0; k < 3; k++) {
            float *ha = host_floats(pairs[k][0], a->numels[i]), *hb = host_floats(pairs[k][1], a->numels[i]);
            differ += memcmp(ha, hb, sizeof(float) * (size_t)a->numels[i]) != 0;
            free(ha);
            free(hb);
        }
    }
    float *sa = host_floats(a->steps, a->t), *sb = host_floats(b->steps, a->t);
    float *ya = host_floats(a->y, AXPY_N), *yb = host_floats(b->y, AXPY_N);
    differ += memcmp(sa, sb, sizeof(float) * (size_t)a->t) != 0;
    differ += memcmp(ya, yb, sizeof(float) * AXPY_N) != 0;
    CHECK(differ == 0, "%s: %d of %lld buffers differ between replays and eager calls (steps %g vs %g, y[7] %g vs %g)",
          what, differ, (long long)(3 * a->t + 2), sa[0], sb[0], ya[7], yb[7]);
    CHECK(sa[0] > 0.0f, "%s: the step counts advanced (%g)", what, sa[0]);
    free(sa), free(sb), free(ya), free(yb);
    return differ == 0;
}

static void state_free(step_state *s) {
    for (int64_t i = 0; i < s->t; i++) {
        float *dev[4] = {s->param[i], s->grad[i], s->m[i], s->v[i]};
        for (int k = 0; k < 4; k++) MUST(pt_cuda_free(0, dev[k]));
        free(s->param0[i]);
        free(s->grad0[i]);
    }
    float *dev[4] = {s->lr, s->steps, s->x, s->y};
    for (int k = 0; k < 4; k++) MUST(pt_cuda_free(0, dev[k]));
    free(s->numels), free(s->param), free(s->grad), free(s->m), free(s->v), free(s->param0), free(s->grad0);
    free(s->x0), free(s->y0);
}

/* Replays of one captured step against eager steps, on two copies of the same state. */
static void replays_equal_eager(int64_t t, const int64_t *sizes, const char *what) {
    const uint64_t seed = rng_state;
    step_state eager = state_new(t, sizes);
    rng_state = seed;  /* the same starting values */
    step_state graphed = state_new(t, sizes);
    state_reset(&eager);
    state_reset(&graphed);
    const float lrs[4] = {1e-2f, 3e-3f, 5e-2f, 2e-2f};
    for (int r = 0; r < 3; r++) {
        set_lr(&eager, lrs[r]);
        MUST(step(&eager));
    }

    pt_cuda_graph *graph = NULL;
    int capturing = -1;
    MUST(pt_cuda_graph_capture_begin(0));
    MUST(pt_cuda_graph_capturing(0, &capturing));
    CHECK(capturing == 1, "%s: capturing %d during the capture", what, capturing);
    EXPECT(PT_OK, "", step(&graphed));
    EXPECT(PT_OK, "", pt_cuda_graph_capture_end(0, &graph));
    CHECK(graph != NULL, "%s: no graph", what);
    MUST(pt_cuda_graph_capturing(0, &capturing));
    CHECK(capturing == 0, "%s: capturing %d after the capture", what, capturing);
    float *p = host_floats(graphed.param[0], sizes[0]);
    CHECK(memcmp(p, graphed.param0[0], sizeof(float) * (size_t)sizes[0]) == 0, "%s: the capture ran the step", what);
    free(p);
    for (int r = 0; r < 3; r++) {
        set_lr(&graphed, lrs[r]);  /* queued before the replay, so the replay reads it */
        EXPECT(PT_OK, "", pt_cuda_graph_replay(graph));
    }
    same_results(&eager, &graphed, what);

    /* New grads and x, written into the captured buffers: the replay computes with them. */
    for (int64_t i = 0; i < t; i++) {
        float *g = random_host(sizes[i]);
        upload(eager.grad[i], g, sizes[i]);
        upload(graphed.grad[i], g, sizes[i]);
        free(g);
    }
    float *x = random_host(AXPY_N);
    upload(eager.x, x, AXPY_N);
    upload(graphed.x, x, AXPY_N);
    free(x);
    set_lr(&eager, lrs[3]);
    MUST(step(&eager));
    set_lr(&graphed, lrs[3]);
    EXPECT(PT_OK, "", pt_cuda_graph_replay(graph));
    /* Destroyed right after its replay was queued: the replay still completes. */
    EXPECT(PT_OK, "", pt_cuda_graph_destroy(graph));
    char label[128];
    snprintf(label, sizeof label, "%s, after new inputs", what);
    same_results(&eager, &graphed, label);
    state_free(&eager);
    state_free(&graphed);
}

/* Device buffers for the layer calls with a host result. */
typedef struct ce_inputs {
    float *logits, *probs;
    int32_t *targets;
} ce_inputs;

static ce_inputs *g_ce;

static int call_cross_entropy(void) {
    double loss = 0;
    return pt_cross_entropy_forward(PT_DEVICE_CUDA, 3, 5, g_ce->logits, g_ce->targets, 0.0, g_ce->probs, &loss);
}

static int call_argmax(void) {
    int64_t correct = 0;
    return pt_argmax_correct(PT_DEVICE_CUDA, 3, 5, g_ce->logits, g_ce->targets, &correct);
}

static void *g_dev;
static float g_host[4];

static int call_malloc(void) {
    void *p = NULL;
    return pt_cuda_malloc(0, 64, &p);
}
static int call_free(void) { return pt_cuda_free(0, g_dev); }
static int call_to_device(void) { return pt_cuda_copy(0, g_dev, g_host, sizeof g_host, PT_COPY_HOST_TO_DEVICE); }
static int call_to_host(void) { return pt_cuda_copy(0, g_host, g_dev, sizeof g_host, PT_COPY_DEVICE_TO_HOST); }
static int call_synchronize(void) { return pt_cuda_synchronize(0); }
static int call_empty_cache(void) { return pt_cuda_empty_cache(0); }

/* Each refused call: its own error, the capture broken, capture_end failing with its name. */
static void refused_calls_break_the_capture(void) {
    ce_inputs ce;
    const float logits[15] = {0.5f, -1, 2, 0.25f, 1, 3, -2, 0.5f, 1, 0, -1, 1, 2, 0.75f, -0.5f};
    const int32_t targets[3] = {2, 0, 4};
    ce.logits = device_floats(logits, 15);
    ce.probs = device_floats(NULL, 15);
    MUST(pt_cuda_malloc(0, sizeof targets, (void **)&ce.targets));
    MUST(pt_cuda_copy(0, ce.targets, targets, sizeof targets, PT_COPY_HOST_TO_DEVICE));
    g_ce = &ce;
    g_dev = device_floats(NULL, 4);
    struct {
        const char *name;
        int (*call)(void);
        const char *says;
    } cases[] = {
        {"pt_cuda_malloc", call_malloc, "allocation during CUDA graph capture: allocate before capturing"},
        {"pt_cuda_free", call_free, "allocation during CUDA graph capture"},
        {"pt_cuda_copy", call_to_device, "host -> device copy during CUDA graph capture"},
        {"pt_cuda_copy", call_to_host, "device -> host copy during CUDA graph capture"},
        {"pt_cuda_synchronize", call_synchronize, "synchronization during CUDA graph capture"},
        {"pt_cuda_empty_cache", call_empty_cache, "during CUDA graph capture"},
        {"pt_cross_entropy_forward", call_cross_entropy, "a host result during CUDA graph capture"},
        {"pt_argmax_correct", call_argmax, "a host result during CUDA graph capture"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        MUST(pt_cuda_graph_capture_begin(0));
        MUST(pt_cuda_memset(0, g_dev, 0, 16));  /* recorded work before the refused call */
        EXPECT(UNSUPPORTED, cases[i].says, cases[i].call());
        pt_cuda_graph *graph = (pt_cuda_graph *)&g_dev;  /* not NULL: capture_end must clear it */
        EXPECT(UNSUPPORTED, cases[i].name, pt_cuda_graph_capture_end(0, &graph));
        CHECK(graph == NULL, "%s: a broken capture gave a graph", cases[i].name);
        CHECK(strstr(pt_last_error(), cases[i].says) != NULL, "capture_end names why %s broke it: %s", cases[i].name,
              pt_last_error());
        int capturing = -1;
        MUST(pt_cuda_graph_capturing(0, &capturing));
        CHECK(capturing == 0, "%s: still capturing after capture_end", cases[i].name);
    }
    /* The refused free freed nothing: the memory is still panoptim's. */
    EXPECT(PT_OK, "", pt_cuda_free(0, g_dev));
    MUST(pt_cuda_free(0, ce.logits));
    MUST(pt_cuda_free(0, ce.probs));
    MUST(pt_cuda_free(0, ce.targets));
}

/* Capture state errors, and device work that is recorded (device -> device copy, memset). */
static void capture_state(int count) {
    float *a = device_floats(NULL, 8), *b = device_floats(NULL, 8);
    const float values[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    upload(a, values, 8);
    pt_cuda_graph *graph = NULL;
    EXPECT(INVALID, "not capturing", pt_cuda_graph_capture_end(0, &graph));
    EXPECT(INVALID, "cuda:-1", pt_cuda_graph_capture_begin(-1));
    EXPECT(INVALID, "no CUDA device", pt_cuda_graph_capture_begin(count));
    EXPECT(INVALID, "NULL", pt_cuda_graph_capture_end(0, NULL));
    EXPECT(INVALID, "NULL", pt_cuda_graph_replay(NULL));
    EXPECT(INVALID, "NULL", pt_cuda_graph_capturing(0, NULL));
    EXPECT(PT_OK, "", pt_cuda_graph_destroy(NULL));

    MUST(pt_cuda_graph_capture_begin(0));
    EXPECT(INVALID, "already capturing", pt_cuda_graph_capture_begin(0));
    /* The first capture goes on: b = 0, b[2..6) = a[2..6), recorded and run by the replay only. */
    EXPECT(PT_OK, "", pt_cuda_memset(0, b, 0, sizeof values));
    EXPECT(PT_OK, "", pt_cuda_copy(0, b + 2, a + 2, 4 * sizeof(float), PT_COPY_DEVICE_TO_DEVICE));
    EXPECT(PT_OK, "", pt_cuda_graph_capture_end(0, &graph));
    CHECK(graph != NULL, "the capture survived the refused second begin");
    upload(b, values, 8);
    upload(a, (const float[8]){9, 9, 9, 9, 9, 9, 9, 9}, 8);
    EXPECT(PT_OK, "", pt_cuda_graph_replay(graph));
    float *h = host_floats(b, 8);
    CHECK(h[0] == 0 && h[1] == 0 && h[2] == 9 && h[5] == 9 && h[6] == 0 && h[7] == 0,
          "replayed memset and copy: %g %g %g %g %g %g", h[0], h[1], h[2], h[5], h[6], h[7]);
    free(h);
    EXPECT(PT_OK, "", pt_cuda_graph_destroy(graph));
    MUST(pt_cuda_free(0, a));
    MUST(pt_cuda_free(0, b));
}

int main(void) {
    const int count = cuda_devices_or_exit_status("test_cuda_graph");
    if (count < 0) return -count;
    MUST(pt_cuda_set_device(0));
    const int64_t sizes[3] = {37, 1, 300};  /* odd sizes: vector bodies and scalar tails */
    replays_equal_eager(3, sizes, "AdamW + axpy");
    /* More tensors than one kernel argument holds (AdamW's inline table: 186 entries): eagerly
     * one launch with the table in device memory, captured one launch per inline slice. */
    int64_t many[200];
    for (int i = 0; i < 200; i++) many[i] = 1 + i % 5;
    replays_equal_eager(200, many, "AdamW over 200 tensors + axpy");
    refused_calls_break_the_capture();
    capture_state(count);
    return test_exit_status("test_cuda_graph");
}
