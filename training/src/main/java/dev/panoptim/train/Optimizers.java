package dev.panoptim.train;

import dev.panoptim.nn.Conv2d;
import dev.panoptim.nn.Init;
import dev.panoptim.nn.Linear;
import dev.panoptim.nn.Module;
import dev.panoptim.optim.Adam;
import dev.panoptim.optim.AdamW;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.optim.ParamGroup;
import dev.panoptim.optim.RMSprop;
import dev.panoptim.optim.SGD;
import dev.panoptim.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The fused optimizer of a {@link TrainingArgs} over the trainable parameters, with its options
 * (torch's names and defaults): {@code sgd} (momentum, dampening, nesterov), {@code rmsprop} (alpha,
 * eps, momentum, centered), {@code adam} and {@code adamw} (betas, eps, amsgrad); weight decay and the
 * learning rate for all.
 *
 * <p>The {@code lrRule}: {@code fixed} gives every parameter the learning rate (one param group);
 * {@code fan-in} (the course's rule of thumb) gives each {@link Conv2d} and {@link Linear} a param group
 * of its trainable weight and bias with {@code lr = learningRate / sqrt(fan_in)}, fan_in =
 * {@code in_channels * kh * kw} for a convolution and {@code in_features} for a linear layer; the
 * parameters of other layers (a ResNet's BatchNorms) share one group at the learning rate itself. The
 * schedules scale each group's lr from its own starting value.
 *
 * <pre>{@code Optimizer opt = Optimizers.build(args, model);}</pre>
 */
public final class Optimizers {
    private Optimizers() {}

    /** The optimizer over {@code model}'s trainable parameters, grouped by {@code a.lrRule()}. */
    public static Optimizer build(TrainingArgs a, Module model) {
        return build(a, paramsOf(a, model));
    }

    /**
     * What the optimizer gets for {@code model}: its trainable parameters (lrRule {@code fixed}), or a
     * {@link ParamGroup} per layer with its fan-in learning rate (lrRule {@code fan-in}, see the class comment).
     */
    public static List<?> paramsOf(TrainingArgs a, Module model) {
        if (!a.lrRule().equals("fan-in")) return model.parameters();
        List<ParamGroup> groups = new ArrayList<>();
        List<Tensor> others = new ArrayList<>();
        for (Module m : model.modules()) {
            List<Tensor> own = new ArrayList<>();
            for (var e : m.namedParameters().entrySet()) {
                if (!e.getKey().contains(".") && e.getValue().requiresGrad()) own.add(e.getValue());   // its own, not a child's
            }
            if (own.isEmpty()) continue;
            long fanIn = m instanceof Conv2d c ? Init.fanIn(c.weight()) : m instanceof Linear l ? l.inFeatures() : 0;
            if (fanIn > 0) groups.add(ParamGroup.of(own).with("lr", a.learningRate() / Math.sqrt(fanIn)));
            else others.addAll(own);
        }
        if (!others.isEmpty()) groups.add(ParamGroup.of(others).with("lr", a.learningRate()));
        if (groups.isEmpty()) throw new IllegalArgumentException("the model has no trainable parameters to optimize");
        return groups;
    }

    /** The optimizer over {@code params}: a {@code List<Tensor>} or a {@code List<ParamGroup>}. */
    public static Optimizer build(TrainingArgs a, List<?> params) {
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
