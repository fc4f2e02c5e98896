package dev.panoptim.tensor;

import dev.panoptim.runtime.Cuda;
import dev.panoptim.runtime.CudaStatus;
import dev.panoptim.runtime.Panoptim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The devices tests run on: the CPU always, cuda:0 where a GPU or the CUDA simulator
 * (PANOPTIM_CUDA_SIM=1) is present. Says once which ran, and why CUDA did not.
 *
 * <pre>{@code @ParameterizedTest @MethodSource("dev.panoptim.tensor.Devices#available") void t(Device d) {...}}</pre>
 */
public final class Devices {
    private static final AtomicBoolean TOLD = new AtomicBoolean();

    private Devices() {}

    /** CPU, then cuda:0 when usable. */
    public static Stream<Device> available() {
        return list().stream();
    }

    /** {@link #available()} as a list. */
    public static List<Device> list() {
        CudaStatus cuda = Panoptim.cuda();
        List<Device> out = new ArrayList<>(List.of(Device.CPU));
        if (cuda.available()) out.add(Device.CUDA);
        if (TOLD.compareAndSet(false, true)) {
            System.out.println("devices under test: " + out + (cuda.available()
                    ? (cuda.simulated() ? " (cuda:0 is the CPU simulator)" : " (" + Cuda.deviceInfo(0) + ")")
                    : " (no CUDA: " + cuda.reason() + ")"));
        }
        return out;
    }

    /** A size with a CUDA chunk edge and tail on CUDA (the simulator is slower), {@code cpuSize} on the CPU. */
    public static int big(Device device, int cpuSize) {
        return device.isCuda() ? 65_537 : cpuSize;
    }
}
