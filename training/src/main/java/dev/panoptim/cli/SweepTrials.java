package dev.panoptim.cli;

import dev.panoptim.sweep.SweepConfig;
import dev.panoptim.sweep.Sweeps;
import dev.panoptim.sweep.TrainerTrial;
import dev.panoptim.sweep.TrialArgs;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SweepInfo;
import dev.panoptim.train.Trainer;
import dev.panoptim.train.TrainingArgs;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * How {@code sweep run} and {@code agent} run a sweep's trials: as subprocesses of its {@code program} or
 * {@code command}, or, for a config with neither, by training panoptim's trainer in-process
 * ({@link TrainerTrial}) over the train options given (on {@link #BASE}), the trial's values winning.
 * Everything that would make every trial fail is an IllegalArgumentException before the first one.
 *
 * <pre>{@code SweepTrials trials = SweepTrials.of(config, "course.yaml", train, spec); int ran = trials.run(store, dir, id, 2);}</pre>
 */
final class SweepTrials {
    /** The base of a sweep of the trainer: train's defaults without checkpoints (trials are compared, seldom continued). */
    static final TrainingArgs BASE = TrainingArgs.builder().checkpoints(false).build();
    /** Train options a trial takes from its sweep instead. */
    private static final List<String> FROM_THE_SWEEP = List.of("--resume", "--checkpoint-dir", "--project", "--name");

    private final TrainingArgs base;   // null: subprocesses
    private boolean stopped;

    private SweepTrials(TrainingArgs base) {
        this.base = base;
    }

    /** For a stored sweep, as {@code agent} runs it; an unknown id is an IllegalArgumentException. */
    static SweepTrials of(RunStore store, String sweepId, TrainOptions train, CommandSpec spec) {
        SweepInfo sweep = store.sweep(sweepId).orElseThrow(() ->
                new IllegalArgumentException("unknown sweep id '" + sweepId + "' in " + store.location()));
        return of(Sweeps.config(sweep), "sweep " + sweepId, train, spec);
    }

    /** For {@code config} (named {@code source} in messages), with the train options of {@code spec}'s mixin {@code train}. */
    static SweepTrials of(SweepConfig config, String source, TrainOptions train, CommandSpec spec) {
        List<String> given = given(spec, train);
        if (config.program() != null || config.command() != null) {
            if (!given.isEmpty()) {
                throw new IllegalArgumentException(String.join(", ", given) + ": train options set the base of a sweep of panoptim's"
                        + " trainer (a config without program), but " + source + " runs "
                        + (config.program() != null ? config.program() : String.join(" ", config.command()))
                        + (given.contains("--seed") && spec.findOption("--sweep-seed") != null ? " (the sampler's seed is --sweep-seed)" : ""));
            }
            return new SweepTrials(null);
        }
        List<String> refused = given.stream().filter(FROM_THE_SWEEP::contains).toList();
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", refused) + ": not for a sweep's trials: each is a new run, named by"
                    + " the sweep, in the config's project, checkpointed (--checkpoints) into checkpoints/RUN_ID");
        }
        List<String> problems = TrialArgs.problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(source + " has no program, so its trials train panoptim's trainer, which it does not fit ("
                    + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "):\n  " + String.join("\n  ", problems));
        }
        TrainingArgs base = train.resolve(BASE);
        Trainer.checkDevice(base);   // every trial would fail on it: say so once, before a trial is claimed
        return new SweepTrials(base);
    }

    /** Runs up to {@code count} trials (null: until the sweep has none left); returns how many ran. */
    int run(RunStore store, Path dir, String sweepId, Integer count) {
        if (base == null) return Sweeps.agentProcesses(store, dir, sweepId, count);
        if (count != null && count < 1) throw new IllegalArgumentException("--count must be at least 1, not " + count);
        TrainerTrial trial = new TrainerTrial(store, dir, base, System.out);
        int ran = 0;
        // One trial per agent call: after Ctrl-C (the trial ends as stopped, the JVM is exiting) claim no more.
        while ((count == null || ran < count) && !trial.interrupted()) {
            int one = Sweeps.agent(store, sweepId, 1, trial);
            if (one == 0) break;
            ran += one;
        }
        stopped = trial.interrupted();
        return ran;
    }

    /** Whether Ctrl-C stopped the last trial (the command then exits 130, as train does); early termination does not count. */
    boolean stopped() {
        return stopped;
    }

    /** The options of the mixin {@code options} given on the command line. */
    private static List<String> given(CommandSpec spec, Object options) {
        List<OptionSpec> mine = spec.mixins().values().stream().filter(m -> m.userObject() == options)
                .flatMap(m -> m.options().stream()).toList();
        return spec.commandLine().getParseResult().matchedOptions().stream().filter(mine::contains)
                .map(OptionSpec::longestName).toList();
    }
}
