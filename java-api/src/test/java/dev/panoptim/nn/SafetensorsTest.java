package dev.panoptim.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panoptim.tensor.DType;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** safetensors: round trips, a file written by hand in the format, and malformed files. */
class SafetensorsTest {
    @TempDir
    Path dir;

    /** Writes the 8-byte little-endian header length, the header and the data. */
    private Path write(String name, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void resnetRoundTripWithTorchsNamesAndDtypes() throws IOException {
        Path file = dir.resolve("resnet18.safetensors");
        Init.manualSeed(1);
        try (ResNet a = ResNet.resnet18(3, 10)) {
            a.stateDict().get("bn1.num_batches_tracked").fill(7f);
            a.stateDict().get("layer1.0.bn1.running_var").fill(0.5f);
            Safetensors.save(file, a);
            assertEquals(Map.of("format", "pt"), Safetensors.metadata(file));

            byte[] bytes = Files.readAllBytes(file);
            long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, (8 + n) % 8, "data starts 8-byte aligned");
            JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
            assertEquals("I64", header.get("bn1.num_batches_tracked").get("dtype").asText());
            assertEquals(0, header.get("bn1.num_batches_tracked").get("shape").size());
            assertEquals("F32", header.get("conv1.weight").get("dtype").asText());
            assertEquals("[64,3,7,7]", header.get("conv1.weight").get("shape").toString());

            Init.manualSeed(2);
            try (ResNet b = ResNet.resnet18(3, 10)) {
                assertFalse(Arrays.equals(a.stateDict().get("fc.weight").toFloatArray(), b.stateDict().get("fc.weight").toFloatArray()));
                Safetensors.load(file, b);
                for (var e : a.stateDict().entrySet()) {
                    assertArrayEquals(e.getValue().toFloatArray(), b.stateDict().get(e.getKey()).toFloatArray(), e.getKey());
                }
                assertEquals(7, ((BatchNorm2d) b.namedChildren().get("bn1")).numBatchesTracked());
            }
            Map<String, Tensor> loaded = Safetensors.load(file);
            try {
                assertEquals(List.copyOf(a.stateDict().keySet()), List.copyOf(loaded.keySet()));
                assertArrayEquals(new int[0], loaded.get("bn1.num_batches_tracked").shape());
            } finally {
                loaded.values().forEach(Tensor::close);
            }
        }
    }

    /**
     * A file laid out as safetensors.torch.save_file(state_dict) writes it for
     * Sequential(Conv2d(2, 3, 3), BatchNorm2d(3)): __metadata__ first, tensors sorted by dtype
     * alignment then name, num_batches_tracked as an I64 scalar.
     */
    @Test
    void loadsAFileWrittenByHand() throws IOException {
        String[] names = {"0.bias", "0.weight", "1.bias", "1.running_mean", "1.running_var", "1.weight"};
        int[] sizes = {3, 54, 3, 3, 3, 3};
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"},");
        header.append("\"1.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]}");
        long offset = 8;
        ByteBuffer data = le(8 + 4 * 69);
        data.putLong(12);
        for (int t = 0; t < names.length; t++) {
            String shape = names[t].equals("0.weight") ? "[3,2,3,3]" : "[3]";
            header.append(",\"").append(names[t]).append("\":{\"dtype\":\"F32\",\"shape\":").append(shape)
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + 4L * sizes[t]).append("]}");
            for (int i = 0; i < sizes[t]; i++) data.putFloat(t + i / 100f);
            offset += 4L * sizes[t];
        }
        header.append('}');
        while ((8 + header.length()) % 8 != 0) header.append(' ');
        Path file = write("hand.safetensors", header.toString(), data.array());

        try (Sequential model = new Sequential(new Conv2d(2, 3, 3), new BatchNorm2d(3))) {
            Safetensors.load(file, model);
            Map<String, Tensor> sd = model.stateDict();
            assertEquals(1.53f, sd.get("0.weight").get(53), 1e-6);
            assertArrayEquals(new float[] {0f, 0.01f, 0.02f}, sd.get("0.bias").toFloatArray());
            assertArrayEquals(new float[] {4f, 4.01f, 4.02f}, sd.get("1.running_var").toFloatArray());
            assertArrayEquals(new float[] {5f, 5.01f, 5.02f}, sd.get("1.weight").toFloatArray());
            assertEquals(12, ((BatchNorm2d) model.get(1)).numBatchesTracked());
        }
    }

    /** conv_bn.safetensors was written by the reference writer (safetensors 0.8.0): see reference_writer.py. */
    @Test
    void loadsAFileOfTheReferenceWriter() throws Exception {
        Path file = Path.of(SafetensorsTest.class.getResource("conv_bn.safetensors").toURI());
        assertEquals(Map.of("format", "pt"), Safetensors.metadata(file));
        try (Sequential model = new Sequential(new Conv2d(2, 3, 3), new BatchNorm2d(3))) {
            Safetensors.load(file, model);
            Map<String, Tensor> sd = model.stateDict();
            for (int i = 0; i < 54; i++) assertEquals(i * 0.01f - 0.2f, sd.get("0.weight").get(i), 1e-6);
            assertArrayEquals(new float[] {0.1f, -0.2f, 0.3f}, sd.get("0.bias").toFloatArray());
            assertArrayEquals(new float[] {1.5f, 0.5f, 2f}, sd.get("1.weight").toFloatArray());
            assertArrayEquals(new float[] {0f, 0.25f, -0.25f}, sd.get("1.bias").toFloatArray());
            assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f}, sd.get("1.running_mean").toFloatArray());
            assertArrayEquals(new float[] {1.1f, 0.9f, 1.3f}, sd.get("1.running_var").toFloatArray());
            assertEquals(17, ((BatchNorm2d) model.get(1)).numBatchesTracked());
        }
    }

    @Test
    void readsHalfTypesAsThemselvesAndConvertsTheOthersToFloat32() throws IOException {
        ByteBuffer d = le(8 + 4 + 4 + 16 + 4);
        d.putDouble(-2.5);                                           // F64 [1]
        d.putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-0.25f));   // F16 [2]
        d.putShort((short) (Float.floatToIntBits(3.0f) >>> 16)).putShort((short) (Float.floatToIntBits(-8f) >>> 16)); // BF16 [2]
        d.putLong(-3).putLong(1L << 20);                             // I64 [2]
        d.putInt(42);                                                // I32 [1]
        String header = "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[8,12]},"
                + "\"c\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[12,16]},"
                + "\"d\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[16,32]},"
                + "\"e\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[32,36]}}";
        Map<String, Tensor> t = Safetensors.load(write("dtypes.safetensors", header, d.array()));
        try {
            assertArrayEquals(new float[] {-2.5f}, t.get("a").toFloatArray());
            assertEquals(DType.FLOAT32, t.get("a").dtype());
            assertEquals(DType.FLOAT16, t.get("b").dtype());
            assertEquals(DType.BFLOAT16, t.get("c").dtype());
            assertEquals(DType.FLOAT32, t.get("d").dtype());
            assertArrayEquals(new float[] {1.5f, -0.25f}, t.get("b").toFloatArray());
            assertArrayEquals(new float[] {3f, -8f}, t.get("c").toFloatArray());
            assertArrayEquals(new int[] {1, 2}, t.get("c").shape());
            assertArrayEquals(new float[] {-3f, 1 << 20}, t.get("d").toFloatArray());
            assertArrayEquals(new float[] {42f}, t.get("e").toFloatArray());
            assertEquals(Map.of(), Safetensors.metadata(dir.resolve("dtypes.safetensors")));
        } finally {
            t.values().forEach(Tensor::close);
        }
    }

    /** Each tensor is written in its dtype and read back as that dtype with the same values, from any device. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void roundTripKeepsEachTensorsDType(Device device) throws IOException {
        float[] v = {1.5f, -0f, 0x1p-24f, 65504f, Float.NEGATIVE_INFINITY, -3.140625f, 1e-3f};
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Path file = dir.resolve("dtypes-" + device.toString().replace(':', '-') + ".safetensors");
        try (Tensor f32 = Tensor.of(device, v, 7, 1)) {
            tensors.put("f32", f32.to(DType.FLOAT32));
            tensors.put("bf16", f32.to(DType.BFLOAT16));
            tensors.put("f16", f32.to(DType.FLOAT16));
            Safetensors.save(file, tensors);
            byte[] bytes = Files.readAllBytes(file);
            long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
            assertEquals("F32", header.get("f32").get("dtype").asText());
            assertEquals("BF16", header.get("bf16").get("dtype").asText());
            assertEquals("F16", header.get("f16").get("dtype").asText());
            assertEquals("[28,42]", header.get("bf16").get("data_offsets").toString());
            assertEquals("[42,56]", header.get("f16").get("data_offsets").toString());
            assertEquals(8 + n + 56, bytes.length);
            // The data are little-endian half-precision bit patterns.
            ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int at = (int) (8 + n);
            assertEquals((short) 0x3fc0, data.getShort(at + 28));                 // bf16 1.5
            assertEquals((short) 0x3e00, data.getShort(at + 42));                 // fp16 1.5
            assertEquals((short) 0x8000, data.getShort(at + 44));                 // fp16 -0

            Map<String, Tensor> loaded = Safetensors.load(file);
            try {
                for (String name : List.of("f32", "bf16", "f16")) {
                    Tensor a = tensors.get(name), b = loaded.get(name);
                    assertEquals(a.dtype(), b.dtype(), name);
                    assertArrayEquals(a.shape(), b.shape(), name);
                    assertArrayEquals(a.toFloatArray(), b.toFloatArray(), name);
                }
            } finally {
                loaded.values().forEach(Tensor::close);
            }
        } finally {
            tensors.values().forEach(Tensor::close);
        }
    }

    /**
     * A file laid out by the rules the Python {@code safetensors} writer follows (header JSON padded
     * with spaces to 8 bytes, little-endian data in header order) with a BF16 weight and an F16 bias,
     * loaded into a float32 Linear: converted exactly, on any device.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.panoptim.tensor.Devices#available")
    void halfPrecisionCheckpointsLoadIntoFloat32Modules(Device device) throws IOException {
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"bias\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"weight\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[4,16]}}");
        while ((8 + header.length()) % 8 != 0) header.append(' ');
        ByteBuffer d = le(16);
        d.putShort((short) 0x7bff).putShort((short) 0x0001);                      // fp16 65504, 2^-24
        for (int bits : new int[] {0x3f80, 0xbf81, 0x0001, 0x7f7f, 0x8000, 0x4049}) d.putShort((short) bits);
        Path file = write("half.safetensors", header.toString(), d.array());
        float[] weight = {1f, -(1 + 0x1p-7f), 0x1p-133f, Float.intBitsToFloat(0x7f7f0000), -0f, 3.140625f};
        try (Linear fc = new Linear(3, 2)) {
            fc.to(device);
            Safetensors.load(file, fc);
            assertEquals(DType.FLOAT32, fc.weight().dtype());
            assertArrayEquals(weight, fc.weight().toFloatArray());
            assertArrayEquals(new float[] {65504f, 0x1p-24f}, fc.bias().toFloatArray());
        }
        Map<String, Tensor> raw = Safetensors.load(file);
        try {
            assertEquals(DType.BFLOAT16, raw.get("weight").dtype());
            assertArrayEquals(weight, raw.get("weight").toFloatArray());
        } finally {
            raw.values().forEach(Tensor::close);
        }
    }

    private void assertMalformed(Path file, String problem) {
        var e = assertThrows(Safetensors.FormatException.class, () -> Safetensors.load(file));
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(problem), "expected '" + problem + "' in: " + e.getMessage());
    }

    @Test
    void malformedFilesAreExceptionsNamingFileAndProblem() throws IOException {
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[5]);
        assertMalformed(tiny, "truncated: 5 bytes");

        Path shortHeader = dir.resolve("short.safetensors");
        Files.write(shortHeader, le(8 + 10).putLong(1000).array());
        assertMalformed(shortHeader, "truncated: the header needs 1000 bytes");

        Path huge = dir.resolve("huge.safetensors");
        Files.write(huge, le(16).putLong(Long.MAX_VALUE).array());
        assertMalformed(huge, "header length");

        assertMalformed(write("json.safetensors", "{not json", new byte[0]), "header is not valid JSON");
        assertMalformed(write("array.safetensors", "[1, 2]", new byte[0]), "header is not a JSON object");
        assertMalformed(write("dup.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                new byte[4]), "Duplicate field 'a'");
        assertMalformed(write("range.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[12]),
                "tensor 'w' has data_offsets [0, 16] out of range: the data section holds 12 bytes");
        assertMalformed(write("size.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", new byte[16]),
                "needs 16 bytes but data_offsets [0, 12] span 12");
        assertMalformed(write("dtype.safetensors", "{\"w\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}}", new byte[4]),
                "tensor 'w' has unsupported dtype 'U8'");
        assertMalformed(write("shape.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]),
                "invalid shape");
        assertMalformed(write("overlap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]), "overlap");
        assertMalformed(write("meta.safetensors", "{\"__metadata__\":{\"n\":1}}", new byte[0]), "is not a string");
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Safetensors.load(dir.resolve("absent.safetensors")));
    }

    @Test
    void keysThatDoNotFitTheModuleAreListedAndNothingIsLoaded() throws IOException {
        Path file = dir.resolve("linear.safetensors");
        try (Linear small = new Linear(3, 2); Tensor extra = Tensor.zeros(5)) {
            Map<String, Tensor> sd = new LinkedHashMap<>();
            sd.put("weight", small.weight());
            sd.put("extra", extra);
            Safetensors.save(file, sd);
        }
        try (Linear target = new Linear(3, 2)) {
            float[] before = target.weight().toFloatArray();
            var e = assertThrows(IllegalArgumentException.class, () -> Safetensors.load(file, target));
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("missing keys (1): [bias]"), e.getMessage());
            assertTrue(e.getMessage().contains("unexpected keys (1): [extra]"), e.getMessage());
            assertArrayEquals(before, target.weight().toFloatArray(), "nothing loaded");
            Safetensors.load(file, target, false);
            assertFalse(Arrays.equals(before, target.weight().toFloatArray()), "non-strict loads what fits");
        }
        try (Linear wide = new Linear(4, 2)) {
            var e = assertThrows(IllegalArgumentException.class, () -> Safetensors.load(file, wide, false));
            assertTrue(e.getMessage().contains("weight: expected shape [2, 4], got [2, 3]"), e.getMessage());
        }
    }

    @Test
    void saveReplacesAtomicallyAndRejectsBadInput() throws IOException {
        Path file = dir.resolve("t.safetensors");
        try (Tensor a = Tensor.of(new float[] {1, 2, 3}); Tensor closed = Tensor.zeros(2)) {
            Safetensors.save(file, Map.of("a", a), Map.of("note", "first"));
            a.copyFrom(new float[] {4, 5, 6});
            Safetensors.save(file, Map.of("a", a), Map.of("note", "second"));
            assertEquals(Map.of("note", "second"), Safetensors.metadata(file));
            try (var left = Files.newDirectoryStream(dir, "*.tmp-*")) {
                assertFalse(left.iterator().hasNext(), "no temporary file left");
            }
            Map<String, Tensor> back = Safetensors.load(file);
            assertArrayEquals(new float[] {4, 5, 6}, back.get("a").toFloatArray());
            back.get("a").close();
            closed.close();
            assertThrows(IllegalArgumentException.class, () -> Safetensors.save(file, Map.of("c", closed)));
            assertThrows(IllegalArgumentException.class, () -> Safetensors.save(file, Map.of("__metadata__", a)));
        }
    }
}
