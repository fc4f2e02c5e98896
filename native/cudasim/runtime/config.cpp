// The simulator's knobs, read from the environment once (and settable by its own tests):
//  PANOPTIM_CUDA_SIM_SCHEDULE  in-order (default) | reverse | shuffle:SEED — the order in which the
//                              threads of a block run between barriers; a kernel whose result
//                              depends on it is missing a __syncthreads or __syncwarp;
//  PANOPTIM_CUDA_SIM_THREADS   OS threads running blocks at once (default: the cores, at most 8), so
//                              that races between blocks can show; 1 runs blocks one after another.
#include <cstdlib>
#include <thread>

#include "pt_cudasim.h"
#include "runtime.h"

namespace pt_sim {
namespace {
std::mutex config_mutex;
bool loaded = false;
Config current{Schedule::kInOrder, 0, 1};

bool parse_schedule(const char *text, Config &c) {
    std::string s = text;
    if (s == "in-order" || s.empty()) c.schedule = Schedule::kInOrder;
    else if (s == "reverse") c.schedule = Schedule::kReverse;
    else if (s.rfind("shuffle:", 0) == 0) {
        c.schedule = Schedule::kShuffle;
        c.seed = std::strtoull(s.c_str() + 8, nullptr, 10);
    } else return false;
    return true;
}

void load() {
    if (loaded) return;
    loaded = true;
    if (const char *s = std::getenv("PANOPTIM_CUDA_SIM_SCHEDULE")) parse_schedule(s, current);
    unsigned cores = std::thread::hardware_concurrency();
    current.worker_threads = cores == 0 ? 1 : cores > 8 ? 8 : (int)cores;
    if (const char *t = std::getenv("PANOPTIM_CUDA_SIM_THREADS")) {
        int n = std::atoi(t);
        if (n >= 1 && n <= 256) current.worker_threads = n;
    }
}
}  // namespace

Config config() {
    std::lock_guard<std::mutex> lock(config_mutex);
    load();
    return current;
}
}  // namespace pt_sim

extern "C" int pt_cudasim_set_schedule(const char *schedule) {
    std::lock_guard<std::mutex> lock(pt_sim::config_mutex);
    pt_sim::load();
    return schedule != nullptr && pt_sim::parse_schedule(schedule, pt_sim::current) ? 0 : -1;
}

extern "C" int pt_cudasim_set_threads(int threads) {
    std::lock_guard<std::mutex> lock(pt_sim::config_mutex);
    pt_sim::load();
    if (threads < 1 || threads > 256) return -1;
    pt_sim::current.worker_threads = threads;
    return 0;
}
