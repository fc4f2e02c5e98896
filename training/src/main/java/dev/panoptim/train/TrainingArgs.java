package dev.panoptim.train;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.panoptim.nn.SmallCnn;
import dev.panoptim.tensor.Device;
import dev.panoptim.track.RunStore;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything a training run is made of, with the course's defaults (batch size 64, 5 epochs, learning
 * rate 1e-3, 10 classes, subset 10, AdamW): the config a tracked run stores and a checkpoint keeps.
 * Build it with {@link #builder()} (or {@link #toBuilder()}); {@code build()} checks every value and
 * names the bad ones with what is allowed. Choices are lower-case strings:
 * <ul>
 *   <li>{@code dataset}: {@code fashion-mnist} (from {@code data}, else /usr/share/datasets/fashion-mnist) or
 *       {@code cifar10} (needs {@code data}); {@code subset} k keeps every k-th training example (1: all),
 *       {@code valSubset} every k-th test example for the per-epoch validation (the final
 *       {@code test_accuracy} always uses the whole test set);</li>
 *   <li>{@code model}: {@code resnet18} or {@code resnet34} (torchvision's), trained from scratch, or from
 *       {@code pretrained} safetensors weights (torch names), all layers or, with {@code featureExtract},
 *       only a new final layer; or {@code smallcnn}, the scaling study's CNN ({@link SmallCnn}) of width exponent
 *       {@code width} (c = round(8 * sqrt(2)^width) channels) with {@code dropout} before its final layer;</li>
 *   <li>scaling: {@code dataFraction} F in (0, 1] trains on the first round(F * N) examples of a seeded permutation
 *       of the {@code subset}'s N; {@code lrRule} {@code fan-in} gives each layer a param group of lr / sqrt(fan_in);</li>
 *   <li>{@code optimizer}: {@code sgd} (momentum, dampening, nesterov), {@code rmsprop} (alpha, eps,
 *       momentum, centered), {@code adam} or {@code adamw} (beta1, beta2, eps, amsgrad); {@code weightDecay}
 *       defaults to torch's (0.01 for AdamW, else 0);</li>
 *   <li>{@code schedule}: {@code constant}, {@code step} (times {@code gamma} every {@code stepSize} epochs),
 *       {@code cosine} (to {@code minLr} over the run), {@code onecycle} (peak {@code learningRate},
 *       {@code pctStart} warm-up) or {@code warmup} (linear from a tenth over {@code warmupSteps} batches);
 *       cosine, one-cycle and warm-up move every batch;</li>
 *   <li>{@code device}: {@code cpu}, {@code cuda} or {@code cuda:N}; {@code precision}: {@code fp32},
 *       {@code bf16} (conv and linear products in bfloat16 with float32 accumulation, fp32 master weights whose bf16
 *       copy the fused optimizer writes; on the CPU the convolutions run oneDNN's bf16 kernels) or (CUDA only)
 *       {@code fp16} (float16 products, dynamic loss scaling as torch's
 *       GradScaler); {@code cudaGraphs} captures each training step once per batch shape and replays it (CUDA,
 *       Adam or AdamW);</li>
 *   <li>checkpoints every epoch into {@code checkpointDir} (default: {@code checkpoints/RUN_ID} in the panoptim
 *       directory; {@code checkpoints} false turns them off); {@code resume} continues from one;</li>
 *   <li>tracking: the run goes to {@code project}, named {@code runName}, with {@code tags}; {@code watchEvery} records
 *       histograms; at each validation {@code examples} validation images (default 8, 0: none) are logged under the
 *       media key {@code examples} with the model's class probabilities, for the dashboard.</li>
 * </ul>
 *
 * <pre>{@code
 * TrainingArgs args = TrainingArgs.builder().model("resnet18").subset(1).epochs(2)
 *         .learningRate(3e-3).schedule("onecycle").build();
 * }</pre>
 */
public record TrainingArgs(
        String dataset,
        @JsonSerialize(using = ToStringSerializer.class) Path data,
        String model,
        int width,
        double dropout,
        int batchSize,
        int evalBatchSize,
        int epochs,
        double learningRate,
        String lrRule,
        int numClasses,
        int subset,
        Double dataFraction,
        int valSubset,
        String optimizer,
        double momentum,
        double dampening,
        boolean nesterov,
        double beta1,
        double beta2,
        double eps,
        double alpha,
        boolean amsgrad,
        boolean centered,
        double weightDecay,
        double labelSmoothing,
        String schedule,
        int stepSize,
        double gamma,
        int warmupSteps,
        double pctStart,
        double minLr,
        long seed,
        String device,
        String precision,
        boolean cudaGraphs,
        boolean augment,
        boolean checkpoints,
        @JsonSerialize(using = ToStringSerializer.class) Path checkpointDir,
        @JsonSerialize(using = ToStringSerializer.class) Path resume,
        @JsonSerialize(using = ToStringSerializer.class) Path pretrained,
        boolean featureExtract,
        String project,
        String runName,
        int watchEvery,
        List<String> tags,
        int examples,
        Boolean evalBefore) {

    public static final List<String> DATASETS = List.of("fashion-mnist", "cifar10");
    public static final List<String> MODELS = List.of("resnet18", "resnet34", "smallcnn");
    /** How the learning rate is set per layer: one for all, or the course's lr / sqrt(fan_in) per layer. */
    public static final List<String> LR_RULES = List.of("fixed", "fan-in");
    public static final List<String> OPTIMIZERS = List.of("sgd", "rmsprop", "adam", "adamw");
    public static final List<String> SCHEDULES = List.of("constant", "step", "cosine", "onecycle", "warmup");
    public static final List<String> DEVICES = List.of("cpu", "cuda");
    public static final List<String> PRECISIONS = List.of("fp32", "bf16", "fp16");
    /** The most validation examples logged per evaluation. */
    public static final int MAX_EXAMPLES = 64;

    /** The checks of {@link Builder#build()} also hold for records made directly. */
    public TrainingArgs {
        // Checkpoints and configs written before these fields existed read them as null: their defaults.
        if (dataFraction == null) dataFraction = 1.0;
        if (evalBefore == null) evalBefore = true;
        if (lrRule == null) lrRule = "fixed";
        List<String> problems = problems(dataset, model, batchSize, evalBatchSize, epochs, learningRate, numClasses, subset,
                valSubset, optimizer, momentum, dampening, nesterov, beta1, beta2, eps, alpha, weightDecay, labelSmoothing,
                schedule, stepSize, gamma, warmupSteps, pctStart, minLr, device, precision, cudaGraphs, pretrained, featureExtract,
                project, watchEvery, data);
        atLeast(problems, "examples", examples, 0);
        scalingProblems(problems, model, width, dropout, dataFraction, lrRule, schedule, cudaGraphs, pretrained, featureExtract);
        if (examples > MAX_EXAMPLES) problems.add("examples must be <= " + MAX_EXAMPLES + ", got " + examples);
        try {
            tags = RunStore.checkTags(tags);
        } catch (IllegalArgumentException e) {
            problems.add("tags are invalid: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid training arguments: " + String.join("; ", problems));
        }
    }

    /** The defaults, as {@code builder().build()}. */
    public static TrainingArgs defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Whether the schedule moves every batch (cosine, onecycle, warmup) rather than every epoch. */
    public boolean schedulePerBatch() {
        return schedule.equals("cosine") || schedule.equals("onecycle") || schedule.equals("warmup");
    }

    /**
     * The fields that change what training computes (all but where data, checkpoints and tracking go,
     * the evaluation batching and the validation subset): a resumed run must agree with its checkpoint on these.
     */
    public static final List<String> RESULT_FIELDS = List.of("dataset", "model", "width", "dropout", "batchSize", "epochs",
            "learningRate", "lrRule", "numClasses", "subset", "dataFraction", "optimizer", "momentum", "dampening", "nesterov", "beta1", "beta2", "eps", "alpha",
            "amsgrad", "centered", "weightDecay", "labelSmoothing", "schedule", "stepSize", "gamma", "warmupSteps",
            "pctStart", "minLr", "seed", "precision", "augment", "featureExtract");

    /** The {@link #RESULT_FIELDS} whose values differ from {@code other}'s, as {@code name: this vs other}. */
    public List<String> resultDifferences(TrainingArgs other) {
        List<String> out = new ArrayList<>();
        for (RecordComponent c : TrainingArgs.class.getRecordComponents()) {
            if (!RESULT_FIELDS.contains(c.getName())) continue;
            try {
                Object mine = c.getAccessor().invoke(this), theirs = c.getAccessor().invoke(other);
                if (!Objects.equals(mine, theirs)) out.add(c.getName() + ": " + mine + " vs " + theirs);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** torch's default weight decay of {@code optimizer}: 0.01 for AdamW, else 0. */
    public static double defaultWeightDecay(String optimizer) {
        return "adamw".equals(optimizer) ? 0.01 : 0.0;
    }

    private static List<String> problems(String dataset, String model, int batchSize, int evalBatchSize, int epochs,
                                         double lr, int numClasses, int subset, int valSubset, String optimizer,
                                         double momentum, double dampening, boolean nesterov, double beta1, double beta2,
                                         double eps, double alpha, double weightDecay, double labelSmoothing, String schedule,
                                         int stepSize, double gamma, int warmupSteps, double pctStart, double minLr,
                                         String device, String precision, boolean cudaGraphs, Path pretrained,
                                         boolean featureExtract,
                                         String project, int watchEvery, Path data) {
        List<String> p = new ArrayList<>();
        choice(p, "dataset", dataset, DATASETS);
        choice(p, "model", model, MODELS);
        choice(p, "optimizer", optimizer, OPTIMIZERS);
        choice(p, "schedule", schedule, SCHEDULES);
        Device parsedDevice = parseDevice(p, device);
        choice(p, "precision", precision, PRECISIONS);
        atLeast(p, "batchSize", batchSize, 1);
        atLeast(p, "evalBatchSize", evalBatchSize, 1);
        atLeast(p, "epochs", epochs, 1);
        atLeast(p, "numClasses", numClasses, 2);
        atLeast(p, "subset", subset, 1);
        atLeast(p, "valSubset", valSubset, 1);
        atLeast(p, "stepSize", stepSize, 1);
        atLeast(p, "warmupSteps", warmupSteps, 1);
        atLeast(p, "watchEvery", watchEvery, 0);
        if (!(lr > 0) || Double.isInfinite(lr)) p.add("learningRate must be a finite number > 0, got " + lr);
        if (!(momentum >= 0 && momentum < 1)) p.add("momentum must be in [0, 1), got " + momentum);
        if (!(dampening >= 0 && dampening <= 1)) p.add("dampening must be in [0, 1], got " + dampening);
        if (nesterov && "sgd".equals(optimizer) && (momentum <= 0 || dampening != 0)) {
            p.add("nesterov needs momentum > 0 and dampening 0, got momentum " + momentum + ", dampening " + dampening);
        }
        if (!(beta1 >= 0 && beta1 < 1)) p.add("beta1 must be in [0, 1), got " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) p.add("beta2 must be in [0, 1), got " + beta2);
        if (!(eps >= 0) || Double.isInfinite(eps)) p.add("eps must be a finite number >= 0, got " + eps);
        if (!(alpha >= 0 && alpha <= 1)) p.add("alpha must be in [0, 1], got " + alpha);
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) p.add("weightDecay must be a finite number >= 0, got " + weightDecay);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) p.add("labelSmoothing must be in [0, 1], got " + labelSmoothing);
        if (!(gamma > 0) || Double.isInfinite(gamma)) p.add("gamma must be a finite number > 0, got " + gamma);
        if (!(pctStart > 0 && pctStart < 1)) p.add("pctStart must be in (0, 1), got " + pctStart);
        if (!(minLr >= 0) || Double.isInfinite(minLr)) p.add("minLr must be a finite number >= 0, got " + minLr);
        if ("fp16".equals(precision) && parsedDevice != null && !parsedDevice.isCuda()) {
            p.add("precision fp16 needs device cuda (float16 products run on CUDA only: the CPU kernels would round in"
                    + " software, slower than fp32; use bf16 or fp32 on the CPU)");
        }
        if (cudaGraphs && parsedDevice != null && !parsedDevice.isCuda()) p.add("cudaGraphs needs device cuda");
        if (cudaGraphs && !"adam".equals(optimizer) && !"adamw".equals(optimizer)) {
            p.add("cudaGraphs needs optimizer adam or adamw (their capturable step reads lr and step counts from the device),"
                    + " got " + optimizer);
        }
        if (featureExtract && pretrained == null) {
            p.add("featureExtract needs pretrained weights (a safetensors file with torchvision's names) to extract features with");
        }
        if ("cifar10".equals(dataset) && data == null) {
            p.add("dataset cifar10 needs data, the folder cifar-10-batches-bin of the binary version"
                    + " (https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz) or the folder holding it");
        }
        if (project == null || project.isBlank()) p.add("project must not be empty");
        return p;
    }

    /** The checks of the scaling study's settings: width, dropout, data fraction and lr rule. */
    private static void scalingProblems(List<String> p, String model, int width, double dropout, double dataFraction,
                                        String lrRule, String schedule, boolean cudaGraphs, Path pretrained,
                                        boolean featureExtract) {
        choice(p, "lrRule", lrRule, LR_RULES);
        if (!(dataFraction > 0 && dataFraction <= 1)) p.add("dataFraction must be in (0, 1], got " + dataFraction);
        if (!(dropout >= 0 && dropout < 1)) p.add("dropout must be in [0, 1), got " + dropout);
        if ("smallcnn".equals(model)) {
            try {
                SmallCnn.channels(SmallCnn.DEFAULT_BASE_CHANNELS, width);
            } catch (IllegalArgumentException e) {
                p.add("width " + width + " gives round(" + SmallCnn.DEFAULT_BASE_CHANNELS + " * sqrt(2)^" + width
                        + ") channels < 1 for smallcnn (use a width >= -7)");
            }
        } else if (model != null && MODELS.contains(model)) {
            if (width != 0) p.add("width " + width + " is for model smallcnn, not " + model + " (leave it 0)");
            if (dropout != 0) p.add("dropout " + dropout + " is for model smallcnn, not " + model + " (leave it 0)");
        }
        if ("smallcnn".equals(model) && (pretrained != null || featureExtract)) {
            p.add("pretrained and featureExtract are for resnet18 and resnet34 (torchvision's weights), not smallcnn");
        }
        if ("fan-in".equals(lrRule) && "onecycle".equals(schedule)) {
            p.add("lrRule fan-in does not work with schedule onecycle (one-cycle sets one peak lr for every param group)");
        }
        if (cudaGraphs && dropout > 0) {
            p.add("dropout " + dropout + " cannot run under cudaGraphs (a replay would reuse one mask: the masks are drawn on"
                    + " the host each step)");
        }
    }

    /** The device ({@code cpu}, {@code cuda} or {@code cuda:N}), or null after adding the problem to {@code p}. */
    private static Device parseDevice(List<String> p, String device) {
        try {
            return Device.parse(device);
        } catch (IllegalArgumentException e) {
            p.add("device must be cpu, cuda or cuda:N, got " + device);
            return null;
        }
    }

    private static void choice(List<String> p, String name, String value, List<String> valid) {
        if (value == null || !valid.contains(value)) p.add(name + " must be one of " + String.join(", ", valid) + ", got " + value);
    }

    private static void atLeast(List<String> p, String name, long value, long min) {
        if (value < min) p.add(name + " must be >= " + min + ", got " + value);
    }

    /**
     * A {@link TrainingArgs} under construction, holding the defaults; {@link #build()} checks everything.
     *
     * <pre>{@code TrainingArgs args = TrainingArgs.builder().optimizer("sgd").momentum(0.9).learningRate(0.05).build();}</pre>
     */
    public static final class Builder {
        private String dataset = "fashion-mnist";
        private Path data;
        private String model = "resnet18";
        private int width;
        private double dropout;
        private String lrRule = "fixed";
        private double dataFraction = 1.0;
        private int batchSize = 64;
        private int evalBatchSize = 256;
        private int epochs = 5;
        private double learningRate = 1e-3;
        private int numClasses = 10;
        private int subset = 10;
        private int valSubset = 1;
        private String optimizer = "adamw";
        private double momentum = 0.0;
        private double dampening = 0.0;
        private boolean nesterov;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double alpha = 0.99;
        private boolean amsgrad;
        private boolean centered;
        private Double weightDecay;
        private double labelSmoothing = 0.0;
        private String schedule = "constant";
        private int stepSize = 1;
        private double gamma = 0.1;
        private int warmupSteps = 100;
        private double pctStart = 0.3;
        private double minLr = 0.0;
        private long seed = 42;
        private String device = "cpu";
        private String precision = "fp32";
        private boolean cudaGraphs;
        private boolean augment;
        private boolean checkpoints = true;
        private Path checkpointDir;
        private Path resume;
        private Path pretrained;
        private boolean featureExtract;
        private String project = "panoptim";
        private String runName;
        private int watchEvery;
        private List<String> tags = List.of();
        private int examples = 8;
        private boolean evalBefore = true;

        private Builder() {}

        private Builder(TrainingArgs a) {
            dataset = a.dataset; data = a.data; model = a.model; width = a.width; dropout = a.dropout;
            lrRule = a.lrRule; dataFraction = a.dataFraction; batchSize = a.batchSize; evalBatchSize = a.evalBatchSize;
            epochs = a.epochs; learningRate = a.learningRate; numClasses = a.numClasses; subset = a.subset;
            valSubset = a.valSubset; optimizer = a.optimizer; momentum = a.momentum; dampening = a.dampening;
            nesterov = a.nesterov; beta1 = a.beta1; beta2 = a.beta2; eps = a.eps; alpha = a.alpha; amsgrad = a.amsgrad;
            centered = a.centered; weightDecay = a.weightDecay; labelSmoothing = a.labelSmoothing; schedule = a.schedule;
            stepSize = a.stepSize; gamma = a.gamma; warmupSteps = a.warmupSteps; pctStart = a.pctStart; minLr = a.minLr;
            seed = a.seed; device = a.device; precision = a.precision; cudaGraphs = a.cudaGraphs; augment = a.augment; checkpoints = a.checkpoints;
            checkpointDir = a.checkpointDir; resume = a.resume; pretrained = a.pretrained; featureExtract = a.featureExtract;
            project = a.project; runName = a.runName; watchEvery = a.watchEvery; tags = a.tags; examples = a.examples;
            evalBefore = a.evalBefore;
        }

        private static String lower(String s) {
            return s == null ? null : s.strip().toLowerCase(Locale.ROOT);
        }

        /** fashion-mnist (default) or cifar10. */
        public Builder dataset(String v) { dataset = lower(v); return this; }
        /** The dataset's folder (default for fashion-mnist: /usr/share/datasets/fashion-mnist). */
        public Builder data(Path v) { data = v; return this; }
        /** resnet18 (default), resnet34 or smallcnn (the scaling study's CNN, {@link SmallCnn}). */
        public Builder model(String v) { model = lower(v); return this; }
        /** smallcnn's width exponent k: c = round(8 * sqrt(2)^k) channels, k >= -7 (default 0). */
        public Builder width(int v) { width = v; return this; }
        /** smallcnn's dropout probability before its final layer, in [0, 1) (default 0). */
        public Builder dropout(double v) { dropout = v; return this; }
        /** fixed (default: one lr) or fan-in (per layer lr / sqrt(fan_in), fan_in = in_channels*kh*kw or in_features). */
        public Builder lrRule(String v) { lrRule = lower(v); return this; }
        /**
         * Train on this fraction, in (0, 1], of the training examples left by {@code subset}: the first
         * round(F * N) of a permutation seeded by {@code seed} (default 1: all).
         */
        public Builder dataFraction(double v) { dataFraction = v; return this; }
        /** Training batch size (default 64). */
        public Builder batchSize(int v) { batchSize = v; return this; }
        /** Evaluation batch size (default 256; does not change the results). */
        public Builder evalBatchSize(int v) { evalBatchSize = v; return this; }
        /** Epochs (default 5). */
        public Builder epochs(int v) { epochs = v; return this; }
        /** Learning rate, the peak one for onecycle (default 1e-3). */
        public Builder learningRate(double v) { learningRate = v; return this; }
        /** Classes of the final layer (default 10). */
        public Builder numClasses(int v) { numClasses = v; return this; }
        /** Every k-th training example (default 10; 1 = the whole training set). */
        public Builder subset(int v) { subset = v; return this; }
        /** Every k-th test example for the per-epoch validation (default 1 = all). */
        public Builder valSubset(int v) { valSubset = v; return this; }
        /** sgd, rmsprop, adam or adamw (default). */
        public Builder optimizer(String v) { optimizer = lower(v); return this; }
        /** Momentum of sgd and rmsprop (default 0). */
        public Builder momentum(double v) { momentum = v; return this; }
        /** Dampening of sgd (default 0). */
        public Builder dampening(double v) { dampening = v; return this; }
        /** Nesterov momentum for sgd (default false). */
        public Builder nesterov(boolean v) { nesterov = v; return this; }
        /** Adam's beta1 (default 0.9). */
        public Builder beta1(double v) { beta1 = v; return this; }
        /** Adam's beta2 (default 0.999). */
        public Builder beta2(double v) { beta2 = v; return this; }
        /** eps of adam, adamw and rmsprop (default 1e-8). */
        public Builder eps(double v) { eps = v; return this; }
        /** rmsprop's smoothing constant (default 0.99). */
        public Builder alpha(double v) { alpha = v; return this; }
        /** AMSGrad for adam and adamw (default false). */
        public Builder amsgrad(boolean v) { amsgrad = v; return this; }
        /** Centered rmsprop (default false). */
        public Builder centered(boolean v) { centered = v; return this; }
        /** Weight decay (default torch's: 0.01 for adamw, else 0); null restores the default. */
        public Builder weightDecay(Double v) { weightDecay = v; return this; }
        /** Label smoothing of the cross-entropy, in [0, 1] (default 0). */
        public Builder labelSmoothing(double v) { labelSmoothing = v; return this; }
        /** constant (default), step, cosine, onecycle or warmup. */
        public Builder schedule(String v) { schedule = lower(v); return this; }
        /** The step schedule's period in epochs (default 1). */
        public Builder stepSize(int v) { stepSize = v; return this; }
        /** The step schedule's factor (default 0.1). */
        public Builder gamma(double v) { gamma = v; return this; }
        /** Batches of the linear warm-up (default 100). */
        public Builder warmupSteps(int v) { warmupSteps = v; return this; }
        /** The share of onecycle's rising phase (default 0.3). */
        public Builder pctStart(double v) { pctStart = v; return this; }
        /** The cosine schedule's final learning rate (default 0). */
        public Builder minLr(double v) { minLr = v; return this; }
        /** Seed of the initialisation, the shuffles and the augmentations (default 42). */
        public Builder seed(long v) { seed = v; return this; }
        /** cpu (default) or cuda. */
        public Builder device(String v) { device = lower(v); return this; }
        /** fp32 (default), bf16 (mixed precision, CPU or CUDA) or fp16 (mixed precision, CUDA only). */
        public Builder precision(String v) { precision = lower(v); return this; }
        /** Capture the training step as a CUDA graph and replay it (default false; CUDA, Adam or AdamW). */
        public Builder cudaGraphs(boolean v) { cudaGraphs = v; return this; }
        /** Random crop, flip (default false). */
        public Builder augment(boolean v) { augment = v; return this; }
        /** Write a checkpoint every epoch and on Ctrl-C (default true). */
        public Builder checkpoints(boolean v) { checkpoints = v; return this; }
        /** Where checkpoints go (default: checkpoints/RUN_ID in the panoptim directory). */
        public Builder checkpointDir(Path v) { checkpointDir = v; return this; }
        /** A checkpoint (or a folder of them: the latest is taken) to continue from. */
        public Builder resume(Path v) { resume = v; return this; }
        /** Safetensors weights with torchvision's names to start from. */
        public Builder pretrained(Path v) { pretrained = v; return this; }
        /** Train only a new final layer on top of the frozen pretrained network (default false). */
        public Builder featureExtract(boolean v) { featureExtract = v; return this; }
        /** The tracking project (default panoptim). */
        public Builder project(String v) { project = v == null ? null : v.strip(); return this; }
        /** The run's name (default: its id). */
        public Builder runName(String v) { runName = v; return this; }
        /** Histograms of parameters and gradients every n steps (default 0: off). */
        public Builder watchEvery(int v) { watchEvery = v; return this; }
        /** The run's tags (default none). */
        public Builder tags(List<String> v) { tags = v; return this; }
        /** Validation images logged with their class probabilities at each evaluation (default 8; 0: none). */
        public Builder examples(int v) { examples = v; return this; }
        /** Whether a new run is evaluated before its first step (default true; the step-0 point of the curves). */
        public Builder evalBefore(boolean v) { evalBefore = v; return this; }

        /** The arguments; every bad value is named in one IllegalArgumentException. */
        public TrainingArgs build() {
            double wd = weightDecay != null ? weightDecay : defaultWeightDecay(optimizer);
            return new TrainingArgs(dataset, data, model, width, dropout, batchSize, evalBatchSize, epochs, learningRate, lrRule,
                    numClasses, subset, dataFraction, valSubset, optimizer, momentum, dampening, nesterov, beta1, beta2, eps, alpha, amsgrad, centered, wd,
                    labelSmoothing, schedule, stepSize, gamma, warmupSteps, pctStart, minLr, seed, device, precision, cudaGraphs,
                    augment, checkpoints, checkpointDir, resume, pretrained, featureExtract, project, runName, watchEvery,
                    tags, examples, evalBefore);
        }
    }
}
