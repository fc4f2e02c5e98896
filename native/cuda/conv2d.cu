// Conv2d on CUDA: pt_cuda_conv2d_forward / _backward, the twins of cpu/conv2d.c (same names and
// arguments, cpu/dense_kernels.h). https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html
// (groups = 1, dilation = 1, zero padding). x (N, C, H, W), weight (K, C, R, S), y (N, K, P, Q).
//
// Every product is an implicit GEMM: one tiled SGEMM kernel (igemm_kernel) whose operands are
// never materialised -- a "view" maps each (row, reduction) and (reduction, column) index of the
// GEMM onto the tensors and gathers the element on the fly, 0 where it falls in the padding:
//   forward   y[m = (n,p,q)][k]   = sum over j = (c,r,s)  of  X(n, c, p*sh-ph+r, q*sw-pw+s) * w[k][j]
//             (M = N*P*Q, N_gemm = K, K_gemm = C*R*S), + bias[k];
//   dgrad     dx[m = (n,h,w)][c]  = sum over j = (k,r,s)  of  dy[n][k][(h+ph-r)/sh][(w+pw-s)/sw] * w[k][c][r][s]
//             over the taps where those divisions are exact and inside (P, Q). Split by stride phase
//             (h mod sh, w mod sw): in phase (a, b) only the taps r = (a+ph) mod sh + sh*t (and
//             likewise s) are ever exact, so each phase is a dense GEMM over K * ceil(R/sh) *
//             ceil(S/sw) (grid.z = phase) and no multiply is wasted on the holes of a strided
//             convolution; every dx element is in exactly one phase and is written once (0 where
//             no window touches it);
//   wgrad     dw[k][j = (c,r,s)]  = sum over m = (n,p,q)  of  dy[n][k][p][q] * X(n, c, p*sh-ph+r, q*sw-pw+s)
//             (M = K, N_gemm = C*R*S, K_gemm = N*P*Q), split over the reduction into grid.z parts
//             when K x CRS alone gives too few blocks (ResNet's early layers: 9 blocks for 4096-long
//             sums); the parts are written to a stream-ordered workspace and summed by
//             wgrad_reduce_kernel in a fixed order, so the result is the same on every run;
//   dbias[k]  = sum over n, p, q of dy: one block per k, a fixed reduction tree (in double).
//
// The GEMM kernel: 64 x 64 output tile per 256-thread block, 4 x 4 outputs per thread in registers,
// reduction in slices of 16 through double-buffered shared memory (one barrier per slice); the next
// slice is gathered into registers while the current one is multiplied, so the gathers' latency
// hides behind 256 FMAs per thread. Index decompositions use multiply-shift division (FastDiv).
//
// Mixed precision (weight_dtype / compute_dtype not float32): the views are instantiated with
// kMixed, and read every operand element -- x, dy, and the weight from its storage dtype -- rounded
// to the compute dtype (common/dtypes.h), so the same GEMM sums exactly the products of
// pt_cpu_conv2d_*_ex; the bias and dbias stay float32 (dbias from dy unrounded). A trimmed weight
// is packed to float32 (exact) and rounded when read, as an untrimmed one.
//
// Invariants: x, weight, dy are never written; dx is overwritten (every element); dweight and dbias
// are overwritten, or added to when `accumulate`; a NULL output is skipped. No atomics: each output
// element is written by one thread, and split sums are added in a fixed order. Indices are 32-bit:
// the launcher refuses (PT_ERR_UNSUPPORTED) tensors of 2^31 elements or more. All work is queued
// on panoptim's stream of the current device; nothing waits.
#include "cuda/pt_cuda.cuh"

#include <limits.h>
#include <stdint.h>

#include "common/dtypes.h"
#include "cuda/conv2d_cuda.h"

namespace {

constexpr int kThreads = 256;           // 16 x 16 threads, each 4 x 4 outputs
constexpr int kBM = 64, kBN = 64;       // block tile: GEMM rows x columns
constexpr int kBK = 16;                 // reduction slice per shared-memory stage
constexpr int kLd = kBM + 4;            // padded shared row: fewer bank conflicts, rows stay 16-byte aligned
constexpr int kTileFloats = kBK * kLd;  // one operand, one stage
constexpr size_t kSmemBytes = sizeof(float) * 4 * kTileFloats;  // A and B, two stages: 17 KB
static_assert(kBM == kBN, "the A and B tiles share one layout");
static_assert(kThreads == (kBM / 4) * (kBN / 4), "one thread per 4 x 4 outputs");
static_assert(kThreads % kBM == 0 && kBK == 4 * (kThreads / kBM), "row-fastest gather: 4 reduction slots per thread");
static_assert(kBM == 4 * (kThreads / kBK), "reduction-fastest gather: 4 rows per thread");

// Reduction blocks aimed at for a split weight grad: 4 resident blocks on each of an H200's 132 SMs.
constexpr int kTargetBlocks = 4 * 132;
// Fewest reduction slices per split part: shorter parts cost more in workspace traffic than they gain.
constexpr int kMinSlicesPerSplit = 8;
// Largest split workspace, in floats (256 MB).
constexpr int64_t kMaxSplitFloats = (int64_t)1 << 26;

// n / d for 0 <= n < 2^31 by a multiply and shifts (Granlund-Montgomery, as CUTLASS's FastDivmod):
// with l = ceil(log2 d) and m = floor(2^32 (2^l - d) / d) + 1, n / d = (mulhi(n, m) + n) >> l.
struct FastDiv {
    unsigned d, m, l;
    __host__ __device__ static FastDiv of(int divisor) {
        const unsigned d = divisor < 1 ? 1u : (unsigned)divisor;  // 0 only for empty ranges, never divided
        unsigned l = 0;
        while ((1ull << l) < d) l++;
        const unsigned m = (unsigned)(((1ull << 32) * ((1ull << l) - d)) / d + 1);
        return {d, m, l};
    }
    __device__ __forceinline__ int div(int n) const {
        const unsigned long long hi = ((unsigned long long)(unsigned)n * m) >> 32;
        return (int)((hi + (unsigned)n) >> l);
    }
};

// The call's shape in 32-bit ints, with the products and divisors every view needs.
struct Dims {
    int n, c, h, w, k, r, s, sh, sw, ph, pw, p, q;
    int pq, rs, crs, hw, chw, kpq;
    FastDiv div_pq, div_q, div_rs, div_s;
};

// ------------------------------------------------------------------ gathering x

// The receptive field of output position m = (n, p, q): image base and top-left input corner.
struct XPatch {
    int base, h0, w0;
    bool ok;  // m is a real row (not past the GEMM's edge)
};
// Filter tap j = (c, r, s): channel plane offset and the tap's offsets within the window.
struct XTap {
    int off, r, s;
    bool ok;
};

__device__ __forceinline__ XPatch x_patch(const Dims &d, int m, bool ok) {
    const int n = d.div_pq.div(m), pq = m - n * d.pq;
    const int p = d.div_q.div(pq), q = pq - p * d.q;
    return {n * d.chw, p * d.sh - d.ph, q * d.sw - d.pw, ok};
}

__device__ __forceinline__ XTap x_tap(const Dims &d, int j, bool ok) {
    const int c = d.div_rs.div(j), rs = j - c * d.rs;
    const int r = d.div_s.div(rs), s = rs - r * d.s;
    return {c * d.hw, r, s, ok};
}

// X(n, c, h0 + r, w0 + s), 0 in the padding or past the GEMM's edges.
__device__ __forceinline__ float x_at(const Dims &d, const float *__restrict__ x, const XPatch &p, const XTap &t) {
    const int h = p.h0 + t.r, w = p.w0 + t.s;
    const bool in = p.ok && t.ok && (unsigned)h < (unsigned)d.h && (unsigned)w < (unsigned)d.w;
    return in ? x[p.base + t.off + h * d.w + w] : 0.0f;
}

// A plain offset into a tensor, valid or not.
struct Offset {
    int off;
    bool ok;
};

// A GEMM whose reduction is cut into `parts` (when rows x columns alone give too few blocks):
// part `part` sums the reduction indices [k0, k1) of range() and writes its `count` outputs to
// partial[part][.], which split_reduce_kernel then adds up in part order. partial == NULL: one
// part, written straight to the output.
struct Split {
    float *partial;
    int parts, count;

    __device__ void range(int total, int part, int *k0, int *k1) const {
        const int chunk = ((total + kBK - 1) / kBK + parts - 1) / parts * kBK;  // whole slices
        *k0 = min(total, part * chunk), *k1 = min(total, *k0 + chunk);          // may be empty: zeros
    }
    // Writes v as output i of `part` when split; false when the output is to be written instead.
    __device__ bool put(int part, int i, float v) const {
        if (partial == nullptr) return false;
        partial[(size_t)part * count + i] = v;
        return true;
    }
    template <class F>
    void for_each_device_pointer(F &&f) const {
        if (partial != nullptr) f(partial, sizeof(float) * (size_t)parts * count);
    }
};

// How the views read their operands: plain float loads, or (kMixed) each element rounded to
// round_to, the weight read from its storage dtype w_dtype.
template <bool kMixed>
struct Rounding {
    int w_dtype, round_to;
    __device__ __forceinline__ float op(float v) const {
        if constexpr (kMixed) return pt_round_to_dtype(v, round_to);
        else return v;
    }
    __device__ __forceinline__ float weight(const void *w, int i) const {
        if constexpr (kMixed) return pt_round_to_dtype(pt_load_dtype(w, i, w_dtype), round_to);
        else return static_cast<const float *>(w)[i];
    }
    size_t weight_bytes() const { return kMixed ? (size_t)pt_dtype_size(w_dtype) : sizeof(float); }
};

// ------------------------------------------------------------------ the three GEMM views
// Each view gives, for grid slice z, a Block {rows, cols, k0, k1} (the GEMM's extents and the
// reduction range of that slice), contexts for a row / column index (computed once per thread)
// and for a reduction index (once per slice), the elements a(row, red) and b(red, col), and
// store(m, n, value). kARowFastest: whether consecutive threads gather consecutive A rows (the
// contiguous direction of the tensor behind A) or consecutive reduction indices.

// Forward. A (M = N*P*Q, CRS) = gathered x; B (CRS, K) = weight^T; out y (N, K, P, Q) + bias.
template <bool kMixed>
struct ForwardView {
    Dims d;
    const float *x;
    const void *w;
    const float *bias;
    float *y;
    Split split;  // grid.z = part
    Rounding<kMixed> rnd;

    static constexpr bool kARowFastest = true;  // consecutive m: consecutive q, consecutive x
    struct Block {
        int rows, cols, k0, k1, part;
    };
    using ARow = XPatch;
    using ARed = XTap;
    using BRed = Offset;  // j
    using BCol = Offset;  // k * CRS: weight row k

    __device__ Block block(int z) const {
        Block b{d.n * d.pq, d.k, 0, 0, z};
        split.range(d.crs, z, &b.k0, &b.k1);
        return b;
    }
    __device__ ARow a_row(const Block &b, int m) const { return x_patch(d, m, m < b.rows); }
    __device__ ARed a_red(const Block &b, int j) const { return x_tap(d, j, j < b.k1); }
    __device__ float a(const Block &, const ARow &row, const ARed &red) const { return rnd.op(x_at(d, x, row, red)); }
    __device__ BRed b_red(const Block &b, int j) const { return {j, j < b.k1}; }
    __device__ BCol b_col(const Block &b, int k) const { return {k * d.crs, k < b.cols}; }
    __device__ float b(const Block &, const BRed &red, const BCol &col) const {
        return red.ok && col.ok ? rnd.weight(w, col.off + red.off) : 0.0f;
    }
    __device__ void store(const Block &b, int m, int k, float v) const {
        const int n = d.div_pq.div(m), i = n * d.kpq + k * d.pq + m - n * d.pq;
        if (!split.put(b.part, i, v)) y[i] = v + (bias != nullptr ? bias[k] : 0.0f);  // else: bias in the reduce
    }

    template <class F>
    void for_each_device_pointer(F &&f) const {
        f(x, sizeof(float) * (size_t)d.n * d.chw);
        f(w, rnd.weight_bytes() * (size_t)d.k * d.crs);
        if (bias != nullptr) f(bias, sizeof(float) * (size_t)d.k);
        f(y, sizeof(float) * (size_t)d.n * d.kpq);
        split.for_each_device_pointer(f);
    }
};

// Input grad, one stride phase (a, b) per grid slice z / parts = a * phases_w + b. Rows m = (n, i, j) stand
// for dx[n][.][a + sh*i][b + sw*j]; reduction t = (k, tr, ts) for the taps r = r0 + sh*tr,
// s = s0 + sw*ts, whose output row is p = pbase + i - tr (column q = qbase + j - ts).
// A (M = N*Hp*Wp, K*Rt*St) = gathered dy; B (K*Rt*St, C) = gathered weight; out dx (N, C, H, W).
template <bool kMixed>
struct DgradView {
    Dims d;
    const void *w;
    const float *dy;
    float *dx;
    int phases_w;  // min(sw, W): phases past the input are empty
    Split split;   // grid.z = phase * parts + part
    Rounding<kMixed> rnd;

    static constexpr bool kARowFastest = true;  // consecutive m: consecutive dy columns (stride 1)
    struct Block {
        int rows, cols, k0, k1, part;
        int a, b;            // the phase: h mod sh, w mod sw
        int r0, s0, st;      // first live tap of the phase, taps per row (St)
        int pbase, qbase;    // output row / column of tap tr = 0 at i = 0
        int wp;              // phase columns
        FastDiv div_hpwp, div_wp, div_rtst, div_st;
    };
    struct ARow {
        int base, pi, qi;  // n * K*P*Q; pbase + i, qbase + j
        bool ok;
    };
    struct ARed {
        int off, tr, ts;  // k * P*Q
        bool ok;
    };
    using BRed = Offset;  // k*C*R*S + r*S + s
    using BCol = Offset;  // c * R*S

    __device__ Block block(int z) const {
        Block b;
        const int phase = z / split.parts;
        b.part = z - phase * split.parts;
        b.a = phase / phases_w, b.b = phase - b.a * phases_w;
        const int hp = (d.h - b.a + d.sh - 1) / d.sh, wp = (d.w - b.b + d.sw - 1) / d.sw;  // >= 1
        b.r0 = (b.a + d.ph) % d.sh, b.s0 = (b.b + d.pw) % d.sw;
        const int rt = b.r0 < d.r ? (d.r - b.r0 + d.sh - 1) / d.sh : 0;
        b.st = b.s0 < d.s ? (d.s - b.s0 + d.sw - 1) / d.sw : 0;
        b.pbase = (b.a + d.ph - b.r0) / d.sh, b.qbase = (b.b + d.pw - b.s0) / d.sw;  // exact
        b.wp = wp;
        b.rows = d.n * hp * wp, b.cols = d.c;
        split.range(d.k * rt * b.st, b.part, &b.k0, &b.k1);  // empty (no tap in this phase): dx = 0 here
        b.div_hpwp = FastDiv::of(hp * wp), b.div_wp = FastDiv::of(wp);
        b.div_rtst = FastDiv::of(rt * b.st), b.div_st = FastDiv::of(b.st);
        return b;
    }
    __device__ ARow a_row(const Block &b, int m) const {
        const int n = b.div_hpwp.div(m), ij = m - n * (int)b.div_hpwp.d;
        const int i = b.div_wp.div(ij), j = ij - i * b.wp;
        return {n * d.kpq, b.pbase + i, b.qbase + j, m < b.rows};
    }
    __device__ ARed a_red(const Block &b, int t) const {
        const int k = b.div_rtst.div(t), rem = t - k * (int)b.div_rtst.d;
        const int tr = b.div_st.div(rem), ts = rem - tr * b.st;
        return {k * d.pq, tr, ts, t < b.k1};
    }
    __device__ float a(const Block &, const ARow &row, const ARed &red) const {
        const int p = row.pi - red.tr, q = row.qi - red.ts;
        const bool in = row.ok && red.ok && (unsigned)p < (unsigned)d.p && (unsigned)q < (unsigned)d.q;
        return in ? rnd.op(dy[row.base + red.off + p * d.q + q]) : 0.0f;
    }
    __device__ BRed b_red(const Block &b, int t) const {
        const int k = b.div_rtst.div(t), rem = t - k * (int)b.div_rtst.d;
        const int tr = b.div_st.div(rem), ts = rem - tr * b.st;
        return {k * d.crs + (b.r0 + d.sh * tr) * d.s + b.s0 + d.sw * ts, t < b.k1};
    }
    __device__ BCol b_col(const Block &b, int c) const { return {c * d.rs, c < b.cols}; }
    __device__ float b(const Block &, const BRed &red, const BCol &col) const {
        return red.ok && col.ok ? rnd.weight(w, red.off + col.off) : 0.0f;
    }
    __device__ void store(const Block &b, int m, int c, float v) const {
        const int n = b.div_hpwp.div(m), ij = m - n * (int)b.div_hpwp.d;
        const int i = b.div_wp.div(ij), j = ij - i * b.wp;
        const int x = n * d.chw + c * d.hw + (b.a + d.sh * i) * d.w + b.b + d.sw * j;
        if (!split.put(b.part, x, v)) dx[x] = v;
    }

    template <class F>
    void for_each_device_pointer(F &&f) const {
        f(w, rnd.weight_bytes() * (size_t)d.k * d.crs);
        f(dy, sizeof(float) * (size_t)d.n * d.kpq);
        f(dx, sizeof(float) * (size_t)d.n * d.chw);
        split.for_each_device_pointer(f);
    }
};

// Weight grad, reduction part z (of split.parts over m = (n, p, q)).
// A (K, M = N*P*Q) = dy^T; B (N*P*Q, CRS) = gathered x; out dw (K, CRS) (+)=; when split,
// split_reduce_kernel applies `accumulate`.
template <bool kMixed>
struct WgradView {
    Dims d;
    const float *x, *dy;
    float *dw;
    int accumulate;
    Split split;  // grid.z = part
    Rounding<kMixed> rnd;  // w_dtype unused: no weight is read

    static constexpr bool kARowFastest = false;  // consecutive m: consecutive dy elements
    struct Block {
        int rows, cols, k0, k1, part;
    };
    using ARow = Offset;  // k * P*Q
    using ARed = Offset;  // n * K*P*Q + p*Q + q
    using BRed = XPatch;
    using BCol = XTap;

    __device__ Block block(int z) const {
        Block b{d.k, d.crs, 0, 0, z};
        split.range(d.n * d.pq, z, &b.k0, &b.k1);
        return b;
    }
    __device__ ARow a_row(const Block &b, int k) const { return {k * d.pq, k < b.rows}; }
    __device__ ARed a_red(const Block &b, int m) const {
        const int n = d.div_pq.div(m);
        return {n * d.kpq + m - n * d.pq, m < b.k1};
    }
    __device__ float a(const Block &, const ARow &row, const ARed &red) const {
        return row.ok && red.ok ? rnd.op(dy[red.off + row.off]) : 0.0f;
    }
    __device__ BRed b_red(const Block &b, int m) const { return x_patch(d, m, m < b.k1); }
    __device__ BCol b_col(const Block &b, int j) const { return x_tap(d, j, j < b.cols); }
    __device__ float b(const Block &, const BRed &red, const BCol &col) const { return rnd.op(x_at(d, x, red, col)); }
    __device__ void store(const Block &b, int k, int j, float v) const {
        const int i = k * d.crs + j;
        if (!split.put(b.part, i, v)) dw[i] = accumulate ? dw[i] + v : v;
    }

    template <class F>
    void for_each_device_pointer(F &&f) const {
        f(x, sizeof(float) * (size_t)d.n * d.chw);
        f(dy, sizeof(float) * (size_t)d.n * d.kpq);
        f(dw, sizeof(float) * (size_t)d.k * d.crs);
        split.for_each_device_pointer(f);
    }
};

// ------------------------------------------------------------------ kernels

// out (rows, cols) = A (rows, k0..k1) @ B (k0..k1, cols) for grid slice blockIdx.z of view V; block
// (x, y) computes rows [64x, 64x + 64) and columns [64y, 64y + 64). Dynamic shared memory: kSmemBytes.
template <class V>
__global__ void __launch_bounds__(kThreads) igemm_kernel(V v) {
    const typename V::Block blk = v.block((int)blockIdx.z);
    const int m0 = (int)blockIdx.x * kBM, n0 = (int)blockIdx.y * kBN;
    if (m0 >= blk.rows || n0 >= blk.cols) return;  // the whole block leaves: no barrier waits for it

    float *smem = pt_dynamic_shared<float>();  // As[stage][kk][m], then Bs[stage][kk][n]
    float *As = smem, *Bs = smem + 2 * kTileFloats;
    const int tid = (int)threadIdx.x;

    // What this thread gathers: 4 A elements (4 reduction slots of one row, or one slot of 4
    // rows) and 4 B elements (one reduction slot of 4 columns) per slice.
    constexpr bool kRowFast = V::kARowFastest;
    constexpr int kARows = kRowFast ? 1 : 4;
    int a_m[4], a_k[4], b_n[4];
    const int b_k = tid % kBK;
#pragma unroll
    for (int i = 0; i < 4; i++) {
        a_m[i] = kRowFast ? tid % kBM : tid / kBK + i * (kThreads / kBK);
        a_k[i] = kRowFast ? tid / kBM + i * (kThreads / kBM) : tid % kBK;
        b_n[i] = tid / kBK + i * (kThreads / kBK);
    }
    typename V::ARow arow[kARows];
    typename V::BCol bcol[4];
#pragma unroll
    for (int i = 0; i < kARows; i++) arow[i] = v.a_row(blk, m0 + a_m[i]);
#pragma unroll
    for (int i = 0; i < 4; i++) bcol[i] = v.b_col(blk, n0 + b_n[i]);

    float ra[4], rb[4];
    auto gather = [&](int kb) {
        if constexpr (kRowFast) {
#pragma unroll
            for (int i = 0; i < 4; i++) ra[i] = v.a(blk, arow[0], v.a_red(blk, kb + a_k[i]));
        } else {
            const typename V::ARed red = v.a_red(blk, kb + a_k[0]);
#pragma unroll
            for (int i = 0; i < 4; i++) ra[i] = v.a(blk, arow[i], red);
        }
        const typename V::BRed red = v.b_red(blk, kb + b_k);
#pragma unroll
        for (int i = 0; i < 4; i++) rb[i] = v.b(blk, red, bcol[i]);
    };
    auto stash = [&](int stage) {
#pragma unroll
        for (int i = 0; i < 4; i++) {
            As[stage * kTileFloats + a_k[i] * kLd + a_m[i]] = ra[i];
            Bs[stage * kTileFloats + b_k * kLd + b_n[i]] = rb[i];
        }
    };

    float acc[4][4] = {};
    const int tx = tid % (kBM / 4), ty = tid / (kBM / 4);  // rows 4tx.., columns 4ty..
    const int slices = (blk.k1 - blk.k0 + kBK - 1) / kBK;   // 0: the outputs are 0
    if (slices > 0) {
        gather(blk.k0);
        stash(0);
    }
    __syncthreads();
    for (int t = 0; t < slices; t++) {
        const int stage = t & 1;
        if (t + 1 < slices) gather(blk.k0 + (t + 1) * kBK);  // in flight during the FMAs below
        const float *as = As + stage * kTileFloats, *bs = Bs + stage * kTileFloats;
#pragma unroll
        for (int kk = 0; kk < kBK; kk++) {
            const float4 a4 = *reinterpret_cast<const float4 *>(as + kk * kLd + 4 * tx);
            const float4 b4 = *reinterpret_cast<const float4 *>(bs + kk * kLd + 4 * ty);
            const float av[4] = {a4.x, a4.y, a4.z, a4.w}, bv[4] = {b4.x, b4.y, b4.z, b4.w};
#pragma unroll
            for (int i = 0; i < 4; i++)
#pragma unroll
                for (int j = 0; j < 4; j++) acc[i][j] += av[i] * bv[j];
        }
        // The other stage was last read before the previous barrier: safe to overwrite now.
        if (t + 1 < slices) stash(stage ^ 1);
        __syncthreads();
    }

#pragma unroll
    for (int i = 0; i < 4; i++) {
        const int m = m0 + 4 * tx + i;
        if (m >= blk.rows) break;
#pragma unroll
        for (int j = 0; j < 4; j++) {
            const int n = n0 + 4 * ty + j;
            if (n < blk.cols) v.store(blk, m, n, acc[i][j]);
        }
    }
}

// out (count) = [out +] (sum over the parts, in part order, of partial[part][i]) [+ bias[(i / inner) % outer]]:
// the end of a split GEMM (forward: the bias; weight grad: accumulate).
__global__ void __launch_bounds__(kThreads)
    split_reduce_kernel(Split split, float *__restrict__ out, const float *__restrict__ bias, int inner, int outer,
                        int accumulate) {
    const int count = split.count;
    for (int i = (int)(blockIdx.x * blockDim.x + threadIdx.x); i < count; i += (int)(gridDim.x * blockDim.x)) {
        float sum = split.partial[i];
        for (int part = 1; part < split.parts; part++) sum += split.partial[(size_t)part * count + i];
        if (bias != nullptr) sum += bias[i / inner % outer];
        out[i] = accumulate ? out[i] + sum : sum;
    }
}

// The live taps of a filter (cut, below): rows [r0, r0 + t.r) and columns [s0, s0 + t.s) of the full
// R x S filter; t is the convolution restricted to them.
struct Cut {
    int r0, s0, r, s;  // first live tap, full filter size
};

// packed (K, C, t.r, t.s) = the live taps of weight (K, C, R, S), widened exactly from w_dtype.
__global__ void __launch_bounds__(kThreads)
    pack_taps_kernel(Dims t, Cut cut, const void *__restrict__ w, int w_dtype, float *__restrict__ packed) {
    const int count = t.k * t.crs;
    for (int i = (int)(blockIdx.x * blockDim.x + threadIdx.x); i < count; i += (int)(gridDim.x * blockDim.x)) {
        const int kc = t.div_rs.div(i), rs = i - kc * t.rs;
        const int r = t.div_s.div(rs), s = rs - r * t.s;
        packed[i] = pt_load_dtype(w, (kc * cut.r + r + cut.r0) * cut.s + s + cut.s0, w_dtype);
    }
}

// dweight (K, C, R, S) (+)= the live-tap grad g (K, C, t.r, t.s), 0 at the dead taps.
__global__ void __launch_bounds__(kThreads)
    unpack_taps_kernel(Dims t, Cut cut, const float *__restrict__ g, float *__restrict__ dw, int accumulate) {
    const int rs_full = cut.r * cut.s, count = t.k * t.c * rs_full;
    for (int i = (int)(blockIdx.x * blockDim.x + threadIdx.x); i < count; i += (int)(gridDim.x * blockDim.x)) {
        const int kc = i / rs_full, rs = i - kc * rs_full;
        const int r = rs / cut.s - cut.r0, s = rs % cut.s - cut.s0;
        const bool live = (unsigned)r < (unsigned)t.r && (unsigned)s < (unsigned)t.s;
        const float v = live ? g[(kc * t.r + r) * t.s + s] : 0.0f;
        dw[i] = accumulate ? dw[i] + v : v;
    }
}

// dbias[k] (+)= sum over n, p, q of dy[n][k][p][q]; block k, dy (N, K, P*Q). Each thread sums a
// fixed strided subset in double, then a fixed tree: warp shuffles, then warp 0 over the warps.
__global__ void __launch_bounds__(kThreads)
    bias_grad_kernel(Dims d, const float *__restrict__ dy, float *__restrict__ dbias, int accumulate) {
    __shared__ double warp_sums[kThreads / 32];
    const int k = (int)blockIdx.x, tid = (int)threadIdx.x, total = d.n * d.pq;
    double sum = 0.0;
    for (int e = tid; e < total; e += kThreads) {
        const int n = d.div_pq.div(e);
        sum += dy[n * d.kpq + k * d.pq + e - n * d.pq];
    }
    for (int off = 16; off > 0; off /= 2) sum += __shfl_down_sync(0xffffffffu, sum, off);
    if (tid % 32 == 0) warp_sums[tid / 32] = sum;
    __syncthreads();
    if (tid < 32) {
        sum = tid < kThreads / 32 ? warp_sums[tid] : 0.0;
        for (int off = 16; off > 0; off /= 2) sum += __shfl_down_sync(0xffffffffu, sum, off);
        if (tid == 0) dbias[k] = accumulate ? (float)((double)dbias[k] + sum) : (float)sum;
    }
}

// ------------------------------------------------------------------ launchers

int ceil_div(int64_t a, int64_t b) { return (int)((a + b - 1) / b); }

// The shape in 32-bit ints, or PT_ERR_UNSUPPORTED where a tensor or grid is beyond them.
int make_dims(const char *op, const pt_conv2d_shape *sh, Dims *d) {
    const int64_t x_numel = sh->n * sh->c * sh->h * sh->w, y_numel = sh->n * sh->k * sh->p * sh->q;
    const int64_t w_numel = sh->k * sh->c * sh->r * sh->s;  // each < 2^63: api/dense_api.c checked
    if (x_numel > INT_MAX || y_numel > INT_MAX || w_numel > INT_MAX)
        return pt_fail(PT_ERR_UNSUPPORTED,
                       "%s: the CUDA kernels index with 32-bit ints; x, y and weight must each have fewer than 2^31 "
                       "elements (got %lld, %lld, %lld)",
                       op, (long long)x_numel, (long long)y_numel, (long long)w_numel);
    const int64_t widest = sh->c * sh->r * sh->s > sh->k ? sh->c * sh->r * sh->s : sh->k;  // >= C
    const int64_t phases = (sh->stride_h < sh->h ? sh->stride_h : sh->h) * (sh->stride_w < sh->w ? sh->stride_w : sh->w);
    if (ceil_div(widest, kBN) > 65535 || phases > 65535)
        return pt_fail(PT_ERR_UNSUPPORTED, "%s: C*R*S = %lld or the stride phases (%lld) exceed a CUDA grid's 65535 rows",
                       op, (long long)widest, (long long)phases);
    // h + 2*pad + stride within an int keeps every window and phase computation in range.
    const int64_t quarter = INT_MAX / 4;  // h, w < 2^31 already (x_numel)
    if (sh->pad_h > quarter || sh->pad_w > quarter || sh->stride_h > quarter || sh->stride_w > quarter ||
        sh->h + 2 * sh->pad_h + sh->stride_h >= INT_MAX || sh->w + 2 * sh->pad_w + sh->stride_w >= INT_MAX)
        return pt_fail(PT_ERR_UNSUPPORTED,
                       "%s: size + 2*pad + stride must be below 2^31 in each dimension for the CUDA kernels", op);
    Dims t;
    t.n = (int)sh->n, t.c = (int)sh->c, t.h = (int)sh->h, t.w = (int)sh->w, t.k = (int)sh->k, t.r = (int)sh->r;
    t.s = (int)sh->s, t.p = (int)sh->p, t.q = (int)sh->q;
    t.sh = (int)sh->stride_h, t.sw = (int)sh->stride_w, t.ph = (int)sh->pad_h, t.pw = (int)sh->pad_w;
    t.pq = t.p * t.q, t.rs = t.r * t.s, t.crs = t.c * t.rs, t.hw = t.h * t.w, t.chw = t.c * t.hw, t.kpq = t.k * t.pq;
    t.div_pq = FastDiv::of(t.pq), t.div_q = FastDiv::of(t.q), t.div_rs = FastDiv::of(t.rs), t.div_s = FastDiv::of(t.s);
    *d = t;
    return PT_OK;
}

// Whether output index o in [0, out) puts filter tap t on the input [0, size): o*stride - pad + t
// (cpu/conv2d.c's rule).
bool tap_is_live(int64_t size, int64_t stride, int64_t pad, int64_t t, int64_t out) {
    const int64_t first = pad - t > 0 ? (pad - t + stride - 1) / stride : 0;  // first o landing at >= 0
    return first < out && first * stride - pad + t < size;
}

// The live taps [lo, hi) of one filter dimension (lo == hi: none).
void live_taps(int64_t size, int64_t stride, int64_t pad, int64_t taps, int64_t out, int *lo, int *hi) {
    int64_t a = 0, b = taps;
    while (a < taps && !tap_is_live(size, stride, pad, a, out)) a++;
    while (b > a && !tap_is_live(size, stride, pad, b - 1, out)) b--;
    *lo = (int)a, *hi = (int)b;
}

// Dead taps (ResNet's 3x3 on a 1x1 plane multiplies padding with 8 of its 9 taps, on 2x2 with
// stride 2 with 5): *t = the convolution on the live taps only -- a smaller filter, pad - r0 --
// and true, when some tap is dead and some live; false (t = d) otherwise, also when no tap is live
// (then every GEMM element is masked to 0 anyway: y = bias, grads 0).
bool cut_dead_taps(const Dims &d, Dims *t, Cut *cut) {
    int r0, r1, s0, s1;
    live_taps(d.h, d.sh, d.ph, d.r, d.p, &r0, &r1);
    live_taps(d.w, d.sw, d.pw, d.s, d.q, &s0, &s1);
    *t = d, *cut = Cut{r0, s0, d.r, d.s};
    if (r0 == r1 || s0 == s1 || (r1 - r0 == d.r && s1 - s0 == d.s)) return false;
    t->r = r1 - r0, t->s = s1 - s0, t->ph = d.ph - r0, t->pw = d.pw - s0;  // ph >= r0: tap r0 is live
    t->rs = t->r * t->s, t->crs = t->c * t->rs;
    t->div_rs = FastDiv::of(t->rs), t->div_s = FastDiv::of(t->s);
    return true;
}

// A launch's error as a status naming the call and the kernel.
int launched(const char *op, const char *kernel, cudaError_t err) {
    return err == cudaSuccess ? PT_OK : pt_cuda_fail(err, op, kernel);
}

// An elementwise kernel over `count` items as a grid-stride loop (at most 4096 blocks).
template <auto Kernel, class... Args>
int launch_grid_stride(const char *op, const char *name, int count, cudaStream_t stream, Args... args) {
    const int blocks = ceil_div(count, kThreads) < 4096 ? ceil_div(count, kThreads) : 4096;
    return launched(op, name, pt_launch<Kernel>(dim3(blocks > 0 ? blocks : 1), dim3(kThreads), 0, stream, args...));
}

// What the end of a GEMM does with its sums (split or not): the output (count floats), the bias to
// add to it (forward, bias[(i / inner) % outer]) and whether it is added to.
struct Epilogue {
    float *out;
    int count;
    const float *bias;
    int inner, outer, accumulate;
};

// Runs view v (v.split unset) as a GEMM of at most max_rows x cols over `slices` grid slices, each
// reducing at most `depth` indices. Cut into parts when the tiles alone are fewer than
// kTargetBlocks and the reduction is long: the parts go to a stream-ordered workspace, freed after
// split_reduce_kernel has added them up.
template <class V>
int run_gemm(const char *op, const char *name, V v, int max_rows, int cols, int slices, int depth, Epilogue e,
             cudaStream_t stream) {
    const int64_t tiles = (int64_t)ceil_div(max_rows, kBM) * ceil_div(cols, kBN) * slices;
    int64_t parts = (kTargetBlocks + tiles - 1) / tiles;
    const int64_t most = ceil_div(depth, kBK) / kMinSlicesPerSplit;
    if (parts > most) parts = most;
    if (parts > 65535 / slices) parts = 65535 / slices;              // grid.z
    if (parts > kMaxSplitFloats / e.count) parts = kMaxSplitFloats / e.count;  // workspace
    v.split = Split{nullptr, parts > 1 ? (int)parts : 1, e.count};
    const dim3 grid((unsigned)ceil_div(max_rows, kBM), (unsigned)ceil_div(cols, kBN), (unsigned)(slices * v.split.parts));
    if (v.split.parts == 1) return launched(op, name, pt_launch<igemm_kernel<V>>(grid, dim3(kThreads), kSmemBytes, stream, v));

    PT_CUDA_TRY(op, cudaMallocAsync((void **)&v.split.partial, sizeof(float) * (size_t)e.count * v.split.parts, stream));
    int status = launched(op, name, pt_launch<igemm_kernel<V>>(grid, dim3(kThreads), kSmemBytes, stream, v));
    if (status == PT_OK) {
        status = launch_grid_stride<split_reduce_kernel>(op, "conv2d split_reduce_kernel", e.count, stream, v.split, e.out,
                                                         e.bias, e.inner, e.outer, e.accumulate);
    }
    const cudaError_t freed = cudaFreeAsync(v.split.partial, stream);  // after the kernels, in stream order
    if (status == PT_OK && freed != cudaSuccess) return pt_cuda_fail(freed, op, "cudaFreeAsync");
    return status;
}

// dx (N, C, H, W) = the input grad of the convolution d with weight w (K, C, d.r, d.s) of w_dtype.
template <bool M>
int input_grad(const char *op, const Dims &d, const void *w, int w_dtype, int compute, const float *dy, float *dx,
               cudaStream_t stream) {
    const int phases_h = d.sh < d.h ? d.sh : d.h, phases_w = d.sw < d.w ? d.sw : d.w;
    const int rows = d.n * ceil_div(d.h, d.sh) * ceil_div(d.w, d.sw);  // phase (0, 0), the largest
    const int depth = d.k * ceil_div(d.r, d.sh) * ceil_div(d.s, d.sw);  // taps of the phase with the most
    const DgradView<M> v{d, w, dy, dx, phases_w, {}, {w_dtype, compute}};
    return run_gemm(op, "conv2d input-grad igemm_kernel", v, rows, d.c, phases_h * phases_w, depth,
                    Epilogue{dx, d.n * d.chw, nullptr, 1, 1, 0}, stream);
}

// y = the convolution t of x with weight w (K, C, t.r, t.s) of w_dtype, + bias.
template <bool M>
int forward(const char *op, const Dims &t, const float *x, const void *w, int w_dtype, int compute, const float *bias,
            float *y, cudaStream_t stream) {
    const ForwardView<M> v{t, x, w, bias, y, {}, {w_dtype, compute}};
    return run_gemm(op, "conv2d forward igemm_kernel", v, t.n * t.pq, t.k, 1, t.crs,
                    Epilogue{y, t.n * t.kpq, bias, t.pq, t.k, 0}, stream);
}

// dw (K, C, g.r, g.s) (+)= the weight grad of the convolution g.
template <bool M>
int weight_grad(const char *op, const Dims &g, const float *x, const float *dy, float *dw, int accumulate, int compute,
                cudaStream_t stream) {
    const WgradView<M> v{g, x, dy, dw, accumulate, {}, {PT_DTYPE_FLOAT32, compute}};
    return run_gemm(op, "conv2d weight-grad igemm_kernel", v, g.k, g.crs, 1, g.n * g.pq,
                    Epilogue{dw, g.k * g.crs, nullptr, 1, 1, accumulate}, stream);
}

}  // namespace

extern "C" int pt_cuda_conv2d_forward(const pt_conv2d_shape *sh, const float *x, const void *weight,
                                      int weight_dtype, const float *bias, float *y, int compute_dtype) {
    const bool mixed = weight_dtype != PT_DTYPE_FLOAT32 || compute_dtype != PT_DTYPE_FLOAT32;
    const char *op = mixed ? "pt_conv2d_forward_ex" : "pt_conv2d_forward";
    const auto run = mixed ? forward<true> : forward<false>;
    Dims d{};
    PT_TRY(make_dims(op, sh, &d));
    int index = 0;
    cudaStream_t stream = nullptr;
    PT_TRY(pt_cuda_current(&index, &stream));
    Dims t = d;
    Cut cut{};
    if (!cut_dead_taps(d, &t, &cut)) return run(op, d, x, weight, weight_dtype, compute_dtype, bias, y, stream);
    float *packed = nullptr;
    PT_CUDA_TRY(op, cudaMallocAsync((void **)&packed, sizeof(float) * (size_t)t.k * t.crs, stream));
    int status = launch_grid_stride<pack_taps_kernel>(op, "conv2d pack_taps_kernel", t.k * t.crs, stream, t, cut,
                                                      weight, weight_dtype, packed);
    if (status == PT_OK) status = run(op, t, x, packed, PT_DTYPE_FLOAT32, compute_dtype, bias, y, stream);
    const cudaError_t freed = cudaFreeAsync(packed, stream);
    return status == PT_OK && freed != cudaSuccess ? pt_cuda_fail(freed, op, "cudaFreeAsync") : status;
}

extern "C" int pt_cuda_conv2d_backward(const pt_conv2d_shape *sh, const float *x, const void *weight,
                                       int weight_dtype, const float *dy, float *dx, float *dweight, float *dbias,
                                       int accumulate, int compute_dtype) {
    const bool mixed = weight_dtype != PT_DTYPE_FLOAT32 || compute_dtype != PT_DTYPE_FLOAT32;
    const char *op = mixed ? "pt_conv2d_backward_ex" : "pt_conv2d_backward";
    const auto dgrad = mixed ? input_grad<true> : input_grad<false>;
    const auto wgrad = mixed ? weight_grad<true> : weight_grad<false>;
    Dims d{};
    PT_TRY(make_dims(op, sh, &d));
    int index = 0;
    cudaStream_t stream = nullptr;
    PT_TRY(pt_cuda_current(&index, &stream));
    Dims t = d;
    Cut cut{};
    const bool trimmed = (dx != nullptr || dweight != nullptr) && cut_dead_taps(d, &t, &cut);
    // Trimmed: the live-tap weight packed, and the live-tap weight grad, then unpacked onto dweight.
    float *packed = nullptr, *grad = nullptr;
    if (trimmed) {
        const size_t floats = (size_t)t.k * t.crs;
        PT_CUDA_TRY(op, cudaMallocAsync((void **)&packed, sizeof(float) * floats * (dweight != nullptr ? 2 : 1), stream));
        grad = dweight != nullptr ? packed + floats : nullptr;
    }
    int status = PT_OK;
    if (trimmed && dx != nullptr)
        status = launch_grid_stride<pack_taps_kernel>(op, "conv2d pack_taps_kernel", t.k * t.crs, stream, t, cut, weight,
                                                      weight_dtype, packed);
    if (status == PT_OK && dx != nullptr)
        status = dgrad(op, trimmed ? t : d, trimmed ? (const void *)packed : weight,
                       trimmed ? PT_DTYPE_FLOAT32 : weight_dtype, compute_dtype, dy, dx, stream);
    if (status == PT_OK && dweight != nullptr) {
        const Dims &g = trimmed ? t : d;
        const int acc = trimmed ? 0 : accumulate != 0;  // a trimmed grad is added by the unpack
        status = wgrad(op, g, x, dy, trimmed ? grad : dweight, acc, compute_dtype, stream);
        if (status == PT_OK && trimmed)
            status = launch_grid_stride<unpack_taps_kernel>(op, "conv2d unpack_taps_kernel", d.k * d.crs, stream, t, cut,
                                                            (const float *)grad, dweight, accumulate != 0);
    }
    if (trimmed) {
        const cudaError_t freed = cudaFreeAsync(packed, stream);
        if (status == PT_OK && freed != cudaSuccess) status = pt_cuda_fail(freed, op, "cudaFreeAsync");
    }
    PT_TRY(status);
    if (dbias != nullptr)
        PT_TRY(launched(op, "conv2d bias_grad_kernel",
                     pt_launch<bias_grad_kernel>(dim3(d.k), dim3(kThreads), 0, stream, d, dy, dbias, accumulate != 0)));
    return PT_OK;
}
