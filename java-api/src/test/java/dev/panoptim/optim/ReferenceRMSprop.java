package dev.panoptim.optim;

import java.util.Map;

/**
 * torch.optim.RMSprop (https://pytorch.org/docs/stable/generated/torch.optim.RMSprop.html) in
 * float64. With lr gamma, smoothing alpha, momentum mu, weight decay lambda, per step of a param:
 * <pre>
 *   g = maximize ? -grad : grad
 *   if lambda != 0:  g = g + lambda * theta
 *   v = alpha * v + (1 - alpha) * g^2                 (square_avg)
 *   v~ = v
 *   if centered:
 *       g_ave = lerp(g_ave, g, 1 - alpha)             (grad_avg = g_ave + (1 - alpha) * (g - g_ave))
 *       v~ = v~ - g_ave^2
 *   d = sqrt(v~) + eps                                (eps after the square root)
 *   if mu > 0:  b = mu * b + g / d;  theta = theta - gamma * b
 *   else:       theta = theta - gamma * g / d
 * </pre>
 * State: {@code step}, {@code square_avg}, {@code momentum_buffer} (momentum > 0), {@code grad_avg}
 * (centered); all start at zero.
 */
final class ReferenceRMSprop extends ReferenceOptimizer {
    ReferenceRMSprop(Map<String, Object> defaults) {
        super(defaults);
    }

    @Override
    void update(Group group, Param param) {
        double lr = group.num("lr"), alpha = group.num("alpha"), eps = group.num("eps");
        double lambda = group.num("weight_decay"), mu = group.num("momentum");
        boolean centered = group.flag("centered");
        double[] theta = param.data;
        int n = theta.length;
        if (param.state == null) param.state = new State();
        State s = param.state;
        s.step++;
        double[] v = s.zeros("square_avg", n);
        double[] b = mu > 0 ? s.zeros("momentum_buffer", n) : null;
        double[] gAve = centered ? s.zeros("grad_avg", n) : null;
        double[] g = signedGrad(group, param);
        for (int i = 0; i < n; i++) {
            if (lambda != 0) g[i] += lambda * theta[i];
            v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
            double vTilde = v[i];
            if (centered) {
                gAve[i] = gAve[i] + (1 - alpha) * (g[i] - gAve[i]);
                vTilde -= gAve[i] * gAve[i];
            }
            double d = Math.sqrt(vTilde) + eps;
            if (mu > 0) {
                b[i] = mu * b[i] + g[i] / d;
                theta[i] -= lr * b[i];
            } else {
                theta[i] -= lr * g[i] / d;
            }
        }
    }
}
