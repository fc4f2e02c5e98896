/*
 * The CPU conv2d backend switch (panoptim.h, "CPU conv2d backend") and the oneDNN backend's
 * plumbing: PANOPTIM_CPU_CONV (a bad value fails every CPU conv2d call, naming it, until a choice
 * is made), pt_cpu_set_conv_backend / _get / _info, the rule of `auto`, and that oneDNN loads and
 * runs its JIT kernels (not its reference loops) on a ResNet 3x3 shape, forward and backward,
 * float32 and bfloat16. The numbers themselves are checked against the references in test_dense.c
 * and test_mixed_dense.c, which run every conv case on both backends.
 *
 * Built with oneDNN's header (PT_HAVE_ONEDNN), oneDNN must load: a machine set up by bin/test has
 * it, and a backend that silently stopped loading would otherwise leave every oneDNN check unrun.
 */
#define _POSIX_C_SOURCE 200112L /* setenv */
#include <stdlib.h>
#include <string.h>

#include "cpu/conv2d_onednn.h"
#include "panoptim.h"
#include "test_support.h"

static pt_conv2d_shape shape(int64_t n, int64_t c, int64_t h, int64_t k, int64_t r, int64_t stride, int64_t pad) {
    const int64_t p = (h + 2 * pad - r) / stride + 1;
    return (pt_conv2d_shape){n, c, h, h, k, r, r, stride, stride, pad, pad, p, p};
}

static int run_forward(const pt_conv2d_shape *sh) {
    const int64_t nx = sh->n * sh->c * sh->h * sh->w, nw = sh->k * sh->c * sh->r * sh->s;
    float *x = calloc((size_t)nx, sizeof(float)), *w = calloc((size_t)nw, sizeof(float));
    float *y = calloc((size_t)(sh->n * sh->k * sh->p * sh->q), sizeof(float));
    for (int64_t i = 0; i < nx; i++) x[i] = rng_signed(0.1f, 1.0f);
    for (int64_t i = 0; i < nw; i++) w[i] = rng_signed(0.1f, 1.0f);
    const int s = pt_conv2d_forward(PT_DEVICE_CPU, sh->n, sh->c, sh->h, sh->w, sh->k, sh->r, sh->s, sh->stride_h,
                                    sh->stride_w, sh->pad_h, sh->pad_w, x, w, NULL, y);
    free(x), free(w), free(y);
    return s;
}

/* Before any other call: the variable is read once, at the first call that needs it. */
static void bad_environment_value(void) {
    setenv("PANOPTIM_CPU_CONV", "onednnn", 1);
    const pt_conv2d_shape sh = shape(1, 2, 5, 3, 3, 1, 1);
    const int s = run_forward(&sh);
    CHECK(s == PT_ERR_INVALID_ARGUMENT, "PANOPTIM_CPU_CONV=onednnn: status %d, want invalid argument", s);
    CHECK(strstr(pt_last_error(), "onednnn") && strstr(pt_last_error(), "PANOPTIM_CPU_CONV"),
          "the error does not name the variable and its value: \"%s\"", pt_last_error());
    char info[1024];
    CHECK(pt_cpu_conv_backend_info(info, sizeof info) == PT_OK && strstr(info, "error: "),
          "info does not report the bad value: \"%s\"", info);
    /* a choice clears it */
    CHECK(pt_cpu_set_conv_backend(PT_CPU_CONV_OWN) == PT_OK, "set own: %s", pt_last_error());
    CHECK(run_forward(&sh) == PT_OK, "after choosing own: %s", pt_last_error());
    CHECK(pt_cpu_get_conv_backend() == PT_CPU_CONV_OWN, "get: %d, want own", pt_cpu_get_conv_backend());
    unsetenv("PANOPTIM_CPU_CONV");
}

static void invalid_calls(void) {
    CHECK(pt_cpu_set_conv_backend(7) == PT_ERR_INVALID_ARGUMENT && strstr(pt_last_error(), "7"),
          "set_conv_backend(7): %s", pt_last_error());
    CHECK(pt_cpu_get_conv_backend() == PT_CPU_CONV_OWN, "a refused choice changed the backend");
    CHECK(pt_cpu_conv_backend_info(NULL, 10) == PT_ERR_INVALID_ARGUMENT, "info(NULL) accepted");
    char small[8];
    CHECK(pt_cpu_conv_backend_info(small, 0) == PT_ERR_INVALID_ARGUMENT, "info capacity 0 accepted");
    CHECK(pt_cpu_conv_backend_info(small, sizeof small) == PT_OK && strlen(small) == sizeof small - 1,
          "info not truncated to its capacity: \"%s\"", small);
}

/* The rule of auto (cpu/conv2d_backend.c): oneDNN for filters larger than 1x1 with more than one
 * output pixel, the own kernels for 1x1 filters and 1x1 outputs; every bfloat16 forward on oneDNN. */
static void auto_rule(void) {
    const pt_conv2d_shape block = shape(128, 64, 7, 64, 3, 1, 1), down = shape(128, 64, 7, 128, 1, 2, 0);
    const pt_conv2d_shape last = shape(128, 512, 1, 512, 3, 1, 1), stem = shape(128, 1, 28, 64, 7, 2, 3);
    const int f32 = PT_DTYPE_FLOAT32, bf16 = PT_DTYPE_BFLOAT16;
    for (int compute = 0; compute < 2; compute++) {
        const int dtype = compute ? bf16 : f32;
        for (int backward = 0; backward < 2; backward++) {
            CHECK(pt_cpu_conv2d_auto_takes(&block, backward, dtype), "3x3 on 7x7 not given to oneDNN (%d, %d)", compute,
                  backward);
            CHECK(pt_cpu_conv2d_auto_takes(&stem, backward, dtype), "7x7 stem not given to oneDNN (%d, %d)", compute,
                  backward);
        }
        CHECK(!pt_cpu_conv2d_auto_takes(&last, 1, dtype), "backward with one output pixel given to oneDNN");
        CHECK(!pt_cpu_conv2d_auto_takes(&down, 1, dtype), "backward of a 1x1 filter given to oneDNN");
    }
    CHECK(!pt_cpu_conv2d_auto_takes(&down, 0, f32) && !pt_cpu_conv2d_auto_takes(&last, 0, f32),
          "fp32 forward of a 1x1 filter or to one output pixel given to oneDNN");
    CHECK(pt_cpu_conv2d_auto_takes(&down, 0, bf16) && pt_cpu_conv2d_auto_takes(&last, 0, bf16),
          "bf16 forwards not all given to oneDNN");
}

static void onednn_runs(void) {
    const int loaded = pt_cpu_set_conv_backend(PT_CPU_CONV_ONEDNN);
#if PT_HAVE_ONEDNN
    CHECK(loaded == PT_OK, "built with oneDNN's header, but oneDNN does not load: %s", pt_last_error());
#endif
    char info[1024];
    CHECK(pt_cpu_conv_backend_info(info, sizeof info) == PT_OK, "info: %s", pt_last_error());
    printf("%s", info);
    if (loaded != PT_OK) {
        CHECK(strstr(pt_last_error(), "oneDNN") != NULL, "the refusal does not say why: \"%s\"", pt_last_error());
        CHECK(pt_cpu_get_conv_backend() == PT_CPU_CONV_OWN, "a refused onednn changed the backend");
        printf("oneDNN unavailable here: %s\n", pt_last_error());
        return;
    }
    CHECK(strstr(info, "backend: onednn") && strstr(info, "oneDNN 2."), "info: \"%s\"", info);
    const pt_conv2d_shape block = shape(4, 16, 7, 16, 3, 1, 1);
    static const char *const passes[3] = {"forward", "backward data", "backward weights"};
    for (int compute = 0; compute < 2; compute++)
        for (int pass = 0; pass < 3; pass++) {
            const int dtype = compute ? PT_DTYPE_BFLOAT16 : PT_DTYPE_FLOAT32;
            const char *impl = pt_onednn_conv2d_impl(pass, &block, dtype, dtype);
            printf("oneDNN %s %s: %s\n", passes[pass], compute ? "bf16" : "fp32", impl);
            /* bf16 without AVX-512 may be declined (then the own kernels run it); fp32 never is */
            if (!compute)
                CHECK(strcmp(impl, "declined") != 0 && strncmp(impl, "ref", 3) != 0,
                      "fp32 %s of a 3x3 block: oneDNN gives \"%s\", want a JIT kernel", passes[pass], impl);
        }
    CHECK(run_forward(&block) == PT_OK, "forward on oneDNN: %s", pt_last_error());
    pt_cpu_set_conv_backend(PT_CPU_CONV_AUTO);
}

int main(void) {
    bad_environment_value();
    invalid_calls();
    auto_rule();
    onednn_runs();
    return test_exit_status("test_conv2d_backend");
}
