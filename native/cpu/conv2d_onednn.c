/*
 * conv2d on oneDNN: the convolutions libtorch's CPU backend runs, JIT-compiled for the CPU at hand
 * (AVX-512, AVX-512 BF16 on Zen 4 and Sapphire Rapids), called through oneDNN's C API.
 *   https://oneapi-src.github.io/oneDNN/v2/dev_guide_convolution.html
 *
 * libpanoptim does not link oneDNN: libdnnl.so.2 (oneDNN 2.x, Debian's libdnnl2) is found and
 * loaded with dlopen at the first call that wants it, so a machine without it loads libpanoptim and
 * runs the own kernels as before. Only its header is needed to build this file (without it, the
 * stand-ins at the end say "built without oneDNN's header").
 *
 * Why a plan per shape: oneDNN's fast kernels want their own blocked layouts (nChw16c activations,
 * OIhw16i16o weights). panoptim's tensors are NCHW, so each call reorders its inputs into the
 * blocked layout, runs the convolution there and reorders the output back -- what libtorch does
 * for NCHW tensors too. Working that out (the descriptors, JIT-compiling the kernels, the reorder
 * primitives) takes milliseconds, so it is done once per (pass, shape, dtypes) and kept in a list;
 * a ResNet has a dozen shapes.
 *
 * Memory: the blocked copies and oneDNN's scratchpad live in one arena that only grows (the
 * largest call's need), so a training loop allocates nothing and takes no fresh page faults after
 * its first step. The arena, the plans and the memory objects (whose data pointers are set per
 * call) are shared, so one lock serializes the calls: each call already runs on every thread
 * (oneDNN's OpenMP team is the calling thread's, sized to pt_num_threads() as for OpenBLAS).
 */
#define _GNU_SOURCE /* dladdr */
#include "cpu/conv2d_onednn.h"

#include <stdio.h>
#include <string.h>

#include "api/error.h"
#include "cpu/simd.h"
#include "panoptim.h"

#if PT_HAVE_ONEDNN

#include <dlfcn.h>
#include <omp.h>
#include <pthread.h>
#include <stdlib.h>

#include <oneapi/dnnl/dnnl.h>

/* The entry points used, each looked up with dlsym into a pointer of the header's own type. */
#define PT_DNNL_FUNCTIONS(X)                                                                                    \
    X(dnnl_version) X(dnnl_engine_create) X(dnnl_stream_create) X(dnnl_stream_wait)                             \
    X(dnnl_memory_desc_init_by_tag) X(dnnl_memory_desc_equal) X(dnnl_memory_desc_get_size)                     \
    X(dnnl_convolution_forward_desc_init) X(dnnl_convolution_backward_data_desc_init)                          \
    X(dnnl_convolution_backward_weights_desc_init) X(dnnl_primitive_attr_create)                                \
    X(dnnl_primitive_attr_set_scratchpad_mode) X(dnnl_primitive_attr_destroy) X(dnnl_primitive_desc_create)    \
    X(dnnl_primitive_desc_query) X(dnnl_primitive_desc_query_md) X(dnnl_primitive_desc_destroy)                 \
    X(dnnl_primitive_create) X(dnnl_primitive_execute) X(dnnl_primitive_destroy) X(dnnl_memory_create)          \
    X(dnnl_memory_set_data_handle) X(dnnl_memory_destroy) X(dnnl_reorder_primitive_desc_create)

#define PT_DNNL_MEMBER(name) __typeof__(&name) name;
static struct {
    PT_DNNL_FUNCTIONS(PT_DNNL_MEMBER)
} dn;

#define ARENA_ALIGN 64
/* Arguments of one primitive: at most src/diff_src, weights, bias, dst/diff_dst. */
#define MAX_OPERANDS 4

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER; /* everything below */
static int g_tried;                                         /* pt_onednn_load ran */
static int g_load_status = PT_ERR_UNSUPPORTED;
static char g_description[512] = "oneDNN: not loaded yet";
static dnnl_engine_t g_engine;
static dnnl_stream_t g_stream;
static void *g_arena;
static size_t g_arena_bytes;

/* ---------------------------------------------------------------- loading */

/* Where libdnnl.so.2 is looked for: PANOPTIM_ONEDNN_PATH (the file, or a folder holding it), then
 * the dynamic loader's path (LD_LIBRARY_PATH, ldconfig: Debian's /usr/lib/<arch>/libdnnl.so.2). */
static void *open_library(char *tried, size_t capacity, char *loaded, size_t loaded_capacity) {
    const char *env = getenv("PANOPTIM_ONEDNN_PATH");
    char candidate[512];
    tried[0] = '\0';
    const char *names[2] = {NULL, "libdnnl.so.2"};
    if (env && *env) {
        const size_t len = strlen(env);
        if (len > 3 && strstr(env, ".so")) snprintf(candidate, sizeof candidate, "%s", env);
        else snprintf(candidate, sizeof candidate, "%s%slibdnnl.so.2", env, env[len - 1] == '/' ? "" : "/");
        names[0] = candidate;
    }
    for (int i = 0; i < 2; i++) {
        if (!names[i]) continue;
        void *handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (handle) {
            snprintf(loaded, loaded_capacity, "%s", names[i]);
            return handle;
        }
        const size_t used = strlen(tried);
        snprintf(tried + used, capacity - used, "%s%s (%s)", used ? "; " : "", names[i], dlerror());
    }
    return NULL;
}

static int load_locked(void) {
    if (g_tried) return g_load_status;
    g_tried = 1;
    char tried[1536], loaded[512];
    void *lib = open_library(tried, sizeof tried, loaded, sizeof loaded);
    if (!lib) {
        snprintf(g_description, sizeof g_description,
                 "oneDNN: unavailable, libdnnl.so.2 not found (tried %.300s); install libdnnl2 or set PANOPTIM_ONEDNN_PATH",
                 tried);
        return g_load_status = PT_ERR_UNSUPPORTED;
    }
#define PT_DNNL_LOOKUP(name)                                                                               \
    if (!(dn.name = (__typeof__(&name))dlsym(lib, #name))) {                                                \
        snprintf(g_description, sizeof g_description, "oneDNN: unavailable, %.400s lacks %s (not oneDNN 2.x?)", \
                 loaded, #name);                                                                           \
        dlclose(lib);                                                                                      \
        return g_load_status = PT_ERR_UNSUPPORTED;                                                         \
    }
    PT_DNNL_FUNCTIONS(PT_DNNL_LOOKUP)
#undef PT_DNNL_LOOKUP
    const dnnl_version_t *v = dn.dnnl_version();
    if (v->major != 2) {
        snprintf(g_description, sizeof g_description, "oneDNN: unavailable, %.400s is oneDNN %d.%d, panoptim needs 2.x",
                 loaded, v->major, v->minor);
        dlclose(lib);
        return g_load_status = PT_ERR_UNSUPPORTED;
    }
    if (dn.dnnl_engine_create(&g_engine, dnnl_cpu, 0) != dnnl_success ||
        dn.dnnl_stream_create(&g_stream, g_engine, dnnl_stream_default_flags) != dnnl_success) {
        snprintf(g_description, sizeof g_description, "oneDNN: unavailable, %.400s could not make a CPU engine", loaded);
        return g_load_status = PT_ERR_UNSUPPORTED; /* the library stays loaded: its code may be in use */
    }
    /* dladdr names the file the loader resolved the soname to. */
    Dl_info info;
    const char *file = dladdr((void *)dn.dnnl_version, &info) && info.dli_fname ? info.dli_fname : loaded;
    snprintf(g_description, sizeof g_description, "oneDNN %d.%d.%d (%.400s)", v->major, v->minor, v->patch, file);
    return g_load_status = PT_OK;
}

int pt_onednn_load(void) {
    pthread_mutex_lock(&g_lock);
    const int s = load_locked();
    pthread_mutex_unlock(&g_lock);
    return s == PT_OK ? PT_OK : pt_fail(s, "%s", g_description);
}

const char *pt_onednn_description(void) {
    pthread_mutex_lock(&g_lock);
    load_locked();
    pthread_mutex_unlock(&g_lock);
    return g_description;
}

/* ---------------------------------------------------------------- plans */

/* One argument of a primitive: the user's tensor (NCHW / OIHW, as panoptim keeps it) and the layout
 * the primitive wants; when they differ, a reorder moves it in (inputs) or out (outputs) through a
 * buffer of `bytes` in the arena. */
typedef struct operand {
    int arg; /* DNNL_ARG_* */
    int output;
    dnnl_memory_desc_t user, inner;
    dnnl_memory_t user_mem, inner_mem; /* inner_mem NULL when no reorder is needed */
    dnnl_primitive_t move;
    size_t bytes, offset; /* its buffer in the arena */
} operand;

typedef struct plan_key {
    int pass, weight_dtype, compute_dtype, has_bias;
    pt_conv2d_shape sh;
} plan_key;

typedef struct plan {
    struct plan *next;
    plan_key key;
    int usable;
    char impl[96];
    dnnl_primitive_t conv;
    operand ops[MAX_OPERANDS];
    int count;
    dnnl_memory_t scratch;
    /* The arena's layout for this plan: the reorder buffers at their offsets, then the float32
     * dweight that a summing backward-weights pass writes first, then the scratchpad. */
    size_t sum_offset, scratch_offset, arena_bytes;
} plan;

static plan *g_plans;

static dnnl_data_type_t dnnl_type(int dtype) {
    return dtype == PT_DTYPE_BFLOAT16 ? dnnl_bf16 : dtype == PT_DTYPE_FLOAT16 ? dnnl_f16 : dnnl_f32;
}

static size_t round_up(size_t n) { return (n + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN; }

/* The descriptor of a `pass` convolution of sh with the given (possibly format_tag_any) memory
 * descriptors; `bias` NULL for none. */
static dnnl_status_t conv_desc(int pass, const pt_conv2d_shape *sh, const dnnl_memory_desc_t *src,
                               const dnnl_memory_desc_t *weights, const dnnl_memory_desc_t *bias,
                               const dnnl_memory_desc_t *dst, dnnl_convolution_desc_t *desc) {
    const dnnl_dims_t strides = {sh->stride_h, sh->stride_w}, pad_l = {sh->pad_h, sh->pad_w};
    /* oneDNN takes the padding on both sides: the right one makes the last window end inside. */
    const dnnl_dims_t pad_r = {(sh->p - 1) * sh->stride_h + sh->r - sh->h - sh->pad_h,
                               (sh->q - 1) * sh->stride_w + sh->s - sh->w - sh->pad_w};
    switch (pass) {
    case PT_ONEDNN_FORWARD:
        return dn.dnnl_convolution_forward_desc_init(desc, dnnl_forward_training, dnnl_convolution_direct, src, weights,
                                                     bias, dst, strides, pad_l, pad_r);
    case PT_ONEDNN_BACKWARD_DATA:
        return dn.dnnl_convolution_backward_data_desc_init(desc, dnnl_convolution_direct, src, weights, dst, strides,
                                                           pad_l, pad_r);
    default:
        return dn.dnnl_convolution_backward_weights_desc_init(desc, dnnl_convolution_direct, src, weights, NULL, dst,
                                                              strides, pad_l, pad_r);
    }
}

static void destroy_plan_parts(plan *pl) {
    for (int i = 0; i < pl->count; i++) {
        operand *o = &pl->ops[i];
        if (o->move) dn.dnnl_primitive_destroy(o->move);
        if (o->user_mem) dn.dnnl_memory_destroy(o->user_mem);
        if (o->inner_mem) dn.dnnl_memory_destroy(o->inner_mem);
    }
    if (pl->scratch) dn.dnnl_memory_destroy(pl->scratch);
    if (pl->conv) dn.dnnl_primitive_destroy(pl->conv);
    pl->count = 0, pl->scratch = NULL, pl->conv = NULL;
}

/* Adds the operand `arg` (user layout `user`, the layout the primitive wants `inner`) to pl. */
static int add_operand(plan *pl, int arg, int output, const dnnl_memory_desc_t *user, const dnnl_memory_desc_t *inner) {
    operand *o = &pl->ops[pl->count++];
    memset(o, 0, sizeof *o);
    o->arg = arg, o->output = output, o->user = *user, o->inner = *inner;
    if (dn.dnnl_memory_create(&o->user_mem, user, g_engine, DNNL_MEMORY_NONE) != dnnl_success) return 0;
    if (dn.dnnl_memory_desc_equal(user, inner)) return 1;
    o->bytes = round_up(dn.dnnl_memory_desc_get_size(inner));
    dnnl_primitive_desc_t move_pd;
    const dnnl_memory_desc_t *from = output ? inner : user, *to = output ? user : inner;
    if (dn.dnnl_reorder_primitive_desc_create(&move_pd, from, g_engine, to, g_engine, NULL) != dnnl_success) return 0;
    const dnnl_status_t made = dn.dnnl_primitive_create(&o->move, move_pd);
    dn.dnnl_primitive_desc_destroy(move_pd);
    return made == dnnl_success && dn.dnnl_memory_create(&o->inner_mem, inner, g_engine, DNNL_MEMORY_NONE) == dnnl_success;
}

/* Makes the primitives of pl->key; pl->usable = 0 when oneDNN cannot run it with a fast kernel. */
static void build_plan(plan *pl) {
    const pt_conv2d_shape *sh = &pl->key.sh;
    const int pass = pl->key.pass;
    const dnnl_data_type_t compute = dnnl_type(pl->key.compute_dtype);
    const dnnl_dims_t x_dims = {sh->n, sh->c, sh->h, sh->w}, w_dims = {sh->k, sh->c, sh->r, sh->s},
                      y_dims = {sh->n, sh->k, sh->p, sh->q}, b_dims = {sh->k};
    dnnl_memory_desc_t x_user, w_user, y_user, b_user, x_any, w_any, y_any;
    /* The products' operands in the compute type; results (y, dx, dweight) and bias in float32. */
    const dnnl_data_type_t x_any_type = pass == PT_ONEDNN_BACKWARD_DATA ? dnnl_f32 : compute;
    const dnnl_data_type_t w_any_type = pass == PT_ONEDNN_BACKWARD_WEIGHTS ? dnnl_f32 : compute;
    const dnnl_data_type_t y_any_type = pass == PT_ONEDNN_FORWARD ? dnnl_f32 : compute;
    const dnnl_data_type_t w_user_type = pass == PT_ONEDNN_BACKWARD_WEIGHTS ? dnnl_f32 : dnnl_type(pl->key.weight_dtype);
    if (dn.dnnl_memory_desc_init_by_tag(&x_user, 4, x_dims, dnnl_f32, dnnl_nchw) ||
        dn.dnnl_memory_desc_init_by_tag(&w_user, 4, w_dims, w_user_type, dnnl_oihw) ||
        dn.dnnl_memory_desc_init_by_tag(&y_user, 4, y_dims, dnnl_f32, dnnl_nchw) ||
        dn.dnnl_memory_desc_init_by_tag(&b_user, 1, b_dims, dnnl_f32, dnnl_a) ||
        dn.dnnl_memory_desc_init_by_tag(&x_any, 4, x_dims, x_any_type, dnnl_format_tag_any) ||
        dn.dnnl_memory_desc_init_by_tag(&w_any, 4, w_dims, w_any_type, dnnl_format_tag_any) ||
        dn.dnnl_memory_desc_init_by_tag(&y_any, 4, y_dims, y_any_type, dnnl_format_tag_any))
        return;
    /* The backward passes need the forward's primitive descriptor as a hint. */
    dnnl_convolution_desc_t fwd_desc, desc;
    dnnl_primitive_desc_t hint = NULL, pd = NULL;
    dnnl_memory_desc_t x_fwd, w_fwd, y_fwd;
    if (pass != PT_ONEDNN_FORWARD) {
        dn.dnnl_memory_desc_init_by_tag(&x_fwd, 4, x_dims, compute, dnnl_format_tag_any);
        dn.dnnl_memory_desc_init_by_tag(&w_fwd, 4, w_dims, compute, dnnl_format_tag_any);
        dn.dnnl_memory_desc_init_by_tag(&y_fwd, 4, y_dims, dnnl_f32, dnnl_format_tag_any);
        if (conv_desc(PT_ONEDNN_FORWARD, sh, &x_fwd, &w_fwd, NULL, &y_fwd, &fwd_desc) != dnnl_success ||
            dn.dnnl_primitive_desc_create(&hint, &fwd_desc, NULL, g_engine, NULL) != dnnl_success)
            return;
    }
    dnnl_primitive_attr_t attr;
    if (dn.dnnl_primitive_attr_create(&attr) != dnnl_success) goto done;
    dn.dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user);
    const int bias = pass == PT_ONEDNN_FORWARD && pl->key.has_bias;
    if (conv_desc(pass, sh, &x_any, &w_any, bias ? &b_user : NULL, &y_any, &desc) == dnnl_success)
        dn.dnnl_primitive_desc_create(&pd, &desc, attr, g_engine, hint);
    dn.dnnl_primitive_attr_destroy(attr);
    if (!pd) goto done;
    const char *impl = "";
    dn.dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &impl);
    snprintf(pl->impl, sizeof pl->impl, "%s", impl);
    /* oneDNN's reference loops run anything, slowly: the own kernels are far faster than those. */
    if (strncmp(impl, "ref", 3) == 0) goto done;
    const dnnl_memory_desc_t *x_in = dn.dnnl_primitive_desc_query_md(pd, pass == PT_ONEDNN_BACKWARD_DATA ? dnnl_query_diff_src_md : dnnl_query_src_md, 0);
    const dnnl_memory_desc_t *w_in = dn.dnnl_primitive_desc_query_md(pd, pass == PT_ONEDNN_BACKWARD_WEIGHTS ? dnnl_query_diff_weights_md : dnnl_query_weights_md, 0);
    const dnnl_memory_desc_t *y_in = dn.dnnl_primitive_desc_query_md(pd, pass == PT_ONEDNN_FORWARD ? dnnl_query_dst_md : dnnl_query_diff_dst_md, 0);
    int ok = 1;
    /* Operand order = the pointer order of pt_onednn_conv2d: (a, b, c) in, out. */
    switch (pass) {
    case PT_ONEDNN_FORWARD:
        ok = add_operand(pl, DNNL_ARG_SRC, 0, &x_user, x_in) && add_operand(pl, DNNL_ARG_WEIGHTS, 0, &w_user, w_in) &&
             (!bias || add_operand(pl, DNNL_ARG_BIAS, 0, &b_user, &b_user)) &&
             add_operand(pl, DNNL_ARG_DST, 1, &y_user, y_in);
        break;
    case PT_ONEDNN_BACKWARD_DATA:
        ok = add_operand(pl, DNNL_ARG_DIFF_DST, 0, &y_user, y_in) && add_operand(pl, DNNL_ARG_WEIGHTS, 0, &w_user, w_in) &&
             add_operand(pl, DNNL_ARG_DIFF_SRC, 1, &x_user, x_in);
        break;
    default:
        ok = add_operand(pl, DNNL_ARG_SRC, 0, &x_user, x_in) && add_operand(pl, DNNL_ARG_DIFF_DST, 0, &y_user, y_in) &&
             add_operand(pl, DNNL_ARG_DIFF_WEIGHTS, 1, &w_user, w_in);
    }
    const dnnl_memory_desc_t *scratch = dn.dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
    ok = ok && dn.dnnl_memory_create(&pl->scratch, scratch, g_engine, DNNL_MEMORY_NONE) == dnnl_success &&
         dn.dnnl_primitive_create(&pl->conv, pd) == dnnl_success;
    if (!ok) goto done;
    size_t offset = 0;
    for (int i = 0; i < pl->count; i++) pl->ops[i].offset = offset, offset += pl->ops[i].bytes;
    pl->sum_offset = offset;
    if (pass == PT_ONEDNN_BACKWARD_WEIGHTS) offset += round_up((size_t)(sh->k * sh->c * sh->r * sh->s) * sizeof(float));
    pl->scratch_offset = offset;
    pl->arena_bytes = offset + round_up(dn.dnnl_memory_desc_get_size(scratch));
    pl->usable = 1;
done:
    if (!pl->usable) destroy_plan_parts(pl);
    if (pd) dn.dnnl_primitive_desc_destroy(pd);
    if (hint) dn.dnnl_primitive_desc_destroy(hint);
}

static plan *find_plan(const plan_key *key) {
    for (plan *pl = g_plans; pl; pl = pl->next)
        if (memcmp(&pl->key, key, sizeof *key) == 0) return pl;
    plan *pl = calloc(1, sizeof *pl);
    if (!pl) return NULL;
    pl->key = *key;
    snprintf(pl->impl, sizeof pl->impl, "declined");
    build_plan(pl);
    pl->next = g_plans, g_plans = pl;
    return pl;
}

static plan_key make_key(int pass, const pt_conv2d_shape *sh, int weight_dtype, int compute_dtype, int has_bias) {
    plan_key key;
    memset(&key, 0, sizeof key); /* padding bytes too: keys are compared with memcmp */
    key.pass = pass, key.sh = *sh, key.weight_dtype = weight_dtype, key.compute_dtype = compute_dtype;
    key.has_bias = has_bias;
    return key;
}

/* ---------------------------------------------------------------- running a plan */

static int ensure_arena(size_t bytes) {
    if (bytes <= g_arena_bytes) return PT_OK;
    void *grown = aligned_alloc(ARENA_ALIGN, bytes);
    if (!grown)
        return pt_fail(PT_ERR_OUT_OF_MEMORY, "pt_conv2d on oneDNN: cannot allocate its %.3g MiB workspace",
                       bytes / 1048576.0);
    free(g_arena);
    g_arena = grown, g_arena_bytes = bytes;
    return PT_OK;
}

/* Runs pl on the user's tensors (pointers in operand order); with `accumulate`, a backward-weights
 * pass writes its result to the arena and adds it to the user's dweight. */
static int run_plan(plan *pl, void *const pointers[MAX_OPERANDS], int accumulate) {
    PT_TRY(ensure_arena(pl->arena_bytes));
    char *arena = g_arena;
    const int sum = accumulate && pl->key.pass == PT_ONEDNN_BACKWARD_WEIGHTS;
    const int threads = pt_num_threads();
    if (omp_get_max_threads() != threads) omp_set_num_threads(threads); /* oneDNN's team: the caller's */
    dnnl_exec_arg_t args[MAX_OPERANDS + 1];
    dnnl_status_t s = dnnl_success;
    for (int i = 0; i < pl->count && s == dnnl_success; i++) {
        operand *o = &pl->ops[i];
        s = dn.dnnl_memory_set_data_handle(o->user_mem, o->output && sum ? arena + pl->sum_offset : pointers[i]);
        args[i] = (dnnl_exec_arg_t){o->arg, o->user_mem};
        if (!o->inner_mem || s != dnnl_success) continue;
        s = dn.dnnl_memory_set_data_handle(o->inner_mem, arena + o->offset);
        args[i].memory = o->inner_mem;
        if (!o->output && s == dnnl_success) {
            const dnnl_exec_arg_t move[2] = {{DNNL_ARG_FROM, o->user_mem}, {DNNL_ARG_TO, o->inner_mem}};
            s = dn.dnnl_primitive_execute(o->move, g_stream, 2, move);
        }
    }
    if (s == dnnl_success) s = dn.dnnl_memory_set_data_handle(pl->scratch, arena + pl->scratch_offset);
    args[pl->count] = (dnnl_exec_arg_t){DNNL_ARG_SCRATCHPAD, pl->scratch};
    if (s == dnnl_success) s = dn.dnnl_primitive_execute(pl->conv, g_stream, pl->count + 1, args);
    for (int i = 0; i < pl->count && s == dnnl_success; i++) {
        operand *o = &pl->ops[i];
        if (!o->output || !o->inner_mem) continue;
        const dnnl_exec_arg_t move[2] = {{DNNL_ARG_FROM, o->inner_mem}, {DNNL_ARG_TO, o->user_mem}};
        s = dn.dnnl_primitive_execute(o->move, g_stream, 2, move);
    }
    if (s == dnnl_success) s = dn.dnnl_stream_wait(g_stream);
    if (s != dnnl_success)
        return pt_fail(PT_ERR_INTERNAL, "pt_conv2d on oneDNN (%s): a primitive failed with dnnl status %d", pl->impl,
                       (int)s);
    if (sum) {
        const float *part = (const float *)(arena + pl->sum_offset);
        float *dweight = pointers[pl->count - 1];
        const int64_t count = pl->key.sh.k * pl->key.sh.c * pl->key.sh.r * pl->key.sh.s;
#pragma omp parallel for simd schedule(static) num_threads(count < PT_PARALLEL_MIN_ELEMENTS ? 1 : threads)
        for (int64_t j = 0; j < count; j++) dweight[j] += part[j];
    }
    return PT_OK;
}

int pt_onednn_conv2d(int pass, const pt_conv2d_shape *sh, int weight_dtype, int compute_dtype, const void *a,
                     const void *b, const void *c, void *out, int accumulate) {
    /* In operand order. Forward: (x, weight, bias, y) or (x, weight, y) without bias; backward
     * data: (dy, weight, dx); backward weights: (x, dy, dweight). */
    const int with_bias = pass == PT_ONEDNN_FORWARD && c != NULL;
    void *const pointers[MAX_OPERANDS] = {(void *)a, (void *)b, with_bias ? (void *)c : out, out};
    const plan_key key = make_key(pass, sh, weight_dtype, compute_dtype, with_bias);
    pthread_mutex_lock(&g_lock);
    int status = load_locked();
    if (status == PT_OK) {
        plan *pl = find_plan(&key);
        status = !pl ? pt_fail(PT_ERR_OUT_OF_MEMORY, "pt_conv2d on oneDNN: out of memory for a plan")
                 : !pl->usable ? PT_ONEDNN_DECLINED
                               : run_plan(pl, pointers, accumulate);
    } else {
        status = pt_fail(status, "%s", g_description);
    }
    pthread_mutex_unlock(&g_lock);
    return status;
}

const char *pt_onednn_conv2d_impl(int pass, const pt_conv2d_shape *sh, int weight_dtype, int compute_dtype) {
    const plan_key key = make_key(pass, sh, weight_dtype, compute_dtype, 0);
    const char *impl = "unavailable";
    pthread_mutex_lock(&g_lock);
    if (load_locked() == PT_OK) {
        const plan *pl = find_plan(&key);
        if (pl) impl = pl->usable ? pl->impl : "declined";
    }
    pthread_mutex_unlock(&g_lock);
    return impl;
}

#else /* built without oneDNN's header: the backend is never available */

static const char *const pt_onednn_absent = "oneDNN: unavailable, libpanoptim was built without oneDNN's header (apt-get install libdnnl-dev, then rebuild)";

int pt_onednn_load(void) { return pt_fail(PT_ERR_UNSUPPORTED, "%s", pt_onednn_absent); }

const char *pt_onednn_description(void) { return pt_onednn_absent; }

int pt_onednn_conv2d(int pass, const pt_conv2d_shape *sh, int weight_dtype, int compute_dtype, const void *a,
                     const void *b, const void *c, void *out, int accumulate) {
    return pt_onednn_load();
}

const char *pt_onednn_conv2d_impl(int pass, const pt_conv2d_shape *sh, int weight_dtype, int compute_dtype) {
    return "unavailable";
}

#endif
