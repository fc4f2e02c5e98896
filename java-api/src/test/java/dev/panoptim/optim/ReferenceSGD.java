package dev.panoptim.optim;

import java.util.Map;

/**
 * torch.optim.SGD (https://pytorch.org/docs/stable/generated/torch.optim.SGD.html) in float64.
 * With lr gamma, momentum mu, dampening tau, weight decay lambda, per step t of a param:
 * <pre>
 *   g = maximize ? -grad : grad
 *   if lambda != 0:  g = g + lambda * theta
 *   if mu != 0:
 *       b = g                              (the param's first step: the buffer is created from g, undamped)
 *       b = mu * b + (1 - tau) * g         (later steps)
 *       g = nesterov ? g + mu * b : b
 *   theta = theta - gamma * g
 * </pre>
 * State: {@code momentum_buffer}, only when momentum != 0 (torch creates no state otherwise and
 * keeps no step count for SGD).
 */
final class ReferenceSGD extends ReferenceOptimizer {
    ReferenceSGD(Map<String, Object> defaults) {
        super(defaults);
    }

    @Override
    void update(Group group, Param param) {
        double lr = group.num("lr"), mu = group.num("momentum"), tau = group.num("dampening");
        double lambda = group.num("weight_decay");
        boolean nesterov = group.flag("nesterov");
        double[] theta = param.data;
        double[] g = signedGrad(group, param);
        if (lambda != 0) {
            for (int i = 0; i < g.length; i++) g[i] += lambda * theta[i];
        }
        if (mu != 0) {
            boolean first = param.state == null || !param.state.buffers.containsKey("momentum_buffer");
            if (param.state == null) param.state = new State();
            double[] b = param.state.zeros("momentum_buffer", g.length);
            for (int i = 0; i < g.length; i++) {
                b[i] = first ? g[i] : mu * b[i] + (1 - tau) * g[i];
                g[i] = nesterov ? g[i] + mu * b[i] : b[i];
            }
        }
        for (int i = 0; i < g.length; i++) theta[i] -= lr * g[i];
    }
}
