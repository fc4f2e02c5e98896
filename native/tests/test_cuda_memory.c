/*
 * CUDA devices, memory and streams (panoptim.h): round trips host -> device -> device -> host,
 * memset, memory stats through allocation, free and empty_cache, concurrent allocation, and the
 * errors (bad index, host pointer where device memory is expected, unknown or double free, copies
 * past an allocation, an allocation no device can hold). Runs on the simulator, and on a GPU where
 * there is one (exit 77, skipped, where CUDA is unusable in the real build).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "panoptim.h"
#include "test_cuda_support.h"
#include "test_expect_error.h"

#define N 65537 /* a chunk of 65536 plus a tail */

static int64_t allocated_now(void) {
    int64_t a = -1;
    CHECK(pt_cuda_memory_stats(0, &a, NULL) == PT_OK, "pt_cuda_memory_stats: %s", pt_last_error());
    return a;
}

static void round_trips(void) {
    const int64_t bytes = (int64_t)N * sizeof(float);
    float *host = malloc(bytes), *back = malloc(bytes);
    for (int i = 0; i < N; i++) host[i] = (float)i * 0.5f - 7.0f;
    void *a = NULL, *b = NULL;
    EXPECT(PT_OK, "", pt_cuda_malloc(0, bytes, &a));
    EXPECT(PT_OK, "", pt_cuda_malloc(0, bytes, &b));
    CHECK(a && b && a != b, "two allocations: %p %p", a, b);
    CHECK(((uintptr_t)a & 255) == 0 && ((uintptr_t)b & 255) == 0, "allocations not 256-byte aligned: %p %p", a, b);

    EXPECT(PT_OK, "", pt_cuda_copy(0, a, host, bytes, PT_COPY_HOST_TO_DEVICE));
    memset(host, 0, 16); /* the host source may be reused as soon as the copy returns */
    EXPECT(PT_OK, "", pt_cuda_copy(0, b, a, bytes, PT_COPY_DEVICE_TO_DEVICE));
    EXPECT(PT_OK, "", pt_cuda_copy(0, back, b, bytes, PT_COPY_DEVICE_TO_HOST));
    int bad = 0;
    for (int i = 0; i < N; i++) bad += back[i] != (float)i * 0.5f - 7.0f;
    CHECK(bad == 0, "round trip: %d of %d values differ", bad, N);

    /* An interior range (a view): 3 floats at element 65534 of b, overwritten from the host. */
    const float three[3] = {1.f, 2.f, 3.f};
    EXPECT(PT_OK, "", pt_cuda_copy(0, (float *)b + 65534, three, sizeof three, PT_COPY_HOST_TO_DEVICE));
    EXPECT(PT_OK, "", pt_cuda_copy(0, back, b, bytes, PT_COPY_DEVICE_TO_HOST));
    CHECK(back[65533] == 65533 * 0.5f - 7.0f && back[65534] == 1.f && back[65536] == 3.f, "interior copy: %g %g %g",
          back[65533], back[65534], back[65536]);

    /* memset is bytes: 0x3f3f3f3f is the float 0.7465...; a zero memset gives 0.0f. */
    EXPECT(PT_OK, "", pt_cuda_memset(0, a, 0x3f, bytes));
    EXPECT(PT_OK, "", pt_cuda_memset(0, (float *)a + 1, 0, 4));
    EXPECT(PT_OK, "", pt_cuda_copy(0, back, a, bytes, PT_COPY_DEVICE_TO_HOST));
    uint32_t bits0, bits_last;
    memcpy(&bits0, &back[0], 4);
    memcpy(&bits_last, &back[N - 1], 4);
    CHECK(bits0 == 0x3f3f3f3fu && back[1] == 0.f && bits_last == 0x3f3f3f3fu, "memset: %08x %g %08x", bits0, back[1],
          bits_last);

    EXPECT(PT_OK, "", pt_cuda_free(0, a));
    EXPECT(PT_OK, "", pt_cuda_free(0, b));
    EXPECT(PT_OK, "", pt_cuda_synchronize(0));
    free(host);
    free(back);
}

static void stats_and_cache(void) {
    int64_t a0 = -1, r0 = -1;
    EXPECT(PT_OK, "", pt_cuda_memory_stats(0, &a0, &r0));
    EXPECT(PT_OK, "", pt_cuda_memory_stats(0, NULL, NULL));
    const int64_t bytes = 3 << 20;
    void *p = NULL, *zero = (void *)1;
    EXPECT(PT_OK, "", pt_cuda_malloc(0, 0, &zero));
    CHECK(zero == NULL, "malloc of 0 bytes gave %p", zero);
    EXPECT(PT_OK, "", pt_cuda_malloc(0, bytes, &p));
    int64_t a1 = -1, r1 = -1;
    EXPECT(PT_OK, "", pt_cuda_memory_stats(0, &a1, &r1));
    CHECK(a1 == a0 + bytes, "allocated %lld after malloc, want %lld", (long long)a1, (long long)(a0 + bytes));
    CHECK(r1 >= a1, "reserved %lld < allocated %lld", (long long)r1, (long long)a1);
    EXPECT(PT_OK, "", pt_cuda_free(0, p));
    EXPECT(PT_OK, "", pt_cuda_free(0, NULL));
    EXPECT(PT_OK, "", pt_cuda_synchronize(0));
    int64_t a2 = -1, r2 = -1;
    EXPECT(PT_OK, "", pt_cuda_memory_stats(0, &a2, &r2));
    CHECK(a2 == a0, "allocated %lld after free, want %lld", (long long)a2, (long long)a0);
    /* A GPU's pool caches what was freed until empty_cache; the simulator's holds nothing back. */
    const int caches = !pt_cuda_simulated();
    CHECK(!caches || r2 >= bytes, "the pool should cache freed memory: reserved %lld < %lld", (long long)r2,
          (long long)bytes);
    EXPECT(PT_OK, "", pt_cuda_empty_cache(0));
    int64_t a3 = -1, r3 = -1;
    EXPECT(PT_OK, "", pt_cuda_memory_stats(0, &a3, &r3));
    CHECK(a3 == a0 && (caches ? r3 < r2 : r3 <= r2), "empty_cache: allocated %lld reserved %lld (before: %lld)",
          (long long)a3, (long long)r3, (long long)r2);
    printf("stats: allocated %lld -> %lld -> %lld, reserved %lld -> %lld -> %lld -> %lld (after empty_cache)\n",
           (long long)a0, (long long)a1, (long long)a2, (long long)r0, (long long)r1, (long long)r2, (long long)r3);
}

static void concurrent_allocations(void) {
    const int64_t a0 = allocated_now();
    int failures = 0;
#pragma omp parallel num_threads(4) reduction(+ : failures)
    for (int i = 0; i < 50; i++) {
        void *p = NULL;
        const int64_t bytes = 256 * (1 + i % 7);
        failures += pt_cuda_malloc(0, bytes, &p) != PT_OK;
        failures += pt_cuda_memset(0, p, i, bytes) != PT_OK;
        failures += pt_cuda_free(0, p) != PT_OK;
    }
    CHECK(failures == 0, "%d concurrent malloc/memset/free calls failed", failures);
    CHECK(allocated_now() == a0, "allocated %lld after concurrent use, want %lld", (long long)allocated_now(),
          (long long)a0);
}

static void errors(int count) {
    float host[64] = {0};
    void *d = NULL;
    EXPECT(PT_OK, "", pt_cuda_malloc(0, sizeof host, &d));

    void *scratch = NULL;
    EXPECT(INVALID, "cuda:-1", pt_cuda_malloc(-1, 16, &scratch));
    EXPECT(INVALID, "no CUDA device", pt_cuda_set_device(count));
    EXPECT(INVALID, "no CUDA device", pt_cuda_memory_stats(count, NULL, NULL));
    EXPECT(INVALID, "no CUDA device", pt_cuda_device_info(count, NULL, 0, NULL, NULL, NULL, NULL));
    EXPECT(INVALID, "ptr is NULL", pt_cuda_malloc(0, 16, NULL));
    EXPECT(INVALID, "bytes must be >= 0", pt_cuda_malloc(0, -1, &(void *){NULL}));
    EXPECT(INVALID, "stream is NULL", pt_cuda_stream(0, NULL));

    EXPECT(INVALID, "destination", pt_cuda_copy(0, host, host, 16, PT_COPY_HOST_TO_DEVICE));
    EXPECT(INVALID, "host memory", pt_cuda_copy(0, d, host, 16, PT_COPY_DEVICE_TO_DEVICE));
    EXPECT(INVALID, "source", pt_cuda_copy(0, host, host, 16, PT_COPY_DEVICE_TO_HOST));
    EXPECT(INVALID, "host memory is expected", pt_cuda_copy(0, d, d, 16, PT_COPY_DEVICE_TO_HOST));
    EXPECT(INVALID, "runs past the end", pt_cuda_copy(0, d, host, sizeof host + 4, PT_COPY_HOST_TO_DEVICE));
    EXPECT(INVALID, "runs past the end", pt_cuda_copy(0, host, (float *)d + 1, sizeof host, PT_COPY_DEVICE_TO_HOST));
    EXPECT(INVALID, "unknown copy kind", pt_cuda_copy(0, d, host, 16, 7));
    EXPECT(INVALID, "bytes must be >= 0", pt_cuda_copy(0, d, host, -4, PT_COPY_HOST_TO_DEVICE));
    EXPECT(INVALID, "source is NULL", pt_cuda_copy(0, d, NULL, 16, PT_COPY_HOST_TO_DEVICE));
    EXPECT(PT_OK, "", pt_cuda_copy(0, NULL, NULL, 0, PT_COPY_HOST_TO_DEVICE));
    EXPECT(INVALID, "host memory", pt_cuda_memset(0, host, 0, 16));
    EXPECT(INVALID, "runs past the end", pt_cuda_memset(0, d, 0, sizeof host + 1));

    EXPECT(INVALID, "was not allocated by pt_cuda_malloc", pt_cuda_free(0, host));
    EXPECT(INVALID, "was not allocated by pt_cuda_malloc", pt_cuda_free(0, (float *)d + 1));
    EXPECT(PT_OK, "", pt_cuda_free(0, d));
    EXPECT(INVALID, "already freed", pt_cuda_free(0, d));

    /* 1 PiB: more than any device holds (refused before the pool is asked). */
    void *huge = (void *)1;
    EXPECT(OOM, "out of memory", pt_cuda_malloc(0, (int64_t)1 << 50, &huge));
    CHECK(huge == NULL, "failed malloc left *ptr = %p", huge);
    /* The failure leaves the device usable. */
    EXPECT(PT_OK, "", pt_cuda_malloc(0, 64, &d));
    EXPECT(PT_OK, "", pt_cuda_free(0, d));
    EXPECT(PT_OK, "", pt_cuda_synchronize(0));
}

/* Uploads from pinned memory on the copy stream: an upload waits for the compute queued before it
 * (here an axpy still reading the buffer it overwrites), a join orders the compute queued after
 * it, a wait frees the pinned source; bad tickets and non-pinned frees are refused. */
static void uploads(void) {
    enum { M = 4099 };
    float *pinned = NULL;
    EXPECT(PT_OK, "", pt_cuda_host_alloc(sizeof(float) * M, (void **)&pinned));
    CHECK(pinned != NULL, "pt_cuda_host_alloc gave NULL");
    float *x = NULL, *y = NULL;
    EXPECT(PT_OK, "", pt_cuda_malloc(0, sizeof(float) * M, (void **)&x));
    EXPECT(PT_OK, "", pt_cuda_malloc(0, sizeof(float) * M, (void **)&y));
    for (int i = 0; i < M; i++) pinned[i] = (float)(i % 97) + 0.5f;
    int64_t first = 0, second = 0;
    EXPECT(PT_OK, "", pt_cuda_upload(0, x, pinned, sizeof(float) * M, &first));
    EXPECT(PT_OK, "", pt_cuda_upload_join(0, first));
    EXPECT(PT_OK, "", pt_fill(PT_DEVICE_CUDA, M, 1.0, y));
    EXPECT(PT_OK, "", pt_axpy(PT_DEVICE_CUDA, M, 2.0, x, y)); /* y = 1 + 2 * first */
    EXPECT(PT_OK, "", pt_cuda_upload_wait(0, first));
    for (int i = 0; i < M; i++) pinned[i] = -1000.0f; /* the second upload overwrites x after the axpy read it */
    EXPECT(PT_OK, "", pt_cuda_upload(0, x, pinned, sizeof(float) * M, &second));
    CHECK(second == first + 1, "tickets %lld then %lld", (long long)first, (long long)second);
    EXPECT(PT_OK, "", pt_cuda_upload_join(0, second));
    float *host = malloc(sizeof(float) * M * 2);
    EXPECT(PT_OK, "", pt_cuda_copy(0, host, y, sizeof(float) * M, PT_COPY_DEVICE_TO_HOST));
    EXPECT(PT_OK, "", pt_cuda_copy(0, host + M, x, sizeof(float) * M, PT_COPY_DEVICE_TO_HOST));
    int bad = 0;
    for (int i = 0; i < M; i++) bad += host[i] != 1.0f + 2.0f * ((float)(i % 97) + 0.5f) || host[M + i] != -1000.0f;
    CHECK(bad == 0, "uploads: %d of %d elements wrong (y[0] = %g, x[0] = %g)", bad, M, host[0], host[M]);
    free(host);

    EXPECT(INVALID, "no upload 0", pt_cuda_upload_join(0, 0));
    EXPECT(INVALID, "no upload", pt_cuda_upload_wait(0, second + 1));
    EXPECT(INVALID, "ticket is NULL", pt_cuda_upload(0, x, pinned, 4, NULL));
    EXPECT(INVALID, "runs past the end", pt_cuda_upload(0, x, pinned, sizeof(float) * (M + 1), &first));
    EXPECT(INVALID, "host memory", pt_cuda_upload(0, pinned, pinned, 4, &first));
    EXPECT(INVALID, "is device memory", pt_cuda_upload(0, x, y, 4, &first));
    float pageable[4];
    EXPECT(INVALID, "not pinned memory", pt_cuda_host_free(pageable));
    EXPECT(INVALID, "bytes must be >= 0", pt_cuda_host_alloc(-1, (void **)&host));
    EXPECT(PT_OK, "", pt_cuda_host_free(NULL));
    EXPECT(PT_OK, "", pt_cuda_host_free(pinned));
    EXPECT(PT_OK, "", pt_cuda_free(0, x));
    EXPECT(PT_OK, "", pt_cuda_free(0, y));
}

int main(void) {
    const int count = cuda_devices_or_exit_status("test_cuda_memory");
    if (count < 0) return -count;
    char name[256];
    int64_t total = 0;
    int major = 0, minor = 0, sms = 0;
    EXPECT(PT_OK, "", pt_cuda_device_info(0, name, sizeof name, &total, &major, &minor, &sms));
    CHECK(name[0] != '\0' && total > 0 && major >= 1 && sms >= 1, "device info: '%s' %lld bytes sm_%d%d, %d SMs", name,
          (long long)total, major, minor, sms);
    char tiny[4];
    EXPECT(PT_OK, "", pt_cuda_device_info(0, tiny, sizeof tiny, NULL, NULL, NULL, NULL));
    CHECK(strlen(tiny) <= 3, "name not truncated to its buffer: '%s'", tiny);
    printf("cuda:0 of %d: %s, %lld MiB, sm_%d%d, %d SMs, simulated %d\n", count, name, (long long)(total >> 20), major,
           minor, sms, pt_cuda_simulated());

    void *s1 = NULL, *s2 = NULL;
    EXPECT(PT_OK, "", pt_cuda_set_device(0));
    EXPECT(PT_OK, "", pt_cuda_stream(0, &s1));
    EXPECT(PT_OK, "", pt_cuda_stream(0, &s2));
    CHECK(s1 != NULL && s1 == s2, "one stream per device: %p then %p", s1, s2);

    round_trips();
    stats_and_cache();
    concurrent_allocations();
    errors(count);
    uploads();
    return test_exit_status("test_cuda_memory");
}
