package dev.panoptim.cli;

import dev.panoptim.train.Checkpoints;
import dev.panoptim.train.TrainingArgs;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every {@link TrainingArgs} field as a command-line option (a picocli mixin of {@code train} and
 * {@code demo}). An option left out keeps the command's default; with {@code --resume}, the
 * checkpoint's arguments are the base and only the options given change them.
 *
 * <pre>{@code bin/panoptim train --model resnet34 --optimizer sgd --momentum 0.9 --lr 0.05 --schedule cosine}</pre>
 */
final class TrainOptions {
    @Option(names = "--dataset", paramLabel = "NAME", description = "fashion-mnist (default) or cifar10.")
    String dataset;

    @Option(names = "--data", paramLabel = "PATH", description = "The dataset's folder (Fashion-MNIST's default: /usr/share/datasets/fashion-mnist;"
            + " CIFAR-10: cifar-10-batches-bin of the binary version, or its parent).")
    Path data;

    @Option(names = "--model", paramLabel = "NAME", description = "resnet18 (default), resnet34 or smallcnn (the scaling study's"
            + " CNN: conv3x3-ReLU-maxpool with c and 2c channels, then a linear layer).")
    String model;

    @Option(names = "--width", paramLabel = "K", description = "smallcnn's width exponent: c = round(8 * sqrt(2)^K) channels"
            + " (default 0: 8; K >= -7).")
    Integer width;

    @Option(names = "--dropout", paramLabel = "P", description = "smallcnn's dropout before its final layer, in [0, 1) (default 0).")
    Double dropout;

    @Option(names = "--fraction", paramLabel = "F", description = "Train on a fraction F in (0, 1] of the training examples"
            + " (after --subset): the first round(F*N) of a permutation seeded by --seed (default 1).")
    Double dataFraction;

    @Option(names = "--lr-rule", paramLabel = "RULE", description = "fixed (default: --lr for every layer) or fan-in (the course's"
            + " rule of thumb: each layer its own lr = --lr / sqrt(fan_in), fan_in = in_channels*kh*kw for a conv,"
            + " in_features for a linear layer; biases with their layer).")
    String lrRule;

    @Option(names = "--batch-size", paramLabel = "N", description = "Training batch size (default 64).")
    Integer batchSize;

    @Option(names = "--eval-batch-size", paramLabel = "N", description = "Evaluation batch size (default 256).")
    Integer evalBatchSize;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default 5).")
    Integer epochs;

    @Option(names = {"--lr", "--learning-rate"}, paramLabel = "LR", description = "Learning rate; onecycle's peak (default 1e-3).")
    Double learningRate;

    @Option(names = {"--classes", "--num-classes"}, paramLabel = "N", description = "Classes of the final layer (default 10).")
    Integer numClasses;

    @Option(names = "--subset", paramLabel = "K", description = "Train on every K-th example (default 10; 1 = all).")
    Integer subset;

    @Option(names = "--val-subset", paramLabel = "K", description = "Validate each epoch on every K-th test example (default 1 = all)."
            + " test_accuracy always uses the whole test set.")
    Integer valSubset;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, rmsprop, adam or adamw (default).")
    String optimizer;

    @Option(names = "--momentum", paramLabel = "M", description = "sgd's and rmsprop's momentum (default 0).")
    Double momentum;

    @Option(names = "--dampening", paramLabel = "D", description = "sgd's dampening (default 0).")
    Double dampening;

    @Option(names = "--nesterov", negatable = true, description = "Nesterov momentum for sgd (default off).")
    Boolean nesterov;

    @Option(names = "--beta1", paramLabel = "B", description = "Adam's beta1 (default 0.9).")
    Double beta1;

    @Option(names = "--beta2", paramLabel = "B", description = "Adam's beta2 (default 0.999).")
    Double beta2;

    @Option(names = "--eps", paramLabel = "E", description = "eps of adam, adamw, rmsprop (default 1e-8).")
    Double eps;

    @Option(names = "--alpha", paramLabel = "A", description = "rmsprop's smoothing constant (default 0.99).")
    Double alpha;

    @Option(names = "--amsgrad", negatable = true, description = "AMSGrad for adam and adamw (default off).")
    Boolean amsgrad;

    @Option(names = "--centered", negatable = true, description = "Centered rmsprop (default off).")
    Boolean centered;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "Weight decay (default: 0.01 for adamw, else 0).")
    Double weightDecay;

    @Option(names = "--label-smoothing", paramLabel = "E", description = "Label smoothing in [0, 1] (default 0).")
    Double labelSmoothing;

    @Option(names = "--schedule", paramLabel = "NAME", description = "constant (default), step, cosine, onecycle or warmup.")
    String schedule;

    @Option(names = "--step-size", paramLabel = "EPOCHS", description = "step: decay every this many epochs (default 1).")
    Integer stepSize;

    @Option(names = "--gamma", paramLabel = "G", description = "step: the decay factor (default 0.1).")
    Double gamma;

    @Option(names = "--warmup-steps", paramLabel = "N", description = "warmup: batches from a tenth of the lr to all of it (default 100).")
    Integer warmupSteps;

    @Option(names = "--pct-start", paramLabel = "P", description = "onecycle: share of the rising phase (default 0.3).")
    Double pctStart;

    @Option(names = "--min-lr", paramLabel = "LR", description = "cosine: the final lr (default 0).")
    Double minLr;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the initialisation, shuffles and augmentations (default 42).")
    Long seed;

    @Option(names = "--device", paramLabel = "NAME", description = "cpu (default), cuda or cuda:N: the model, optimizer state and batches on that device (CUDA that cannot be used: exit 2 with the reason; PANOPTIM_CUDA_SIM=1 runs CUDA on the CPU simulator).")
    String device;

    @Option(names = "--precision", paramLabel = "NAME", description = "fp32 (default), bf16 (bfloat16 conv and linear products, fp32 accumulation and master weights; on the CPU the convolutions run oneDNN's bf16 kernels, AVX-512 BF16 where the CPU has it) or, on CUDA, fp16 (float16 products with dynamic loss scaling).")
    String precision;

    @Option(names = "--cuda-graphs", description = "Capture the training step as a CUDA graph once per batch shape and replay it (CUDA; Adam or AdamW).")
    Boolean cudaGraphs;

    @Option(names = "--augment", negatable = true, description = "Random crop and horizontal flip while training (default off).")
    Boolean augment;

    @Option(names = "--checkpoints", negatable = true, description = "Checkpoint every epoch and on Ctrl-C (default on).")
    Boolean checkpoints;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Where checkpoints go (default: checkpoints/RUN_ID in the panoptim directory).")
    Path checkpointDir;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue from a checkpoint (a checkpoint folder, or a folder of them: the latest).")
    Path resume;

    @Option(names = "--pretrained", paramLabel = "FILE", description = "Start from these weights (safetensors with torchvision's names).")
    Path pretrained;

    @Option(names = "--feature-extract", negatable = true, description = "Freeze the pretrained network and train a new final layer (default off).")
    Boolean featureExtract;

    @Option(names = "--project", paramLabel = "NAME", description = "The tracking project (default panoptim).")
    String project;

    @Option(names = "--name", paramLabel = "NAME", description = "The run's name (default: its id).")
    String runName;

    @Option(names = "--watch", paramLabel = "N", description = "Histograms of parameters and gradients every N steps (default 0: off).")
    Integer watchEvery;

    @Option(names = "--tags", paramLabel = "TAG[,TAG...]", split = ",", description = "The run's tags, e.g. --tags baseline,resnet18.")
    List<String> tags;

    @Option(names = "--examples", paramLabel = "N",
            description = "Validation images logged with their class probabilities at each evaluation (default 8; 0: none).")
    Integer examples;

    @Option(names = "--eval-before", negatable = true,
            description = "Evaluate a new run before its first step, the step-0 point of its curves (default on; --no-eval-before skips it).")
    Boolean evalBefore;

    /**
     * The arguments: {@code base} (a command's defaults), or with {@code --resume} the checkpoint's, changed
     * by the options given. Bad values are an IllegalArgumentException naming them.
     */
    TrainingArgs resolve(TrainingArgs base) {
        TrainingArgs.Builder b;
        if (resume != null) {
            try {
                b = Checkpoints.load(resume).state().args().toBuilder();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the checkpoint " + resume + ": " + e.getMessage(), e);
            }
            b.resume(resume);
        } else {
            b = base.toBuilder();
        }
        if (dataset != null) b.dataset(dataset);
        if (data != null) b.data(data);
        if (model != null) b.model(model);
        if (width != null) b.width(width);
        if (dropout != null) b.dropout(dropout);
        if (dataFraction != null) b.dataFraction(dataFraction);
        if (lrRule != null) b.lrRule(lrRule);
        if (batchSize != null) b.batchSize(batchSize);
        if (evalBatchSize != null) b.evalBatchSize(evalBatchSize);
        if (epochs != null) b.epochs(epochs);
        if (learningRate != null) b.learningRate(learningRate);
        if (numClasses != null) b.numClasses(numClasses);
        if (subset != null) b.subset(subset);
        if (valSubset != null) b.valSubset(valSubset);
        if (optimizer != null) {
            b.optimizer(optimizer);
            if (weightDecay == null && resume == null) b.weightDecay(null);   // the new optimizer's default
        }
        if (momentum != null) b.momentum(momentum);
        if (dampening != null) b.dampening(dampening);
        if (nesterov != null) b.nesterov(nesterov);
        if (beta1 != null) b.beta1(beta1);
        if (beta2 != null) b.beta2(beta2);
        if (eps != null) b.eps(eps);
        if (alpha != null) b.alpha(alpha);
        if (amsgrad != null) b.amsgrad(amsgrad);
        if (centered != null) b.centered(centered);
        if (weightDecay != null) b.weightDecay(weightDecay);
        if (labelSmoothing != null) b.labelSmoothing(labelSmoothing);
        if (schedule != null) b.schedule(schedule);
        if (stepSize != null) b.stepSize(stepSize);
        if (gamma != null) b.gamma(gamma);
        if (warmupSteps != null) b.warmupSteps(warmupSteps);
        if (pctStart != null) b.pctStart(pctStart);
        if (minLr != null) b.minLr(minLr);
        if (seed != null) b.seed(seed);
        if (device != null) b.device(device);
        if (precision != null) b.precision(precision);
        if (cudaGraphs != null) b.cudaGraphs(cudaGraphs);
        if (augment != null) b.augment(augment);
        if (checkpoints != null) b.checkpoints(checkpoints);
        if (checkpointDir != null) b.checkpointDir(checkpointDir);
        if (pretrained != null) b.pretrained(pretrained);
        if (featureExtract != null) b.featureExtract(featureExtract);
        if (project != null) b.project(project);
        if (runName != null) b.runName(runName);
        if (watchEvery != null) b.watchEvery(watchEvery);
        if (tags != null) b.tags(tags);
        if (examples != null) b.examples(examples);
        if (evalBefore != null) b.evalBefore(evalBefore);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(optionNames(e.getMessage()), e);
        }
    }

    private static final String PREFIX = "invalid training arguments: ";
    private static final Map<String, String> RENAMED = Map.of("learningRate", "lr", "numClasses", "classes",
            "runName", "name", "watchEvery", "watch", "dataFraction", "fraction");

    /** TrainingArgs' messages name its fields (batchSize); on the command line they name the options (--batch-size). */
    static String optionNames(String message) {
        if (message == null || !message.startsWith(PREFIX)) return message;
        StringBuilder out = new StringBuilder(PREFIX);
        String[] problems = message.substring(PREFIX.length()).split("; ");
        for (int i = 0; i < problems.length; i++) {
            Matcher m = FIELD.matcher(problems[i]);
            if (i > 0) out.append("; ");
            if (!m.lookingAt() || !FIELDS.contains(m.group(1))) {
                out.append(problems[i]);
                continue;
            }
            String field = m.group(1);
            String option = RENAMED.getOrDefault(field, field.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT));
            out.append("--").append(option).append(problems[i].substring(field.length()));
        }
        return out.toString();
    }

    private static final Pattern FIELD = Pattern.compile("([a-z][A-Za-z0-9]*)(?= )");
    private static final Set<String> FIELDS = Arrays.stream(TrainingArgs.class.getRecordComponents())
            .map(RecordComponent::getName).collect(Collectors.toSet());
}
