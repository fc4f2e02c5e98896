package dev.panoptim.ui;

import dev.panoptim.track.RunInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files of a run on this machine: its checkpoints (the run's {@code checkpointDir} config, else
 * {@code checkpoints/RUN_ID} in the panoptim directory, as the trainer writes them) and its report
 * ({@code reports/RUN_ID}, as {@code panoptim report} writes it). Names are relative to the panoptim directory
 * (or to the checkpoint folder's parent when it lies elsewhere); a path that leaves those folders is refused.
 *
 * <pre>{@code for (Map<String, Object> f : new RunFiles(dir).list(run)) System.out.println(f.get("name"));}</pre>
 */
final class RunFiles {
    /** The most files listed per run, so a folder of a million files cannot stall the page. */
    static final int MAX_FILES = 1_000;

    private final Path directory;

    RunFiles(Path directory) {
        this.directory = directory;
    }

    /** The folders that hold the run's files, with the prefix their files' names get. */
    private Map<String, Path> roots(RunInfo run) {
        Map<String, Path> roots = new LinkedHashMap<>();
        Object configured = run.config().get("checkpointDir");
        Path checkpoints = configured instanceof String s && !s.isBlank() ? Path.of(s)
                : directory.resolve("checkpoints").resolve(run.id());
        roots.put("checkpoints", checkpoints.toAbsolutePath().normalize());
        roots.put("reports", directory.resolve("reports").resolve(run.id()).toAbsolutePath().normalize());
        return roots;
    }

    List<Map<String, Object>> list(RunInfo run) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (var root : roots(run).entrySet()) {
            if (!Files.isDirectory(root.getValue())) continue;
            try (Stream<Path> files = Files.walk(root.getValue())) {
                for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile).sorted().limit(MAX_FILES)::iterator) {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("name", root.getKey() + "/" + root.getValue().relativize(p).toString().replace('\\', '/'));
                    f.put("bytes", Files.size(p));
                    f.put("modifiedAt", Files.getLastModifiedTime(p).toMillis());
                    out.add(f);
                }
            } catch (IOException | UncheckedIOException e) {
                // a folder being rewritten (a checkpoint replaced) lists what it can next time
            }
        }
        return out;
    }

    /** The file named {@code name} (as {@link #list} names it); 404 for anything else. */
    Path resolve(RunInfo run, String name) {
        int slash = name.indexOf('/');
        Path root = slash < 0 ? null : roots(run).get(name.substring(0, slash));
        if (root != null) {
            Path p = root.resolve(name.substring(slash + 1)).normalize();
            if (p.startsWith(root) && Files.isRegularFile(p)) return p;
        }
        throw ApiException.notFound("run " + run.id() + " has no file '" + name + "'");
    }
}
