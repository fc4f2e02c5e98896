package dev.panoptim.tensor;

import java.util.Locale;

/**
 * The element type of a {@link Tensor} (torch's {@code dtype}): how many bytes an element takes and
 * how its bits read as a number. Every tensor has one; {@link #FLOAT32} is the default and the only
 * type the layers ({@code dev.panoptim.nn}) and the optimizers compute in. {@link #BFLOAT16} and
 * {@link #FLOAT16} halve the memory of what is only stored or moved: a model copy, gradients,
 * checkpoints. Converting to them rounds to nearest even; converting back to float32 is exact.
 *
 * <p>Mixed precision keeps the master weights (the parameters an optimizer updates) and the
 * optimizer state in float32; the trainer's {@code --precision} option picks what runs in 16 bits.
 * An optimizer given a 16-bit parameter refuses it.
 *
 * <pre>{@code
 * DType d = DType.parse("bf16");                 // BFLOAT16: 2 bytes, "BF16" in safetensors
 * try (Tensor w = Tensor.zeros(Device.CPU, d, 3, 4)) { ... }
 * }</pre>
 */
public enum DType {
    /** IEEE 754 binary32: 8 exponent bits, 24 significant bits. */
    FLOAT32(4, 0, "F32", "torch.float32", "float32", "f32", "fp32", "float"),
    /** bfloat16 (Brain float): float32's 8 exponent bits (same range), 8 significant bits. */
    BFLOAT16(2, 1, "BF16", "torch.bfloat16", "bfloat16", "bf16"),
    /** IEEE 754 binary16 (half): 5 exponent bits (largest finite 65504), 11 significant bits. */
    FLOAT16(2, 2, "F16", "torch.float16", "float16", "f16", "fp16", "half");

    private final int byteSize;
    private final int code;
    private final String safetensorsName;
    private final String torchName;
    /** Lower-case names {@link #parse} accepts besides the safetensors and torch names; the first is the canonical one. */
    private final String[] aliases;

    DType(int byteSize, int code, String safetensorsName, String torchName, String... aliases) {
        this.byteSize = byteSize;
        this.code = code;
        this.safetensorsName = safetensorsName;
        this.torchName = torchName;
        this.aliases = aliases;
    }

    /** Bytes per element: 4 for float32, 2 for bfloat16 and float16. */
    public int byteSize() {
        return byteSize;
    }

    /** The {@code pt_dtype} value of native calls (panoptim.h: PT_DTYPE_FLOAT32 0, _BFLOAT16 1, _FLOAT16 2). */
    public int code() {
        return code;
    }

    /** The name in a safetensors header: F32, BF16, F16. */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** torch's name: torch.float32, torch.bfloat16, torch.float16. */
    public String torchName() {
        return torchName;
    }

    /** True for float32, the type layers and optimizers compute in. */
    public boolean isFloat32() {
        return this == FLOAT32;
    }

    /**
     * The dtype named {@code name}, in any case: the canonical names float32, bfloat16, float16, the
     * short ones (f32, fp32, float, bf16, f16, fp16, half), torch's (torch.bfloat16, torch.half) and
     * safetensors' (F32, BF16, F16). An unknown name is an {@link IllegalArgumentException} listing them.
     */
    public static DType parse(String name) {
        String s = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("torch.")) s = s.substring("torch.".length());
        for (DType d : values()) {
            if (s.equals(d.safetensorsName.toLowerCase(Locale.ROOT))) return d;
            for (String alias : d.aliases) if (s.equals(alias)) return d;
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "' (valid: float32 (f32, fp32, float), bfloat16 (bf16),"
                + " float16 (f16, fp16, half), also as torch.<name> or safetensors' F32, BF16, F16)");
    }

    /** The dtype whose safetensors name is {@code name} (exact case, as the format spells it), or null. */
    public static DType fromSafetensorsName(String name) {
        for (DType d : values()) if (d.safetensorsName.equals(name)) return d;
        return null;
    }

    /** The canonical lower-case name: float32, bfloat16, float16. */
    @Override
    public String toString() {
        return aliases[0];
    }
}
