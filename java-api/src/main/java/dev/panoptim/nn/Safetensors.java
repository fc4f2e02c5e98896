package dev.panoptim.nn;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panoptim.tensor.DType;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes safetensors files (https://huggingface.co/docs/safetensors): an 8-byte
 * little-endian header length, a JSON header {@code {name: {"dtype": "F32", "shape": [...],
 * "data_offsets": [begin, end]}, "__metadata__": {string: string}}} with offsets relative to the
 * data section, then the raw little-endian data. Files are memory-mapped (FileChannel.map into an
 * Arena) and the values copied into tensors, so a torchvision checkpoint converted with
 * {@code safetensors.torch.save_file(model.state_dict(), path)} loads into {@link ResNet} directly.
 *
 * <p>Dtypes: F32, BF16 and F16 tensors are read as tensors of that {@link DType} by {@link #load(Path)};
 * F64, I64 and I32 are converted to float32 (integers above 2^24 lose precision); other dtypes are a
 * {@link FormatException} naming the dtype. Loading into a module converts each value to the dtype of
 * the module's tensor, as torch's {@code load_state_dict} does (a BF16 checkpoint fills float32
 * parameters exactly). Writing stores each tensor in its own dtype (F32, BF16, F16), except that
 * tensors named {@code *num_batches_tracked} are written as I64, torch's dtype for them. A file is
 * written to a temporary sibling and then moved into place.
 * Malformed files (truncated, bad JSON, offsets out of range, unsupported dtypes) throw a
 * {@link FormatException} naming the file and the problem; keys or shapes that do not fit a module an
 * {@link IllegalArgumentException} listing them all, with nothing loaded.
 *
 * <pre>{@code
 * Safetensors.save(Path.of("resnet18.safetensors"), model);
 * Safetensors.load(Path.of("resnet18.safetensors"), model);        // strict: keys and shapes must match
 * }</pre>
 */
public final class Safetensors {
    /** The largest header the format allows (as the reference implementation). */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final String METADATA = "__metadata__";
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble LE_DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Safetensors() {}

    /** A malformed safetensors file; the message names the file and the problem. */
    public static final class FormatException extends IOException {
        private static final long serialVersionUID = 1L;

        FormatException(Path file, String problem) {
            super(file + ": " + problem);
        }
    }

    /** One tensor of the header. */
    private record Entry(String name, String dtype, int[] shape, long numel, long begin, long end) {
        /** The dtype of the tensor it is read into: its own for F32, BF16, F16; float32 for the others. */
        DType tensorType() {
            DType own = DType.fromSafetensorsName(dtype);
            return own != null ? own : DType.FLOAT32;
        }
    }

    private record Header(List<Entry> entries, Map<String, String> metadata, long dataStart, long dataSize) {}

    // ------------------------------------------------------------------ reading

    /**
     * Every tensor of {@code file}, in header order, as new CPU tensors the caller owns (and closes):
     * F32, BF16 and F16 in their own dtype, F64, I64 and I32 converted to float32.
     */
    public static Map<String, Tensor> load(Path file) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment m = map(file, ch, arena);
            Header h = parseHeader(file, m);
            try {
                for (Entry e : h.entries) {
                    Tensor t = Tensor.zerosOfShape(e.tensorType(), e.shape);
                    out.put(e.name, t);
                    copyOut(m, h.dataStart + e.begin, e, t.segment());
                }
            } catch (RuntimeException ex) {
                for (Tensor t : out.values()) t.close();
                throw ex;
            }
        }
        return out;
    }

    /** {@link #load(Path, Module, boolean)} with {@code strict} true. */
    public static void load(Path file, Module module) throws IOException {
        load(file, module, true);
    }

    /**
     * Loads {@code file} into {@code module}'s parameters and buffers (its {@link Module#stateDict()}),
     * copying straight from the mapped file. Shapes must match; with {@code strict} the keys must be
     * exactly the module's. Any mismatch is an {@link IllegalArgumentException} listing every missing
     * key, unexpected key and shape mismatch, and nothing is loaded.
     */
    public static void load(Path file, Module module, boolean strict) throws IOException {
        if (module == null) throw new IllegalArgumentException("module must not be null");
        Map<String, Tensor> own = module.stateDict();
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment m = map(file, ch, arena);
            Header h = parseHeader(file, m);
            Map<String, int[]> shapes = new LinkedHashMap<>();
            Map<String, Entry> byName = new LinkedHashMap<>();
            for (Entry e : h.entries) {
                shapes.put(e.name, e.shape);
                byName.put(e.name, e);
            }
            Module.checkStateDict(own, shapes, strict, file + ": ");
            for (var o : own.entrySet()) {
                Entry e = byName.get(o.getKey());
                if (e != null) copyInto(m, h.dataStart + e.begin, e, o.getValue());
            }
        }
    }

    /**
     * Decodes entry {@code e} into {@code t}: straight into a CPU tensor of the entry's dtype, else
     * through a host tensor of that dtype, which {@code copyFrom} converts and moves.
     */
    private static void copyInto(MemorySegment m, long offset, Entry e, Tensor t) {
        if (t.device().isCpu() && t.dtype() == e.tensorType()) {
            copyOut(m, offset, e, t.segment());
            return;
        }
        try (Tensor host = Tensor.zerosOfShape(e.tensorType(), t.shape())) {
            copyOut(m, offset, e, host.segment());
            t.copyFrom(host);
        }
    }

    /** The {@code __metadata__} of {@code file} (empty when it has none). */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return parseHeader(file, map(file, ch, arena)).metadata;
        }
    }

    private static MemorySegment map(Path file, FileChannel ch, Arena arena) throws IOException {
        long size = ch.size();
        if (size < 8) throw new FormatException(file, "truncated: " + size + " bytes, shorter than the 8-byte header length");
        return ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
    }

    private static Header parseHeader(Path file, MemorySegment m) throws FormatException {
        long size = m.byteSize();
        long n = m.get(LE_LONG, 0);
        if (n < 2 || n > MAX_HEADER_BYTES) {
            throw new FormatException(file, "header length " + n + " is out of range [2, " + MAX_HEADER_BYTES + "]");
        }
        if (n > size - 8) {
            throw new FormatException(file, "truncated: the header needs " + n + " bytes after the length but the file has "
                    + (size - 8));
        }
        byte[] bytes = m.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new FormatException(file, "header is not valid JSON: " + firstLine(e));
        }
        if (root == null || !root.isObject()) throw new FormatException(file, "header is not a JSON object");
        long dataStart = 8 + n;
        long dataSize = size - dataStart;
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            if (name.equals(METADATA)) {
                if (!v.isObject()) throw new FormatException(file, "__metadata__ is not an object of strings");
                for (Iterator<Map.Entry<String, JsonNode>> mi = v.fields(); mi.hasNext(); ) {
                    Map.Entry<String, JsonNode> me = mi.next();
                    if (!me.getValue().isTextual()) {
                        throw new FormatException(file, "__metadata__ value of '" + me.getKey() + "' is not a string");
                    }
                    metadata.put(me.getKey(), me.getValue().asText());
                }
                continue;
            }
            entries.add(parseEntry(file, name, v, dataSize));
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        for (int i = 1; i < sorted.size(); i++) {
            Entry a = sorted.get(i - 1), b = sorted.get(i);
            if (b.begin < a.end && b.end > b.begin) {
                throw new FormatException(file, "tensors '" + a.name + "' and '" + b.name + "' overlap");
            }
        }
        return new Header(entries, metadata, dataStart, dataSize);
    }

    private static Entry parseEntry(Path file, String name, JsonNode v, long dataSize) throws FormatException {
        String where = "tensor '" + name + "'";
        if (!v.isObject()) throw new FormatException(file, where + " is not a JSON object");
        JsonNode dt = v.get("dtype"), sh = v.get("shape"), off = v.get("data_offsets");
        if (dt == null || !dt.isTextual()) throw new FormatException(file, where + " has no dtype string");
        if (sh == null || !sh.isArray()) throw new FormatException(file, where + " has no shape array");
        if (off == null || !off.isArray() || off.size() != 2) {
            throw new FormatException(file, where + " has no data_offsets [begin, end]");
        }
        String dtype = dt.asText();
        int width = dtypeBytes(dtype);
        if (width == 0) {
            throw new FormatException(file, where + " has unsupported dtype '" + dtype + "' (supported: F32, F64, F16, BF16,"
                    + " I64, I32)");
        }
        int[] shape = new int[sh.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.canConvertToInt() || !d.isIntegralNumber() || d.asInt() < 0) {
                throw new FormatException(file, where + " has an invalid shape " + sh);
            }
            shape[i] = d.asInt();
            numel = multiply(file, where, numel, shape[i]);
        }
        for (JsonNode o : off) {
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.asLong() < 0) {
                throw new FormatException(file, where + " has invalid data_offsets " + off);
            }
        }
        long begin = off.get(0).asLong(), end = off.get(1).asLong();
        if (begin > end || end > dataSize) {
            throw new FormatException(file, where + " has data_offsets [" + begin + ", " + end + "] out of range: the data"
                    + " section holds " + dataSize + " bytes");
        }
        long bytes = multiply(file, where, numel, width);
        if (end - begin != bytes) {
            throw new FormatException(file, where + " of dtype " + dtype + " and shape " + Arrays.toString(shape) + " needs "
                    + bytes + " bytes but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        if (numel > Integer.MAX_VALUE) throw new FormatException(file, where + " has too many elements: " + numel);
        return new Entry(name, dtype, shape, numel, begin, end);
    }

    private static long multiply(Path file, String where, long a, long b) throws FormatException {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new FormatException(file, where + " is too large");
        }
    }

    private static int dtypeBytes(String dtype) {
        return switch (dtype) {
            case "F32", "I32" -> 4;
            case "F64", "I64" -> 8;
            case "F16", "BF16" -> 2;
            default -> 0;
        };
    }

    /**
     * Copies {@code e}'s values at {@code offset} of the mapped file into {@code dst}, memory of
     * {@link Entry#tensorType()} in the platform's byte order.
     */
    private static void copyOut(MemorySegment m, long offset, Entry e, MemorySegment dst) {
        long n = e.numel;
        switch (e.dtype) {
            case "F32" -> MemorySegment.copy(m, LE_FLOAT, offset, dst, ValueLayout.JAVA_FLOAT, 0, n);
            case "F16", "BF16" -> MemorySegment.copy(m, LE_SHORT, offset, dst, ValueLayout.JAVA_SHORT, 0, n);
            case "F64" -> {
                for (long i = 0; i < n; i++) dst.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) m.get(LE_DOUBLE, offset + 8 * i));
            }
            case "I64" -> {
                for (long i = 0; i < n; i++) dst.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) m.get(LE_LONG, offset + 8 * i));
            }
            case "I32" -> {
                for (long i = 0; i < n; i++) dst.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) m.get(LE_INT, offset + 4 * i));
            }
            default -> throw new IllegalStateException("unreachable dtype " + e.dtype);
        }
    }

    private static String firstLine(Exception e) {
        String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (msg == null) return e.toString();
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }

    // ------------------------------------------------------------------ writing

    /** Writes {@code module}'s {@link Module#stateDict()} with metadata {@code {"format": "pt"}}. */
    public static void save(Path file, Module module) throws IOException {
        if (module == null) throw new IllegalArgumentException("module must not be null");
        save(file, module.stateDict(), Map.of("format", "pt"));
    }

    /** Writes {@code tensors} (in map order) without metadata. */
    public static void save(Path file, Map<String, Tensor> tensors) throws IOException {
        save(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} (in map order) and {@code metadata} to {@code file}, replacing it: each
     * in its dtype (F32, BF16, F16), except {@code *num_batches_tracked} as I64.
     */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        if (file == null || tensors == null || metadata == null) {
            throw new IllegalArgumentException("file, tensors and metadata must not be null");
        }
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode md = header.putObject(METADATA);
            for (var e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) throw new IllegalArgumentException("metadata keys and values must not be null");
                md.put(e.getKey(), e.getValue());
            }
        }
        List<String> names = new ArrayList<>();
        List<Tensor> values = new ArrayList<>();
        List<Boolean> asLong = new ArrayList<>();
        long offset = 0;
        for (var e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name == null || name.equals(METADATA)) throw new IllegalArgumentException("invalid tensor name '" + name + "'");
            if (t == null || t.isClosed()) {
                throw new IllegalArgumentException("tensor '" + name + "' is " + (t == null ? "null" : "closed"));
            }
            boolean i64 = name.endsWith("num_batches_tracked");
            long bytes = i64 ? t.numel() * 8 : t.byteSize();
            ObjectNode node = header.putObject(name);
            node.put("dtype", i64 ? "I64" : t.dtype().safetensorsName());
            ArrayNode shape = node.putArray("shape");
            for (int d : t.shape()) shape.add(d);
            node.putArray("data_offsets").add(offset).add(offset + bytes);
            names.add(name);
            values.add(t);
            asLong.add(i64);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;    // keeps the data 8-byte aligned, as the reference writer
        byte[] head = Arrays.copyOf(json, padded);
        Arrays.fill(head, json.length, padded, (byte) ' ');
        long total = 8 + head.length + offset;

        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            try (Arena arena = Arena.ofConfined();
                 FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                         StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MemorySegment m = ch.map(FileChannel.MapMode.READ_WRITE, 0, total, arena);
                m.set(LE_LONG, 0, head.length);
                MemorySegment.copy(head, 0, m, ValueLayout.JAVA_BYTE, 8, head.length);
                long at = 8 + head.length;
                for (int i = 0; i < values.size(); i++) {
                    Tensor t = values.get(i);
                    // A CUDA tensor is written from a host copy.
                    Tensor host = t.device().isCpu() ? null : t.to(Device.CPU);
                    try {
                        Tensor src = host == null ? t : host;
                        long n = t.numel();
                        if (asLong.get(i)) {
                            for (long j = 0; j < n; j++) m.set(LE_LONG, at + 8 * j, (long) src.get(j));
                            at += 8 * n;
                        } else if (src.dtype() == DType.FLOAT32) {
                            MemorySegment.copy(src.segment(), ValueLayout.JAVA_FLOAT, 0, m, LE_FLOAT, at, n);
                            at += 4 * n;
                        } else {
                            MemorySegment.copy(src.segment(), ValueLayout.JAVA_SHORT, 0, m, LE_SHORT, at, n);
                            at += 2 * n;
                        }
                    } finally {
                        if (host != null) host.close();
                    }
                }
                m.force();
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
