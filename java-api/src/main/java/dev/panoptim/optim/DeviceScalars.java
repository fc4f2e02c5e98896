package dev.panoptim.optim;

import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;

import java.util.List;

/**
 * The capturable state of one param group (torch's {@code capturable=True}): the learning rate as
 * one float and the params' step counts as one float each, in memory of the params' device, which
 * the fused step reads and advances there ({@link StepExtras#lr()}, {@link StepExtras#steps()}).
 * A step captured in a CUDA graph thus uses, at each replay, the lr last written and counts that
 * keep counting. The lr is written only when it changed, so a step with an unchanged lr copies
 * nothing from the host (a copy from the host is refused during a capture).
 *
 * <pre>{@code DeviceScalars s = new DeviceScalars(device, states); s.setLr(1e-3); FusedSteps.adamw(..., null, o, s.extras(StepExtras.NONE));}</pre>
 */
final class DeviceScalars implements AutoCloseable {
    private final Tensor lr;
    private final Tensor steps;
    private final List<ParamState> states;
    private double lrOnDevice = Double.NaN;

    /** Counts start from the states' host counts (0, or a loaded state dict's). */
    DeviceScalars(Device device, List<ParamState> states) {
        this.states = List.copyOf(states);
        float[] counts = new float[states.size()];
        for (int i = 0; i < counts.length; i++) counts[i] = states.get(i).step;
        this.lr = Tensor.zeros(device, 1);
        this.steps = Tensor.of(device, counts);
    }

    /** Writes {@code value} to the device lr unless it holds it already (queued, no wait). */
    void setLr(double value) {
        if (value == lrOnDevice) return;
        lr.copyFrom(new float[] {(float) value});
        lrOnDevice = value;
    }

    /** {@code base} (the step's other extras: bf16 grads, AMP) with the lr and step counts taken from the device. */
    StepExtras extras(StepExtras base) {
        return new StepExtras(lr.nativeSegment(), steps.nativeSegment(), base.gradScale(), base.foundInf(), base.bf16Grads(),
                base.paramsBf16());
    }

    /** Copies the device counts into the states (waits for the device). */
    void readStepCounts() {
        float[] counts = steps.toFloatArray();
        for (int i = 0; i < counts.length; i++) states.get(i).step = (long) counts[i];
    }

    @Override
    public void close() {
        lr.close();
        steps.close();
    }
}
