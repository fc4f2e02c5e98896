/*
 * Fast 2-D convolution: pt_cpu_conv2d_forward / _backward, the twins of
 * reference/conv2d_reference.c. https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html
 * (groups = 1, dilation = 1, zero padding). These are the "own" CPU conv kernels; whether a call
 * runs them or oneDNN (cpu/conv2d_onednn.c) is decided in cpu/conv2d_backend.c.
 *
 * x (N, C, H, W), weight (K, C, R, S) = a (K, CRS) matrix, y (N, K, P, Q), PQ = P*Q.
 * im2col lays the receptive fields of a group of G images side by side as the columns of
 *   col (CRS, G*PQ):   col[(c*R + r)*S + s][i*PQ + p*Q + q] = x[i][c][p*sh - ph + r][q*sw - pw + s]
 * (0 where that falls in the padding), and then each product is one sgemm over the whole group:
 *   forward:   Y (K, G*PQ) = weight (K, CRS) @ col                       then y[i][k] = Y[k][i] + bias[k]
 *   backward:  dweight (K, CRS) (+)= dY (K, G*PQ) @ col^T                 dY[k][i] = dy[i][k]
 *              dcol (CRS, G*PQ) = weight^T @ dY, and col2im adds dcol back into dx
 *              dbias[k] (+)= sum over i, p, q of dy[i][k][p][q]
 * im2col reads each input plane through a zero-bordered copy of it (and col2im sums into one), so
 * its loops are plain strided copies with no bounds tests -- ResNet's late planes are 4x4, 2x2, 1x1,
 * where per-row bookkeeping would cost as much as the copy. A 1x1 filter without padding reads the
 * plane directly.
 *
 * Why groups of images: one sgemm per image would be a (K, CRS) @ (CRS, 16 or 4 or 1) product on
 * those small planes -- all overhead, no reuse. A group is as many images as keep col within
 * COL_BUDGET floats (at least one): wide enough for sgemm to run at full rate, small enough to stay
 * in a core's L2 and never to need much memory whatever the batch. For a 1-image group the GEMM
 * reads dy and writes y in place, and the transposing copies (Y -> y, dy -> dY) are skipped.
 *
 * Dead taps: a filter row r (column s) whose every window position falls in the padding (a 3x3
 * filter with padding 1 on a 1x1 input: everything but the centre) multiplies zeros only. The call
 * then runs on the live taps [r0, r1) x [s0, s1) alone -- a convolution with a smaller filter and
 * pad - r0 -- with the weight packed to (K, C, R', S') and the weight grad unpacked (0 or unchanged
 * for the dead taps). Same result, up to 9x less work on ResNet-34's last stage at 32x32 inputs.
 *
 * Threads, two ways (pt_cpu_conv2d_splits_batch picks):
 *  - split the batch (the usual case): one OpenMP region per call; each thread takes a contiguous
 *    range of images and runs im2col, a single-threaded sgemm and the copies on them with its own
 *    workspace, so col is made and consumed in the same core's cache and the threads meet once.
 *    dweight is summed per thread (thread 0 into the output itself, the others into partial
 *    copies) and the copies are added at the end. On the 2-core development box this ran the
 *    ResNet-34 shapes 1.5-2x faster than the other way (bench_conv), whose fork/joins around
 *    every group cost more than they save there.
 *  - share each sgemm: sgemm runs on every thread inside OpenBLAS and the memory-bound loops are
 *    OpenMP loops over disjoint outputs ((image, channel) planes of col and dx, (image, k) planes
 *    of the copies). Taken when there are fewer images than threads (inference on one image) or
 *    when the per-thread dweight copies would exceed PARTIAL_BUDGET. With a pthreads OpenBLAS,
 *    whose idle threads spin meanwhile, those loops run on the calling thread (cpu/matmul.c).
 *
 * Invariants: x, weight and dy are never written; the workspace is malloc'ed per call and freed
 * before returning; on PT_ERR_OUT_OF_MEMORY nothing has been written. No atomics: every output
 * element is written by one thread.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/error.h"
#include "cpu/dense_kernels.h"
#include "cpu/simd.h"

/* The copies here are short (a plane row of a few floats, a 1-float padded plane): keep GCC from
 * turning the zeroing loops into memset calls, which cost more than they save at these sizes. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-loop-distribute-patterns")
#endif

/* Floats of col per group (per thread when splitting the batch): 2 MiB, a core's L2 here. On
 * bench_conv the ResNet-34 total was the same within ~3% from 2^17 to 2^19, and 5-10% slower at
 * 2^21 and above. */
#define COL_BUDGET ((int64_t)1 << 19)
/* Floats of the per-thread dweight copies when splitting the batch (256 MiB in all). */
#define PARTIAL_BUDGET ((int64_t)1 << 26)
/* Workspace alignment: a cache line, and a whole AVX-512 vector. */
#define WORKSPACE_ALIGN 64
/* dy elements per vectorized float sum of dbias before it is added up in double. */
#define BIAS_BLOCK 4096

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }
/* ceil(a / b) for b > 0 and any a >= 0. */
static int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
/* n floats rounded up to whole alignments, so that consecutive workspace parts stay aligned. */
static int64_t aligned_floats(int64_t n) {
    const int64_t unit = WORKSPACE_ALIGN / sizeof(float);
    return ceil_div(n, unit) * unit;
}

/* First item of thread t's range when n items are split among `threads` (sizes differ by <= 1). */
static int64_t range_start(int64_t n, int threads, int t) { return n / threads * t + n % threads * t / threads; }

/* Threads for a memory-bound loop over `elements` floats: one below the parallel threshold. */
static int loop_threads(int threads, int64_t elements) { return elements < PT_PARALLEL_MIN_ELEMENTS ? 1 : threads; }

/* ---------------------------------------------------------------- the plan of a call */

/* Whether output index o in [0, out) ever puts filter tap t on the input [0, size), with
 * input index o*stride - pad + t. */
static int tap_is_live(int64_t size, int64_t stride, int64_t pad, int64_t t, int64_t out) {
    /* the first o with o*stride - pad + t >= 0, then whether it is still inside */
    const int64_t first = pad - t > 0 ? ceil_div(pad - t, stride) : 0;
    return first < out && first * stride - pad + t < size;
}

/* The live taps [*lo, *hi) of one filter dimension (empty: *lo == *hi == 0). */
static void live_taps(int64_t size, int64_t stride, int64_t pad, int64_t taps, int64_t out, int64_t *lo,
                      int64_t *hi) {
    *lo = 0;
    while (*lo < taps && !tap_is_live(size, stride, pad, *lo, out)) ++*lo;
    *hi = taps;
    while (*hi > *lo && !tap_is_live(size, stride, pad, *hi - 1, out)) --*hi;
    if (*lo == *hi) *lo = *hi = 0;
}

/* One call, worked out once: the convolution actually run (the live taps of sh) and how. */
typedef struct conv_plan {
    pt_conv2d_shape t;    /* sh restricted to the live taps: r, s, pad_h, pad_w differ */
    int64_t r0, s0;       /* first live tap of sh */
    int trimmed;          /* t differs from sh: the weight (and its grad) must be repacked */
    int64_t crs;          /* C * t.r * t.s, the GEMMs' inner size */
    int64_t hu, wu;       /* rows and columns of a zero-bordered input plane that are read */
    int threads, split;   /* pt_num_threads(), and whether the batch is split among them */
    int loop_threads;     /* for im2col, col2im and the copies when not split */
    int64_t group;        /* images per group */
} conv_plan;

/* Returns 0 when no tap is live (every window lies in the padding). */
static int make_plan(const pt_conv2d_shape *sh, int threads, int with_dweight, conv_plan *pl) {
    int64_t r0, r1, s0, s1;
    live_taps(sh->h, sh->stride_h, sh->pad_h, sh->r, sh->p, &r0, &r1);
    live_taps(sh->w, sh->stride_w, sh->pad_w, sh->s, sh->q, &s0, &s1);
    if (r0 == r1 || s0 == s1) return 0;
    pl->t = *sh;
    pl->t.r = r1 - r0, pl->t.s = s1 - s0;
    pl->t.pad_h = sh->pad_h - r0, pl->t.pad_w = sh->pad_w - s0; /* >= 0: tap r = pad_h, if any, is live */
    pl->r0 = r0, pl->s0 = s0;
    pl->trimmed = pl->t.r != sh->r || pl->t.s != sh->s;
    pl->crs = sh->c * pl->t.r * pl->t.s;
    pl->hu = (sh->p - 1) * sh->stride_h + pl->t.r;
    pl->wu = (sh->q - 1) * sh->stride_w + pl->t.s;
    pl->threads = threads;
    pl->split = pt_cpu_conv2d_splits_batch(sh, threads, with_dweight);
    /* The threads of the memory-bound loops between sgemms when they are shared: with a pthreads
     * OpenBLAS, whose idle threads spin on the cores meanwhile, the calling thread alone. */
    pl->loop_threads = !pl->split && pt_cpu_sgemm_has_own_threads() ? 1 : threads;
    pl->group = pt_cpu_conv2d_group_images(sh, threads, with_dweight);
    return 1;
}

int pt_cpu_conv2d_splits_batch(const pt_conv2d_shape *sh, int threads, int with_dweight) {
    if (threads == 1) return 1;
    if (sh->n < threads) return 0;
    return !with_dweight || (int64_t)(threads - 1) * sh->k * sh->c * sh->r * sh->s <= PARTIAL_BUDGET;
}

/* Images per group: col within COL_BUDGET floats, at least 1, and at most the images of one thread
 * (splitting the batch) or of the call. Counted with the full filter: dead taps only make col
 * smaller. */
int64_t pt_cpu_conv2d_group_images(const pt_conv2d_shape *sh, int threads, int with_dweight) {
    const int64_t per_image = sh->c * sh->r * sh->s * sh->p * sh->q; /* <= INT_MAX^2: no overflow */
    const int64_t images = pt_cpu_conv2d_splits_batch(sh, threads, with_dweight) ? ceil_div(sh->n, threads) : sh->n;
    return max64(1, min64(images, COL_BUDGET / per_image));
}

/* ---------------------------------------------------------------- memory-bound loops */

PT_KERNEL_BEGIN

/* The (hu, wu) zero-bordered plane: padded[u][v] = plane[u - ph][v - pw], 0 outside (H, W). */
static void pad_plane(const float *plane, const conv_plan *pl, float *padded) {
    const int64_t H = pl->t.h, W = pl->t.w, ph = pl->t.pad_h, pw = pl->t.pad_w, wu = pl->wu;
    const int64_t v_lo = min64(wu, max64(0, pw)), v_hi = max64(v_lo, min64(wu, W + pw));
    for (int64_t u = 0; u < pl->hu; u++) {
        float *row = padded + u * wu;
        const int64_t ih = u - ph;
        if (ih < 0 || ih >= H) {
            for (int64_t v = 0; v < wu; v++) row[v] = 0.0f;
            continue;
        }
        const float *src = plane + ih * W; /* row[v] = src[v - pw] for v in [v_lo, v_hi) */
        for (int64_t v = 0; v < v_lo; v++) row[v] = 0.0f;
#pragma omp simd
        for (int64_t v = v_lo; v < v_hi; v++) row[v] = src[v - pw];
        for (int64_t v = v_hi; v < wu; v++) row[v] = 0.0f;
    }
}

/* im2col and col2im work plane by plane: task j of a group is the (image, channel) plane
 * (j / C, j % C). Each thread runs a contiguous range of tasks with its own zero-bordered plane,
 * which stays in L1 while the plane's R'*S' rows of col are made from it (or summed into it). */

/* The strided copies of stride > 1 (dst (P, Q) <- src rows `pitch` apart, every sw-th float, or
 * added back), multiversioned: AVX2 / AVX-512 gather and scatter them, the baseline build goes
 * float by float. Stride 1 is a plain contiguous copy and gains nothing from it (measured). */
PT_SIMD_CLONES
static void gather_strided(float *dst, const float *src, int64_t P, int64_t Q, int64_t pitch, int64_t sw) {
    for (int64_t p = 0; p < P; p++)
#pragma omp simd
        for (int64_t q = 0; q < Q; q++) dst[p * Q + q] = src[p * pitch + q * sw];
}

PT_SIMD_CLONES
static void scatter_add_strided(float *dst, const float *src, int64_t P, int64_t Q, int64_t pitch, int64_t sw) {
    for (int64_t p = 0; p < P; p++)
#pragma omp simd
        for (int64_t q = 0; q < Q; q++) dst[p * pitch + q * sw] += src[p * Q + q];
}

/* Rows of col of tasks [begin, end): row (c, r, s) is col + ((c*R' + r)*S' + s)*ld, image i's part
 * of it starts at column i*PQ. */
static void im2col_tasks(const conv_plan *pl, const float *x, int64_t ld, float *col, float *padded, int64_t begin,
                         int64_t end) {
    const int64_t C = pl->t.c, R = pl->t.r, S = pl->t.s, P = pl->t.p, Q = pl->t.q, HW = pl->t.h * pl->t.w;
    const int64_t sh = pl->t.stride_h, sw = pl->t.stride_w, wu = pl->wu;
    const int direct = R == 1 && S == 1 && pl->t.pad_h == 0 && pl->t.pad_w == 0; /* 1x1, no padding */
    for (int64_t j = begin; j < end; j++) {
        const int64_t i = j / C, c = j % C;
        float *dst = col + c * R * S * ld + i * P * Q;
        if (direct) { /* every window is one pixel inside the plane: subsample it, no bordered copy */
            gather_strided(dst, x + j * HW, P, Q, sh * pl->t.w, sw);
            continue;
        }
        pad_plane(x + j * HW, pl, padded);
        for (int64_t r = 0; r < R; r++)
            for (int64_t s = 0; s < S; s++, dst += ld) {
                const float *src = padded + r * wu + s; /* src[p*sh*wu + q*sw] = padded[p*sh + r][q*sw + s] */
                if (sw > 1) {
                    gather_strided(dst, src, P, Q, sh * wu, sw);
                    continue;
                }
                for (int64_t p = 0; p < P; p++)
#pragma omp simd
                    for (int64_t q = 0; q < Q; q++) dst[p * Q + q] = src[p * sh * wu + q];
            }
    }
}

/* dx planes of tasks [begin, end) from their rows of dcol: summed into the zero-bordered plane,
 * whose inside is then copied out; dx[ih][iw] = padded[ih + ph][iw + pw] where that was summed
 * into, else 0 (an input pixel below or right of every window gets no grad). */
static void col2im_tasks(const conv_plan *pl, const float *dcol, int64_t ld, float *dx, float *padded, int64_t begin,
                         int64_t end) {
    const int64_t C = pl->t.c, H = pl->t.h, W = pl->t.w, R = pl->t.r, S = pl->t.s, P = pl->t.p, Q = pl->t.q;
    const int64_t sh = pl->t.stride_h, sw = pl->t.stride_w, ph = pl->t.pad_h, pw = pl->t.pad_w, wu = pl->wu;
    const int64_t w_lo = min64(W, max64(0, -pw)), w_hi = max64(w_lo, min64(W, wu - pw));
    const int direct = R == 1 && S == 1 && ph == 0 && pw == 0; /* 1x1, no padding */
    for (int64_t j = begin; j < end; j++) {
        const int64_t i = j / C, c = j % C;
        const float *src = dcol + c * R * S * ld + i * P * Q;
        if (direct) { /* each dcol entry goes back to one pixel; the others get no grad */
            float *plane = dx + j * H * W;
            for (int64_t v = 0; v < H * W; v++) plane[v] = 0.0f;
            scatter_add_strided(plane, src, P, Q, sh * W, sw);
            continue;
        }
        for (int64_t v = 0; v < pl->hu * wu; v++) padded[v] = 0.0f;
        for (int64_t r = 0; r < R; r++)
            for (int64_t s = 0; s < S; s++, src += ld) {
                float *dst = padded + r * wu + s;
                if (sw > 1) {
                    scatter_add_strided(dst, src, P, Q, sh * wu, sw);
                    continue;
                }
                for (int64_t p = 0; p < P; p++)
#pragma omp simd
                    for (int64_t q = 0; q < Q; q++) dst[p * sh * wu + q] += src[p * Q + q];
            }
        float *plane = dx + j * H * W;
        for (int64_t ih = 0; ih < H; ih++) {
            const int64_t u = ih + ph;
            float *row = plane + ih * W;
            if (u < 0 || u >= pl->hu) {
                for (int64_t iw = 0; iw < W; iw++) row[iw] = 0.0f;
                continue;
            }
            for (int64_t iw = 0; iw < w_lo; iw++) row[iw] = 0.0f;
#pragma omp simd
            for (int64_t iw = w_lo; iw < w_hi; iw++) row[iw] = padded[u * wu + iw + pw];
            for (int64_t iw = w_hi; iw < W; iw++) row[iw] = 0.0f;
        }
    }
}

/* col (CRS', G*PQ) from the G images at x; pads: one plane of hu*wu floats per thread. */
static void im2col(const conv_plan *pl, const float *x, int64_t images, float *col, float *pads, int threads) {
    const int64_t tasks = images * pl->t.c, ld = images * pl->t.p * pl->t.q, plane = pl->hu * pl->wu;
    const int team = loop_threads(threads, pl->crs * ld);
    if (team == 1) {
        im2col_tasks(pl, x, ld, col, pads, 0, tasks);
        return;
    }
#pragma omp parallel num_threads(team)
    {
        const int t = omp_get_thread_num(), n = omp_get_num_threads();
        im2col_tasks(pl, x, ld, col, pads + t * plane, range_start(tasks, n, t), range_start(tasks, n, t + 1));
    }
}

/* dx of the G images at dx from dcol (CRS', G*PQ): the sum of the entries that im2col would have
 * read from each position. */
static void col2im(const conv_plan *pl, const float *dcol, int64_t images, float *dx, float *pads, int threads) {
    const int64_t tasks = images * pl->t.c, ld = images * pl->t.p * pl->t.q, plane = pl->hu * pl->wu;
    const int team = loop_threads(threads, pl->crs * ld);
    if (team == 1) {
        col2im_tasks(pl, dcol, ld, dx, pads, 0, tasks);
        return;
    }
#pragma omp parallel num_threads(team)
    {
        const int t = omp_get_thread_num(), n = omp_get_num_threads();
        col2im_tasks(pl, dcol, ld, dx, pads + t * plane, range_start(tasks, n, t), range_start(tasks, n, t + 1));
    }
}

/* y[i][k][:] = Y[k][i*PQ : (i+1)*PQ] + bias[k] for the G images at y; Y is (K, G*PQ). */
static void scatter_output(int64_t images, int64_t K, int64_t PQ, const float *Y, const float *bias, float *y,
                           int threads) {
#pragma omp parallel for collapse(2) schedule(static) num_threads(loop_threads(threads, images * K * PQ))
    for (int64_t i = 0; i < images; i++)
        for (int64_t k = 0; k < K; k++) {
            const float *src = Y + k * images * PQ + i * PQ;
            float *dst = y + (i * K + k) * PQ;
            const float b = bias ? bias[k] : 0.0f;
#pragma omp simd
            for (int64_t j = 0; j < PQ; j++) dst[j] = src[j] + b;
        }
}

/* In place: y[k][:] += bias[k] for one image's (K, PQ) output. */
static void add_bias(int64_t K, int64_t PQ, const float *bias, float *y, int threads) {
#pragma omp parallel for schedule(static) num_threads(loop_threads(threads, K * PQ))
    for (int64_t k = 0; k < K; k++) {
        const float b = bias[k];
#pragma omp simd
        for (int64_t j = 0; j < PQ; j++) y[k * PQ + j] += b;
    }
}

/* dY (K, G*PQ) with dY[k][i*PQ + j] = dy[i][k][j], for the G images at dy. */
static void gather_grad(int64_t images, int64_t K, int64_t PQ, const float *dy, float *dY, int threads) {
#pragma omp parallel for collapse(2) schedule(static) num_threads(loop_threads(threads, images * K * PQ))
    for (int64_t i = 0; i < images; i++)
        for (int64_t k = 0; k < K; k++) {
            const float *src = dy + (i * K + k) * PQ;
            float *dst = dY + k * images * PQ + i * PQ;
#pragma omp simd
            for (int64_t j = 0; j < PQ; j++) dst[j] = src[j];
        }
}

/* The loops below are orphaned worksharing loops: inside a parallel region the team shares them,
 * outside one the calling thread runs them whole. */

/* dbias[k] (+)= sum over n, p, q of dy[n][k][p][q]: vectorized float sums of BIAS_BLOCK elements
 * (a few hundred per SIMD lane), added up in double, so the error does not grow with the plane. */
static void bias_grad(const pt_conv2d_shape *sh, const float *dy, float *dbias, int accumulate) {
    const int64_t N = sh->n, K = sh->k, PQ = sh->p * sh->q;
#pragma omp for schedule(static)
    for (int64_t k = 0; k < K; k++) {
        double total = 0.0;
        for (int64_t n = 0; n < N; n++) {
            const float *plane = dy + (n * K + k) * PQ;
            for (int64_t j0 = 0; j0 < PQ; j0 += BIAS_BLOCK) {
                const int64_t j1 = min64(PQ, j0 + BIAS_BLOCK);
                float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
                for (int64_t j = j0; j < j1; j++) sum += plane[j];
                total += (double)sum;
            }
        }
        dbias[k] = accumulate ? (float)((double)dbias[k] + total) : (float)total;
    }
}

/* dweight += the `copies` partial sums of `count` floats each, `stride` floats apart at partial. */
static void add_partials(int64_t count, int copies, int64_t stride, const float *partial, float *dweight) {
#pragma omp for schedule(static)
    for (int64_t j0 = 0; j0 < count; j0 += 1024) {
        const int64_t j1 = min64(count, j0 + 1024);
        for (int u = 0; u < copies; u++) {
            const float *src = partial + u * stride;
#pragma omp simd
            for (int64_t j = j0; j < j1; j++) dweight[j] += src[j];
        }
    }
}

/* Live-tap weight (K, C, R', S') from weight (K, C, R, S). */
static void pack_weight(const pt_conv2d_shape *sh, const conv_plan *pl, const float *weight, float *packed) {
    const int64_t R = sh->r, S = sh->s, Rt = pl->t.r, St = pl->t.s;
#pragma omp for schedule(static)
    for (int64_t kc = 0; kc < sh->k * sh->c; kc++)
        for (int64_t r = 0; r < Rt; r++)
            for (int64_t s = 0; s < St; s++)
                packed[(kc * Rt + r) * St + s] = weight[(kc * R + r + pl->r0) * S + s + pl->s0];
}

/* dweight (K, C, R, S) (+)= the live-tap grad (K, C, R', S'), and + 0 at the dead taps: without
 * accumulate each (k, c) block is zeroed and its live taps written; with it only the live taps are
 * touched. With packed == NULL (no live tap at all) every tap is dead. */
static void unpack_weight_grad(const pt_conv2d_shape *sh, const conv_plan *pl, const float *packed, float *dweight,
                               int accumulate) {
    const int64_t R = sh->r, S = sh->s, Rt = packed ? pl->t.r : 0, St = packed ? pl->t.s : 0;
    const int64_t r0 = packed ? pl->r0 : 0, s0 = packed ? pl->s0 : 0;
#pragma omp for schedule(static)
    for (int64_t kc = 0; kc < sh->k * sh->c; kc++) {
        float *block = dweight + kc * R * S;
        if (!accumulate)
            for (int64_t j = 0; j < R * S; j++) block[j] = 0.0f;
        for (int64_t r = 0; r < Rt; r++)
            for (int64_t s = 0; s < St; s++) block[(r + r0) * S + s + s0] += packed[(kc * Rt + r) * St + s];
    }
}

PT_KERNEL_END

/* ---------------------------------------------------------------- the two passes */

/* One worker's workspace: col (reused as dcol), Y or dY for groups of more than one image. The
 * zero-bordered planes (one per thread) and the shared parts are laid out after all workers'. */
typedef struct worker_space {
    float *col, *Y;
} worker_space;

/* Forward of images [begin, end) in groups, with one worker's workspace; `threads` run sgemm (in
 * OpenBLAS) and the loops (OpenMP): 1 inside a batch split. */
static void forward_range(const conv_plan *pl, const float *x, const float *weight, const float *bias, float *y,
                          int64_t begin, int64_t end, worker_space ws, float *pads, int threads) {
    const int64_t K = pl->t.k, CRS = pl->crs, PQ = pl->t.p * pl->t.q, CHW = pl->t.c * pl->t.h * pl->t.w;
    for (int64_t n0 = begin; n0 < end; n0 += pl->group) {
        const int64_t images = min64(pl->group, end - n0), cols = images * PQ;
        im2col(pl, x + n0 * CHW, images, ws.col, pads, threads);
        if (images == 1) { /* straight into y[n0] (K, PQ) */
            float *out = y + n0 * K * PQ;
            pt_cpu_sgemm(0, 0, K, cols, CRS, 1.0f, weight, CRS, ws.col, cols, 0.0f, out, cols);
            if (bias) add_bias(K, PQ, bias, out, threads);
        } else {
            pt_cpu_sgemm(0, 0, K, cols, CRS, 1.0f, weight, CRS, ws.col, cols, 0.0f, ws.Y, cols);
            scatter_output(images, K, PQ, ws.Y, bias, y + n0 * K * PQ, threads);
        }
    }
}

/* Backward (dx and/or dweight) of images [begin, end), as forward_range. dweight gets the sum over
 * these images: overwritten by the first group unless `accumulate`, added to after that. */
static void backward_range(const conv_plan *pl, const float *x, const float *weight, const float *dy, float *dx,
                           float *dweight, int accumulate, int64_t begin, int64_t end, worker_space ws, float *pads,
                           int threads) {
    const int64_t K = pl->t.k, CRS = pl->crs, PQ = pl->t.p * pl->t.q, CHW = pl->t.c * pl->t.h * pl->t.w;
    for (int64_t n0 = begin; n0 < end; n0 += pl->group) {
        const int64_t images = min64(pl->group, end - n0), cols = images * PQ;
        const float *grad = dy + n0 * K * PQ; /* (K, PQ) as it stands for one image */
        if (images > 1) {
            gather_grad(images, K, PQ, grad, ws.Y, threads);
            grad = ws.Y;
        }
        if (dweight) { /* (K, cols) @ (cols, CRS) */
            im2col(pl, x + n0 * CHW, images, ws.col, pads, threads);
            const float beta = (n0 == begin && !accumulate) ? 0.0f : 1.0f;
            pt_cpu_sgemm(0, 1, K, CRS, cols, 1.0f, grad, cols, ws.col, cols, beta, dweight, CRS);
        }
        if (dx) { /* dcol (CRS, cols) = weight^T (CRS, K) @ dY (K, cols), into col */
            pt_cpu_sgemm(1, 0, CRS, cols, K, 1.0f, weight, CRS, grad, cols, 0.0f, ws.col, cols);
            col2im(pl, ws.col, images, dx + n0 * CHW, pads, threads);
        }
    }
}

/* The workspace of a call: per worker col and Y, per thread a zero-bordered plane, then `extra`
 * floats; NULL (with the message set) when it cannot be had. */
static float *allocate(const char *op, const conv_plan *pl, int64_t extra, int64_t *col_floats, int64_t *y_floats,
                       float **pads, float **rest) {
    const int workers = pl->split ? pl->threads : 1;
    *col_floats = aligned_floats(pl->crs * pl->group * pl->t.p * pl->t.q);
    *y_floats = pl->group > 1 ? aligned_floats(pl->t.k * pl->group * pl->t.p * pl->t.q) : 0;
    /* In double first: a bordered plane of absurd padding could overflow (and then fails here). */
    const double plane = (double)pl->hu * (double)pl->wu + WORKSPACE_ALIGN;
    const double total = (double)workers * (double)(*col_floats + *y_floats) + (double)pl->threads * plane + extra;
    float *ws = NULL;
    if (total < (double)(PTRDIFF_MAX / (ptrdiff_t)sizeof(float)) / 2)
        ws = aligned_alloc(WORKSPACE_ALIGN, (size_t)aligned_floats((int64_t)total) * sizeof(float));
    if (!ws) {
        pt_fail(PT_ERR_OUT_OF_MEMORY, "%s: cannot allocate the im2col workspace (%.3g GiB)", op,
                total * sizeof(float) / (1 << 30));
        return NULL;
    }
    *pads = ws + workers * (*col_floats + *y_floats);
    *rest = *pads + pl->threads * aligned_floats(pl->hu * pl->wu);
    return ws;
}

/* The thread's part of the workspace: worker t's col and Y, thread t's plane. */
static worker_space worker(float *ws, int64_t col_floats, int64_t y_floats, int t) {
    float *col = ws + t * (col_floats + y_floats);
    return (worker_space){col, col + col_floats};
}

int pt_cpu_conv2d_forward(const pt_conv2d_shape *sh, const float *x, const float *weight, const float *bias,
                          float *y) {
    const int threads = pt_num_threads();
    const int64_t K = sh->k, PQ = sh->p * sh->q;
    conv_plan pl;
    if (!make_plan(sh, threads, 0, &pl)) { /* every window in the padding: y = bias */
#pragma omp parallel for schedule(static) num_threads(loop_threads(threads, sh->n * K * PQ))
        for (int64_t nk = 0; nk < sh->n * K; nk++)
            for (int64_t j = 0; j < PQ; j++) y[nk * PQ + j] = bias ? bias[nk % K] : 0.0f;
        return PT_OK;
    }
    int64_t col_floats, y_floats;
    float *pads, *packed;
    float *ws = allocate("pt_conv2d_forward", &pl, pl.trimmed ? K * pl.crs : 0, &col_floats, &y_floats, &pads, &packed);
    if (!ws) return PT_ERR_OUT_OF_MEMORY;
    const int64_t pad_floats = aligned_floats(pl.hu * pl.wu);
    if (pl.split) {
        pt_cpu_sgemm_per_thread();
#pragma omp parallel num_threads(threads)
        {
            const int t = omp_get_thread_num();
            if (pl.trimmed) pack_weight(sh, &pl, weight, packed); /* shared, then a barrier */
            forward_range(&pl, x, pl.trimmed ? packed : weight, bias, y, range_start(sh->n, threads, t),
                          range_start(sh->n, threads, t + 1), worker(ws, col_floats, y_floats, t),
                          pads + t * pad_floats, 1);
        }
    } else {
        if (pl.trimmed) {
#pragma omp parallel num_threads(loop_threads(pl.loop_threads, K * pl.crs))
            pack_weight(sh, &pl, weight, packed);
        }
        forward_range(&pl, x, pl.trimmed ? packed : weight, bias, y, 0, sh->n, worker(ws, col_floats, y_floats, 0),
                      pads, pl.loop_threads);
    }
    free(ws);
    return PT_OK;
}

int pt_cpu_conv2d_backward(const pt_conv2d_shape *sh, const float *x, const float *weight, const float *dy,
                           float *dx, float *dweight, float *dbias, int accumulate) {
    const int threads = pt_num_threads();
    const int64_t K = sh->k, KCRS = sh->k * sh->c * sh->r * sh->s;
    const int64_t dy_elements = sh->n * K * sh->p * sh->q;
    conv_plan pl;
    if (!dx && !dweight) {
        if (dbias) {
#pragma omp parallel num_threads(loop_threads(threads, dy_elements))
            bias_grad(sh, dy, dbias, accumulate);
        }
        return PT_OK;
    }
    if (!make_plan(sh, threads, dweight != NULL, &pl)) { /* no live tap: no grad reaches x or weight */
#pragma omp parallel num_threads(loop_threads(threads, dy_elements))
        {
            if (dx) {
#pragma omp for schedule(static)
                for (int64_t j = 0; j < sh->n * sh->c * sh->h * sh->w; j++) dx[j] = 0.0f;
            }
            if (dweight) unpack_weight_grad(sh, &pl, NULL, dweight, accumulate);
            if (dbias) bias_grad(sh, dy, dbias, accumulate);
        }
        return PT_OK;
    }
    /* Shared parts after the per-worker ones: the packed weight and its grad when trimmed, and the
     * dweight partials of threads 1.. when splitting. */
    const int64_t kcrs = K * pl.crs; /* live-tap weight */
    const int64_t packed_floats = pl.trimmed ? aligned_floats(kcrs) : 0;
    const int64_t grad_floats = pl.trimmed && dweight ? aligned_floats(kcrs) : 0;
    const int64_t partial_floats = pl.split && dweight ? aligned_floats(kcrs) : 0;
    int64_t col_floats, y_floats;
    float *pads, *shared;
    float *ws = allocate("pt_conv2d_backward", &pl, packed_floats + grad_floats + (threads - 1) * partial_floats,
                         &col_floats, &y_floats, &pads, &shared);
    if (!ws) return PT_ERR_OUT_OF_MEMORY;
    const int64_t pad_floats = aligned_floats(pl.hu * pl.wu);
    const float *w = pl.trimmed ? shared : weight;
    float *dw = !dweight ? NULL : pl.trimmed ? shared + packed_floats : dweight; /* the live-tap grad */
    const int dw_accumulate = accumulate && !pl.trimmed; /* a trimmed grad is unpacked onto dweight */
    float *partials = shared + packed_floats + grad_floats;
    if (pl.split) {
        pt_cpu_sgemm_per_thread();
#pragma omp parallel num_threads(threads)
        {
            const int t = omp_get_thread_num();
            if (pl.trimmed) pack_weight(sh, &pl, weight, shared);
            float *my_dw = !dw ? NULL : t == 0 ? dw : partials + (t - 1) * partial_floats;
            backward_range(&pl, x, w, dy, dx, my_dw, t == 0 && dw_accumulate, range_start(sh->n, threads, t),
                           range_start(sh->n, threads, t + 1), worker(ws, col_floats, y_floats, t),
                           pads + t * pad_floats, 1);
            if (dbias) bias_grad(sh, dy, dbias, accumulate); /* shared among the team */
            if (dw) {
#pragma omp barrier
                add_partials(kcrs, threads - 1, partial_floats, partials, dw);
                if (pl.trimmed) unpack_weight_grad(sh, &pl, dw, dweight, accumulate);
            }
        }
    } else {
        const int loop = loop_threads(pl.loop_threads, KCRS);
        if (pl.trimmed) {
#pragma omp parallel num_threads(loop)
            pack_weight(sh, &pl, weight, shared);
        }
        backward_range(&pl, x, w, dy, dx, dw, dw_accumulate, 0, sh->n, worker(ws, col_floats, y_floats, 0), pads,
                       pl.loop_threads);
#pragma omp parallel num_threads(loop_threads(pl.loop_threads, dy_elements))
        {
            if (dbias) bias_grad(sh, dy, dbias, accumulate);
            if (dw && pl.trimmed) unpack_weight_grad(sh, &pl, dw, dweight, accumulate);
        }
    }
    free(ws);
    return PT_OK;
}
