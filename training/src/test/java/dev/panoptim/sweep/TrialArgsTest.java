package dev.panoptim.sweep;

import dev.panoptim.train.TrainingArgs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A trial's values over base TrainingArgs: every field by its keys, exact conversions, errors naming key and value. */
class TrialArgsTest {
    private static final TrainingArgs BASE = TrainingArgs.defaults();

    private static String error(Map<String, Object> values) {
        return assertThrows(IllegalArgumentException.class, () -> TrialArgs.apply(BASE, values)).getMessage();
    }

    @Test
    void everySweepableFieldBySnakeCaseKey() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("dataset", "fashion-mnist");
        v.put("data", "/tmp/fm");
        v.put("model", "resnet34");
        v.put("width", 0);          // smallcnn's: 0 for a ResNet (smallcnnValues sets them)
        v.put("dropout", 0.0);
        v.put("batch_size", 32);
        v.put("eval_batch_size", 128);
        v.put("epochs", 3);
        v.put("learning_rate", 0.01);
        v.put("lr_rule", "fan-in");
        v.put("num_classes", 12);
        v.put("subset", 50);
        v.put("data_fraction", 0.5);
        v.put("val_subset", 5);
        v.put("optimizer", "sgd");
        v.put("momentum", 0.9);
        v.put("dampening", 0.0);
        v.put("nesterov", true);
        v.put("beta1", 0.8);
        v.put("beta2", 0.99);
        v.put("eps", 1e-6);
        v.put("alpha", 0.9);
        v.put("amsgrad", true);
        v.put("centered", true);
        v.put("weight_decay", 5e-4);
        v.put("label_smoothing", 0.1);
        v.put("schedule", "step");
        v.put("step_size", 2);
        v.put("gamma", 0.5);
        v.put("warmup_steps", 10);
        v.put("pct_start", 0.2);
        v.put("min_lr", 1e-5);
        v.put("seed", 7);
        v.put("device", "cpu");
        v.put("precision", "fp32");
        v.put("cuda_graphs", false);   // true needs device cuda
        v.put("augment", true);
        v.put("checkpoints", false);
        v.put("pretrained", "/tmp/w.safetensors");
        v.put("feature_extract", true);
        v.put("watch_every", 5);
        v.put("examples", 4);
        v.put("eval_before", false);
        assertEquals(TrialArgs.sweepableKeys(), List.copyOf(v.keySet()), "the test sets every sweepable field");
        TrainingArgs expected = TrainingArgs.builder().dataset("fashion-mnist").data(Path.of("/tmp/fm")).model("resnet34").batchSize(32)
                .evalBatchSize(128).epochs(3).learningRate(0.01).lrRule("fan-in").numClasses(12).subset(50).dataFraction(0.5).valSubset(5).optimizer("sgd").momentum(0.9)
                .dampening(0.0).nesterov(true).beta1(0.8).beta2(0.99).eps(1e-6).alpha(0.9).amsgrad(true).centered(true)
                .weightDecay(5e-4).labelSmoothing(0.1).schedule("step").stepSize(2).gamma(0.5).warmupSteps(10).pctStart(0.2)
                .minLr(1e-5).seed(7).device("cpu").precision("fp32").cudaGraphs(false).augment(true).checkpoints(false)
                .pretrained(Path.of("/tmp/w.safetensors")).featureExtract(true).watchEvery(5).examples(4).evalBefore(false).build();
        assertEquals(expected, TrialArgs.apply(BASE, v));
    }

    @Test
    void smallcnnValuesOfTheScalingStudy() {
        TrainingArgs a = TrialArgs.apply(BASE, Map.of("model", "smallcnn", "width", 3, "dropout", 0.2, "data_fraction", 0.125,
                "lr_rule", "fan-in"));
        assertEquals(BASE.toBuilder().model("smallcnn").width(3).dropout(0.2).dataFraction(0.125).lrRule("fan-in").build(), a);
        assertEquals(0.25, TrialArgs.apply(BASE, Map.of("fraction", 0.25)).dataFraction(), "the train option's name");
        assertEquals(-2, TrialArgs.apply(BASE, Map.of("model", "smallcnn", "width", -2.0)).width());
        assertTrue(error(Map.of("lr_rule", "sqrt")).contains("lr_rule must be one of fixed, fan-in, got sqrt"));
        assertTrue(error(Map.of("data_fraction", 0)).contains("data_fraction must be in (0, 1], got 0.0"),
                error(Map.of("data_fraction", 0)));
        assertTrue(error(Map.of("dropout", 0.5)).contains("dropout 0.5 is for model smallcnn, not resnet18"));
        assertTrue(error(Map.of("model", "smallcnn", "width", 1.5)).contains("width must be a whole number, got 1.5"));
    }

    @Test
    void camelCaseKebabCaseAndOptionNamesAreAliases() {
        TrainingArgs a = TrialArgs.apply(BASE, Map.of("learningRate", 0.02, "batch-size", 16, "classes", 5, "watch", 3));
        assertEquals(BASE.toBuilder().learningRate(0.02).batchSize(16).numClasses(5).watchEvery(3).build(), a);
        assertEquals(0.05, TrialArgs.apply(BASE, Map.of("lr", 0.05)).learningRate());
        assertEquals("learningRate", TrialArgs.field("LEARNING_RATE"));
        assertEquals(null, TrialArgs.field("learning_rat"));
    }

    @Test
    void theTrialsValuesWinOverTheBase() {
        TrainingArgs base = BASE.toBuilder().epochs(5).batchSize(256).subset(1).build();
        TrainingArgs a = TrialArgs.apply(base, Map.of("epochs", 1, "batch_size", 32));
        assertEquals(1, a.epochs());
        assertEquals(32, a.batchSize());
        assertEquals(1, a.subset(), "what the trial does not set stays the base's");
        assertEquals(base, TrialArgs.apply(base, Map.of()));
    }

    @Test
    void numbersConvertWhereExact() {
        assertEquals(2, TrialArgs.apply(BASE, Map.of("epochs", 2.0)).epochs());
        assertEquals(1.0, TrialArgs.apply(BASE, Map.of("learning_rate", 1)).learningRate());
        assertEquals(1e-3, TrialArgs.apply(BASE, Map.of("learning_rate", "1e-3")).learningRate(), "YAML 1.1 reads 1e-3 as a string");
        assertEquals(7L, TrialArgs.apply(BASE, Map.of("seed", 7.0)).seed());
        assertEquals(true, TrialArgs.apply(BASE, Map.of("augment", "true")).augment());
        assertTrue(error(Map.of("epochs", 2.5)).contains("epochs must be a whole number, got 2.5 (Double)"));
        assertTrue(error(Map.of("batch_size", 1e10)).contains("batch_size must be a whole number, got 1.0E10 (Double)"));
        assertTrue(error(Map.of("learning_rate", (1L << 53) + 1)).contains("learning_rate must be a number, got 9007199254740993 (Long)"));
    }

    @Test
    void wrongTypesAndChoicesNameTheKeyAndValue() {
        assertTrue(error(Map.of("optimizer", 3)).contains("optimizer must be a name, got 3 (Integer)"));
        assertTrue(error(Map.of("nesterov", "yes")).contains("nesterov must be true or false, got 'yes'"));
        assertTrue(error(Map.of("learning_rate", "fast")).contains("learning_rate must be a number, got 'fast'"));
        assertTrue(error(Map.of("optimizer", "lion")).contains("optimizer must be one of sgd, rmsprop, adam, adamw, got lion"));
        String m = error(Map.of("learning_rate", -1.0, "batch_size", 0));
        assertTrue(m.contains("learning_rate must be a finite number > 0, got -1.0"), "named by the trial's key: " + m);
        assertTrue(m.contains("batch_size must be >= 1, got 0"), m);
        Map<String, Object> nulls = new LinkedHashMap<>();
        nulls.put("epochs", null);
        assertTrue(error(nulls).contains("epochs must be a whole number, got null"));
    }

    @Test
    void unknownUnsweepableAndDoubledKeysAreErrors() {
        String m = error(Map.of("learning_rat", 0.1, "drop_path", 0.5));
        assertTrue(m.contains("unknown training arguments learning_rat, drop_path") || m.contains("unknown training arguments drop_path, learning_rat"), m);
        assertTrue(m.contains("(valid, in snake_case or camelCase: dataset, data, model, width, dropout, batch_size,"), m);
        assertTrue(error(Map.of("resume", "/tmp/ckpt")).contains("resume cannot be swept: a trial is a new run"));
        assertTrue(error(Map.of("project", "p")).contains("project cannot be swept"));
        Map<String, Object> both = new LinkedHashMap<>();
        both.put("lr", 0.1);
        both.put("learning_rate", 0.2);
        assertTrue(error(both).contains("lr and learning_rate both set learningRate"));
    }

    @Test
    void weightDecayFollowsASweptOptimizerUnlessSet() {
        assertEquals(0.0, TrialArgs.apply(BASE, Map.of("optimizer", "sgd")).weightDecay(), "sgd's default, not adamw's 0.01");
        assertEquals(0.01, TrialArgs.apply(BASE.toBuilder().optimizer("sgd").build(), Map.of("optimizer", "adamw")).weightDecay());
        TrainingArgs explicit = BASE.toBuilder().weightDecay(0.05).build();
        assertEquals(0.05, TrialArgs.apply(explicit, Map.of("optimizer", "sgd")).weightDecay(), "the base's own weight decay stays");
        assertEquals(1e-4, TrialArgs.apply(BASE, Map.of("optimizer", "sgd", "weight_decay", 1e-4)).weightDecay());
    }

    @Test
    void aConfigIsCheckedBeforeAnyTrial() {
        assertEquals(List.of(), TrialArgs.problems(SweepConfig.read(Path.of("../examples/sweeps/course.yaml"))));
        List<String> p = TrialArgs.problems(SweepTest.yaml("""
                method: random
                metric: {name: f1, goal: maximize}
                parameters:
                  optimizer: {values: [adam, lion]}
                  schedule: {min: 1, max: 3}
                  epochs: {value: fast}
                  resume: {value: /tmp/x}
                  net: {parameters: {depth: {value: 18}}}
                  drop_path: {value: 0.5}
                """));
        assertTrue(p.contains("parameters.optimizer: optimizer must be one of sgd, rmsprop, adam, adamw, got lion"), p.toString());
        assertTrue(p.contains("parameters.schedule: schedule takes a name, not numbers (int_uniform)"), p.toString());
        assertTrue(p.contains("parameters.epochs: epochs must be a whole number, got 'fast'"), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("parameters.resume: resume cannot be swept")), p.toString());
        assertTrue(p.contains("parameters.net: nested parameters do not map onto the trainer's arguments"), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("parameters: unknown training argument drop_path (valid, in snake_case")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("metric.name: the trainer does not log 'f1' (it logs loss, accuracy,")), p.toString());
        assertEquals(7, p.size(), p.toString());
    }
}
