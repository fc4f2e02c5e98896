package dev.panoptim.optim;

import java.util.Map;

/**
 * torch.optim.Adam and torch.optim.AdamW (https://pytorch.org/docs/stable/generated/torch.optim.Adam.html,
 * .../torch.optim.AdamW.html) in float64; AdamW is Adam with decoupled weight decay, as in torch
 * ({@code AdamW(...) == Adam(..., decoupled_weight_decay=True)}). With lr gamma, betas (b1, b2),
 * weight decay lambda, per step t of a param (t counts that param's own steps, from 1):
 * <pre>
 *   g = maximize ? -grad : grad
 *   Adam:   if lambda != 0:  g = g + lambda * theta           (L2, into the grad)
 *   AdamW:  theta = theta * (1 - gamma * lambda)                (before the update)
 *   m = lerp(m, g, 1 - b1)                                      (exp_avg)
 *   v = b2 * v + (1 - b2) * g^2                                 (exp_avg_sq)
 *   if amsgrad:  v_max = max(v_max, v), and v_max replaces v below   (max_exp_avg_sq, of the raw v)
 *   denom = sqrt(v) / sqrt(1 - b2^t) + eps
 *   theta = theta - gamma / (1 - b1^t) * m / denom
 * </pre>
 * State: {@code step}, {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq} (amsgrad); all
 * start at zero.
 */
final class ReferenceAdam extends ReferenceOptimizer {
    private final boolean decoupled;

    private ReferenceAdam(boolean decoupled, Map<String, Object> defaults) {
        super(defaults);
        this.decoupled = decoupled;
    }

    static ReferenceAdam adam(Map<String, Object> defaults) {
        return new ReferenceAdam(false, defaults);
    }

    static ReferenceAdam adamW(Map<String, Object> defaults) {
        return new ReferenceAdam(true, defaults);
    }

    @Override
    void update(Group group, Param param) {
        double lr = group.num("lr"), eps = group.num("eps"), lambda = group.num("weight_decay");
        double b1 = group.pair("betas")[0], b2 = group.pair("betas")[1];
        boolean amsgrad = group.flag("amsgrad");
        double[] theta = param.data;
        int n = theta.length;
        if (param.state == null) param.state = new State();
        State s = param.state;
        s.step++;
        long t = s.step;
        double[] m = s.zeros("exp_avg", n);
        double[] v = s.zeros("exp_avg_sq", n);
        double[] vMax = amsgrad ? s.zeros("max_exp_avg_sq", n) : null;
        double biasCorrection1 = 1 - Math.pow(b1, t);
        double biasCorrection2 = 1 - Math.pow(b2, t);
        double stepSize = lr / biasCorrection1;
        double[] g = signedGrad(group, param);
        for (int i = 0; i < n; i++) {
            if (lambda != 0) {
                if (decoupled) theta[i] *= 1 - lr * lambda;
                else g[i] += lambda * theta[i];
            }
            m[i] = m[i] + (1 - b1) * (g[i] - m[i]);
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            double vHat = v[i];
            if (amsgrad) {
                vMax[i] = Math.max(vMax[i], v[i]);
                vHat = vMax[i];
            }
            double denom = Math.sqrt(vHat) / Math.sqrt(biasCorrection2) + eps;
            theta[i] -= stepSize * m[i] / denom;
        }
    }
}
