package dev.panoptim.cli;

import dev.panoptim.data.DatasetException;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.RunStores;
import dev.panoptim.track.Tracking;
import dev.panoptim.train.Trainer;
import dev.panoptim.train.TrainingArgs;
import dev.panoptim.train.TrainingResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code panoptim train}: trains a ResNet (or the scaling study's smallcnn) on Fashion-MNIST or CIFAR-10 with every {@link TrainingArgs}
 * field as an option, tracked in the local run store, checkpointed every epoch and on Ctrl-C; ends by
 * printing the run id and {@code test_accuracy=0.xxxx} (the accuracy on the whole test set).
 *
 * <pre>{@code bin/panoptim train --dataset fashion-mnist --model resnet18 --subset 1 --epochs 2 --schedule onecycle --lr 3e-3}</pre>
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a ResNet on Fashion-MNIST or CIFAR-10, tracked and checkpointed.",
            "torchvision's resnet18 or resnet34 (or smallcnn, the scaling study's CNN, whose",
            "--width, --dropout, --fraction and --lr-rule set a point of the study; the",
            "parameter count, forward FLOPs and training compute are printed and stored in",
            "the run's summary): the accuracy before training, then per",
            "epoch a training pass (a progress bar in a terminal) and a validation pass.",
            "Tracked (panoptim runs, panoptim report); checkpointed every epoch and on",
            "Ctrl-C (--resume DIR continues bit for bit). Ends with the run id and",
            "test_accuracy=0.xxxx on the whole test set."})
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    TrainOptions options;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "The panoptim directory: panoptim.db and checkpoints/ (default: -Dpanoptim.dir, else $PANOPTIM_DIR, else ./panoptim).")
    Path dir;

    @Override
    public Integer call() {
        TrainingArgs args = options.resolve(TrainingArgs.defaults());
        TrainingResult r = run(args, dir);
        return r.stopped() ? 130 : 0;
    }

    /** The run store of {@code --dir} (SQLite in it), else the default ({@link Tracking#defaultLocation()}: $PANOPTIM_STORE first). */
    static String storeLocation(Path dir) {
        return dir != null ? dir.toAbsolutePath().normalize().toString() : Tracking.defaultLocation();
    }

    /** Trains with {@code args} into the panoptim directory {@code dir} (null: the default), printing the run id and the test accuracy. */
    static TrainingResult run(TrainingArgs args, Path dir) {
        Trainer.checkDevice(args);   // CUDA that cannot be used: exit 2 before the store is opened or created
        Path directory = dir != null ? dir.toAbsolutePath().normalize() : Tracking.defaultDirectory();
        try (RunStore store = RunStores.open(storeLocation(dir));
             Trainer trainer = Trainer.builder(args).store(store).directory(directory).build()) {
            TrainingResult r = trainer.train();
            System.out.println("run " + r.runId());
            if (!r.stopped()) System.out.printf(Locale.ROOT, "test_accuracy=%.4f%n", r.testAccuracy());
            return r;
        } catch (DatasetException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
