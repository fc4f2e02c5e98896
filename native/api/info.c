/* Library facts for `panoptim info`: version, SIMD level, threads. */
#include <omp.h>
#include <stdatomic.h>

#include "api/error.h"
#include "cpu/simd.h"

#define PT_STR2(x) #x
#define PT_STR(x) PT_STR2(x)

const char *pt_version(void) {
    return PT_STR(PANOPTIM_VERSION_MAJOR) "." PT_STR(PANOPTIM_VERSION_MINOR) "." PT_STR(PANOPTIM_VERSION_PATCH);
}

/* Asks the questions the target_clones resolvers of cpu/simd.h ask, in their order, so what it
 * prints is what runs. */
const char *pt_simd_level(void) {
#if PT_HAVE_SIMD_CLONES
    __builtin_cpu_init();
    if (__builtin_cpu_supports("x86-64-v4")) return "avx512";
    if (__builtin_cpu_supports("x86-64-v3")) return "avx2+fma";
#endif
    return "baseline";
}

/* The count set by pt_set_num_threads, 0 until then. omp_set_num_threads alone would only set the
 * calling thread's ICV, but the kernels run on whichever thread calls them (in a JVM, rarely the one
 * that configured the library), so the setting is process-wide and the kernels ask for it. */
static _Atomic int pt_threads_setting = 0;

int pt_num_threads(void) {
    const int n = atomic_load_explicit(&pt_threads_setting, memory_order_relaxed);
    return n > 0 ? n : omp_get_max_threads();
}

int pt_set_num_threads(int n) {
    if (n < 1) return pt_fail(PT_ERR_INVALID_ARGUMENT, "number of threads must be >= 1, got %d", n);
    atomic_store_explicit(&pt_threads_setting, n, memory_order_relaxed);
    omp_set_num_threads(n);
    return PT_OK;
}
