package dev.panoptim.cli;

import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.Trials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code panoptim log key=value ... [--step N]}: logs numbers into the current sweep trial's run, from any
 * language: the run is {@code $PANOPTIM_RUN_ID} in the store of {@code $PANOPTIM_STORE} or {@code $PANOPTIM_DIR}, set by the agent.
 * Outside a trial it is an error (exit 2). The step defaults to the run's last step + 1.
 *
 * <pre>{@code bin/panoptim log accuracy=0.93 loss=0.2 --step 3}</pre>
 */
@Command(name = "log", mixinStandardHelpOptions = true, description = "Log metrics into the current sweep trial's run.")
final class LogCommand implements Callable<Integer> {
    @Parameters(paramLabel = "KEY=VALUE", arity = "1..*", description = "Metrics, e.g. accuracy=0.93.") List<String> pairs;
    @Option(names = "--step", paramLabel = "N", description = "The step (default: the last step + 1).") Long step;

    @Override
    public Integer call() {
        String runId = System.getenv(Trials.RUN_ENV);
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("panoptim log works only inside a sweep trial: " + Trials.RUN_ENV
                    + " is not set (a sweep agent sets it, with PANOPTIM_STORE or PANOPTIM_DIR, for the trial's command)");
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("'" + p + "' is not KEY=VALUE");
            try {
                values.put(p.substring(0, eq), Double.parseDouble(p.substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + p + "': the value must be a number");
            }
        }
        try (RunStore s = new StoreOption().openExisting()) {   // the agent's store: $PANOPTIM_STORE, else $PANOPTIM_DIR
            RunInfo run = s.run(runId.strip()).orElseThrow(() -> new IllegalArgumentException(
                    "the trial's run '" + runId + "' (" + Trials.RUN_ENV + ") is not in " + s.location()));
            long at = step != null ? step : run.lastStep() + 1;
            Map<String, Object> summary = new LinkedHashMap<>(run.summary());
            summary.putAll(values);
            s.log(run.id(), at, values, List.of(), SweepCommand.JSON.writeValueAsString(summary), System.currentTimeMillis());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return 0;
    }
}
