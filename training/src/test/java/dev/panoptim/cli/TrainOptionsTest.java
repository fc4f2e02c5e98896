package dev.panoptim.cli;

import dev.panoptim.nn.Linear;
import dev.panoptim.optim.AdamW;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.train.CheckpointState;
import dev.panoptim.train.Checkpoints;
import dev.panoptim.train.TrainingArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The train options: given ones change the base (a command's defaults, or a checkpoint's arguments); messages name options. */
class TrainOptionsTest {
    @TempDir
    Path dir;

    private static TrainOptions parse(String... args) {
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs(args);
        return command.options;
    }

    @Test
    void givenOptionsChangeTheBase() {
        assertEquals(TrainingArgs.defaults(), parse().resolve(TrainingArgs.defaults()));
        TrainingArgs a = parse("--optimizer", "sgd", "--momentum", "0.9", "--nesterov", "--lr", "0.05", "--subset", "1",
                "--schedule", "cosine", "--augment", "--no-checkpoints", "--name", "r1").resolve(TrainingArgs.defaults());
        assertEquals("sgd", a.optimizer());
        assertEquals(0.0, a.weightDecay(), "another optimizer: its own default weight decay");
        assertEquals(0.05, a.learningRate());
        assertEquals(1, a.subset());
        assertEquals("r1", a.runName());
        assertEquals(TrainingArgs.defaults().toBuilder().optimizer("sgd").weightDecay(0.0).momentum(0.9).nesterov(true)
                .learningRate(0.05).subset(1).schedule("cosine").augment(true).checkpoints(false).runName("r1").build(), a);
    }

    @Test
    void scalingOptions() {
        TrainingArgs a = parse("--model", "smallcnn", "--width", "3", "--dropout", "0.2", "--fraction", "0.25", "--lr-rule", "fan-in")
                .resolve(TrainingArgs.defaults());
        assertEquals(TrainingArgs.defaults().toBuilder().model("smallcnn").width(3).dropout(0.2).dataFraction(0.25).lrRule("fan-in")
                .build(), a);
        TrainingArgs d = TrainingArgs.defaults();
        assertEquals(List.of(0, 0.0, 1.0, "fixed"), List.of(d.width(), d.dropout(), d.dataFraction(), d.lrRule()));
    }

    @Test
    void badScalingOptionsExitTwoNamingTheValue() {
        String[][] cases = {
                {"--fraction 0", "--fraction must be in (0, 1], got 0.0"},
                {"--fraction 1.5", "--fraction must be in (0, 1], got 1.5"},
                {"--model smallcnn --dropout 1", "--dropout must be in [0, 1), got 1.0"},
                {"--dropout 0.2", "--dropout 0.2 is for model smallcnn, not resnet18 (leave it 0)"},
                {"--width 2", "--width 2 is for model smallcnn, not resnet18 (leave it 0)"},
                {"--model smallcnn --width -8", "--width -8 gives round(8 * sqrt(2)^-8) channels < 1 for smallcnn"},
                {"--lr-rule sqrt", "--lr-rule must be one of fixed, fan-in, got sqrt"},
                {"--lr-rule fan-in --schedule onecycle", "--lr-rule fan-in does not work with schedule onecycle"},
        };
        for (String[] c : cases) {
            StringWriter err = new StringWriter();
            CommandLine cmd = PanoptimCli.commandLine();
            cmd.setErr(new PrintWriter(err));
            String[] argv = ("train --dir " + dir + " " + c[0]).split(" ");
            assertEquals(2, cmd.execute(argv), c[0] + ": " + err);
            assertTrue(err.toString().contains(c[1]), c[0] + ": " + err);
        }
    }

    @Test
    void tagsAndExamples() {
        TrainingArgs a = parse("--tags", "baseline, resnet18", "--examples", "0").resolve(TrainingArgs.defaults());
        assertEquals(java.util.List.of("baseline", "resnet18"), a.tags());
        assertEquals(0, a.examples());
        assertEquals(java.util.List.of(), TrainingArgs.defaults().tags());
        assertEquals(8, TrainingArgs.defaults().examples());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("--examples", "-1", "--tags", "a,,b").resolve(TrainingArgs.defaults()));
        assertEquals("invalid training arguments: --examples must be >= 0, got -1; --tags are invalid: a tag cannot be empty, "
                + "got '' in [a, , b]", e.getMessage());
    }

    @Test
    void resumeStartsFromTheCheckpointsArguments() throws Exception {
        TrainingArgs trained = TrainingArgs.builder().optimizer("rmsprop").learningRate(0.02).epochs(4).seed(9).build();
        try (Linear model = new Linear(2, 2); Optimizer opt = AdamW.builder(model.parameters()).build()) {
            Checkpoints.save(dir, model, opt, new CheckpointState(Checkpoints.FORMAT, trained, 1, 0, 10, "abcd1234", 9,
                    Map.of("last_epoch", 1), 0, 0, 0, 0, 0, Map.of()));
        }
        TrainingArgs a = parse("--resume", dir.toString(), "--project", "again").resolve(TrainingArgs.defaults());
        assertEquals(trained.toBuilder().resume(dir).project("again").build(), a);
    }

    @Test
    void messagesNameTheOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("--batch-size", "0", "--lr", "-1", "--val-subset", "0", "--watch", "-2").resolve(TrainingArgs.defaults()));
        assertEquals("invalid training arguments: --batch-size must be >= 1, got 0; --val-subset must be >= 1, got 0;"
                + " --watch must be >= 0, got -2; --lr must be a finite number > 0, got -1.0", e.getMessage());
        assertEquals("invalid training arguments: --dataset cifar10 needs data, the folder",
                TrainOptions.optionNames("invalid training arguments: dataset cifar10 needs data, the folder"));
        assertEquals("something else: batchSize", TrainOptions.optionNames("something else: batchSize"));
    }
}
