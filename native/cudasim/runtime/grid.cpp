// Running a grid on the simulator. Blocks are claimed by a pool of OS threads (several at once, so
// races between blocks can show). Within a block every CUDA thread is a fiber (Boost.Context) with
// its own stack; a fiber runs until it reaches a barrier (__syncthreads), a warp collective
// (__syncwarp, shuffles, votes) or its end, then the block's scheduler runs the next one, in
// thread order, reverse order or a seeded shuffle (config.cpp). A barrier opens when every thread
// that has not exited reached it; a warp collective completes when every lane of its mask reached
// it (all with the same operation and mask), and its results are computed at that moment, as the
// hardware exchanges registers. No runnable thread left while some wait is a deadlock, reported as
// a fault naming where each thread waits, where a GPU would hang.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <thread>
#include <vector>
#if defined(PT_SIM_ASAN)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
// AddressSanitizer must be told about every switch between the scheduler's and a fiber's stack.
#define PT_SWITCH_START(fake, bottom, size) __sanitizer_start_switch_fiber(fake, bottom, size)
#define PT_SWITCH_FINISH(fake, bottom, size) __sanitizer_finish_switch_fiber(fake, bottom, size)
#else
#define PT_SWITCH_START(fake, bottom, size) ((void)(fake), (void)(bottom), (void)(size))
#define PT_SWITCH_FINISH(fake, bottom, size) ((void)(fake), (void)(bottom), (void)(size))
#endif

#include <boost/context/fiber.hpp>

#include "runtime.h"

namespace ctx = boost::context;

namespace pt_sim {

__thread const uint3 *tl_thread_idx = nullptr;
__thread const BlockCoords *tl_block = nullptr;

namespace {
enum class State { kReady, kAtBarrier, kAtWarp, kDone };

struct SimThread {
    uint3 idx;
    unsigned linear = 0;
    State state = State::kReady;
    ctx::fiber fiber;      // this thread, while suspended
    ctx::fiber scheduler;  // the block's scheduler, while this thread runs
    // The warp collective this thread waits in, and its result.
    WarpOp op = kWarpSync;
    unsigned mask = 0;
    uint64_t value = 0, result = 0;
    int arg = 0, width = 32;
    ctx::stack_context stack{};  // this thread's stack, for AddressSanitizer
};

// Thrown into the threads left waiting when their block faulted, so that their stacks unwind
// through the simulator's own switches.
struct Abandoned {};

// Stacks are mapped once per OS thread, with a guard page below each, and reused by every block.
class StackPool {
  public:
#if defined(PT_SIM_ASAN)
    static constexpr size_t kStackBytes = 512 * 1024;
#else
    static constexpr size_t kStackBytes = 128 * 1024;
#endif
    ctx::stack_context allocate() {
        if (!free_.empty()) {
            ctx::stack_context s = free_.back();
            free_.pop_back();
            return s;
        }
        size_t page = (size_t)sysconf(_SC_PAGESIZE);
        void *base = mmap(nullptr, kStackBytes + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (base == MAP_FAILED) throw std::bad_alloc();
        mprotect(base, page, PROT_NONE);  // a stack overflow faults instead of corrupting a neighbour
        ctx::stack_context s;
        s.size = kStackBytes;
        s.sp = static_cast<char *>(base) + page + kStackBytes;
        return s;
    }
    void deallocate(ctx::stack_context &s) noexcept { free_.push_back(s); }

  private:
    std::vector<ctx::stack_context> free_;
};

struct PooledStack {
    StackPool *pool;
    ctx::stack_context *used;
    ctx::stack_context allocate() { return *used = pool->allocate(); }
    void deallocate(ctx::stack_context &s) noexcept { pool->deallocate(s); }
};

uint64_t splitmix64(uint64_t &state) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

const char *state_name(State s) {
    switch (s) {
    case State::kReady: return "runnable";
    case State::kAtBarrier: return "at __syncthreads";
    case State::kAtWarp: return "in a warp collective";
    default: return "exited";
    }
}

// One OS thread's block runner: it runs the blocks this thread claims, one at a time.
class BlockRunner {
  public:
    // Runs block `linear` of the launch; a fault is thrown as KernelFault.
    void run(const KernelLaunch &l, uint64_t launch_index, uint64_t linear, const Config &cfg);

    const KernelLaunch *launch = nullptr;
    BlockCoords coords{};
    std::vector<SimThread> threads;
    SimThread *self = nullptr;
    unsigned live = 0, at_barrier = 0;
    std::unique_ptr<KernelFault> fault;
    bool abandoning = false;
    const void *scheduler_stack = nullptr;  // bottom and size of the scheduler's stack (ASan)
    size_t scheduler_stack_size = 0;

  private:
    void resume(SimThread &t);
    std::string deadlock_report() const;
    unsigned char *dynamic_shared_buffer(size_t bytes);

    StackPool stacks_;
    std::unique_ptr<unsigned char, decltype(&std::free)> dynamic_{nullptr, &std::free};
    std::vector<unsigned> order_;
};

thread_local BlockRunner runner;

void BlockRunner::resume(SimThread &t) {
    self = &t;
    tl_thread_idx = &t.idx;
    if (!t.fiber) {
        t.fiber = ctx::fiber(std::allocator_arg, PooledStack{&stacks_, &t.stack}, [this, &t](ctx::fiber &&scheduler) {
            PT_SWITCH_FINISH(nullptr, &scheduler_stack, &scheduler_stack_size);
            t.scheduler = std::move(scheduler);
            try {
                launch->run_thread();
            } catch (const Abandoned &) {
                // the block faulted elsewhere; this thread just ends
            } catch (const KernelFault &f) {
                if (!fault) fault = std::make_unique<KernelFault>(f);
            } catch (const std::exception &e) {
                if (!fault) fault = std::make_unique<KernelFault>(cudaErrorLaunchFailure, std::string("exception in ") + where_in_kernel() + ": " + e.what());
            }
            t.state = State::kDone;
            live--;
            PT_SWITCH_START(nullptr, scheduler_stack, scheduler_stack_size);
            return std::move(t.scheduler);
        });
    }
    void *fake_stack = nullptr;
    PT_SWITCH_START(&fake_stack, static_cast<char *>(t.stack.sp) - t.stack.size, t.stack.size);
    t.fiber = std::move(t.fiber).resume();
    PT_SWITCH_FINISH(fake_stack, nullptr, nullptr);
    self = nullptr;
}

unsigned char *BlockRunner::dynamic_shared_buffer(size_t bytes) {
    if (!dynamic_) dynamic_.reset(static_cast<unsigned char *>(std::aligned_alloc(256, kMaxSharedPerBlock)));
#if defined(PT_SIM_ASAN)
    // Past the launch's dynamic size is out of bounds, as on a GPU.
    ASAN_UNPOISON_MEMORY_REGION(dynamic_.get(), bytes);
    ASAN_POISON_MEMORY_REGION(dynamic_.get() + bytes, kMaxSharedPerBlock - bytes);
#endif
    std::memset(dynamic_.get(), kPoisonByte, bytes);
    return dynamic_.get();
}

std::string BlockRunner::deadlock_report() const {
    std::string r;
    for (State s : {State::kAtBarrier, State::kAtWarp, State::kDone}) {
        unsigned count = 0, first = 0;
        for (const SimThread &t : threads)
            if (t.state == s && count++ == 0) first = t.linear;
        if (count) r += (r.empty() ? "" : ", ") + std::to_string(count) + " " + state_name(s) + " (first: thread " + std::to_string(first) + ")";
    }
    return r;
}

void BlockRunner::run(const KernelLaunch &l, uint64_t launch_index, uint64_t linear, const Config &cfg) {
    launch = &l;
    coords.block_dim = l.block;
    coords.grid_dim = l.grid;
    coords.block_idx = uint3{(unsigned)(linear % l.grid.x), (unsigned)(linear / l.grid.x % l.grid.y),
                             (unsigned)(linear / ((uint64_t)l.grid.x * l.grid.y))};
    poison_static_shared();
    coords.dynamic_shared = dynamic_shared_buffer(l.dynamic_shared);
    tl_block = &coords;

    unsigned n = l.block.x * l.block.y * l.block.z;
    threads.clear();
    threads.resize(n);
    for (unsigned i = 0; i < n; i++) {
        threads[i].linear = i;
        threads[i].idx = uint3{i % l.block.x, i / l.block.x % l.block.y, i / (l.block.x * l.block.y)};
    }
    live = n;
    at_barrier = 0;
    fault.reset();
    uint64_t rng = cfg.seed ^ (launch_index * 0xd1b54a32d192ed03ull) ^ (linear * 0x8cb92ba72f3d8dd7ull);

    while (live > 0 && !fault) {
        order_.clear();
        for (unsigned i = 0; i < n; i++)
            if (threads[i].state == State::kReady) order_.push_back(i);
        if (order_.empty()) {
            if (at_barrier == live) {  // every thread still running reached the barrier: open it
                for (SimThread &t : threads)
                    if (t.state == State::kAtBarrier) t.state = State::kReady;
                at_barrier = 0;
                continue;
            }
            fault = std::make_unique<KernelFault>(
                cudaErrorLaunchFailure, "deadlock in kernel " + std::string(l.name) + ", block (" + std::to_string(coords.block_idx.x) +
                                            "," + std::to_string(coords.block_idx.y) + "," + std::to_string(coords.block_idx.z) +
                                            "): no thread can go on (" + deadlock_report() +
                                            "); a barrier or warp collective is not reached by all the threads it waits for");
            break;
        }
        if (cfg.schedule == Schedule::kReverse) std::reverse(order_.begin(), order_.end());
        if (cfg.schedule == Schedule::kShuffle)
            for (size_t i = order_.size(); i > 1; i--) std::swap(order_[i - 1], order_[splitmix64(rng) % i]);
        for (unsigned i : order_) {
            if (threads[i].state == State::kReady) resume(threads[i]);
            if (fault) break;
        }
    }
    if (fault) {  // end the threads left waiting, so that their stacks unwind
        abandoning = true;
        for (SimThread &t : threads)
            if (t.state != State::kDone && t.fiber) resume(t);
        abandoning = false;
    }
    threads.clear();
    tl_block = nullptr;
    tl_thread_idx = nullptr;
    launch = nullptr;
    if (fault) throw KernelFault(*fault);
}

// Runs `work` on `helpers` pool threads and the calling thread, and waits for all of them.
class WorkerPool {
  public:
    void run(int helpers, const std::function<void()> &work) {
        std::unique_lock<std::mutex> lock(mutex_);
        while ((int)threads_.size() < helpers) threads_.emplace_back([this, id = (int)threads_.size()] { loop(id); });
        work_ = &work;
        active_ = helpers;
        pending_ = helpers;
        generation_++;
        wake_.notify_all();
        lock.unlock();
        work();
        lock.lock();
        done_.wait(lock, [this] { return pending_ == 0; });
        work_ = nullptr;
    }

  private:
    void loop(int id) {
        uint64_t seen = 0;
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;) {
            wake_.wait(lock, [&] { return generation_ != seen; });
            seen = generation_;
            if (id >= active_) continue;
            const std::function<void()> *w = work_;
            lock.unlock();
            (*w)();
            lock.lock();
            if (--pending_ == 0) done_.notify_all();
        }
    }
    std::mutex mutex_;
    std::condition_variable wake_, done_;
    std::vector<std::thread> threads_;
    const std::function<void()> *work_ = nullptr;
    int active_ = 0, pending_ = 0;
    uint64_t generation_ = 0;
};

WorkerPool &pool() {
    static WorkerPool *p = new WorkerPool();  // never destroyed: its threads outlive static destructors
    return *p;
}
}  // namespace

std::string where_in_kernel() {
    const BlockRunner &r = runner;
    if (r.launch == nullptr) return "host code";
    std::string s = "kernel " + std::string(r.launch->name) + ", block (" + std::to_string(r.coords.block_idx.x) + "," +
                    std::to_string(r.coords.block_idx.y) + "," + std::to_string(r.coords.block_idx.z) + ")";
    if (r.self) s += ", thread (" + std::to_string(r.self->idx.x) + "," + std::to_string(r.self->idx.y) + "," + std::to_string(r.self->idx.z) + ")";
    return s;
}

void *dynamic_shared() { return tl_block ? tl_block->dynamic_shared : nullptr; }

static void yield_to_scheduler() {
    BlockRunner &r = runner;
    SimThread *t = r.self;
    void *fake_stack = nullptr;
    PT_SWITCH_START(&fake_stack, r.scheduler_stack, r.scheduler_stack_size);
    t->scheduler = std::move(t->scheduler).resume();
    PT_SWITCH_FINISH(fake_stack, &r.scheduler_stack, &r.scheduler_stack_size);
    if (r.abandoning) throw Abandoned{};
}

static void require_in_kernel(const char *what) {
    if (runner.self == nullptr) throw KernelFault(cudaErrorLaunchFailure, std::string(what) + " called outside a kernel");
}

void syncthreads() {
    require_in_kernel("__syncthreads");
    runner.self->state = State::kAtBarrier;
    runner.at_barrier++;
    yield_to_scheduler();
}

unsigned active_mask() {
    require_in_kernel("__activemask");
    unsigned warp = runner.self->linear / 32, mask = 0;
    for (unsigned lane = 0; lane < 32; lane++) {
        unsigned i = warp * 32 + lane;
        if (i < runner.threads.size() && runner.threads[i].state != State::kDone) mask |= 1u << lane;
    }
    return mask;
}

static const char *op_name(WarpOp op) {
    switch (op) {
    case kWarpSync: return "__syncwarp";
    case kShflIdx: return "__shfl_sync";
    case kShflUp: return "__shfl_up_sync";
    case kShflDown: return "__shfl_down_sync";
    case kShflXor: return "__shfl_xor_sync";
    case kBallot: return "__ballot_sync";
    case kAny: return "__any_sync";
    default: return "__all_sync";
    }
}

// The value lane `lane` receives when the collective of its warp completes.
static uint64_t collective_result(const SimThread *warp, unsigned lane, const SimThread &t) {
    const uint64_t undefined = ~0ull;  // a lane outside the mask gives garbage on a GPU; NaN here
    unsigned w = (unsigned)t.width, seg = lane & ~(w - 1), src = lane;
    auto value_of = [&](unsigned s) { return (t.mask >> s & 1u) ? warp[s].value : undefined; };
    switch (t.op) {
    case kShflIdx: return value_of(seg + ((unsigned)t.arg & (w - 1)));
    case kShflUp: src = lane - (unsigned)t.arg; return (int)src < (int)seg ? t.value : value_of(src);
    case kShflDown: src = lane + (unsigned)t.arg; return src >= seg + w ? t.value : value_of(src);
    case kShflXor: src = lane ^ (unsigned)t.arg; return src >= seg + w ? t.value : value_of(src);
    case kBallot:
    case kAny:
    case kAll: {
        unsigned ballot = 0;
        for (unsigned l = 0; l < 32; l++)
            if ((t.mask >> l & 1u) && warp[l].value) ballot |= 1u << l;
        return t.op == kBallot ? ballot : t.op == kAny ? ballot != 0 : ballot == t.mask;
    }
    default: return 0;
    }
}

uint64_t warp_collective(WarpOp op, unsigned mask, uint64_t value, int arg, int width) {
    require_in_kernel(op_name(op));
    BlockRunner &r = runner;
    SimThread *t = r.self;
    unsigned lane = t->linear % 32, base = t->linear - lane;
    auto bad = [&](const std::string &why) {
        throw KernelFault(cudaErrorLaunchFailure, std::string(op_name(op)) + " in " + where_in_kernel() + ": " + why);
    };
    if (!(mask >> lane & 1u)) bad("the calling lane " + std::to_string(lane) + " is not in its mask " + std::to_string(mask));
    if (width < 1 || width > 32 || (width & (width - 1))) bad("width " + std::to_string(width) + " is not a power of two <= 32");
    t->op = op;
    t->mask = mask;
    t->value = value;
    t->arg = arg;
    t->width = width;
    t->state = State::kAtWarp;
    for (;;) {
        bool complete = true;
        for (unsigned l = 0; l < 32; l++) {
            if (!(mask >> l & 1u)) continue;
            if (base + l >= r.threads.size()) bad("its mask names lane " + std::to_string(l) + ", which this block does not have");
            const SimThread &o = r.threads[base + l];
            if (o.state == State::kDone) bad("its mask names lane " + std::to_string(l) + ", which has exited");
            if (o.state != State::kAtWarp) {
                complete = false;
                continue;
            }
            if (o.op != op || o.mask != mask)
                bad("lane " + std::to_string(l) + " waits in " + op_name(o.op) + " with mask " + std::to_string(o.mask) +
                    ": the lanes of a mask must meet in the same collective");
        }
        if (complete) break;
        yield_to_scheduler();
        if (t->state == State::kReady) return t->result;  // the last lane to arrive completed it
    }
    SimThread *warp = &r.threads[base];
    for (unsigned l = 0; l < 32; l++)
        if (mask >> l & 1u) warp[l].result = collective_result(warp, l, warp[l]);
    for (unsigned l = 0; l < 32; l++)
        if (mask >> l & 1u) warp[l].state = State::kReady;
    return t->result;
}

cudaError_t run_grid(const KernelLaunch &l, uint64_t launch_index) {
    Config cfg = config();
    uint64_t blocks = (uint64_t)l.grid.x * l.grid.y * l.grid.z;
    std::atomic<uint64_t> next{0};
    std::mutex fault_mutex;
    std::unique_ptr<KernelFault> first;
    std::function<void()> work = [&]() {
        for (uint64_t b; (b = next++) < blocks;) {
            try {
                runner.run(l, launch_index, b, cfg);
            } catch (const KernelFault &f) {
                std::lock_guard<std::mutex> lock(fault_mutex);
                if (!first) first = std::make_unique<KernelFault>(f);
                next = blocks;  // a faulting grid stops, as on a GPU
            }
        }
    };
    int helpers = (int)std::min<uint64_t>((uint64_t)cfg.worker_threads, blocks) - 1;
    if (helpers <= 0) work();
    else pool().run(helpers, work);
    if (first) return fail(first->code, "%s", first->what());
    return cudaSuccess;
}
}  // namespace pt_sim
