package dev.panoptim.cli;

import dev.panoptim.track.Media;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.Trials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code panoptim log key=value key=@image.png ... [--step N] [--caption TEXT]}: logs numbers and images into a run from
 * any language. The run is {@code --run ID}, else the current sweep trial's {@code $PANOPTIM_RUN_ID}, in the store of
 * {@code --store}/{@code --dir}, else {@code $PANOPTIM_STORE} or {@code $PANOPTIM_DIR} (set by the agent); without a run it
 * is an error (exit 2). {@code KEY=@PATH} logs a PNG or JPEG file as an image under KEY (several under one key are one
 * list, in order), each with {@code --caption} when given. The step defaults to the run's last step + 1.
 *
 * <pre>{@code bin/panoptim log accuracy=0.93 loss=0.2 examples=@confusion.png --caption "epoch 3" --step 3}</pre>
 */
@Command(name = "log", mixinStandardHelpOptions = true, description = "Log metrics and images into a run (by default the current sweep trial's).")
final class LogCommand implements Callable<Integer> {
    @Parameters(paramLabel = "KEY=VALUE", arity = "1..*",
            description = "Metrics, e.g. accuracy=0.93, or images, e.g. examples=@sample.png (PNG or JPEG).") List<String> pairs;
    @Option(names = "--step", paramLabel = "N", description = "The step (default: the last step + 1).") Long step;
    @Option(names = "--caption", paramLabel = "TEXT", description = "The caption of the images logged.") String caption;
    @Option(names = "--run", paramLabel = "ID", description = "The run (default: $PANOPTIM_RUN_ID, the current sweep trial's).") String runId;
    @Mixin StoreOption store;

    @Override
    public Integer call() {
        String id = runId != null && !runId.isBlank() ? runId.strip() : System.getenv(Trials.RUN_ENV);
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("panoptim log needs a run: give --run ID, or run it inside a sweep trial (" + Trials.RUN_ENV
                    + " is not set; a sweep agent sets it, with PANOPTIM_STORE or PANOPTIM_DIR, for the trial's command)");
        }
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, List<RunStore.MediaItem>> media = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("'" + p + "' is not KEY=VALUE");
            String key = p.substring(0, eq), value = p.substring(eq + 1);
            if (value.startsWith("@")) {
                media.computeIfAbsent(key, k -> new ArrayList<>()).add(image(p, Path.of(value.substring(1))).item());
                continue;
            }
            try {
                values.put(key, Double.parseDouble(value));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + p + "': the value must be a number, or @FILE for a PNG or JPEG image");
            }
        }
        try (RunStore s = store.openExisting()) {   // by default the agent's store: $PANOPTIM_STORE, else $PANOPTIM_DIR
            RunInfo run = s.run(id.strip()).orElseThrow(() -> new IllegalArgumentException(
                    "the run '" + id + "' is not in " + s.location() + (runId == null ? " (from " + Trials.RUN_ENV + ")" : "")));
            long at = step != null ? step : run.lastStep() + 1;
            Map<String, Object> summary = new LinkedHashMap<>(run.summary());
            summary.putAll(values);
            long now = System.currentTimeMillis();
            s.log(run.id(), at, values, List.of(), SweepCommand.JSON.writeValueAsString(summary), now);
            for (Map.Entry<String, List<RunStore.MediaItem>> m : media.entrySet()) s.logMedia(run.id(), at, m.getKey(), m.getValue(), now);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return 0;
    }

    /** The image in {@code file} with the caption; a missing or unreadable file is an IllegalArgumentException naming it. */
    private Media image(String pair, Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("'" + pair + "': no file " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("'" + pair + "': cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        try {
            return Media.image(bytes).withCaption(caption);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + pair + "': " + e.getMessage(), e);
        }
    }
}
