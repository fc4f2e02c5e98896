package dev.panoptim.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.panoptim.nn.Module;
import dev.panoptim.nn.Safetensors;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.optim.StateDict;
import dev.panoptim.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoints of a training run, written atomically. A checkpoint is a folder
 * {@code step-SSSSSSSS-epoch-EEE-batch-BBBBBB} in the run's checkpoint directory holding
 * <ul>
 *   <li>{@code model.safetensors}: the model's parameters and buffers under torch's names;</li>
 *   <li>{@code optimizer.json}: the optimizer's state dict (torch's structure: param groups with their
 *       options, per-param {@code step}) without its buffers, and {@code optimizer.safetensors}: the buffers,
 *       named {@code INDEX.BUFFER} (e.g. {@code 3.exp_avg}), bit for bit;</li>
 *   <li>{@code trainer.json}: a {@link CheckpointState} (arguments, data-loader position, global step, run id,
 *       seed, scheduler state, the epoch's running sums).</li>
 * </ul>
 * The folder is written under a temporary name, each file flushed to disk, then renamed into place, so a
 * checkpoint folder is always complete; older checkpoints of the directory are deleted afterwards
 * (the latest {@link #KEEP} stay).
 *
 * <pre>{@code
 * Path written = Checkpoints.save(dir, model, optimizer, state);
 * Checkpoint c = Checkpoints.load(dir);                      // the latest in dir (or dir itself)
 * Checkpoints.restore(c, model, optimizer);                  // then scheduler.loadStateDict(c.state().scheduler())
 * }</pre>
 */
public final class Checkpoints {
    /** The layout version written into trainer.json. */
    public static final int FORMAT = 1;
    /** How many checkpoints a directory keeps. */
    public static final int KEEP = 1;
    static final String MODEL = "model.safetensors";
    static final String OPTIMIZER_JSON = "optimizer.json";
    static final String OPTIMIZER_TENSORS = "optimizer.safetensors";
    static final String TRAINER = "trainer.json";
    private static final Pattern NAME = Pattern.compile("step-(\\d+)-epoch-(\\d+)-batch-(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Checkpoints() {}

    /** The folder name of a checkpoint at this position. */
    static String name(CheckpointState s) {
        return String.format(Locale.ROOT, "step-%08d-epoch-%03d-batch-%06d", s.globalStep(), s.epoch(), s.nextBatch());
    }

    /** Writes a checkpoint into {@code dir} (created when missing); returns its folder. */
    public static Path save(Path dir, Module model, Optimizer optimizer, CheckpointState state) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(name(state));
        // The same position again (a stop right after a resume, or during the last test pass) holds the same
        // tensors: the complete checkpoint there stays, rather than be deleted and rewritten.
        if (Files.isRegularFile(target.resolve(TRAINER))) return target;
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        deleteTree(tmp);
        Files.createDirectories(tmp);
        try {
            Safetensors.save(tmp.resolve(MODEL), model);
            StateDict sd = optimizer.stateDict();
            Map<Integer, Map<String, Object>> scalars = new LinkedHashMap<>();
            Map<String, Tensor> buffers = new LinkedHashMap<>();
            try {
                for (var e : sd.state().entrySet()) {
                    Map<String, Object> kept = new LinkedHashMap<>();
                    for (var f : e.getValue().entrySet()) {
                        if (f.getValue() instanceof float[] values) buffers.put(e.getKey() + "." + f.getKey(), Tensor.of(values));
                        else kept.put(f.getKey(), f.getValue());
                    }
                    scalars.put(e.getKey(), kept);
                }
                Safetensors.save(tmp.resolve(OPTIMIZER_TENSORS), buffers);
            } finally {
                buffers.values().forEach(Tensor::close);
            }
            writeDurably(tmp.resolve(OPTIMIZER_JSON), JSON.writeValueAsBytes(new StateDict(scalars, sd.paramGroups())));
            writeDurably(tmp.resolve(TRAINER), JSON.writeValueAsBytes(state));
            forceDirectory(tmp);
            if (Files.exists(target)) deleteTree(target);   // an incomplete folder of that name (not ours)
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            forceDirectory(dir);
        } finally {
            deleteTree(tmp);
        }
        prune(dir, target);
        return target;
    }

    /**
     * The checkpoint at {@code path}: a checkpoint folder (holding trainer.json), or a directory of them
     * (the latest is taken). A missing or incomplete checkpoint is an IllegalArgumentException naming it.
     */
    public static Checkpoint load(Path path) throws IOException {
        Path dir = resolve(path);
        CheckpointState state;
        try {
            state = JSON.readValue(dir.resolve(TRAINER).toFile(), CheckpointState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("checkpoint " + dir + ": " + TRAINER + " is not valid: " + e.getOriginalMessage(), e);
        }
        if (state.format() != FORMAT) {
            throw new IllegalArgumentException("checkpoint " + dir + " has format " + state.format() + "; this version reads format "
                    + FORMAT);
        }
        for (String f : List.of(MODEL, OPTIMIZER_JSON, OPTIMIZER_TENSORS)) {
            if (!Files.isRegularFile(dir.resolve(f))) throw new IllegalArgumentException("checkpoint " + dir + " lacks " + f);
        }
        StateDict scalars = StateDict.fromJson(Files.readString(dir.resolve(OPTIMIZER_JSON)));
        Map<Integer, Map<String, Object>> full = new LinkedHashMap<>();
        scalars.state().forEach((k, v) -> full.put(k, new LinkedHashMap<>(v)));
        Map<String, Tensor> buffers = Safetensors.load(dir.resolve(OPTIMIZER_TENSORS));
        try {
            for (var e : buffers.entrySet()) {
                String key = e.getKey();
                int dot = key.indexOf('.');
                int index;
                try {
                    index = dot < 1 ? -1 : Integer.parseInt(key.substring(0, dot));
                } catch (NumberFormatException ex) {
                    index = -1;
                }
                if (index < 0) {
                    throw new IllegalArgumentException("checkpoint " + dir + ": " + OPTIMIZER_TENSORS + " holds '" + key
                            + "', not a buffer named INDEX.NAME");
                }
                full.computeIfAbsent(index, k -> new LinkedHashMap<>()).put(key.substring(dot + 1), e.getValue().toFloatArray());
            }
        } finally {
            buffers.values().forEach(Tensor::close);
        }
        return new Checkpoint(dir, state, new StateDict(full, scalars.paramGroups()));
    }

    /** Copies the checkpoint's tensors into {@code model} (strict: same architecture) and its state into {@code optimizer}. */
    public static void restore(Checkpoint c, Module model, Optimizer optimizer) throws IOException {
        Safetensors.load(c.modelFile(), model);
        optimizer.loadStateDict(c.optimizer());
    }

    /** The checkpoint folder {@code path} names: itself when it holds trainer.json, else its latest checkpoint. */
    static Path resolve(Path path) throws IOException {
        if (!Files.isDirectory(path)) throw new IllegalArgumentException("checkpoint " + path + ": not found");
        if (Files.isRegularFile(path.resolve(TRAINER))) return path;
        List<Path> all = list(path);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + path + ": holds no checkpoint (neither " + TRAINER
                    + " nor folders step-*-epoch-*-batch-*)");
        }
        return all.get(all.size() - 1);
    }

    /** The complete checkpoint folders of {@code dir}, oldest first. */
    public static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p.resolve(TRAINER)))
                    .forEach(out::add);
        }
        out.sort(Comparator.comparing(Checkpoints::position, Checkpoints::compare));
        return out;
    }

    private static long[] position(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) throw new IllegalStateException(p.toString());
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
    }

    private static int compare(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) {
            int c = Long.compare(a[i], b[i]);
            if (c != 0) return c;
        }
        return 0;
    }

    /** Deletes all but the latest {@link #KEEP} checkpoints of {@code dir} (never {@code keep}), and stale temporary folders. */
    private static void prune(Path dir, Path keep) throws IOException {
        List<Path> all = list(dir);
        for (int i = 0; i < all.size() - KEEP; i++) if (!all.get(i).equals(keep)) deleteTree(all.get(i));
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
    }

    /** fsync of a directory, so a rename in it is on disk (best effort: not every file system allows it). */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // some file systems cannot open a directory for fsync; the rename still happened
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The JSON of a state (for messages and tests). */
    static String json(CheckpointState s) {
        try {
            return new String(JSON.writeValueAsBytes(s), StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
