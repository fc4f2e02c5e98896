package dev.panoptim.ui;

import dev.panoptim.track.Media;
import dev.panoptim.track.ProcessIdentity;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunState;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.SweepInfo;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small store for the API tests: two projects, runs in every state with configs and summaries, one
 * running run of this process (so the liveness check keeps it running) with a planted spike and a NaN, and a
 * random-search sweep of six finished trials whose accuracy grows with lr.
 */
final class SeededStore {
    static final long T0 = 1_700_000_000_000L;
    static final int SPIKE_STEP = 1234, NAN_STEP = 3210, STEPS = 5000;
    static final double SPIKE = 1e6;
    static final String SWEEP_CONFIG = """
            {"method": "random", "metric": {"name": "accuracy", "goal": "maximize"},
             "parameters": {"lr": {"min": 0.001, "max": 0.1}, "optimizer": {"values": ["sgd", "adamw"]}}}""";

    final String live, spiky, sweepId;
    final List<String> finished;

    SeededStore(RunStore store) {
        ProcessIdentity me = ProcessIdentity.current();
        finished = List.of(
                run(store, "vision", "alpha", "{\"lr\": 0.1, \"optimizer\": \"sgd\", \"model\": {\"depth\": 18}}", RunState.FINISHED, 0.91, T0),
                run(store, "vision", "beta", "{\"lr\": 0.01, \"optimizer\": \"adamw\", \"model\": {\"depth\": 34}}", RunState.FAILED, 0.55, T0 + 1000),
                run(store, "audio", "gamma", "{\"lr\": 0.001, \"optimizer\": \"adamw\"}", RunState.STOPPED, 0.72, T0 + 2000));
        RunInfo l = store.createRun(new RunStore.NewRun("vision", "live-resnet", "{\"lr\": 0.05, \"optimizer\": \"sgd\"}", null,
                me.pid(), me.host(), me.startedAt(), List.of("baseline", "resnet")), System.currentTimeMillis());
        live = l.id();
        for (int step = 0; step < 10; step++) {
            store.log(live, step, Map.of("loss", 2.0 - step * 0.1), List.of(), "{\"loss\": " + (2.0 - step * 0.1) + "}", System.currentTimeMillis());
        }
        float[] pixels = new float[8 * 8];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (i % 8) / 7f;
        Media example = Media.classification(Media.image(pixels, 8, 8), List.of("cat", "dog"), new float[] {0.25f, 0.75f}, 1);
        store.logMedia(live, 9, "examples", List.of(example.item()), System.currentTimeMillis());
        long t = System.currentTimeMillis();
        store.logSystem(live, t - 20_000, Map.of("cpu.percent", 50.0, "memory.rss_mb", 900.0));
        store.logSystem(live, t - 10_000, Map.of("cpu.percent", 70.0, "memory.rss_mb", 950.0));
        RunInfo s = store.createRun(new RunStore.NewRun("vision", "spiky", "{\"lr\": 0.2}", null, me.pid(), me.host(), me.startedAt()), T0 + 3000);
        spiky = s.id();
        for (int step = 0; step < STEPS; step++) {
            double v = step == SPIKE_STEP ? SPIKE : step == NAN_STEP ? Double.NaN : 1.0 + Math.sin(step * 0.01) * 0.1;
            store.log(spiky, step, Map.of("loss", v), List.of(), "{}", T0 + 3000 + step);
        }
        store.setState(spiky, RunState.FINISHED, null, false, T0 + 9000);

        SweepInfo sweep = store.createSweep(new RunStore.NewSweep("lr-search", "random", "vision", SWEEP_CONFIG, 6L, 1), T0 + 10_000);
        sweepId = sweep.id();
        for (int i = 0; i < 6; i++) {
            double lr = 0.001 + i * 0.015;
            String optimizer = i % 2 == 0 ? "sgd" : "adamw";
            Optional<RunInfo> trial = store.claimTrial(sweepId, me,
                    index -> "{\"lr\": " + lr + ", \"optimizer\": \"" + optimizer + "\"}", T0 + 11_000 + i);
            String id = trial.orElseThrow().id();
            double accuracy = 0.5 + lr * 4;
            for (int step = 0; step < 3; step++) {
                store.log(id, step, Map.of("accuracy", accuracy * (step + 1) / 3), List.of(),
                        "{\"accuracy\": " + accuracy * (step + 1) / 3 + "}", T0 + 12_000 + i * 10 + step);
            }
            store.setState(id, RunState.FINISHED, null, false, T0 + 13_000 + i);
        }
    }

    private static String run(RunStore store, String project, String name, String config, RunState end, double accuracy, long at) {
        ProcessIdentity me = ProcessIdentity.current();
        RunInfo r = store.createRun(new RunStore.NewRun(project, name, config, null, me.pid(), me.host(), me.startedAt()), at);
        for (int step = 0; step < 5; step++) {
            store.log(r.id(), step, Map.of("loss", 1.0 / (step + 1), "accuracy", accuracy * (step + 1) / 5), List.of(),
                    "{\"loss\": " + 1.0 / (step + 1) + ", \"accuracy\": " + accuracy * (step + 1) / 5 + "}", at + step);
        }
        store.setState(r.id(), end, null, false, at + 10);
        return r.id();
    }
}
