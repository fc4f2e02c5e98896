// Device-side built-ins for the simulator: the coordinates of the running thread, barriers, warp
// collectives, atomics and the intrinsics panoptim's kernels use. Barriers and warp collectives
// switch to the block's scheduler (runtime/block_scheduler.cpp); everything else is plain C++.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "types.h"
#include "vector_types.h"

namespace pt_sim {
// What every thread of the running block shares.
struct BlockCoords {
    uint3 block_idx;
    dim3 block_dim;
    dim3 grid_dim;
    void *dynamic_shared;
};
// Set by the block scheduler before it switches to a thread (one OS thread runs one block at a time).
extern __thread const uint3 *tl_thread_idx;
extern __thread const BlockCoords *tl_block;

void syncthreads();
enum WarpOp : int { kWarpSync, kShflIdx, kShflUp, kShflDown, kShflXor, kBallot, kAny, kAll };
// A collective of the lanes in `mask`: waits until every lane of the mask has arrived at the same
// operation, then returns this lane's result.
uint64_t warp_collective(WarpOp op, unsigned mask, uint64_t value, int arg, int width);
unsigned active_mask();

template <class T>
inline uint64_t to_bits(T v) {
    static_assert(sizeof(T) <= 8 && std::is_trivially_copyable<T>::value, "warp shuffles move values of 1 to 8 bytes");
    uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof(T));
    return bits;
}
template <class T>
inline T from_bits(uint64_t bits) {
    T v;
    std::memcpy(&v, &bits, sizeof(T));
    return v;
}
template <class T>
inline T fetch_update(T *address, T (*update)(T, T), T operand) {
    T old = __atomic_load_n(address, __ATOMIC_RELAXED);
    while (!__atomic_compare_exchange_n(address, &old, update(old, operand), true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
    return old;
}
template <class T>
inline T fetch_update_float(T *address, T operand) {
    using Bits = typename std::conditional<sizeof(T) == 4, uint32_t, uint64_t>::type;
    Bits *bits = reinterpret_cast<Bits *>(address);
    Bits old = __atomic_load_n(bits, __ATOMIC_RELAXED);
    for (;;) {
        T value = from_bits<T>(old) + operand;
        Bits next = static_cast<Bits>(to_bits(value));
        if (__atomic_compare_exchange_n(bits, &old, next, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) return from_bits<T>(old);
    }
}
}  // namespace pt_sim

#define threadIdx (*::pt_sim::tl_thread_idx)
#define blockIdx (::pt_sim::tl_block->block_idx)
#define blockDim (::pt_sim::tl_block->block_dim)
#define gridDim (::pt_sim::tl_block->grid_dim)
constexpr int warpSize = 32;

static inline void __syncthreads() { pt_sim::syncthreads(); }
static inline void __syncwarp(unsigned mask = 0xffffffffu) { pt_sim::warp_collective(pt_sim::kWarpSync, mask, 0, 0, 32); }
static inline void __threadfence() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
static inline void __threadfence_block() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
static inline unsigned __activemask() { return pt_sim::active_mask(); }

template <class T>
inline T __shfl_sync(unsigned mask, T var, int src_lane, int width = 32) {
    return pt_sim::from_bits<T>(pt_sim::warp_collective(pt_sim::kShflIdx, mask, pt_sim::to_bits(var), src_lane, width));
}
template <class T>
inline T __shfl_up_sync(unsigned mask, T var, unsigned delta, int width = 32) {
    return pt_sim::from_bits<T>(pt_sim::warp_collective(pt_sim::kShflUp, mask, pt_sim::to_bits(var), (int)delta, width));
}
template <class T>
inline T __shfl_down_sync(unsigned mask, T var, unsigned delta, int width = 32) {
    return pt_sim::from_bits<T>(pt_sim::warp_collective(pt_sim::kShflDown, mask, pt_sim::to_bits(var), (int)delta, width));
}
template <class T>
inline T __shfl_xor_sync(unsigned mask, T var, int lane_mask, int width = 32) {
    return pt_sim::from_bits<T>(pt_sim::warp_collective(pt_sim::kShflXor, mask, pt_sim::to_bits(var), lane_mask, width));
}
static inline unsigned __ballot_sync(unsigned mask, int predicate) {
    return (unsigned)pt_sim::warp_collective(pt_sim::kBallot, mask, predicate != 0, 0, 32);
}
static inline int __any_sync(unsigned mask, int predicate) {
    return (int)pt_sim::warp_collective(pt_sim::kAny, mask, predicate != 0, 0, 32);
}
static inline int __all_sync(unsigned mask, int predicate) {
    return (int)pt_sim::warp_collective(pt_sim::kAll, mask, predicate != 0, 0, 32);
}

// Atomics: real atomics, since blocks run on several OS threads at once.
#define PT_SIM_INT_ATOMICS(T)                                                                              \
    static inline T atomicAdd(T *a, T v) { return __atomic_fetch_add(a, v, __ATOMIC_RELAXED); }            \
    static inline T atomicSub(T *a, T v) { return __atomic_fetch_sub(a, v, __ATOMIC_RELAXED); }            \
    static inline T atomicExch(T *a, T v) { return __atomic_exchange_n(a, v, __ATOMIC_RELAXED); }          \
    static inline T atomicMax(T *a, T v) {                                                                 \
        return pt_sim::fetch_update<T>(a, [](T x, T y) { return x > y ? x : y; }, v);                      \
    }                                                                                                      \
    static inline T atomicMin(T *a, T v) {                                                                 \
        return pt_sim::fetch_update<T>(a, [](T x, T y) { return x < y ? x : y; }, v);                      \
    }                                                                                                      \
    static inline T atomicCAS(T *a, T compare, T v) {                                                     \
        __atomic_compare_exchange_n(a, &compare, v, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);            \
        return compare;                                                                                    \
    }
PT_SIM_INT_ATOMICS(int)
PT_SIM_INT_ATOMICS(unsigned int)
PT_SIM_INT_ATOMICS(unsigned long long int)
#undef PT_SIM_INT_ATOMICS
static inline float atomicAdd(float *a, float v) { return pt_sim::fetch_update_float(a, v); }
static inline double atomicAdd(double *a, double v) { return pt_sim::fetch_update_float(a, v); }
static inline float atomicExch(float *a, float v) {
    return pt_sim::from_bits<float>(__atomic_exchange_n(reinterpret_cast<uint32_t *>(a), (uint32_t)pt_sim::to_bits(v), __ATOMIC_RELAXED));
}

// Intrinsics: IEEE host maths. A GPU's fast intrinsics (__expf...) are less accurate; tests
// comparing with the CPU must allow for that on a GPU (bin/gpu-check), not here.
static inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }
static inline float __fdividef(float a, float b) { return a / b; }
static inline float __frsqrt_rn(float x) { return 1.0f / std::sqrt(x); }
static inline float __fsqrt_rn(float x) { return std::sqrt(x); }
static inline float __fdiv_rn(float a, float b) { return a / b; }
static inline float __fmul_rn(float a, float b) { return a * b; }
static inline float __fadd_rn(float a, float b) { return a + b; }
static inline float __fmaf_rn(float a, float b, float c) { return std::fma(a, b, c); }
static inline float __saturatef(float x) { return x < 0.0f ? 0.0f : x > 1.0f ? 1.0f : x; }
static inline int __float_as_int(float x) { return pt_sim::from_bits<int>(pt_sim::to_bits(x)); }
static inline unsigned __float_as_uint(float x) { return pt_sim::from_bits<unsigned>(pt_sim::to_bits(x)); }
static inline float __int_as_float(int x) { return pt_sim::from_bits<float>(pt_sim::to_bits(x)); }
static inline float __uint_as_float(unsigned x) { return pt_sim::from_bits<float>(pt_sim::to_bits(x)); }
static inline int __popc(unsigned x) { return __builtin_popcount(x); }
static inline int __popcll(unsigned long long x) { return __builtin_popcountll(x); }
static inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz((unsigned)x); }
static inline int __ffs(int x) { return __builtin_ffs(x); }
template <class T>
static inline T __ldg(const T *p) {
    return *p;
}
template <class A, class B>
static inline typename std::common_type<A, B>::type min(A a, B b) {
    using C = typename std::common_type<A, B>::type;
    return (C)a < (C)b ? (C)a : (C)b;
}
template <class A, class B>
static inline typename std::common_type<A, B>::type max(A a, B b) {
    using C = typename std::common_type<A, B>::type;
    return (C)a > (C)b ? (C)a : (C)b;
}
