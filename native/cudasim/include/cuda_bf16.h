// bfloat16 for the CUDA simulator: the storage type and the conversions panoptim's kernels use,
// bit-exact with CUDA's (round to nearest even; NaN becomes 0x7fff), built on panoptim's one set of
// conversions (native/common/dtypes.h).
#pragma once

#include <cstdint>

#include "../../common/dtypes.h"

struct __attribute__((aligned(2))) __nv_bfloat16 {
    unsigned short __x;
};

static inline __nv_bfloat16 __float2bfloat16_rn(float f) {
    __nv_bfloat16 r;
    r.__x = pt_float_to_bf16(f);
    return r;
}
static inline __nv_bfloat16 __float2bfloat16(float f) { return __float2bfloat16_rn(f); }
static inline float __bfloat162float(__nv_bfloat16 b) { return pt_bf16_to_float(b.__x); }
