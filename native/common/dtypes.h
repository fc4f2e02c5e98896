/*
 * Internal: the element types of panoptim.h's pt_dtype and the one set of conversions between
 * them, shared by the CPU kernels (C), the CUDA kernels (host and device code, nvcc) and the CUDA
 * simulator (whose cuda_bf16.h is built on these). Plain integer arithmetic, so every build --
 * C, nvcc device code, the simulator -- gives the same bits.
 *
 *   float -> bf16 / fp16: round to nearest, ties to even (as CUDA's __float2bfloat16_rn and
 *     __float2half_rn); a NaN becomes the canonical NaN 0x7fff (sign and payload dropped, as CUDA
 *     does); fp16: |x| >= 65520 (half-way past 65504, the largest half) becomes +-inf, values
 *     below 2^-14 become subnormals (or +-0 below 2^-25, 2^-25 itself being a tie to 0).
 *   bf16 / fp16 -> float: exact (every bf16 and fp16 value is a float); NaN payloads are kept.
 *   pt_round_to_dtype(x, d): x rounded to d and widened back, the value a bf16 / fp16 operand has
 *     in a mixed-precision product (identity for PT_DTYPE_FLOAT32).
 * https://en.wikipedia.org/wiki/Bfloat16_floating-point_format,
 * https://en.wikipedia.org/wiki/Half-precision_floating-point_format
 */
#ifndef PT_COMMON_DTYPES_H
#define PT_COMMON_DTYPES_H

#include <stdint.h>
#include <string.h>

#include "../include/panoptim.h" /* pt_dtype (a relative path: the simulator includes this too) */

#if defined(__CUDACC__)
#define PT_HOST_DEVICE __host__ __device__ __forceinline__
#else
#define PT_HOST_DEVICE static inline
#endif

PT_HOST_DEVICE uint32_t pt_float_bits(float f) {
#if defined(__CUDA_ARCH__)
    return __float_as_uint(f);
#else
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
#endif
}

PT_HOST_DEVICE float pt_bits_float(uint32_t u) {
#if defined(__CUDA_ARCH__)
    return __uint_as_float(u);
#else
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
#endif
}

/* Round to the nearest bf16, ties to even; NaN becomes 0x7fff (as CUDA's __float2bfloat16_rn). */
PT_HOST_DEVICE uint16_t pt_float_to_bf16(float f) {
    const uint32_t u = pt_float_bits(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) return 0x7fffu;
    return (uint16_t)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}

PT_HOST_DEVICE float pt_bf16_to_float(uint16_t h) { return pt_bits_float((uint32_t)h << 16); }

/* Round to the nearest fp16 (IEEE binary16), ties to even; overflow to +-inf; NaN becomes 0x7fff
 * (as CUDA's __float2half_rn). */
PT_HOST_DEVICE uint16_t pt_float_to_fp16(float f) {
    const uint32_t u = pt_float_bits(f);
    const uint32_t sign = (u >> 16) & 0x8000u, a = u & 0x7fffffffu;
    if (a > 0x7f800000u) return 0x7fffu;
    if (a >= 0x477ff000u) return (uint16_t)(sign | 0x7c00u); /* >= 65520 (and inf): rounds to inf */
    if (a >= 0x38800000u) { /* >= 2^-14: a normal half. Rebias the exponent (127 -> 15), keep 10 bits */
        const uint32_t r = a - 0x38000000u;
        return (uint16_t)(sign | ((r + 0x0fffu + ((r >> 13) & 1u)) >> 13)); /* a carry moves into the exponent */
    }
    /* Subnormal half m * 2^-24 (m may round up to 1024, the smallest normal: the same bits). The
     * float is mant * 2^(e - 150) with the implicit bit, so m = mant >> (126 - e), rounded. */
    const int shift = 126 - (int)(a >> 23); /* >= 14 here */
    if (shift > 24) return (uint16_t)sign;   /* below 2^-25, or 2^-25 exactly (a tie to even 0) */
    const uint32_t mant = (a & 0x7fffffu) | 0x800000u;
    const uint32_t m = mant >> shift, rest = mant & ((1u << shift) - 1u), half = 1u << (shift - 1);
    return (uint16_t)(sign | (m + (rest > half || (rest == half && (m & 1u)))));
}

PT_HOST_DEVICE float pt_fp16_to_float(uint16_t h) {
    const uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
    if (e == 0x1fu) return pt_bits_float(sign | 0x7f800000u | (m << 13)); /* inf, NaN (payload kept) */
    if (e == 0) {
        if (m == 0) return pt_bits_float(sign);
        e = 1; /* subnormal m * 2^-24: normalize so that bit 10 is the implicit one */
        while (!(m & 0x400u)) m <<= 1, e--;
        m &= 0x3ffu;
    }
    return pt_bits_float(sign | ((e + 112u) << 23) | (m << 13)); /* 112 = 127 - 15 */
}

/* x as an operand of dtype d: rounded to bf16 / fp16 and widened back, or x itself for float32
 * (and for any other value of d: callers have validated it). */
PT_HOST_DEVICE float pt_round_to_dtype(float x, int d) {
    if (d == PT_DTYPE_BFLOAT16) return pt_bf16_to_float(pt_float_to_bf16(x));
    if (d == PT_DTYPE_FLOAT16) return pt_fp16_to_float(pt_float_to_fp16(x));
    return x;
}

/* Element i of a buffer of dtype d, as a float (exact). */
PT_HOST_DEVICE float pt_load_dtype(const void *p, int64_t i, int d) {
    if (d == PT_DTYPE_BFLOAT16) return pt_bf16_to_float(((const uint16_t *)p)[i]);
    if (d == PT_DTYPE_FLOAT16) return pt_fp16_to_float(((const uint16_t *)p)[i]);
    return ((const float *)p)[i];
}

/* Stores x, rounded to dtype d, as element i of a buffer of dtype d. */
PT_HOST_DEVICE void pt_store_dtype(void *p, int64_t i, int d, float x) {
    if (d == PT_DTYPE_BFLOAT16) ((uint16_t *)p)[i] = pt_float_to_bf16(x);
    else if (d == PT_DTYPE_FLOAT16) ((uint16_t *)p)[i] = pt_float_to_fp16(x);
    else ((float *)p)[i] = x;
}

/* Bytes per element of dtype d (0 for an unknown d). */
PT_HOST_DEVICE int pt_dtype_size(int d) {
    return d == PT_DTYPE_FLOAT32 ? 4 : (d == PT_DTYPE_BFLOAT16 || d == PT_DTYPE_FLOAT16) ? 2 : 0;
}

/* 1 for the three dtypes of pt_dtype. */
PT_HOST_DEVICE int pt_dtype_valid(int d) { return pt_dtype_size(d) != 0; }

/* What error messages say a dtype argument may be. */
#define PT_DTYPE_CHOICES "0 = float32, 1 = bfloat16, 2 = float16"

#endif
