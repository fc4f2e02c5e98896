// Self-tests of the CUDA simulator: every bug it promises to catch (native/cudasim/README.md) is
// planted in a small kernel and must be reported; correct kernels using shared memory, warp
// shuffles, votes and atomics must give exact answers under every schedule and with blocks on
// several OS threads. Run by ctest as test_cudasim (under AddressSanitizer).
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "pt_cuda.cuh"
#include "pt_cudasim.h"
#include "test_cudasim_support.h"

// ---------------------------------------------------------------- kernels

// out[t] = in[(t + 1) % n] through shared memory; `with_barrier` false plants the missing barrier.
__global__ void rotate_kernel(const float *in, float *out, int with_barrier) {
    __shared__ float tile[256];
    unsigned t = threadIdx.x;
    tile[t] = in[blockIdx.x * blockDim.x + t];
    if (with_barrier) __syncthreads();
    out[blockIdx.x * blockDim.x + t] = tile[(t + 1) % blockDim.x];
}

// Warp-synchronous exchange through shared memory; `with_syncwarp` false plants a missing __syncwarp.
__global__ void pair_swap_kernel(const float *in, float *out, int with_syncwarp) {
    __shared__ float lanes[32];
    unsigned t = threadIdx.x;
    lanes[t] = in[t];
    if (with_syncwarp) __syncwarp();
    out[t] = lanes[t ^ 1];
}

// Reads shared memory nobody wrote in this block (block 0 writes it first, for the next block).
__global__ void uninitialised_shared_kernel(float *out) {
    __shared__ float scratch[64];
    if (blockIdx.x == 0) scratch[threadIdx.x] = 1.0f;
    __syncthreads();
    out[blockIdx.x * blockDim.x + threadIdx.x] = scratch[threadIdx.x];
}

__global__ void float4_copy_kernel(const float *in, float *out) {
    const float4 *in4 = reinterpret_cast<const float4 *>(in);
    float4 *out4 = reinterpret_cast<float4 *>(out);
    out4[threadIdx.x] = in4[threadIdx.x];
}

__global__ void write_past_end_kernel(float *out, int n) { out[n] = 1.0f; }

__global__ void fill_kernel(float *out, float value) { out[blockIdx.x * blockDim.x + threadIdx.x] = value; }

__global__ void dynamic_shared_kernel(float *out) {
    float *buf = pt_dynamic_shared<float>();
    buf[threadIdx.x] = (float)threadIdx.x;
    __syncthreads();
    out[threadIdx.x] = buf[blockDim.x - 1 - threadIdx.x];
}

__global__ void deadlock_kernel(float *out) {
    if (threadIdx.x % 2) __syncthreads();
    else __syncwarp();
    out[threadIdx.x] = 1.0f;
}

// Threads that exit early do not hold a barrier up (as on Volta and later).
__global__ void early_exit_kernel(float *out) {
    __shared__ float v[64];
    if (threadIdx.x >= 32) return;
    v[threadIdx.x] = (float)threadIdx.x;
    __syncthreads();
    out[threadIdx.x] = v[31 - threadIdx.x];
}

// Sum of n integers: per-thread strided sums, warp shuffles, shared memory across warps, atomics
// across blocks (integers, so that any order gives the exact answer).
__global__ void reduce_kernel(const int *in, int n, unsigned long long *sum) {
    __shared__ unsigned long long warp_sums[32];
    unsigned long long v = 0;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) v += (unsigned)in[i];
    for (int offset = 16; offset > 0; offset /= 2) v += __shfl_down_sync(0xffffffffu, v, offset);
    unsigned lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    if (lane == 0) warp_sums[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = lane < blockDim.x / 32 ? warp_sums[lane] : 0;
        for (int offset = 16; offset > 0; offset /= 2) v += __shfl_xor_sync(0xffffffffu, v, offset);
        if (lane == 0) atomicAdd(sum, v);
    }
}

__global__ void histogram_kernel(const unsigned char *in, int n, unsigned *bins) {
    __shared__ unsigned local[256];
    for (unsigned b = threadIdx.x; b < 256; b += blockDim.x) local[b] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) atomicAdd(&local[in[i]], 1u);
    __syncthreads();
    for (unsigned b = threadIdx.x; b < 256; b += blockDim.x) atomicAdd(&bins[b], local[b]);
}

// Every warp primitive once: out is (8, 64) per thread of a 64-thread block.
__global__ void warp_primitives_kernel(int *out) {
    int lane = threadIdx.x % 32, t = threadIdx.x;
    int *o = out + t * 8;
    o[0] = __shfl_sync(0xffffffffu, t * 10, 3);               // lane 3's value
    o[1] = __shfl_up_sync(0xffffffffu, t, 2, 16);             // lane - 2 within 16-lane segments
    o[2] = __shfl_down_sync(0xffffffffu, t, 5, 16);           // lane + 5 within 16-lane segments
    o[3] = __shfl_xor_sync(0xffffffffu, t, 1);                // the pair partner
    o[4] = (int)__ballot_sync(0xffffffffu, lane % 3 == 0);    // lanes 0, 3, 6, ...
    o[5] = __any_sync(0xffffffffu, lane == 7);
    o[6] = __all_sync(0xffffffffu, lane < 31);
    unsigned low = 0x0000ffffu;                               // half-warp collectives
    o[7] = lane < 16 ? __shfl_sync(low, t, 15) : -1;
}

__global__ void copy_kernel(const float *in, float *out) { out[threadIdx.x] = in[threadIdx.x]; }

// Lane 0 is left out of the mask it passes: a bad mask, undefined on a GPU.
__global__ void bad_mask_kernel(float *out) { out[threadIdx.x] = (float)__ballot_sync(0xfffffffeu, 1); }

struct Extent {
    const float *p;
    size_t bytes;
    template <class F>
    void for_each_device_pointer(F &&f) const {
        f(p, bytes);
    }
};
__global__ void extent_kernel(Extent e, float *out) { out[0] = e.p[0]; }

struct Big {
    float values[8200];  // 32800 bytes: over sm_90's 32764 bytes of kernel arguments
};
__global__ void big_args_kernel(Big b, float *out) { out[0] = b.values[0]; }

// ---------------------------------------------------------------- helpers

static float *device_floats(const std::vector<float> &host) {
    float *d = nullptr;
    cudaMalloc(&d, host.size() * sizeof(float));
    cudaMemcpy(d, host.data(), host.size() * sizeof(float), cudaMemcpyHostToDevice);
    return d;
}

static std::vector<float> host_floats(const float *d, size_t n) {
    std::vector<float> h(n);
    cudaMemcpy(h.data(), d, n * sizeof(float), cudaMemcpyDeviceToHost);
    return h;
}

static std::vector<float> rotate(int with_barrier, const char *schedule) {
    pt_cudasim_set_schedule(schedule);
    std::vector<float> in(512);
    for (size_t i = 0; i < in.size(); i++) in[i] = (float)i + 0.5f;
    float *din = device_floats(in), *dout = nullptr;
    cudaMalloc(&dout, in.size() * sizeof(float));
    pt_launch<rotate_kernel>(dim3(2), dim3(256), 0, 0, din, dout, with_barrier);
    std::vector<float> out = host_floats(dout, in.size());
    cudaFree(din);
    cudaFree(dout);
    pt_cudasim_set_schedule("in-order");
    return out;
}

static bool any_nan(const std::vector<float> &v) {
    for (float x : v)
        if (std::isnan(x)) return true;
    return false;
}

// ---------------------------------------------------------------- tests

static void test_missing_barrier() {
    std::vector<float> good_in_order = rotate(1, "in-order"), good_shuffled = rotate(1, "shuffle:7"), good_reverse = rotate(1, "reverse");
    CHECK(good_in_order == good_shuffled && good_in_order == good_reverse, "a correct kernel gives one answer under every schedule");
    CHECK(good_in_order[0] == 1.5f && good_in_order[255] == 0.5f, "rotate: %g %g", good_in_order[0], good_in_order[255]);
    std::vector<float> bad_in_order = rotate(0, "in-order"), bad_shuffled = rotate(0, "shuffle:7");
    CHECK(any_nan(bad_in_order), "missing __syncthreads: in thread order, a thread reads its neighbour's slot before it is written (poison)");
    CHECK(bad_in_order != bad_shuffled, "missing __syncthreads: two schedules give different answers");
    CHECK(bad_in_order != good_in_order, "missing __syncthreads changes the answer");
}

static void test_missing_syncwarp() {
    std::vector<float> in(32);
    for (int i = 0; i < 32; i++) in[i] = (float)i;
    float *din = device_floats(in), *dout = nullptr;
    cudaMalloc(&dout, 32 * sizeof(float));
    pt_launch<pair_swap_kernel>(dim3(1), dim3(32), 0, 0, din, dout, 1);
    std::vector<float> good = host_floats(dout, 32);
    pt_launch<pair_swap_kernel>(dim3(1), dim3(32), 0, 0, din, dout, 0);
    std::vector<float> bad = host_floats(dout, 32);
    CHECK(good[0] == 1.0f && good[1] == 0.0f && !any_nan(good), "pair swap with __syncwarp");
    CHECK(any_nan(bad), "missing __syncwarp: lane 0 reads lane 1's slot before it is written");
    cudaFree(din);
    cudaFree(dout);
}

static void test_uninitialised_shared() {
    pt_cudasim_set_threads(1);  // block 1 runs on the OS thread block 0 left its shared memory on
    float *dout = nullptr;
    cudaMalloc(&dout, 128 * sizeof(float));
    pt_launch<uninitialised_shared_kernel>(dim3(2), dim3(64), 0, 0, dout);
    std::vector<float> out = host_floats(dout, 128);
    CHECK(out[0] == 1.0f, "block 0 reads what it wrote");
    CHECK(std::isnan(out[64]) && std::isnan(out[127]), "block 1 reads poison, not block 0's data: %g", out[64]);
    cudaFree(dout);
    pt_cudasim_set_threads(4);
}

static void test_uninitialised_device_memory() {
    float *never_written = nullptr, *out = nullptr;
    cudaMalloc(&never_written, 32 * sizeof(float));
    cudaMalloc(&out, 32 * sizeof(float));
    pt_launch<copy_kernel>(dim3(1), dim3(32), 0, 0, never_written, out);
    std::vector<float> o = host_floats(out, 32);
    CHECK(std::isnan(o[0]) && std::isnan(o[31]), "memory nobody wrote reads as NaN, not zeros: %g", o[0]);
    cudaFree(never_written);
    cudaFree(out);
}

static void test_bad_warp_mask() {
    float *d = nullptr;
    cudaMalloc(&d, 32 * sizeof(float));
    pt_launch<bad_mask_kernel>(dim3(1), dim3(32), 0, 0, d);
    cudaError_t e = cudaDeviceSynchronize();
    CHECK(e == cudaErrorLaunchFailure && contains(cudaGetErrorString(e), "not in its mask"), "a lane outside its own mask: %s",
          cudaGetErrorString(e));
    cudaGetLastError();
    cudaFree(d);
}

static void test_host_pointer() {
    std::vector<float> host(16, 1.0f);
    float *dout = nullptr;
    cudaMalloc(&dout, 16 * sizeof(float));
    cudaError_t e = pt_launch<fill_kernel>(dim3(1), dim3(16), 0, 0, host.data(), 2.0f);
    CHECK(e == cudaErrorIllegalAddress, "a host pointer argument is refused at launch: %s", cudaGetErrorName(e));
    CHECK(contains(cudaGetErrorString(e), "fill_kernel") && contains(cudaGetErrorString(e), "not device memory"), "message: %s",
          cudaGetErrorString(e));
    CHECK(cudaGetLastError() == cudaErrorIllegalAddress && cudaGetLastError() == cudaSuccess, "the launch error is the last error, once");
    e = cudaMemcpy(dout, host.data(), 16 * sizeof(float), cudaMemcpyDeviceToHost);
    CHECK(e == cudaErrorInvalidValue, "a copy of the wrong kind is refused: %s", cudaGetErrorName(e));
    Extent ext{dout, 17 * sizeof(float)};
    e = pt_launch<extent_kernel>(dim3(1), dim3(1), 0, 0, ext, dout);
    CHECK(e == cudaErrorIllegalAddress && contains(cudaGetErrorString(e), "past the end"), "an extent past the allocation: %s",
          cudaGetErrorString(e));
    cudaGetLastError();
    cudaFree(dout);
}

static void test_out_of_bounds_write() {
#if defined(PT_SIM_ASAN)
    // AddressSanitizer ends the process that overflows: run the kernel in a child and read its report.
    int pipefd[2];
    if (pipe(pipefd) != 0) return;
    std::fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], 2);
        pt_cudasim_set_threads(1);  // the parent's worker threads do not exist in the child
        float *d = nullptr;
        cudaMalloc(&d, 10 * sizeof(float));
        pt_launch<write_past_end_kernel>(dim3(1), dim3(1), 0, 0, d, 10);
        cudaDeviceSynchronize();
        _exit(0);
    }
    close(pipefd[1]);
    std::string report;
    char buf[4096];
    for (ssize_t k; (k = read(pipefd[0], buf, sizeof buf)) > 0;) report.append(buf, (size_t)k);
    close(pipefd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(!(WIFEXITED(status) && WEXITSTATUS(status) == 0), "the out-of-bounds write ends the child");
    CHECK(contains(report.c_str(), "heap-buffer-overflow") && contains(report.c_str(), "write_past_end_kernel"),
          "AddressSanitizer names the overflow and the kernel:\n%s", report.substr(0, 2000).c_str());
#else
    std::printf("skip: out-of-bounds writes are caught by the AddressSanitizer build only\n");
#endif
}

static void test_missing_sync() {
    float *d = nullptr;
    cudaStream_t s;
    cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking);
    cudaMallocAsync(&d, 64 * sizeof(float), s);
    pt_launch<fill_kernel>(dim3(1), dim3(64), 0, s, d, 3.0f);
    std::vector<float> host(64, -1.0f);
    cudaMemcpyAsync(host.data(), d, 64 * sizeof(float), cudaMemcpyDeviceToHost, s);
    CHECK(host[0] == -1.0f, "without synchronizing, the copy has not happened (stale host data)");
    cudaEvent_t e;
    cudaEventCreate(&e);
    cudaEventRecord(e, s);
    CHECK(cudaEventSynchronize(e) == cudaSuccess, "event sync");
    CHECK(host[0] == 3.0f && host[63] == 3.0f, "after synchronizing, the kernel's result: %g", host[0]);
    cudaEventDestroy(e);
    cudaFreeAsync(d, s);
    cudaStreamSynchronize(s);
    cudaStreamDestroy(s);
}

static void test_misaligned_vector() {
    float *din = nullptr, *dout = nullptr;
    cudaMalloc(&din, 64 * sizeof(float));
    cudaMalloc(&dout, 64 * sizeof(float));
    CHECK(pt_launch<float4_copy_kernel>(dim3(1), dim3(8), 0, 0, din, dout) == cudaSuccess, "aligned launch");
    CHECK(cudaDeviceSynchronize() == cudaSuccess, "aligned float4 copies are fine");
    CHECK(pt_launch<float4_copy_kernel>(dim3(1), dim3(8), 0, 0, din + 1, dout) == cudaSuccess, "misaligned launch is queued");
    cudaError_t e = cudaDeviceSynchronize();
    CHECK(e == cudaErrorMisalignedAddress, "a float4 load at a 4-byte-aligned address faults: %s", cudaGetErrorName(e));
    CHECK(contains(cudaGetErrorString(e), "float4_copy_kernel") && contains(cudaGetErrorString(e), "thread ("), "message: %s",
          cudaGetErrorString(e));
    cudaGetLastError();
    CHECK(pt_launch<fill_kernel>(dim3(1), dim3(64), 0, 0, dout, 1.0f) == cudaSuccess && cudaDeviceSynchronize() == cudaSuccess,
          "the simulator goes on after a fault");
    cudaFree(din);
    cudaFree(dout);
}

static void test_limits() {
    float *d = nullptr;
    cudaMalloc(&d, 2048 * sizeof(float));
    cudaError_t e = pt_launch<fill_kernel>(dim3(1), dim3(1025), 0, 0, d, 1.0f);
    CHECK(e == cudaErrorInvalidConfiguration && contains(cudaGetErrorString(e), "1024"), "a block of 1025 threads: %s", cudaGetErrorString(e));
    e = pt_launch<fill_kernel>(dim3(1), dim3(32, 1, 65), 0, 0, d, 1.0f);
    CHECK(e == cudaErrorInvalidConfiguration, "block z of 65");
    e = pt_launch<fill_kernel>(dim3(1, 65536), dim3(1), 0, 0, d, 1.0f);
    CHECK(e == cudaErrorInvalidConfiguration, "grid y of 65536");
    e = pt_launch<dynamic_shared_kernel>(dim3(1), dim3(64), 64 * 1024, 0, d);
    CHECK(e == cudaErrorInvalidValue && contains(cudaGetErrorString(e), "cudaFuncSetAttribute"), "64 KB of dynamic shared memory without opting in: %s",
          cudaGetErrorString(e));
    CHECK(cudaFuncSetAttribute(dynamic_shared_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, 64 * 1024) == cudaSuccess, "opt in");
    e = pt_launch<dynamic_shared_kernel>(dim3(1), dim3(64), 64 * 1024, 0, d);
    CHECK(e == cudaSuccess && cudaDeviceSynchronize() == cudaSuccess, "64 KB after opting in");
    std::vector<float> out = host_floats(d, 64);
    CHECK(out[0] == 63.0f && out[63] == 0.0f, "dynamic shared memory: %g %g", out[0], out[63]);
    CHECK(cudaFuncSetAttribute(dynamic_shared_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, 300 * 1024) == cudaErrorInvalidValue,
          "more than 227 KB is refused");
    Big big{};
    e = pt_launch<big_args_kernel>(dim3(1), dim3(1), 0, 0, big, d);
    CHECK(e == cudaErrorInvalidValue && contains(cudaGetErrorString(e), "32764"), "32800 bytes of arguments: %s", cudaGetErrorString(e));
    cudaGetLastError();
    cudaFree(d);
}

static void test_deadlock_and_early_exit() {
    float *d = nullptr;
    cudaMalloc(&d, 64 * sizeof(float));
    pt_launch<deadlock_kernel>(dim3(1), dim3(64), 0, 0, d);
    cudaError_t e = cudaDeviceSynchronize();
    CHECK(e == cudaErrorLaunchFailure && contains(cudaGetErrorString(e), "deadlock"), "threads split between __syncthreads and __syncwarp: %s",
          cudaGetErrorString(e));
    cudaGetLastError();
    pt_launch<early_exit_kernel>(dim3(1), dim3(64), 0, 0, d);
    CHECK(cudaDeviceSynchronize() == cudaSuccess, "exited threads do not hold a barrier");
    std::vector<float> out = host_floats(d, 32);
    CHECK(out[0] == 31.0f && out[31] == 0.0f, "early exit: %g %g", out[0], out[31]);
    cudaFree(d);
}

static void test_reduction_and_histogram(const char *schedule) {
    pt_cudasim_set_schedule(schedule);
    const int n = 100003;
    std::vector<int> values(n);
    std::vector<unsigned char> bytes(n);
    unsigned long long expected = 0;
    std::vector<unsigned> expected_bins(256, 0);
    uint64_t x = 12345;
    for (int i = 0; i < n; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        values[i] = (int)(x >> 40);
        bytes[i] = (unsigned char)(x >> 56);
        expected += (unsigned)values[i];
        expected_bins[bytes[i]]++;
    }
    int *dv = nullptr;
    unsigned char *db = nullptr;
    unsigned long long *dsum = nullptr;
    unsigned *dbins = nullptr;
    cudaMalloc(&dv, n * sizeof(int));
    cudaMalloc(&db, n);
    cudaMalloc(&dsum, sizeof(unsigned long long));
    cudaMalloc(&dbins, 256 * sizeof(unsigned));
    cudaMemcpy(dv, values.data(), n * sizeof(int), cudaMemcpyHostToDevice);
    cudaMemcpy(db, bytes.data(), n, cudaMemcpyHostToDevice);
    cudaMemset(dsum, 0, sizeof(unsigned long long));
    cudaMemset(dbins, 0, 256 * sizeof(unsigned));
    CHECK(pt_launch<reduce_kernel>(dim3(13), dim3(256), 0, 0, dv, n, dsum) == cudaSuccess, "reduce launch");
    CHECK(pt_launch<histogram_kernel>(dim3(9), dim3(128), 0, 0, db, n, dbins) == cudaSuccess, "histogram launch");
    unsigned long long sum = 0;
    std::vector<unsigned> bins(256);
    cudaMemcpy(&sum, dsum, sizeof sum, cudaMemcpyDeviceToHost);
    cudaMemcpy(bins.data(), dbins, 256 * sizeof(unsigned), cudaMemcpyDeviceToHost);
    CHECK(sum == expected, "%s: shared-memory + shuffle reduction %llu, expected %llu", schedule, sum, expected);
    CHECK(bins == expected_bins, "%s: atomics histogram", schedule);
    cudaFree(dv);
    cudaFree(db);
    cudaFree(dsum);
    cudaFree(dbins);
    pt_cudasim_set_schedule("in-order");
}

static void test_warp_primitives() {
    int *d = nullptr;
    cudaMalloc(&d, 64 * 8 * sizeof(int));
    pt_launch<warp_primitives_kernel>(dim3(1), dim3(64), 0, 0, d);
    std::vector<int> o(64 * 8);
    CHECK(cudaMemcpy(o.data(), d, o.size() * sizeof(int), cudaMemcpyDeviceToHost) == cudaSuccess, "warp primitives ran");
    for (int t = 0; t < 64; t++) {
        int lane = t % 32, warp_base = t - lane, seg = lane & ~15;
        const int *r = &o[t * 8];
        CHECK(r[0] == (warp_base + 3) * 10, "__shfl_sync t=%d: %d", t, r[0]);
        CHECK(r[1] == (lane - 2 < seg ? t : t - 2), "__shfl_up_sync t=%d: %d", t, r[1]);
        CHECK(r[2] == (lane + 5 >= seg + 16 ? t : t + 5), "__shfl_down_sync t=%d: %d", t, r[2]);
        CHECK(r[3] == (t ^ 1), "__shfl_xor_sync t=%d: %d", t, r[3]);
        CHECK((unsigned)r[4] == 0x49249249u, "__ballot_sync t=%d: %x", t, (unsigned)r[4]);
        CHECK(r[5] == 1 && r[6] == 0, "__any_sync / __all_sync t=%d", t);
        CHECK(r[7] == (lane < 16 ? warp_base + 15 : -1), "half-warp __shfl_sync t=%d: %d", t, r[7]);
    }
    cudaFree(d);
}

int main() {
    pt_cudasim_set_threads(4);  // blocks on several OS threads at once
    test_missing_barrier();
    test_missing_syncwarp();
    test_uninitialised_shared();
    test_uninitialised_device_memory();
    test_bad_warp_mask();
    test_host_pointer();
    test_out_of_bounds_write();
    test_missing_sync();
    test_misaligned_vector();
    test_limits();
    test_deadlock_and_early_exit();
    test_warp_primitives();
    for (const char *schedule : {"in-order", "reverse", "shuffle:1", "shuffle:2"}) test_reduction_and_histogram(schedule);
    if (failures) {
        std::printf("test_cudasim: %d failure(s)\n", failures);
        return 1;
    }
    std::printf("test_cudasim: every planted bug caught; reduction, histogram and warp primitives exact\n");
    return 0;
}
