package dev.panoptim.nn;

import dev.panoptim.optim.AdamW;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Devices;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.panoptim.nn.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ResNet-18 on CUDA against the same network on the CPU, tensor by tensor (llm.c's test_gpt2 in
 * spirit): logits, loss, the input's gradient, every parameter's gradient, the running statistics
 * after one training-mode step, then every parameter after one AdamW step. A batch of 2 RGB images of
 * 64x64 and 10 classes keeps the CUDA simulator to seconds (~10 s for forward and backward).
 *
 * <p>Tolerances: both devices compute in float32 but sum in other orders (the CUDA kernels tile their
 * products and reduce in trees, OpenBLAS blocks its own way), so each layer differs by a few ulps
 * times sqrt(fan-in), and ~20 layers compound that. Each tensor is compared with
 * {@code |cuda - cpu| <= TOL * max|cpu|}: relative to the tensor's scale, because a gradient element
 * that cancels to ~0 keeps the absolute error of its large terms. Measured: ~5e-6 after layer4. Not
 * 32x32: layer4's BatchNorms would see 2 values per channel (2 images of 1x1) and divide by their
 * difference, which turned a 5e-6 difference after layer3 into 2e-2 (rounding, amplified); at 64x64
 * they see 8. The largest differences are printed.
 */
class ResNetDevicesTest {
    /** Forward values and gradients: relative to each tensor's largest magnitude. */
    private static final double TOL = 1e-3;
    /** After one AdamW step (lr 1e-3) from the same grads: float32 rounding of params of magnitude <= ~1. */
    private static final double STEP_TOL = 1e-6;
    private static final int[] TARGETS = {3, 7};

    private final List<String> report = new ArrayList<>();

    @Test
    void resnet18ForwardBackwardAndAdamWStepMatchTheCpu() {
        List<Device> cudas = Devices.list().stream().filter(Device::isCuda).toList();
        assumeTrue(!cudas.isEmpty(), "no CUDA device or simulator (PANOPTIM_CUDA_SIM=1): nothing to compare with the CPU");
        Device cuda = cudas.getFirst();
        Init.manualSeed(7);
        SplittableRandom rng = new SplittableRandom(11);
        try (ResNet cpu = ResNet.resnet18(3, 10); ResNet gpu = ResNet.resnet18(3, 10);
             CrossEntropyLoss cpuLoss = new CrossEntropyLoss(0.1); CrossEntropyLoss gpuLoss = new CrossEntropyLoss(0.1);
             Tensor x = random(rng, 2, 3, 64, 64); Tensor xg = x.to(cuda)) {
            for (var e : cpu.namedParameters().entrySet()) {           // BatchNorm away from 1 and 0
                if (e.getValue().shape().length == 1) {
                    float[] v = e.getValue().toFloatArray();
                    for (int i = 0; i < v.length; i++) v[i] += (float) (0.2 * (rng.nextDouble() - 0.5));
                    e.getValue().copyFrom(v);
                }
            }
            gpu.loadStateDict(cpu.stateDict());
            gpu.to(cuda);

            long t0 = System.nanoTime();
            float lossCpu = cpuLoss.forward(cpu.forward(x), TARGETS);
            Tensor dxCpu = cpu.backward(cpuLoss.backward(), true);
            long t1 = System.nanoTime();
            float lossGpu = gpuLoss.forward(gpu.forward(xg), TARGETS);
            Tensor dxGpu = gpu.backward(gpuLoss.backward(), true);
            float[] dxGpuValues = dxGpu.toFloatArray();                 // waits for the device
            long t2 = System.nanoTime();
            System.out.printf("resnet18 2x3x64x64 forward+backward: cpu %.0f ms, %s %.0f ms%n", (t1 - t0) / 1e6, cuda,
                    (t2 - t1) / 1e6);

            assertEquals(cuda, dxGpu.device());
            assertEquals(lossCpu, lossGpu, 1e-4 * Math.abs(lossCpu), "loss");
            compare("logits", cpuLoss.probabilities(), gpuLoss.probabilities().toFloatArray(), TOL);
            compare("input grad", dxCpu, dxGpuValues, TOL);
            Map<String, Tensor> gpuParams = gpu.namedParameters();
            for (var e : cpu.namedParameters().entrySet()) {
                Tensor g = gpuParams.get(e.getKey()).grad();
                assertEquals(cuda, g.device(), e.getKey());
                compare(e.getKey() + ".grad", e.getValue().grad(), g.toFloatArray(), TOL);
            }
            Map<String, Tensor> gpuBuffers = gpu.namedBuffers();
            for (var e : cpu.namedBuffers().entrySet()) {
                compare(e.getKey(), e.getValue(), gpuBuffers.get(e.getKey()).toFloatArray(), TOL);
            }

            // The step from the same grads: AdamW's first step moves each param by ~lr * sign(grad), so a grad
            // element that is ~0 up to rounding would flip sign between devices and move by 2 * lr.
            for (var e : cpu.namedParameters().entrySet()) gpuParams.get(e.getKey()).grad().copyFrom(e.getValue().grad());
            try (Optimizer a = AdamW.builder(cpu.parameters()).lr(1e-3).build();
                 Optimizer b = AdamW.builder(gpu.parameters()).lr(1e-3).build()) {
                a.step();
                b.step();
            }
            for (var e : cpu.namedParameters().entrySet()) {
                compareAbs(e.getKey() + " after AdamW", e.getValue(), gpuParams.get(e.getKey()).toFloatArray(), STEP_TOL);
            }
            report.sort(java.util.Comparator.comparingDouble(line -> Double.parseDouble(line.substring(0, line.indexOf(' ')))));
            System.out.println("largest CPU-vs-" + cuda + " differences (relative to max|cpu|):");
            for (String line : report.subList(Math.max(0, report.size() - 8), report.size())) System.out.println("  " + line);
        }
    }

    /** |gpu - cpu| <= tol * max|cpu|, element by element; records the worst ratio. */
    private void compare(String what, Tensor cpu, float[] gpu, double tol) {
        float[] ref = cpu.toFloatArray();
        assertEquals(ref.length, gpu.length, what + " size");
        double scale = 0, worst = 0;
        for (float v : ref) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < ref.length; i++) {
            assertTrue(Float.isFinite(gpu[i]), what + "[" + i + "] is " + gpu[i]);
            worst = Math.max(worst, Math.abs(gpu[i] - ref[i]));
        }
        double rel = scale == 0 ? worst : worst / scale;
        report.add(String.format("%.3e %s (max|cpu| %.3e)", rel, what, scale));
        assertTrue(rel <= tol, what + ": largest difference " + worst + " is " + rel + " of max|cpu| " + scale
                + " (allowed " + tol + ")");
    }

    /** |gpu - cpu| <= tol, element by element. */
    private void compareAbs(String what, Tensor cpu, float[] gpu, double tol) {
        float[] ref = cpu.toFloatArray();
        double worst = 0;
        for (int i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(gpu[i] - ref[i]));
        report.add(String.format("%.3e %s (absolute)", worst, what));
        assertTrue(worst <= tol, what + ": largest difference " + worst + " (allowed " + tol + ")");
    }
}
