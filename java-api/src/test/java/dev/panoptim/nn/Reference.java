package dev.panoptim.nn;

/**
 * Plain float64 forward passes of the layers, written from torch's definitions and independent of the
 * native kernels: the reference the gradient checks differentiate numerically. Arrays are row-major
 * NCHW like the tensors.
 */
final class Reference {
    private Reference() {}

    /** x (N, C, H, W), w (K, C, R, S), b (K) or null: y (N, K, P, Q). */
    static double[] conv2d(double[] x, int n, int c, int h, int w, double[] wt, int k, int r, int s, double[] b,
                           int strideH, int strideW, int padH, int padW) {
        int p = (h + 2 * padH - r) / strideH + 1, q = (w + 2 * padW - s) / strideW + 1;
        double[] y = new double[n * k * p * q];
        for (int ni = 0; ni < n; ni++) for (int ki = 0; ki < k; ki++) for (int pi = 0; pi < p; pi++) for (int qi = 0; qi < q; qi++) {
            double acc = b == null ? 0 : b[ki];
            for (int ci = 0; ci < c; ci++) for (int ri = 0; ri < r; ri++) for (int si = 0; si < s; si++) {
                int hh = pi * strideH - padH + ri, ww = qi * strideW - padW + si;
                if (hh < 0 || hh >= h || ww < 0 || ww >= w) continue;
                acc += x[((ni * c + ci) * h + hh) * w + ww] * wt[((ki * c + ci) * r + ri) * s + si];
            }
            y[((ni * k + ki) * p + pi) * q + qi] = acc;
        }
        return y;
    }

    /** x (N, IN), w (OUT, IN), b (OUT) or null. */
    static double[] linear(double[] x, int n, int in, double[] w, int out, double[] b) {
        double[] y = new double[n * out];
        for (int i = 0; i < n; i++) for (int o = 0; o < out; o++) {
            double acc = b == null ? 0 : b[o];
            for (int j = 0; j < in; j++) acc += x[i * in + j] * w[o * in + j];
            y[i * out + o] = acc;
        }
        return y;
    }

    /** Training-mode batch norm: batch mean and biased variance per channel of x (N, C, HW). */
    static double[] batchnormTrain(double[] x, int n, int c, int hw, double[] w, double[] b, double eps) {
        double[] mean = new double[c], var = new double[c];
        stats(x, n, c, hw, mean, var);
        double[] y = new double[x.length];
        for (int ni = 0; ni < n; ni++) for (int ci = 0; ci < c; ci++) for (int j = 0; j < hw; j++) {
            int i = (ni * c + ci) * hw + j;
            y[i] = (x[i] - mean[ci]) / Math.sqrt(var[ci] + eps) * w[ci] + b[ci];
        }
        return y;
    }

    /** Batch mean and biased variance per channel. */
    static void stats(double[] x, int n, int c, int hw, double[] mean, double[] var) {
        for (int ci = 0; ci < c; ci++) {
            double s = 0;
            for (int ni = 0; ni < n; ni++) for (int j = 0; j < hw; j++) s += x[(ni * c + ci) * hw + j];
            double m = s / ((double) n * hw), ss = 0;
            for (int ni = 0; ni < n; ni++) for (int j = 0; j < hw; j++) {
                double d = x[(ni * c + ci) * hw + j] - m;
                ss += d * d;
            }
            mean[ci] = m;
            var[ci] = ss / ((double) n * hw);
        }
    }

    /** Eval-mode batch norm with the given running statistics. */
    static double[] batchnormEval(double[] x, int n, int c, int hw, double[] w, double[] b, double[] rm, double[] rv,
                                  double eps) {
        double[] y = new double[x.length];
        for (int ni = 0; ni < n; ni++) for (int ci = 0; ci < c; ci++) for (int j = 0; j < hw; j++) {
            int i = (ni * c + ci) * hw + j;
            y[i] = (x[i] - rm[ci]) / Math.sqrt(rv[ci] + eps) * w[ci] + b[ci];
        }
        return y;
    }

    static double[] relu(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = Math.max(x[i], 0);
        return y;
    }

    static double[] add(double[] a, double[] b) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) y[i] = a[i] + b[i];
        return y;
    }

    /** Max pooling with -infinity padding, floor mode. */
    static double[] maxpool(double[] x, int n, int c, int h, int w, int kernel, int stride, int pad) {
        int p = (h + 2 * pad - kernel) / stride + 1, q = (w + 2 * pad - kernel) / stride + 1;
        double[] y = new double[n * c * p * q];
        for (int pl = 0; pl < n * c; pl++) for (int pi = 0; pi < p; pi++) for (int qi = 0; qi < q; qi++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < kernel; i++) for (int j = 0; j < kernel; j++) {
                int hh = pi * stride - pad + i, ww = qi * stride - pad + j;
                if (hh >= 0 && hh < h && ww >= 0 && ww < w) best = Math.max(best, x[(pl * h + hh) * w + ww]);
            }
            y[(pl * p + pi) * q + qi] = best;
        }
        return y;
    }

    /** Mean of each (H, W) plane: (N, C). */
    static double[] avgpool(double[] x, int n, int c, int hw) {
        double[] y = new double[n * c];
        for (int pl = 0; pl < n * c; pl++) {
            double s = 0;
            for (int j = 0; j < hw; j++) s += x[pl * hw + j];
            y[pl] = s / hw;
        }
        return y;
    }

    /** Mean softmax cross-entropy with label smoothing e. */
    static double crossEntropy(double[] logits, int n, int classes, int[] targets, double e) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) m = Math.max(m, logits[i * classes + j]);
            double s = 0;
            for (int j = 0; j < classes; j++) s += Math.exp(logits[i * classes + j] - m);
            double lse = m + Math.log(s);
            for (int j = 0; j < classes; j++) {
                double q = (j == targets[i] ? 1 - e : 0) + e / classes;
                total -= q * (logits[i * classes + j] - lse);
            }
        }
        return total / n;
    }
}
