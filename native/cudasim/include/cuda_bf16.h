// bfloat16 for the CUDA simulator: the storage type and the conversions panoptim's kernels use,
// bit-exact with CUDA's (round to nearest even; NaN stays NaN).
#pragma once

#include <cstdint>
#include <cstring>

struct __attribute__((aligned(2))) __nv_bfloat16 {
    unsigned short __x;
};

static inline __nv_bfloat16 __float2bfloat16_rn(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    __nv_bfloat16 r;
    if ((u & 0x7fffffffu) > 0x7f800000u) {
        r.__x = 0x7fff;  // CUDA's canonical NaN
        return r;
    }
    u += 0x7fffu + ((u >> 16) & 1u);
    r.__x = static_cast<unsigned short>(u >> 16);
    return r;
}
static inline __nv_bfloat16 __float2bfloat16(float f) { return __float2bfloat16_rn(f); }
static inline float __bfloat162float(__nv_bfloat16 b) {
    uint32_t u = static_cast<uint32_t>(b.__x) << 16;
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}
