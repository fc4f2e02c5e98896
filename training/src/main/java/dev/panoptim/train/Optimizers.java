package dev.panoptim.train;

import dev.panoptim.optim.Adam;
import dev.panoptim.optim.AdamW;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.optim.RMSprop;
import dev.panoptim.optim.SGD;
import dev.panoptim.tensor.Tensor;

import java.util.List;

/**
 * The fused optimizer of a {@link TrainingArgs} over the trainable parameters, with its options
 * (torch's names and defaults): {@code sgd} (momentum, dampening, nesterov), {@code rmsprop} (alpha,
 * eps, momentum, centered), {@code adam} and {@code adamw} (betas, eps, amsgrad); weight decay and the
 * learning rate for all.
 *
 * <pre>{@code Optimizer opt = Optimizers.build(args, model.parameters());}</pre>
 */
public final class Optimizers {
    private Optimizers() {}

    /** The optimizer over {@code params}. */
    public static Optimizer build(TrainingArgs a, List<Tensor> params) {
        return switch (a.optimizer()) {
            case "sgd" -> SGD.builder(params).lr(a.learningRate()).momentum(a.momentum()).dampening(a.dampening())
                    .nesterov(a.nesterov()).weightDecay(a.weightDecay()).build();
            case "rmsprop" -> RMSprop.builder(params).lr(a.learningRate()).alpha(a.alpha()).eps(a.eps())
                    .momentum(a.momentum()).centered(a.centered()).weightDecay(a.weightDecay()).build();
            // CUDA graphs replay the step's kernel arguments: lr and step counts must come from device memory.
            case "adam" -> Adam.builder(params).lr(a.learningRate()).betas(a.beta1(), a.beta2()).eps(a.eps())
                    .amsgrad(a.amsgrad()).weightDecay(a.weightDecay()).capturable(a.cudaGraphs()).build();
            case "adamw" -> AdamW.builder(params).lr(a.learningRate()).betas(a.beta1(), a.beta2()).eps(a.eps())
                    .amsgrad(a.amsgrad()).weightDecay(a.weightDecay()).capturable(a.cudaGraphs()).build();
            default -> throw new IllegalArgumentException("unknown optimizer '" + a.optimizer() + "' (valid: "
                    + String.join(", ", TrainingArgs.OPTIMIZERS) + ")");
        };
    }
}
