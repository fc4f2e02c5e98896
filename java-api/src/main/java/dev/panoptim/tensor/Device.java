package dev.panoptim.tensor;

import dev.panoptim.bindings.c.panoptim_h;

import java.util.Locale;

/**
 * Where a tensor's memory lives, and so which kernels run on it: the CPU, or CUDA device
 * {@code index} (torch's {@code torch.device}). A value: equal devices are {@code equals}.
 *
 * <pre>{@code Device d = Device.parse("cuda:1");   // d.isCuda(), d.index() == 1, d.toString() == "cuda:1"}</pre>
 */
public final class Device {
    /** Host memory; the C11 + OpenMP kernels. */
    public static final Device CPU = new Device(false, -1);
    /** CUDA device 0 ({@code cuda:0}). */
    public static final Device CUDA = new Device(true, 0);

    private final boolean cuda;
    private final int index;

    private Device(boolean cuda, int index) {
        this.cuda = cuda;
        this.index = index;
    }

    /** CUDA device {@code index} (>= 0); whether it exists is checked where memory is placed on it. */
    public static Device cuda(int index) {
        if (index < 0) throw new IllegalArgumentException("CUDA device index must be >= 0, got " + index);
        return index == 0 ? CUDA : new Device(true, index);
    }

    /** Parses "cpu", "cuda" (= cuda:0) or "cuda:N" (any case), naming the valid forms when the name is unknown. */
    public static Device parse(String name) {
        String s = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) return CPU;
        if (s.equals("cuda")) return CUDA;
        if (s.startsWith("cuda:") && s.length() > 5 && s.length() <= 14 && s.substring(5).chars().allMatch(Character::isDigit)) {
            long i = Long.parseLong(s.substring(5));
            if (i <= Integer.MAX_VALUE) return cuda((int) i);
        }
        throw new IllegalArgumentException("unknown device '" + name + "' (valid: cpu, cuda, cuda:N)");
    }

    /** The pt_device value passed to native calls (PT_DEVICE_CPU or PT_DEVICE_CUDA). */
    public int code() {
        return cuda ? panoptim_h.PT_DEVICE_CUDA() : panoptim_h.PT_DEVICE_CPU();
    }

    /** The CUDA device index; -1 for the CPU (torch's {@code None}). */
    public int index() {
        return index;
    }

    /** True for a CUDA device. */
    public boolean isCuda() {
        return cuda;
    }

    /** True for the CPU. */
    public boolean isCpu() {
        return !cuda;
    }

    /**
     * Throws an {@link IllegalArgumentException} naming both devices when they differ: every op on
     * tensors of two devices fails this way.
     */
    public static void requireSame(String what, Device a, Device b) {
        if (!a.equals(b)) {
            throw new IllegalArgumentException(what + ": expected all tensors on the same device, but found " + a + " and " + b);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device d && d.cuda == cuda && d.index == index;
    }

    @Override
    public int hashCode() {
        return cuda ? 31 + index : 0;
    }

    /** "cpu" or "cuda:N". */
    @Override
    public String toString() {
        return cuda ? "cuda:" + index : "cpu";
    }
}
