// Graphs of the simulator: what a capture recorded (capture.cpp), instantiated into an executable
// and launched on a stream. A launch queues the recorded work on that stream, in order, as one
// more run of the same operations (launches with the arguments copied at capture, memsets,
// copies): it is ordered like any other work of the stream, runs at a synchronization point, and
// reads device memory as it is then. A launch on a capturing stream records the graph's work into
// that capture. Handles are checked: a destroyed graph or executable is an error, not a crash.
#include <set>

#include "runtime.h"

namespace pt_sim {
namespace {
std::set<CUgraph_st *> live_graphs;          // guarded by queue_mutex()
std::set<CUgraphExec_st *> live_executables;
}  // namespace

cudaGraph_t new_graph(std::vector<RecordedOp> ops, GraphMemoryList memory) {
    std::lock_guard<std::recursive_mutex> lock(queue_mutex());
    CUgraph_st *g = new CUgraph_st{std::move(ops), std::move(memory)};
    live_graphs.insert(g);
    return g;
}
}  // namespace pt_sim

using pt_sim::live_executables;
using pt_sim::live_graphs;
using pt_sim::queue_mutex;

cudaError_t cudaGraphInstantiate(cudaGraphExec_t *exec, cudaGraph_t graph, unsigned long long flags) {
    if (exec == nullptr) return pt_sim::fail(cudaErrorInvalidValue, "cudaGraphInstantiate: exec is NULL");
    if (flags != 0)
        return pt_sim::fail(cudaErrorInvalidValue, "cudaGraphInstantiate: the simulator supports flags 0 only, got %llu", flags);
    std::lock_guard<std::recursive_mutex> lock(queue_mutex());
    if (live_graphs.count(graph) == 0)
        return pt_sim::fail(cudaErrorInvalidValue, "cudaGraphInstantiate: %p is not a live graph", (void *)graph);
    CUgraphExec_st *e = new CUgraphExec_st{graph->ops, graph->memory};
    live_executables.insert(e);
    *exec = e;
    return cudaSuccess;
}

cudaError_t cudaGraphLaunch(cudaGraphExec_t exec, cudaStream_t stream) {
    std::lock_guard<std::recursive_mutex> lock(queue_mutex());
    if (live_executables.count(exec) == 0)
        return pt_sim::fail(cudaErrorInvalidResourceHandle, "cudaGraphLaunch: %p is not a live graph executable", (void *)exec);
    if (!pt_sim::stream_is_live(pt_sim::resolve_stream(stream)))
        return pt_sim::fail(cudaErrorInvalidResourceHandle, "cudaGraphLaunch: stream %p was destroyed or never created",
                            (void *)stream);
    for (const pt_sim::RecordedOp &op : exec->ops) {
        // Each queued operation holds the graph's memory: the executable may be destroyed before it runs.
        cudaError_t e = pt_sim::enqueue(stream, op.what, [memory = exec->memory, run = op.run]() { return run(); });
        if (e != cudaSuccess) return e;
    }
    return cudaSuccess;
}

cudaError_t cudaGraphExecDestroy(cudaGraphExec_t exec) {
    std::lock_guard<std::recursive_mutex> lock(queue_mutex());
    if (live_executables.erase(exec) == 0)
        return pt_sim::fail(cudaErrorInvalidValue, "cudaGraphExecDestroy: %p is not a live graph executable", (void *)exec);
    delete exec;  // replays already queued keep what they need
    return cudaSuccess;
}

cudaError_t cudaGraphDestroy(cudaGraph_t graph) {
    std::lock_guard<std::recursive_mutex> lock(queue_mutex());
    if (live_graphs.erase(graph) == 0)
        return pt_sim::fail(cudaErrorInvalidValue, "cudaGraphDestroy: %p is not a live graph", (void *)graph);
    delete graph;
    return cudaSuccess;
}
