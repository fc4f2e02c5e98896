/*
 * The CUDA backend switch (panoptim.h, "CUDA backend"), where no vendor library or GPU is needed:
 * PANOPTIM_CUDA_BACKEND parsing (own, vendor, case, empty, an unknown value failing the first CUDA
 * call with the value named until pt_cuda_set_backend chooses), pt_cuda_set_backend's checks,
 * pt_cuda_vendor_info's text and buffer handling, and the vendor entry points' errors where the
 * libraries cannot run: on the simulator ("own kernels only") and, in the real build, where cuBLAS or
 * cuDNN is not installed ("... not found: looked for ...", as on CI machines). Never skipped.
 */
#define _POSIX_C_SOURCE 200809L /* setenv, unsetenv */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda/backend.h"
#include "cuda/vendor/vendor.h"
#include "panoptim.h"
#include "test_expect_error.h"

static char info[8192];

static const char *vendor_info(void) {
    info[0] = '\0';
    EXPECT(PT_OK, "", pt_cuda_vendor_info(info, sizeof info));
    return info;
}

static void with_env(const char *value) {
    if (value == NULL) unsetenv("PANOPTIM_CUDA_BACKEND");
    else setenv("PANOPTIM_CUDA_BACKEND", value, 1);
    pt_cuda_backend_reload_env();
}

/* A CUDA call that reaches a device: fails with the bad variable, or for the machine's own reasons
 * (no GPU here), never with the variable once a backend was chosen. */
static void expect_cuda_call_names(const char *needle, int names_it) {
    void *p = NULL;
    pt_clear_error();
    const int s = pt_cuda_malloc(0, 64, &p);
    const char *msg = pt_last_error();
    if (names_it) {
        CHECK(s == PT_ERR_INVALID_ARGUMENT && strstr(msg, needle) != NULL,
              "pt_cuda_malloc under a bad PANOPTIM_CUDA_BACKEND: status %d, message \"%s\" lacks \"%s\"", s, msg, needle);
    } else {
        CHECK(strstr(msg, "PANOPTIM_CUDA_BACKEND") == NULL, "pt_cuda_malloc still blames the variable: \"%s\"", msg);
        if (s == PT_OK) pt_cuda_free(0, p);
    }
}

static void env_parsing(void) {
    with_env(NULL);
    CHECK(pt_cuda_get_backend() == PT_CUDA_BACKEND_OWN, "unset: backend %d", pt_cuda_get_backend());
    with_env("");
    CHECK(pt_cuda_get_backend() == PT_CUDA_BACKEND_OWN, "empty: backend %d", pt_cuda_get_backend());
    with_env("OWN");
    CHECK(pt_cuda_get_backend() == PT_CUDA_BACKEND_OWN, "OWN: backend %d", pt_cuda_get_backend());
    expect_cuda_call_names("", 0);

    with_env("cudnn-please");
    CHECK(pt_cuda_get_backend() == PT_CUDA_BACKEND_OWN, "a bad value leaves own: backend %d", pt_cuda_get_backend());
    expect_cuda_call_names("PANOPTIM_CUDA_BACKEND=\"cudnn-please\" is not a CUDA backend", 1);
    expect_cuda_call_names("pt_cuda_malloc", 1);
    CHECK(strstr(vendor_info(), "cudnn-please") != NULL, "vendor info does not name the bad value:\n%s", info);
    EXPECT(PT_OK, "", pt_cuda_set_backend(PT_CUDA_BACKEND_OWN));
    expect_cuda_call_names("", 0);
    CHECK(strstr(vendor_info(), "cudnn-please") == NULL, "the choice did not clear the bad value:\n%s", info);

    with_env("Vendor");
    if (pt_cuda_simulated()) {
        CHECK(pt_cuda_get_backend() == PT_CUDA_BACKEND_OWN, "simulator, vendor asked: backend %d", pt_cuda_get_backend());
        expect_cuda_call_names("the simulator runs panoptim's own kernels only", 1);
    } else {
        CHECK(pt_cuda_get_backend() == PT_CUDA_BACKEND_VENDOR, "Vendor: backend %d", pt_cuda_get_backend());
        expect_cuda_call_names("", 0);
        CHECK(strncmp(vendor_info(), "backend: vendor\n", 16) == 0, "info:\n%s", info);
    }
    with_env(NULL);
}

static void set_and_get(void) {
    EXPECT(INVALID, "unknown backend 7 (0 = own, 1 = vendor)", pt_cuda_set_backend(7));
    EXPECT(INVALID, "unknown backend -1", pt_cuda_set_backend(-1));
    EXPECT(PT_OK, "", pt_cuda_set_backend(PT_CUDA_BACKEND_OWN));
    CHECK(pt_cuda_get_backend() == PT_CUDA_BACKEND_OWN, "backend %d", pt_cuda_get_backend());
    if (pt_cuda_simulated()) {
        EXPECT(UNSUPPORTED, "the simulator runs panoptim's own kernels only", pt_cuda_set_backend(PT_CUDA_BACKEND_VENDOR));
        CHECK(pt_cuda_get_backend() == PT_CUDA_BACKEND_OWN, "a refused choice changed the backend to %d",
              pt_cuda_get_backend());
    } else {
        /* Choosing needs no library: the libraries load at the first vendor call. */
        EXPECT(PT_OK, "", pt_cuda_set_backend(PT_CUDA_BACKEND_VENDOR));
        CHECK(pt_cuda_get_backend() == PT_CUDA_BACKEND_VENDOR, "backend %d", pt_cuda_get_backend());
        EXPECT(PT_OK, "", pt_cuda_set_backend(PT_CUDA_BACKEND_OWN));
    }
}

static void info_buffer(void) {
    EXPECT(INVALID, "buf is NULL", pt_cuda_vendor_info(NULL, 10));
    char small[12];
    EXPECT(INVALID, "capacity must be >= 1, got 0", pt_cuda_vendor_info(small, 0));
    memset(small, 'x', sizeof small);
    EXPECT(PT_OK, "", pt_cuda_vendor_info(small, 9));
    CHECK(strcmp(small, "backend:") == 0 && small[9] == 'x', "truncated to 9: \"%.12s\"", small);
    EXPECT(PT_OK, "", pt_cuda_vendor_info(small, 1));
    CHECK(small[0] == '\0', "capacity 1 is the NUL alone");
}

/* Every vendor entry point, where it cannot run, fails with `needle` and touches no pointer. */
static void vendor_calls_fail(const char *needle) {
    EXPECT(UNSUPPORTED, needle, pt_vendor_matmul(0, 1, 3, 4, 5, 1.0, NULL, NULL, 0.0, NULL));
    EXPECT(UNSUPPORTED, needle, pt_vendor_linear_forward(2, 3, 4, NULL, NULL, NULL, NULL));
    EXPECT(UNSUPPORTED, needle, pt_vendor_linear_backward(2, 3, 4, NULL, NULL, NULL, NULL, NULL, NULL, 0));
}
static void vendor_dnn_calls_fail(const char *needle) {
    EXPECT(UNSUPPORTED, needle, pt_vendor_conv2d_forward(1, 2, 5, 5, 3, 3, 3, 1, 1, 1, 1, NULL, NULL, NULL, NULL));
    EXPECT(UNSUPPORTED, needle,
           pt_vendor_conv2d_backward(1, 2, 5, 5, 3, 3, 3, 1, 1, 1, 1, NULL, NULL, NULL, NULL, NULL, NULL, 0));
    EXPECT(UNSUPPORTED, needle,
           pt_vendor_batchnorm2d_forward(1, 2, 3, 4, NULL, NULL, NULL, NULL, NULL, 0.1, 1e-5, NULL, NULL, NULL));
    EXPECT(UNSUPPORTED, needle,
           pt_vendor_batchnorm2d_backward(1, 2, 3, 4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0));
}

static void vendor_availability(void) {
    const char *text = vendor_info();
    printf("pt_cuda_vendor_info:\n%s", text);
    CHECK(strncmp(text, "backend: own\n", 13) == 0, "info starts with the backend:\n%s", text);
    if (pt_cuda_simulated()) {
        CHECK(strstr(text, "vendor: unavailable: the simulator runs panoptim's own kernels only") != NULL, "%s", text);
        vendor_calls_fail("the simulator runs panoptim's own kernels only");
        vendor_dnn_calls_fail("the simulator runs panoptim's own kernels only");
        return;
    }
    /* The real build: each library either loaded (a version and its file) or says where it looked. */
    if (strstr(text, "cuBLAS: unavailable: ") != NULL) {
        CHECK(strstr(text, "cuBLAS not found: looked for libcublas.so.13 or libcublas.so.12 in "
                           "PANOPTIM_CUBLAS_PATH (/nonexistent/panoptim-test)") != NULL, "%s", text);
        CHECK(strstr(text, "set PANOPTIM_CUBLAS_PATH or LD_LIBRARY_PATH") != NULL, "%s", text);
        CHECK(strstr(text, "PANOPTIM_CUBLAS_PATH=/nonexistent/panoptim-test is neither a file nor a folder") != NULL,
              "%s", text);
        vendor_calls_fail("cuBLAS not found: looked for libcublas.so.13");
    } else {
        CHECK(strstr(text, "cuBLAS: 1") != NULL && strstr(text, "libcublas.so") != NULL, "%s", text);
    }
    if (strstr(text, "cuDNN: unavailable: ") != NULL) {
        CHECK(strstr(text, "cuDNN not found: looked for libcudnn.so.9 in PANOPTIM_CUDNN_PATH (unset)") != NULL, "%s",
              text);
        CHECK(strstr(text, "set PANOPTIM_CUDNN_PATH or LD_LIBRARY_PATH") != NULL, "%s", text);
        vendor_dnn_calls_fail("cuDNN not found: looked for libcudnn.so.9");
    } else {
        CHECK(strstr(text, "cuDNN: 9.") != NULL && strstr(text, "libcudnn.so.9") != NULL, "%s", text);
    }
    CHECK(strstr(text, "math: fp32 (no TF32)") != NULL, "%s", text);
}

/* The loader against fake_vendor.c (the real build's test_cuda_backend_fake_vendor): cuBLAS taken
 * from the file PANOPTIM_CUBLAS_PATH names, with its version and path; the "cuDNN" that lacks
 * functions refused, naming the first missing one. */
static void fake_vendor(const char *fake) {
    const char *text = vendor_info();
    printf("pt_cuda_vendor_info with %s:\n%s", fake, text);
    char want[1024];
    snprintf(want, sizeof want, "cuBLAS: 13.1.7 (%s)\n", fake);
    CHECK(strstr(text, want) != NULL, "lacks \"%s\":\n%s", want, text);
    snprintf(want, sizeof want, "cuDNN: unavailable: cuDNN at %s lacks cudnnGetErrorString", fake);
    CHECK(strstr(text, want) != NULL, "lacks \"%s\":\n%s", want, text);
    CHECK(strstr(text, "set PANOPTIM_CUDNN_PATH to another") != NULL, "%s", text);
    vendor_dnn_calls_fail("lacks cudnnGetErrorString");
}

int main(void) {
    /* Read once, at the first load: a path that cannot exist, to see it named in the message (or,
     * in the fake-vendor run, the stand-in library for both). */
    const char *fake = getenv("PANOPTIM_TEST_FAKE_VENDOR");
    if (fake != NULL && fake[0] != '\0') {
        setenv("PANOPTIM_CUBLAS_PATH", fake, 1);
        setenv("PANOPTIM_CUDNN_PATH", fake, 1);
    } else {
        setenv("PANOPTIM_CUBLAS_PATH", "/nonexistent/panoptim-test", 1);
        unsetenv("PANOPTIM_CUDNN_PATH");
        fake = NULL;
    }
    unsetenv("PANOPTIM_CUDA_VENDOR_TF32");
    env_parsing();
    set_and_get();
    info_buffer();
    if (fake != NULL && !pt_cuda_simulated()) fake_vendor(fake);
    else vendor_availability();
    return test_exit_status("test_cuda_backend");
}
