/* Built instead of native/cuda/cuda_device.cu when the library is compiled without nvcc: the same
 * entry points, each failing with the reason (pt_cuda_compiled() and pt_cuda_simulated() answer 0). */
#include <stddef.h>  /* NULL */

#include "api/error.h"

#define PT_NO_CUDA(op) \
    pt_fail(PT_ERR_UNSUPPORTED, "%s: this libpanoptim was built without CUDA (nvcc was not found at build time)", op)

int pt_cuda_compiled(void) { return 0; }

int pt_cuda_simulated(void) { return 0; }

int pt_cuda_device_count(int *count) {
    if (count) *count = 0;
    return pt_fail(PT_ERR_UNSUPPORTED, "this libpanoptim was built without CUDA (nvcc was not found at build time)");
}

int pt_cuda_device_info(int index, char *name, int64_t name_capacity, int64_t *total_memory, int *cc_major,
                        int *cc_minor, int *multiprocessors) {
    return PT_NO_CUDA("pt_cuda_device_info");
}

int pt_cuda_set_device(int index) { return PT_NO_CUDA("pt_cuda_set_device"); }

int pt_cuda_stream(int index, void **stream) { return PT_NO_CUDA("pt_cuda_stream"); }

int pt_cuda_malloc(int index, int64_t bytes, void **ptr) {
    if (ptr) *ptr = 0;
    return PT_NO_CUDA("pt_cuda_malloc");
}

int pt_cuda_free(int index, void *ptr) { return PT_NO_CUDA("pt_cuda_free"); }

int pt_cuda_copy(int index, void *dst, const void *src, int64_t bytes, int kind) { return PT_NO_CUDA("pt_cuda_copy"); }

int pt_cuda_memset(int index, void *ptr, int value, int64_t bytes) { return PT_NO_CUDA("pt_cuda_memset"); }

int pt_cuda_synchronize(int index) { return PT_NO_CUDA("pt_cuda_synchronize"); }

int pt_cuda_memory_stats(int index, int64_t *allocated, int64_t *reserved) {
    return PT_NO_CUDA("pt_cuda_memory_stats");
}

int pt_cuda_empty_cache(int index) { return PT_NO_CUDA("pt_cuda_empty_cache"); }

int pt_cuda_host_alloc(int64_t bytes, void **ptr) {
    if (ptr) *ptr = NULL;
    return PT_NO_CUDA("pt_cuda_host_alloc");
}

int pt_cuda_host_free(void *ptr) { return ptr == NULL ? PT_OK : PT_NO_CUDA("pt_cuda_host_free"); }

int pt_cuda_upload(int index, void *dst, const void *src, int64_t bytes, int64_t *ticket) {
    return PT_NO_CUDA("pt_cuda_upload");
}

int pt_cuda_upload_join(int index, int64_t ticket) { return PT_NO_CUDA("pt_cuda_upload_join"); }

int pt_cuda_upload_wait(int index, int64_t ticket) { return PT_NO_CUDA("pt_cuda_upload_wait"); }

int pt_cuda_graph_capture_begin(int index) { return PT_NO_CUDA("pt_cuda_graph_capture_begin"); }

int pt_cuda_graph_capture_end(int index, pt_cuda_graph **graph) {
    if (graph) *graph = 0;
    return PT_NO_CUDA("pt_cuda_graph_capture_end");
}

int pt_cuda_graph_replay(pt_cuda_graph *graph) { return PT_NO_CUDA("pt_cuda_graph_replay"); }

/* Nothing can have been captured: destroying NULL is fine, as with CUDA. */
int pt_cuda_graph_destroy(pt_cuda_graph *graph) { return graph == 0 ? PT_OK : PT_NO_CUDA("pt_cuda_graph_destroy"); }

int pt_cuda_graph_capturing(int index, int *capturing) {
    if (capturing) *capturing = 0;
    return PT_NO_CUDA("pt_cuda_graph_capturing");
}
