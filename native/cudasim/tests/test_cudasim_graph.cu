// Self-tests of the simulator's stream capture and graphs (runtime/capture.cpp, graphs.cpp): a
// capture records instead of running, a replay runs the recording on current memory contents, and
// every call a GPU refuses during a capture is refused here, invalidating it, with
// cudaStreamEndCapture naming the first offending call. Run by ctest as test_cudasim_graph.
#include <cmath>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "pt_cuda.cuh"
#include "pt_cudasim.h"
#include "test_cudasim_support.h"

constexpr int kN = 100;  // one block of 128 threads, with a tail

// y += *alpha * x: alpha from device memory, so a replay sees its current value.
__global__ void axpy_kernel(const float *x, float *y, const float *alpha, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = y[i] + *alpha * x[i];
}

__global__ void copy_kernel(const float *from, float *to, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) to[i] = from[i];
}

static float *device_values(float first, float step, int n = kN) {
    std::vector<float> h(n);
    for (int i = 0; i < n; i++) h[i] = first + step * (float)i;
    float *d = nullptr;
    cudaMalloc(&d, n * sizeof(float));
    cudaMemcpy(d, h.data(), n * sizeof(float), cudaMemcpyHostToDevice);
    return d;
}

static std::vector<float> host_values(const float *d, int n = kN) {
    std::vector<float> h(n);
    cudaMemcpy(h.data(), d, n * sizeof(float), cudaMemcpyDeviceToHost);
    return h;
}

static void set_scalar(float *d, float v) { cudaMemcpy(d, &v, sizeof v, cudaMemcpyHostToDevice); }

static cudaStream_t new_stream(unsigned flags = cudaStreamNonBlocking) {
    cudaStream_t s = nullptr;
    cudaStreamCreateWithFlags(&s, flags);
    return s;
}

// Ends a capture expected to be invalidated; checks the code, the missing graph and the reason.
static void expect_invalidated(cudaStream_t s, const char *reason) {
    cudaGraph_t g = reinterpret_cast<cudaGraph_t>(0x1);
    cudaError_t e = cudaStreamEndCapture(s, &g);
    CHECK(e == cudaErrorStreamCaptureInvalidated, "EndCapture after %s: %s", reason, cudaGetErrorName(e));
    CHECK(g == nullptr, "no graph after %s", reason);
    CHECK(contains(cudaGetErrorString(e), reason), "EndCapture names %s: %s", reason, cudaGetErrorString(e));
}

// ---------------------------------------------------------------- tests

// y = y0; y += alpha * x; t = y (D2D); t += alpha * t: captured once, replayed 3 times with alpha
// changed between replays, against the same calls made eagerly.
static void test_replay_matches_eager() {
    cudaStream_t s = new_stream();
    float *x = device_values(0.25f, 0.5f), *y0 = device_values(-1.0f, 0.125f);
    float *y = nullptr, *t = nullptr, *alpha = nullptr;
    cudaMalloc(&y, kN * sizeof(float));
    cudaMalloc(&t, kN * sizeof(float));
    cudaMalloc(&alpha, sizeof(float));
    cudaMemset(t, 0, kN * sizeof(float));
    set_scalar(alpha, 2.0f);
    cudaDeviceSynchronize();
    auto step = [&]() {
        cudaMemcpyAsync(y, y0, kN * sizeof(float), cudaMemcpyDeviceToDevice, s);
        pt_launch<axpy_kernel>(dim3(1), dim3(128), 0, s, x, y, alpha, kN);
        pt_launch<copy_kernel>(dim3(1), dim3(128), 0, s, y, t, kN);
        pt_launch<axpy_kernel>(dim3(1), dim3(128), 0, s, t, t, alpha, kN);
    };
    const float alphas[3] = {2.0f, -0.75f, 3.5f};
    std::vector<std::vector<float>> eager;
    for (float a : alphas) {
        set_scalar(alpha, a);
        step();
        cudaStreamSynchronize(s);
        eager.push_back(host_values(t));
    }
    cudaMemset(t, 0, kN * sizeof(float));
    cudaDeviceSynchronize();

    CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal) == cudaSuccess, "BeginCapture");
    cudaStreamCaptureStatus status = cudaStreamCaptureStatusNone;
    CHECK(cudaStreamIsCapturing(s, &status) == cudaSuccess && status == cudaStreamCaptureStatusActive, "IsCapturing: active");
    step();
    cudaGraph_t graph = nullptr;
    CHECK(cudaStreamEndCapture(s, &graph) == cudaSuccess && graph != nullptr, "EndCapture: %s", cudaGetErrorString(cudaGetLastError()));
    CHECK(cudaStreamIsCapturing(s, &status) == cudaSuccess && status == cudaStreamCaptureStatusNone, "IsCapturing: none");
    cudaStreamSynchronize(s);
    CHECK(host_values(t)[5] == 0.0f, "nothing ran during the capture");
    cudaGraphExec_t exec = nullptr;
    CHECK(cudaGraphInstantiate(&exec, graph, 0) == cudaSuccess, "Instantiate");
    CHECK(cudaGraphDestroy(graph) == cudaSuccess, "the graph may go once instantiated");
    for (int r = 0; r < 3; r++) {
        set_scalar(alpha, alphas[r]);
        CHECK(cudaGraphLaunch(exec, s) == cudaSuccess, "replay %d", r);
        CHECK(cudaStreamSynchronize(s) == cudaSuccess, "replay %d runs", r);
        CHECK(host_values(t) == eager[r], "replay %d equals the eager step bit for bit (t[7] %g vs %g)", r, host_values(t)[7],
              eager[r][7]);
    }
    cudaFree(y0);  // the captured copy's source
    cudaGraphLaunch(exec, s);
    cudaError_t e = cudaStreamSynchronize(s);
    CHECK(e == cudaErrorIllegalAddress && contains(cudaGetErrorString(e), "cudaMemcpyAsync at a CUDA graph replay"),
          "a replay copying from freed memory is reported: %s", cudaGetErrorString(e));
    CHECK(cudaGraphExecDestroy(exec) == cudaSuccess, "ExecDestroy");
    CHECK(cudaGraphExecDestroy(exec) == cudaErrorInvalidValue, "a destroyed executable is an error, not a crash");
    CHECK(cudaGraphLaunch(exec, s) == cudaErrorInvalidResourceHandle, "launching a destroyed executable is refused");
    CHECK(cudaGraphDestroy(graph) == cudaErrorInvalidValue, "a destroyed graph is an error");
    for (float *p : {x, y, t, alpha}) cudaFree(p);
    cudaStreamDestroy(s);
}

// A replay reads inputs as they are at its run, and a kernel captured with a buffer freed since is
// reported at the replay, naming it.
static void test_replay_reads_current_inputs_and_rechecks_pointers() {
    cudaStream_t s = new_stream();
    float *x = device_values(1.0f, 1.0f), *y = nullptr, *alpha = nullptr;
    cudaMalloc(&y, kN * sizeof(float));
    cudaMalloc(&alpha, sizeof(float));
    set_scalar(alpha, 1.0f);
    cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);
    cudaMemsetAsync(y, 0, kN * sizeof(float), s);
    pt_launch<axpy_kernel>(dim3(1), dim3(128), 0, s, x, y, alpha, kN);
    cudaGraph_t g = nullptr;
    cudaStreamEndCapture(s, &g);
    cudaGraphExec_t exec = nullptr;
    cudaGraphInstantiate(&exec, g, 0);
    cudaGraphLaunch(exec, s);
    cudaStreamSynchronize(s);
    CHECK(host_values(y)[9] == 10.0f, "first replay: %g", host_values(y)[9]);
    float *x2 = device_values(-3.0f, 0.0f);
    cudaMemcpy(x, x2, kN * sizeof(float), cudaMemcpyDeviceToDevice);
    cudaGraphLaunch(exec, s);
    cudaStreamSynchronize(s);
    CHECK(host_values(y)[9] == -3.0f, "a replay uses the new input contents: %g", host_values(y)[9]);
    cudaFree(x);
    cudaGraphLaunch(exec, s);
    cudaError_t e = cudaStreamSynchronize(s);
    CHECK(e == cudaErrorIllegalAddress && contains(cudaGetErrorString(e), "axpy_kernel") &&
              contains(cudaGetErrorString(e), "graph replay"),
          "a replay with a freed buffer names the kernel: %s", cudaGetErrorString(e));
    cudaGraphExecDestroy(exec);
    cudaGraphDestroy(g);
    for (float *p : {x2, y, alpha}) cudaFree(p);
    cudaStreamDestroy(s);
}

// cudaMallocAsync / cudaFreeAsync in a capture become graph memory, poisoned at each replay.
static void test_graph_memory() {
    cudaStream_t s = new_stream();
    float *x = device_values(2.0f, 0.0f), *out = nullptr, *alpha = nullptr;
    cudaMalloc(&out, kN * sizeof(float));
    cudaMalloc(&alpha, sizeof(float));
    set_scalar(alpha, 1.0f);
    cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);
    float *scratch = nullptr;
    CHECK(cudaMallocAsync(&scratch, kN * sizeof(float), s) == cudaSuccess && scratch != nullptr, "graph allocation");
    cudaMemsetAsync(scratch, 0, kN * sizeof(float), s);
    pt_launch<axpy_kernel>(dim3(1), dim3(128), 0, s, x, scratch, alpha, kN);
    pt_launch<copy_kernel>(dim3(1), dim3(128), 0, s, scratch, out, kN);
    CHECK(cudaFreeAsync(scratch, s) == cudaSuccess, "graph free");
    cudaGraph_t g = nullptr;
    CHECK(cudaStreamEndCapture(s, &g) == cudaSuccess, "EndCapture with graph memory");
    cudaGraphExec_t exec = nullptr;
    cudaGraphInstantiate(&exec, g, 0);
    cudaGraphDestroy(g);
    for (int r = 0; r < 2; r++) {
        cudaGraphLaunch(exec, s);
        CHECK(cudaStreamSynchronize(s) == cudaSuccess, "replay with graph memory");
        CHECK(host_values(out)[kN - 1] == 2.0f, "replay %d: %g", r, host_values(out)[kN - 1]);
    }
    cudaGraphLaunch(exec, s);
    cudaGraphExecDestroy(exec);  // the queued replay keeps the graph memory alive
    CHECK(cudaStreamSynchronize(s) == cudaSuccess, "a replay queued before its executable was destroyed still runs");
    cudaPointerAttributes a;
    cudaPointerGetAttributes(&a, scratch);
    CHECK(a.type == cudaMemoryTypeUnregistered, "graph memory is freed with the last executable");

    // Memory allocated before the capture cannot be freed by it.
    cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);
    CHECK(cudaFreeAsync(out, s) == cudaErrorStreamCaptureUnsupported, "cudaFreeAsync of older memory is refused");
    expect_invalidated(s, "cudaFreeAsync");
    for (float *p : {x, out, alpha}) cudaFree(p);
    cudaStreamDestroy(s);
}

// Each call refused during a capture fails with CUDA's code and invalidates the capture, which
// then names it; work queued on an invalidated capture is refused too.
static void test_refused_calls() {
    cudaStream_t s = new_stream();
    float *d = nullptr, *alpha = nullptr;
    cudaMalloc(&d, kN * sizeof(float));
    cudaMalloc(&alpha, sizeof(float));
    std::vector<float> pageable(kN, 1.0f);

    cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);
    CHECK(cudaStreamSynchronize(s) == cudaErrorStreamCaptureUnsupported, "synchronizing the capturing stream");
    cudaStreamCaptureStatus status;
    CHECK(cudaStreamIsCapturing(s, &status) == cudaSuccess && status == cudaStreamCaptureStatusInvalidated, "invalidated");
    CHECK(pt_launch<axpy_kernel>(dim3(1), dim3(128), 0, s, d, d, alpha, kN) == cudaErrorStreamCaptureInvalidated,
          "work on an invalidated capture is refused");
    expect_invalidated(s, "cudaStreamSynchronize");

    cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);
    CHECK(cudaMemcpyAsync(d, pageable.data(), kN * sizeof(float), cudaMemcpyHostToDevice, s) == cudaErrorStreamCaptureUnsupported,
          "a copy from pageable host memory");
    expect_invalidated(s, "pageable");

    cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);
    cudaEvent_t ev;
    cudaEventCreate(&ev);
    CHECK(cudaEventRecord(ev, s) == cudaErrorStreamCaptureUnsupported, "an event on a capturing stream");
    expect_invalidated(s, "cudaEventRecord");
    cudaEventDestroy(ev);

    // Global mode: an unsafe call from another thread breaks the capture too.
    cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);
    cudaError_t other = cudaSuccess;
    std::thread([&other]() {
        float *p = nullptr;
        other = cudaMalloc(&p, 64);
    }).join();
    CHECK(other == cudaErrorStreamCaptureUnsupported, "cudaMalloc from another thread in global mode: %s", cudaGetErrorName(other));
    expect_invalidated(s, "cudaMalloc");

    // Thread-local mode: only the capturing thread is restricted.
    cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal);
    float *p = nullptr;
    std::thread([&other, &p]() { other = cudaMalloc(&p, 64); }).join();
    CHECK(other == cudaSuccess, "cudaMalloc from another thread in thread-local mode is allowed");
    CHECK(cudaFree(p) == cudaErrorStreamCaptureUnsupported, "the capturing thread's own cudaFree is refused");
    expect_invalidated(s, "cudaFree");
    cudaFree(p);

    // Relaxed mode: unsafe calls are allowed; synchronizing the capturing stream still is not.
    cudaStreamBeginCapture(s, cudaStreamCaptureModeRelaxed);
    CHECK(cudaMalloc(&p, 64) == cudaSuccess && cudaFree(p) == cudaSuccess, "relaxed mode allows cudaMalloc/cudaFree");
    cudaGraph_t g = nullptr;
    CHECK(cudaStreamEndCapture(s, &g) == cudaSuccess && g != nullptr, "relaxed capture stays valid");
    cudaGraphDestroy(g);

    // Global mode: cudaDeviceSynchronize and a synchronous copy.
    for (int which = 0; which < 2; which++) {
        cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);
        float one = 0;
        cudaError_t e = which == 0 ? cudaDeviceSynchronize() : cudaMemcpy(&one, d, sizeof one, cudaMemcpyDeviceToHost);
        CHECK(e == cudaErrorStreamCaptureUnsupported, "unsafe call %d: %s", which, cudaGetErrorName(e));
        expect_invalidated(s, which == 0 ? "cudaDeviceSynchronize" : "cudaMemcpy");
    }
    for (float *q : {d, alpha}) cudaFree(q);
    cudaStreamDestroy(s);
}

// Pinned host memory can be captured, and is read at each replay.
static void test_pinned_copy() {
    cudaStream_t s = new_stream();
    float *pinned = nullptr, *d = nullptr;
    cudaMallocHost(&pinned, kN * sizeof(float));
    cudaMalloc(&d, kN * sizeof(float));
    for (int i = 0; i < kN; i++) pinned[i] = 1.0f;
    cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);
    CHECK(cudaMemcpyAsync(d, pinned, kN * sizeof(float), cudaMemcpyHostToDevice, s) == cudaSuccess, "pinned copy is captured");
    cudaGraph_t g = nullptr;
    cudaStreamEndCapture(s, &g);
    cudaGraphExec_t exec = nullptr;
    cudaGraphInstantiate(&exec, g, 0);
    for (int i = 0; i < kN; i++) pinned[i] = 7.0f;  // after the capture: the replay reads this
    cudaGraphLaunch(exec, s);
    cudaStreamSynchronize(s);
    CHECK(host_values(d)[3] == 7.0f, "the replay copied the pinned memory as it is now: %g", host_values(d)[3]);
    cudaGraphExecDestroy(exec);
    cudaGraphDestroy(g);
    cudaFree(d);
    cudaFreeHost(pinned);
    cudaStreamDestroy(s);
}

// The legacy stream cannot be captured nor used while a blocking stream captures; capture state
// errors; ending from another thread.
static void test_stream_rules() {
    CHECK(cudaStreamBeginCapture(0, cudaStreamCaptureModeGlobal) == cudaErrorStreamCaptureUnsupported,
          "the legacy stream cannot be captured");
    cudaStream_t blocking = new_stream(cudaStreamDefault);
    float *d = nullptr;
    cudaMalloc(&d, kN * sizeof(float));
    cudaStreamBeginCapture(blocking, cudaStreamCaptureModeRelaxed);
    CHECK(cudaStreamBeginCapture(blocking, cudaStreamCaptureModeRelaxed) == cudaErrorIllegalState, "capture twice");
    CHECK(cudaMemsetAsync(d, 0, kN * sizeof(float), 0) == cudaErrorStreamCaptureImplicit,
          "legacy-stream work while a blocking stream captures");
    expect_invalidated(blocking, "legacy default stream");
    cudaGraph_t g = nullptr;
    CHECK(cudaStreamEndCapture(blocking, &g) == cudaErrorIllegalState, "EndCapture without a capture");
    cudaStream_t s = new_stream();
    cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal);
    CHECK(cudaMemsetAsync(d, 0, kN * sizeof(float), 0) == cudaSuccess, "a non-blocking capture leaves the legacy stream free");
    cudaError_t other = cudaSuccess;
    std::thread([&other, s]() {
        cudaGraph_t h = nullptr;
        other = cudaStreamEndCapture(s, &h);
    }).join();
    CHECK(other == cudaErrorStreamCaptureWrongThread, "ending a global capture from another thread: %s", cudaGetErrorName(other));
    CHECK(cudaStreamDestroy(s) == cudaErrorIllegalState, "a capturing stream cannot be destroyed");
    CHECK(cudaStreamEndCapture(s, &g) == cudaSuccess, "the capturing thread ends it");
    cudaGraphDestroy(g);
    cudaDeviceSynchronize();
    cudaFree(d);
    cudaStreamDestroy(s);
    cudaStreamDestroy(blocking);
}

int main() {
    pt_cudasim_set_threads(2);
    test_replay_matches_eager();
    test_replay_reads_current_inputs_and_rechecks_pointers();
    test_graph_memory();
    test_refused_calls();
    test_pinned_copy();
    test_stream_rules();
    if (failures) {
        std::printf("test_cudasim_graph: %d failure(s)\n", failures);
        return 1;
    }
    std::printf("test_cudasim_graph: captures record, replays match eager runs, refused calls invalidate\n");
    return 0;
}
