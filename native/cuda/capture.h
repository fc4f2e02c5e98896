/* Internal: panoptim's own rules during CUDA graph capture (native/cuda/cuda_graph.cu), as the
 * other CUDA sources see them. A capture of a device's panoptim stream records the work queued on
 * it; a call that cannot be recorded (an allocation, a host -> device copy, anything that waits
 * for the device) is refused by panoptim itself with a message saying why, and breaks the capture,
 * so that pt_cuda_graph_capture_end fails naming the first such call. */
#ifndef PT_CUDA_CAPTURE_H
#define PT_CUDA_CAPTURE_H

#ifdef __cplusplus
extern "C" {
#endif

/* PT_OK while device `index` does not capture. Otherwise breaks its capture and returns
 * PT_ERR_UNSUPPORTED with "op: <why>, which a CUDA graph capture cannot record; ...". */
int pt_cuda_capture_refuse(const char *op, int index, const char *why);
/* pt_cuda_capture_refuse for the calling thread's current device: for calls that return a host
 * result and so must synchronize (pt_cross_entropy_forward, pt_argmax_correct). */
int pt_cuda_capture_refuse_host_result(const char *op);
/* Records `message` (a CUDA capture error a call ran into) as what broke the capture of the
 * current device, if it captures and nothing broke it before (pt_cuda_fail calls it). */
void pt_cuda_capture_broken(const char *message);

/* The message of a refused allocation or free, and the reason of synchronizing calls. */
#define PT_CAPTURE_ALLOCATION                                                                               \
    "allocation during CUDA graph capture: allocate before capturing (a warm-up step allocates everything), " \
    "and free after the graph is destroyed (every replay uses the memory it was captured with)"
#define PT_CAPTURE_SYNC "it waits for the device, and during a capture nothing runs until the graph is replayed"

#ifdef __cplusplus
}
#endif

#endif
