package dev.panoptim.train;

import dev.panoptim.nn.CrossEntropyLoss;
import dev.panoptim.nn.Module;
import dev.panoptim.optim.GradScaler;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.tensor.DType;

/**
 * The trainer's {@code precision}, torch.autocast's recipe on panoptim's kernels: {@code fp32} changes
 * nothing; {@code bf16} makes conv and linear compute with bfloat16 operands and float32 accumulation
 * (BatchNorm, softmax and the loss stay float32) from a bf16 copy of their weights that the fused
 * optimizer writes in the same pass as the float32 master update; {@code fp16} computes those products
 * in float16, whose narrow range needs dynamic loss scaling ({@link GradScaler}: the loss gradient is
 * scaled up, the step unscales, skips on inf/NaN and backs the scale off).
 *
 * <pre>{@code GradScaler scaler = MixedPrecision.setUp("fp16", model, optimizer);   // null for fp32 and bf16}</pre>
 */
final class MixedPrecision {
    private MixedPrecision() {}

    /** Sets {@code model} and {@code optimizer} up for {@code precision}; returns the loss scaler fp16 needs, else null. */
    static GradScaler setUp(String precision, Module model, Optimizer optimizer) {
        switch (precision) {
            case "fp32" -> {
                return null;
            }
            case "bf16" -> {
                optimizer.writeBf16Copies(model.setComputeDType(DType.BFLOAT16).bf16WeightCopies());
                return null;
            }
            case "fp16" -> {
                model.setComputeDType(DType.FLOAT16);
                return GradScaler.builder().build();
            }
            default -> throw new IllegalArgumentException("precision must be fp32, bf16 or fp16, got " + precision);
        }
    }

    /** Backward from the loss's gradient and one optimizer step, through {@code scaler} when there is one. */
    static void backwardAndStep(Module model, CrossEntropyLoss criterion, Optimizer optimizer, GradScaler scaler) {
        if (scaler == null) {
            model.backward(criterion.backward(), false);
            optimizer.step();
            return;
        }
        model.backward(scaler.scale(criterion.backward()), false);
        scaler.step(optimizer);
        scaler.update();
    }
}
