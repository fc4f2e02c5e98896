// CUDA's built-in vector types for the simulator. A vector type of 8 or 16 bytes checks, on every
// copy from or to memory, that the address is aligned to its size: a GPU faults on a misaligned
// vector access (cudaErrorMisalignedAddress) where x86 forgives it. Its members are plain, so a
// scalar access such as `p4[i].x` is a 4-byte access, as on the GPU.
#pragma once

#include <cstdint>

struct uint3 {
    unsigned int x, y, z;
};

struct dim3 {
    unsigned int x, y, z;
    constexpr dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1) : x(vx), y(vy), z(vz) {}
    constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
    constexpr operator uint3() const { return uint3{x, y, z}; }
};

namespace pt_sim {
// Throws the simulator's misaligned-address fault (runtime/faults.cpp).
[[noreturn]] void misaligned_access(const void *address, unsigned bytes);
inline void check_aligned(const void *address, unsigned bytes) {
    if ((reinterpret_cast<uintptr_t>(address) & (bytes - 1)) != 0) misaligned_access(address, bytes);
}
}  // namespace pt_sim

// A vector type: the members, a trivial default constructor, and alignment-checked copies.
#define PT_SIM_VECTOR_TYPE(name, bytes, type, ...)                                          \
    struct __attribute__((aligned(bytes))) name {                                           \
        type __VA_ARGS__;                                                                   \
        name() = default;                                                                   \
        name(const name &o) { pt_sim::check_aligned(&o, bytes); copy(o); }                  \
        name &operator=(const name &o) {                                                    \
            pt_sim::check_aligned(this, bytes);                                             \
            pt_sim::check_aligned(&o, bytes);                                               \
            copy(o);                                                                        \
            return *this;                                                                   \
        }                                                                                   \
                                                                                            \
      private:                                                                              \
        void copy(const name &o) { __builtin_memcpy(static_cast<void *>(this), &o, bytes); } \
    }

PT_SIM_VECTOR_TYPE(float2, 8, float, x, y);
PT_SIM_VECTOR_TYPE(float4, 16, float, x, y, z, w);
PT_SIM_VECTOR_TYPE(int2, 8, int, x, y);
PT_SIM_VECTOR_TYPE(int4, 16, int, x, y, z, w);
PT_SIM_VECTOR_TYPE(uint2, 8, unsigned int, x, y);
PT_SIM_VECTOR_TYPE(uint4, 16, unsigned int, x, y, z, w);
PT_SIM_VECTOR_TYPE(double2, 16, double, x, y);
#undef PT_SIM_VECTOR_TYPE

struct __attribute__((aligned(4))) char4 {
    signed char x, y, z, w;
};
struct __attribute__((aligned(4))) uchar4 {
    unsigned char x, y, z, w;
};
struct __attribute__((aligned(4))) short2 {
    short x, y;
};

#define PT_SIM_MAKE2(type, elem) \
    static inline type make_##type(elem x, elem y) { type r; r.x = x; r.y = y; return r; }
#define PT_SIM_MAKE4(type, elem) \
    static inline type make_##type(elem x, elem y, elem z, elem w) { type r; r.x = x; r.y = y; r.z = z; r.w = w; return r; }
PT_SIM_MAKE2(float2, float)
PT_SIM_MAKE4(float4, float)
PT_SIM_MAKE2(int2, int)
PT_SIM_MAKE4(int4, int)
PT_SIM_MAKE2(uint2, unsigned int)
PT_SIM_MAKE4(uint4, unsigned int)
PT_SIM_MAKE2(double2, double)
PT_SIM_MAKE4(char4, signed char)
PT_SIM_MAKE4(uchar4, unsigned char)
PT_SIM_MAKE2(short2, short)
#undef PT_SIM_MAKE2
#undef PT_SIM_MAKE4
static inline uint3 make_uint3(unsigned int x, unsigned int y, unsigned int z) { return uint3{x, y, z}; }
