package dev.panoptim.train;

import dev.panoptim.data.Batch;
import dev.panoptim.data.BatchIterator;
import dev.panoptim.data.DataLoader;
import dev.panoptim.nn.CrossEntropyLoss;
import dev.panoptim.nn.Dropout;
import dev.panoptim.nn.Flops;
import dev.panoptim.nn.Module;
import dev.panoptim.optim.GradScaler;
import dev.panoptim.optim.Optimizer;
import dev.panoptim.optim.scheduler.LRScheduler;
import dev.panoptim.runtime.CpuConv;
import dev.panoptim.runtime.Cuda;
import dev.panoptim.runtime.CudaStatus;
import dev.panoptim.runtime.Panoptim;
import dev.panoptim.tensor.Device;
import dev.panoptim.tensor.Tensor;
import dev.panoptim.track.Run;
import dev.panoptim.track.RunState;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.Tracking;
import dev.panoptim.track.What;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Trains a network ({@link Models}: a ResNet or the scaling study's SmallCnn) on an image dataset the way the course's modular trainer does: {@link #trainingStep}
 * (forward, loss, backward, one fused optimizer step), {@link #validationStep} (forward and loss in
 * evaluation mode) and {@link #train()}: the accuracy before training, then for each epoch a pass over
 * the training batches and one over the validation set, then the accuracy on the whole test set.
 *
 * <p>Tracking: a run ({@code Tracking.init(project, runName, args)}) gets, at each optimizer step, the
 * batch's {@code loss}, {@code accuracy} and the {@code lr} it was trained with; at the end of each epoch
 * {@code train_loss}, {@code train_accuracy}, {@code val_loss}, {@code val_accuracy}, {@code epoch},
 * {@code train_images_per_s}, {@code eval_images_per_s} and {@code epoch_seconds}; before training,
 * {@code val_loss} and {@code val_accuracy} at step 0; with each validation's numbers, {@code examples}: the first
 * {@code examples} validation images as {@link dev.panoptim.track.Media#classification}s with the model's class
 * probabilities ({@link ValidationExamples}; none when 0); histograms of parameters and gradients every
 * {@code watchEvery} steps when asked. The summary ends with {@code test_accuracy} and {@code test_loss},
 * and its {@code accuracy} is the last epoch's {@code val_accuracy} (not the last batch's), so a sweep
 * maximizing {@code accuracy} ranks its trials by held-out accuracy; {@code val_loss} and {@code val_accuracy}
 * are the last epoch's too. Compute (see {@link Flops}): the summary holds {@code params} (the parameter count),
 * {@code forward_flops} (2 x the multiply-accumulates of one example's forward pass) from the start, and at the
 * end {@code examples_seen} (training examples over every epoch trained, resumed sessions included) and
 * {@code train_flops} = 3 x {@code forward_flops} x {@code examples_seen}.
 * Output: a progress bar per epoch in a terminal, and one line per epoch always.
 *
 * <p>Checkpoints ({@link Checkpoints}) are written after every epoch and when a stop is requested: by
 * {@link #requestStop()}, or by Ctrl-C / SIGTERM, whose shutdown hook asks the loop to stop at the next
 * step boundary and waits (up to {@link #STOP_TIMEOUT}) until the checkpoint is written. A trainer made
 * with {@code resume} continues from a checkpoint to the same parameters, bit for bit on the CPU, as the
 * run that was never interrupted: the model, the optimizer state, the scheduler, the data position and
 * the epoch's running sums all come back, and the data loader gives the same batches from (seed, epoch,
 * batch). The resumed run is a new tracked run whose history starts with the old run's up to the
 * checkpoint, and whose summary names it ({@code resumed_from}).
 *
 * <pre>{@code
 * try (Trainer trainer = Trainer.builder(TrainingArgs.builder().epochs(2).build()).build()) {
 *     TrainingResult r = trainer.train();
 *     System.out.println(r.runId() + " test_accuracy=" + r.testAccuracy());
 * }
 * }</pre>
 */
public final class Trainer implements AutoCloseable {
    /** How long the Ctrl-C hook waits for the loop to write its checkpoint. */
    public static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

    /**
     * Training steps whose loss and accuracy stay on a CUDA device before they are read back and logged
     * together (one wait per interval instead of one per step); on the CPU every step is logged as it ends.
     * The interval also ends at the end of an epoch, at a stop, and at each {@code watchEvery} step.
     */
    public static final int CUDA_LOG_INTERVAL = 20;

    /** The metrics a finished run's summary holds (the names a sweep of the trainer can optimize). */
    public static final List<String> METRICS = List.of("loss", "accuracy", "lr", "epoch", "train_loss", "train_accuracy",
            "val_loss", "val_accuracy", "train_images_per_s", "eval_images_per_s", "epoch_seconds", "test_accuracy", "test_loss",
            "test_images", "wall_seconds", "global_step");

    private final TrainingArgs args;
    private final Device device;
    private final TrainingData data;
    private final RunStore store;
    private final Path directory;
    private final PrintStream out;
    private final boolean bar;
    private final LongConsumer stepListener;
    private final Module model;
    /** The model's Dropout modules, reseeded before each training step from (seed, step). */
    private final List<Dropout> dropouts = new ArrayList<>();
    /** 2 x the multiply-accumulates of one example's forward pass. */
    private final long forwardFlops;
    private final CrossEntropyLoss criterion;
    private final Optimizer optimizer;
    private final LRScheduler scheduler;
    private final DataLoader trainLoader;
    private final DataLoader valLoader;
    private final DataLoader testLoader;
    /** The validation images logged with their probabilities at each evaluation, or null when {@code examples} is 0. */
    private final ValidationExamples examples;
    private final Checkpoint resumedFrom;
    /** The training step as a CUDA graph ({@code cudaGraphs}), else null. */
    private final GraphedTrainingStep graphed;
    /** fp16's dynamic loss scaling, else null. */
    private final GradScaler scaler;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile boolean interrupted;
    private boolean started;
    private boolean trackingWarned;
    private Run run;
    private Path checkpointDir;
    private Path lastCheckpoint;

    // Where the run stands: what a checkpoint saves.
    private int epoch;
    private int nextBatch;
    private long globalStep;
    private double epochLossSum;
    private long epochCorrect;
    private long epochSeen;
    private double epochTrainSeconds;
    private double wallBefore;

    private Trainer(Builder b) {
        this.args = b.args;
        this.device = checkDevice(args);
        try {
            this.resumedFrom = args.resume() == null ? null : Checkpoints.load(args.resume());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + args.resume() + ": " + e.getMessage(), e);
        }
        if (resumedFrom != null) {
            List<String> diff = args.resultDifferences(resumedFrom.state().args());
            if (!diff.isEmpty()) {
                throw new IllegalArgumentException("the checkpoint " + resumedFrom.dir() + " was trained with other settings ("
                        + String.join(", ", diff) + " [given vs checkpoint]); a resumed run continues with the checkpoint's");
            }
        }
        this.data = b.data != null ? b.data : TrainingData.load(args);
        this.store = b.store != null ? b.store : Tracking.defaultStore();
        this.directory = b.directory != null ? b.directory : Tracking.defaultDirectory();
        this.out = b.out != null ? b.out : System.out;
        this.bar = b.progressBar != null ? b.progressBar : EpochProgress.interactive();
        this.stepListener = b.stepListener != null ? b.stepListener : s -> {};
        this.trainLoader = data.trainLoader(args);
        this.valLoader = data.validationLoader(args);
        this.testLoader = data.testLoader(args);
        this.examples = args.examples() > 0 ? new ValidationExamples(valLoader, args.examples()) : null;
        this.model = Models.build(args, data.channels(), data.train().height(), data.train().width(), resumedFrom == null);
        for (Module m : model.modules()) if (m instanceof Dropout d) dropouts.add(d);
        long flops;
        try {
            flops = Flops.forwardFlops(model, data.channels(), data.train().height(), data.train().width());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        this.forwardFlops = flops;
        CrossEntropyLoss crit = null;
        Optimizer opt = null;
        GradScaler amp = null;
        try {
            model.to(device);    // before the optimizer takes the parameters: moving replaces them
            crit = new CrossEntropyLoss(args.labelSmoothing());
            opt = Optimizers.build(args, model);
            amp = MixedPrecision.setUp(args.precision(), model, opt);
            this.scaler = amp;
            this.scheduler = Schedules.build(args, opt, trainLoader.batchesPerEpoch());
            if (resumedFrom != null) restore(resumedFrom, opt);
        } catch (RuntimeException | IOException e) {
            if (amp != null) amp.close();
            if (opt != null) opt.close();
            if (crit != null) crit.close();
            model.close();
            if (e instanceof IOException io) throw new UncheckedIOException("cannot resume from " + resumedFrom.dir() + ": "
                    + io.getMessage(), io);
            throw (RuntimeException) e;
        }
        this.criterion = crit;
        this.optimizer = opt;
        this.graphed = args.cudaGraphs() ? new GraphedTrainingStep(device, model, criterion, optimizer, scaler) : null;
    }

    /** A builder for {@code args}; the other settings have defaults. */
    public static Builder builder(TrainingArgs args) {
        return new Builder(args);
    }

    /**
     * The device of {@code args}, checked before anything is loaded or stored: CUDA where it cannot be
     * used, or on the CPU a PANOPTIM_CPU_CONV that names no conv backend, is an IllegalArgumentException
     * with the reason (and how to run on the simulator). Commands call
     * it before they open a run store; the trainer calls it first thing.
     */
    public static Device checkDevice(TrainingArgs args) {
        Device device = Device.parse(args.device());
        if (device.isCpu()) {
            String convError = CpuConv.environmentError();   // a typo in PANOPTIM_CPU_CONV would fail the first convolution
            if (convError != null) throw new IllegalArgumentException(convError);
            return device;
        }
        String reason;
        try {
            CudaStatus status = Panoptim.cuda();
            if (status.available() && device.index() < status.deviceCount()) return device;
            reason = status.available() ? "there is no " + device + " (this machine has " + status.deviceCount()
                    + " CUDA device(s): cuda:0..cuda:" + (status.deviceCount() - 1) + ")" : status.reason();
        } catch (RuntimeException | LinkageError e) {
            reason = "the native library cannot tell (" + e.getMessage() + ")";
        }
        throw new IllegalArgumentException("device " + args.device() + ": CUDA cannot be used here: " + reason
                + "; train with --device cpu, or " + Cuda.SIMULATOR_HINT);
    }

    private void restore(Checkpoint c, Optimizer opt) throws IOException {
        Checkpoints.restore(c, model, opt);
        scheduler.loadStateDict(c.state().scheduler());
        if (scaler != null && !c.state().gradScaler().isEmpty()) scaler.loadStateDict(c.state().gradScaler());
        CheckpointState s = c.state();
        if (s.epoch() > args.epochs() || s.nextBatch() > trainLoader.batchesPerEpoch()) {
            throw new IllegalArgumentException("checkpoint " + c.dir() + " is at epoch " + s.epoch() + ", batch " + s.nextBatch()
                    + ", beyond this run's " + args.epochs() + " epochs of " + trainLoader.batchesPerEpoch() + " batches");
        }
        epoch = s.epoch();
        nextBatch = s.nextBatch();
        globalStep = s.globalStep();
        epochLossSum = s.epochLossSum();
        epochCorrect = s.epochCorrect();
        epochSeen = s.epochSeen();
        epochTrainSeconds = s.epochTrainSeconds();
        wallBefore = s.wallSeconds();
    }

    // ------------------------------------------------------------------ steps

    /**
     * One optimizer step on {@code batch} (training mode): zero the gradients, forward, loss, backward,
     * step. The gradients stay until the next step (so a watch can read them).
     */
    public StepResult trainingStep(Batch batch) {
        if (graphed != null) graphed.invalidate();
        if (!model.isTraining()) model.train();
        seedDropout(globalStep + 1);
        optimizer.zeroGrad();
        int[] labels = batch.labels();
        try (Tensor moved = onDevice(batch.images())) {
            Tensor logits = model.forward(moved != null ? moved : batch.images());
            float loss = criterion.forward(logits, labels);
            long correct = CrossEntropyLoss.correct(logits, labels);
            MixedPrecision.backwardAndStep(model, criterion, optimizer, scaler);
            return new StepResult(loss, correct, labels.length);
        }
    }

    /**
     * Reseeds each Dropout from (seed, step, its index): the masks of a step depend on nothing else, so a
     * resumed run draws those the uninterrupted run drew.
     */
    private void seedDropout(long step) {
        for (int i = 0; i < dropouts.size(); i++) {
            dropouts.get(i).manualSeed(args.seed() ^ (0x9E37_79B9_7F4A_7C15L * step) ^ (0xC2B2_AE3D_27D4_EB4FL * (i + 1)));
        }
    }

    /** A copy of CPU {@code images} on the trainer's device, or null when they are there already. */
    private Tensor onDevice(Tensor images) {
        return images.device().equals(device) ? null : images.to(device);
    }

    /**
     * The training loop's step: as {@link #trainingStep}, on a batch already on the device, with the loss
     * and correct count left on the device in {@code metrics}' slot (read back with the interval's others).
     */
    private void queueTrainingStep(DeviceBatches.Item batch, StepMetrics metrics, int slot) {
        if (!model.isTraining()) model.train();
        seedDropout(globalStep + 1);
        optimizer.zeroGrad();
        Tensor logits = model.forward(batch.images());
        criterion.forward(logits, batch.targets(), metrics.values(), slot);
        CrossEntropyLoss.correct(logits, batch.targets(), metrics.values(), metrics.correctIndex(slot));
        MixedPrecision.backwardAndStep(model, criterion, optimizer, scaler);
    }

    /** The loss and correct predictions on {@code batch} in evaluation mode (BatchNorm's running statistics); changes nothing. */
    public StepResult validationStep(Batch batch) {
        if (graphed != null) graphed.invalidate();
        if (model.isTraining()) model.eval();
        int[] labels = batch.labels();
        try (Tensor moved = onDevice(batch.images())) {
            Tensor logits = model.forward(moved != null ? moved : batch.images());
            float loss = criterion.forward(logits, labels);
            return new StepResult(loss, CrossEntropyLoss.correct(logits, labels), labels.length);
        }
    }

    /**
     * {@link #validationStep} over every batch of {@code loader} (epoch 0 of it); a stop request cuts it
     * short. On CUDA the batches' losses and counts stay on the device until the pass ends.
     */
    public Evaluation evaluate(DataLoader loader) {
        long t0 = System.nanoTime();
        if (graphed != null) graphed.invalidate();   // the evaluation's batch shape moves the model's buffers
        if (model.isTraining()) model.eval();
        int batches = loader.batchesPerEpoch();
        double lossSum = 0;
        long correct = 0, seen = 0;
        boolean complete = true;
        try (BatchIterator it = loader.epoch(0); DeviceBatches onDevice = new DeviceBatches(it, device);
             StepMetrics metrics = new StepMetrics(device, Math.max(1, batches))) {
            while (onDevice.hasNext()) {
                if (stopRequested) {
                    complete = false;
                    break;
                }
                DeviceBatches.Item b = onDevice.next();
                int slot = metrics.add(b.index(), 0, b.size());
                Tensor logits = model.forward(b.images());
                criterion.forward(logits, b.targets(), metrics.values(), slot);
                CrossEntropyLoss.correct(logits, b.targets(), metrics.values(), metrics.correctIndex(slot));
            }
            for (StepMetrics.Step r : metrics.drain()) {
                lossSum += r.loss() * r.size();
                correct += r.correct();
                seen += r.size();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Evaluation(seen == 0 ? Double.NaN : lossSum / seen, seen == 0 ? 0 : (double) correct / seen, seen, seconds,
                complete);
    }

    // ------------------------------------------------------------------ the loop

    /**
     * Trains to the end (or until a stop request), tracked, with checkpoints; see the class comment. Runs once
     * per trainer.
     */
    public TrainingResult train() {
        if (started) throw new IllegalStateException("train() runs once per Trainer; make another for another run");
        started = true;
        long t0 = System.nanoTime();
        Thread hook = new Thread(this::stopAndWait, "panoptim-trainer-stop");
        // On Ctrl-C, tracking's exit hook waits for this hold, so the run ends as stopped, not crashed.
        Tracking.ExitHold exitHold = Tracking.holdExit();
        try {
            run = startRun();
            checkpointDir = !args.checkpoints() ? null : args.checkpointDir() != null ? args.checkpointDir()
                    : resumedFrom != null ? resumedFrom.dir().getParent() : directory.resolve("checkpoints").resolve(run.id());
            Runtime.getRuntime().addShutdownHook(hook);
            printStart();
            return loop(t0);
        } catch (RuntimeException | Error e) {
            if (run != null) {
                try {
                    run.finish(RunState.FAILED);
                } catch (RuntimeException ignored) {
                    // the store may be gone (the JVM is exiting); the failure itself matters more
                }
            }
            throw e;
        } finally {
            exitHold.close();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or the JVM is exiting: nothing to remove
            }
        }
    }

    private TrainingResult loop(long t0) {
        Evaluation last = null;
        if (resumedFrom == null && args.evalBefore()) {
            Evaluation before = evaluate(valLoader);
            if (!before.complete()) return stopped(t0);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("val_loss", before.loss());
            m.put("val_accuracy", before.accuracy());
            m.put("eval_images_per_s", before.imagesPerSecond());
            addExamples(m);
            log(m, 0);
            out.printf(Locale.ROOT, "before training: val_loss %.4f val_accuracy %.4f (%d images, %.0f images/s)%n",
                    before.loss(), before.accuracy(), before.images(), before.imagesPerSecond());
        }
        int batches = trainLoader.batchesPerEpoch();
        double trainImagesPerSecond = 0;
        while (epoch < args.epochs()) {
            trainEpoch(batches);
            if (stopRequested) return stopped(t0);
            last = evaluate(valLoader);
            if (!last.complete()) return stopped(t0);
            trainImagesPerSecond = epochTrainSeconds > 0 ? epochSeen / epochTrainSeconds : 0;
            endEpoch(last, trainImagesPerSecond);
            if (!args.schedulePerBatch()) scheduler.step();
            epoch++;
            nextBatch = 0;
            epochLossSum = 0;
            epochCorrect = 0;
            epochSeen = 0;
            epochTrainSeconds = 0;
            writeCheckpoint(t0);
            if (stopRequested) return stopped(t0);
        }
        Evaluation test = last != null && args.valSubset() == 1 ? last : evaluate(testLoader);
        if (!test.complete()) return stopped(t0);
        double wall = wall(t0);
        Map<String, Object> summary = new LinkedHashMap<>();
        if (last != null) {
            summary.put("accuracy", last.accuracy());   // held-out, where the last log put the last batch's
            // The last epoch's, as logged; put again so the summary says so whatever is logged after.
            summary.put("val_loss", last.loss());
            summary.put("val_accuracy", last.accuracy());
        }
        putCompute(summary);
        summary.put("test_accuracy", test.accuracy());
        summary.put("test_loss", test.loss());
        summary.put("test_images", test.images());
        summary.put("wall_seconds", wall);
        summary.put("global_step", globalStep);
        if (lastCheckpoint != null) summary.put("checkpoint", lastCheckpoint.toString());
        try {
            run.summary().putAll(summary);
            run.finish();
        } catch (RuntimeException e) {
            trackingFailed(e);
        }
        out.printf(Locale.ROOT, "test: loss %.4f accuracy %.4f on %d images (%.0f images/s); %d steps in %.1f s%n",
                test.loss(), test.accuracy(), test.images(), test.imagesPerSecond(), globalStep, wall);
        out.printf(Locale.ROOT, "training compute: %.4g FLOPs (3 x %d forward FLOPs x %d examples seen)%n",
                summary.get("train_flops"), forwardFlops, (long) summary.get("examples_seen"));
        return new TrainingResult(run.id(), false, test.accuracy(), test.loss(), epoch, globalStep, lastCheckpoint, wall,
                trainImagesPerSecond, test.imagesPerSecond());
    }

    /**
     * The training batches of the current epoch from {@code nextBatch}, stopping early at a stop request.
     * Steps are queued on the device; their metrics are read back, logged and added to the epoch's sums
     * once per interval ({@link #CUDA_LOG_INTERVAL} on CUDA, every step on the CPU).
     */
    private void trainEpoch(int batches) {
        int interval = device.isCuda() ? CUDA_LOG_INTERVAL : 1;
        try (BatchIterator it = trainLoader.iterator(epoch, nextBatch); DeviceBatches onDevice = new DeviceBatches(it, device);
             StepMetrics metrics = new StepMetrics(device, interval);
             EpochProgress progress = EpochProgress.start(bar, epoch, args.epochs(), batches, nextBatch)) {
            long tick = System.nanoTime();
            while (onDevice.hasNext() && !stopRequested) {
                DeviceBatches.Item b = onDevice.next();
                double lr = optimizer.paramGroups().get(0).lr();
                int slot = metrics.add(globalStep + 1, lr, b.size());
                if (graphed != null) graphed.step(b, metrics, slot);
                else queueTrainingStep(b, metrics, slot);
                globalStep++;
                nextBatch = b.index() + 1;
                if (args.schedulePerBatch()) scheduler.step();
                // A watched step is logged at once: its histograms must show this step's params and grads.
                boolean watched = args.watchEvery() > 0 && globalStep % args.watchEvery() == 0;
                if (metrics.full() || watched || !onDevice.hasNext()) tick = flush(metrics, progress, tick);
                stepListener.accept(globalStep);
            }
            flush(metrics, progress, tick);
        }
    }

    /** Reads back and logs the pending steps, adds them to the epoch's sums, and the time since {@code tick}. */
    private long flush(StepMetrics metrics, EpochProgress progress, long tick) {
        if (metrics.isEmpty()) return tick;
        for (StepMetrics.Step r : metrics.drain()) {
            epochLossSum += r.loss() * r.size();
            epochCorrect += r.correct();
            epochSeen += r.size();
            log(Map.of("loss", r.loss(), "accuracy", r.accuracy(), "lr", r.lr()), r.step());
        }
        // fp16: the loss scale as it stands after the interval (it halves at each overflow), one read per interval.
        if (scaler != null) log(Map.of("loss_scale", scaler.getScale()), globalStep);
        long now = System.nanoTime();
        epochTrainSeconds += (now - tick) / 1e9;
        progress.update(epochLossSum / epochSeen, (double) epochCorrect / epochSeen);
        return now;
    }

    private void endEpoch(Evaluation val, double trainImagesPerSecond) {
        double trainLoss = epochSeen == 0 ? Double.NaN : epochLossSum / epochSeen;
        double trainAcc = epochSeen == 0 ? 0 : (double) epochCorrect / epochSeen;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch + 1);
        m.put("train_loss", trainLoss);
        m.put("train_accuracy", trainAcc);
        m.put("val_loss", val.loss());
        m.put("val_accuracy", val.accuracy());
        m.put("train_images_per_s", trainImagesPerSecond);
        m.put("eval_images_per_s", val.imagesPerSecond());
        m.put("epoch_seconds", epochTrainSeconds + val.seconds());
        addExamples(m);
        log(m, globalStep);
        out.printf(Locale.ROOT, "epoch %d/%d: train_loss %.4f train_acc %.4f | val_loss %.4f val_acc %.4f | lr %.3g"
                        + " | %.0f images/s train, %.0f eval | %.1f s%n", epoch + 1, args.epochs(), trainLoss, trainAcc,
                val.loss(), val.accuracy(), optimizer.paramGroups().get(0).lr(), trainImagesPerSecond, val.imagesPerSecond(),
                epochTrainSeconds + val.seconds());
    }

    /** Right after an evaluation (the model in evaluation mode): the validation examples under {@code examples}, when on. */
    private void addExamples(Map<String, Object> metrics) {
        if (examples == null) return;
        if (graphed != null) graphed.invalidate();   // the examples' batch shape moves the model's buffers
        if (model.isTraining()) model.eval();
        metrics.put("examples", examples.classify(model, device));
    }

    private TrainingResult stopped(long t0) {
        Path ckpt = writeCheckpoint(t0);
        double wall = wall(t0);
        String where = String.format(Locale.ROOT, "stopped at step %d (epoch %d, batch %d)", globalStep, epoch + 1, nextBatch);
        out.println(where + (ckpt == null ? "; checkpoints are off, nothing was saved"
                : ": checkpoint " + ckpt + "; continue with --resume " + ckpt.getParent()));
        try {
            Map<String, Object> compute = new LinkedHashMap<>();
            putCompute(compute);
            run.summary().putAll(compute);
            run.summary().put("stopped_at_step", globalStep);
            run.finish(RunState.STOPPED);
        } catch (RuntimeException e) {
            trackingFailed(e);
        }
        return new TrainingResult(run.id(), true, Double.NaN, Double.NaN, epoch, globalStep, ckpt, wall, 0, 0);
    }

    /** examples_seen and train_flops as the run stands (see the class comment). */
    private void putCompute(Map<String, Object> summary) {
        long seen = examplesSeen();
        summary.put("examples_seen", seen);
        summary.put("train_flops", Flops.trainingFlops(forwardFlops, seen));
    }

    /**
     * Training examples over every epoch so far: the finished epochs' (each the loader's whole epoch) and the
     * current epoch's, both of which a checkpoint keeps, so a resumed run counts the sessions before it.
     */
    public long examplesSeen() {
        int n = trainLoader.dataset().size();
        long perEpoch = trainLoader.dropLast() ? (long) (n / args.batchSize()) * args.batchSize() : n;
        return epoch * perEpoch + epochSeen;
    }

    /** 2 x the multiply-accumulates of one example's forward pass ({@link Flops#forwardFlops}). */
    public long forwardFlops() {
        return forwardFlops;
    }

    private Path writeCheckpoint(long t0) {
        if (checkpointDir == null) return null;
        CheckpointState s = new CheckpointState(Checkpoints.FORMAT, args, epoch, nextBatch, globalStep, run.id(), args.seed(),
                scheduler.stateDict(), epochLossSum, epochCorrect, epochSeen, epochTrainSeconds, wall(t0),
                scaler == null ? Map.of() : scaler.stateDict());
        try {
            lastCheckpoint = Checkpoints.save(checkpointDir, model, optimizer, s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint into " + checkpointDir + ": " + e.getMessage(), e);
        }
        return lastCheckpoint;
    }

    private double wall(long t0) {
        return wallBefore + (System.nanoTime() - t0) / 1e9;
    }

    // ------------------------------------------------------------------ tracking

    private Run startRun() {
        Run r = Tracking.init(store, args.project(), args.runName(), args, args.tags());
        r.summary().putAll(Map.of("params", model.parameterCount(), "forward_flops", forwardFlops));
        if (args.watchEvery() > 0) r.watch(model::namedParameters, What.ALL, args.watchEvery());
        if (resumedFrom != null) {
            String old = resumedFrom.state().runId();
            r.summary().put("resumed_from", old);
            if (store.run(old).isPresent()) {
                Map<Long, Map<String, Double>> byStep = new TreeMap<>();
                for (RunStore.MetricPoint p : store.history(old)) {
                    if (p.step() <= globalStep) byStep.computeIfAbsent(p.step(), k -> new LinkedHashMap<>()).put(p.key(), p.value());
                }
                r.unwatch();
                for (var e : byStep.entrySet()) r.log(e.getValue(), e.getKey());
                if (args.watchEvery() > 0) r.watch(model::namedParameters, What.ALL, args.watchEvery());
            }
        }
        return r;
    }

    /** Logs; once a stop was requested (or the run was ended by the JVM's exit), a failed log only warns. */
    private void log(Map<String, ?> metrics, long step) {
        try {
            run.log(metrics, step);
        } catch (RuntimeException e) {
            if (!stopRequested && run.state() == RunState.RUNNING) throw e;
            stopRequested = true;
            trackingFailed(e);
        }
    }

    private void trackingFailed(RuntimeException e) {
        if (trackingWarned) return;
        trackingWarned = true;
        System.err.println("panoptim: tracking run " + run.id() + " stopped recording (" + e.getMessage() + ")");
    }

    private void printStart() {
        out.printf(Locale.ROOT, "run %s (%s): %s on %s, %d training images (subset %d), %d validation, %d test;"
                        + " %s lr %.3g, %s schedule; %d epoch(s) of %d batches of %d on %s%s%n", run.id(), run.name(), args.model(),
                args.dataset(), trainLoader.dataset().size(), args.subset(), valLoader.dataset().size(),
                testLoader.dataset().size(), args.optimizer(), args.learningRate(), args.schedule(), args.epochs(),
                trainLoader.batchesPerEpoch(), args.batchSize(), device,
                resumedFrom == null ? "" : String.format(Locale.ROOT, "; resumed from %s at step %d (epoch %d, batch %d)",
                        resumedFrom.dir(), globalStep, epoch + 1, nextBatch));
        if (resumedFrom != null) {
            Device before = Device.parse(resumedFrom.state().args().device());
            if (!before.equals(device)) {
                out.println("device changed: the checkpoint was trained on " + before + ", this run continues on " + device
                        + " (the kernels of the two devices round differently, so the run will not repeat the"
                        + " uninterrupted one bit for bit)");
            }
        }
        out.printf(Locale.ROOT, "model: %,d parameters, %,d forward FLOPs per example (2 x multiply-accumulates)%s%n",
                model.parameterCount(), forwardFlops, optimizer.paramGroups().size() == 1 ? ""
                        : String.format(Locale.ROOT, "; lr rule %s: %d param groups, lr %.3g .. %.3g", args.lrRule(),
                        optimizer.paramGroups().size(), optimizer.paramGroups().stream().mapToDouble(g -> g.lr()).min().orElse(0),
                        optimizer.paramGroups().stream().mapToDouble(g -> g.lr()).max().orElse(0)));
        if (checkpointDir != null) out.println("checkpoints: " + checkpointDir);
    }

    // ------------------------------------------------------------------ stopping

    /** Asks the loop to stop at the next step boundary (a training step or an evaluation batch) and write a checkpoint. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Whether a stop was requested. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Whether the JVM's exit (Ctrl-C, SIGTERM) stopped the run, rather than {@link #requestStop()} or its run ending in the store. */
    public boolean interrupted() {
        return interrupted;
    }

    /** The shutdown hook: stop at the next boundary, wait for the checkpoint. */
    private void stopAndWait() {
        if (finished.getCount() == 0) return;
        interrupted = true;
        requestStop();
        System.err.println("panoptim: stopping at the next step boundary to write a checkpoint...");
        try {
            if (!finished.await(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                System.err.println("panoptim: the training loop did not stop within " + STOP_TIMEOUT.toSeconds() + " s; exiting"
                        + " without a new checkpoint");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ access

    public TrainingArgs args() {
        return args;
    }

    /** The network (a {@link dev.panoptim.nn.ResNet} or a {@link dev.panoptim.nn.SmallCnn}, as {@code args.model()} says). */
    public Module model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public LRScheduler scheduler() {
        return scheduler;
    }

    public DataLoader trainLoader() {
        return trainLoader;
    }

    public DataLoader validationLoader() {
        return valLoader;
    }

    public DataLoader testLoader() {
        return testLoader;
    }

    /** The tracked run once {@link #train()} has started it, else null. */
    public Run run() {
        return run;
    }

    /** How many CUDA graphs of the training step were captured (0 without {@code cudaGraphs}). */
    public int graphCaptures() {
        return graphed == null ? 0 : graphed.captures();
    }

    /** Optimizer steps taken, over all sessions of the run. */
    public long globalStep() {
        return globalStep;
    }

    /** The checkpoint this trainer resumed from, or null. */
    public Checkpoint resumedFrom() {
        return resumedFrom;
    }

    /** Frees the model, the optimizer state and the loss buffers. */
    @Override
    public void close() {
        if (graphed != null) graphed.close();
        if (scaler != null) scaler.close();
        optimizer.close();
        criterion.close();
        model.close();
    }

    /**
     * The settings of a {@link Trainer} besides its {@link TrainingArgs}.
     *
     * <pre>{@code Trainer t = Trainer.builder(args).data(data).store(store).out(System.out).progressBar(false).build();}</pre>
     */
    public static final class Builder {
        private final TrainingArgs args;
        private TrainingData data;
        private RunStore store;
        private Path directory;
        private PrintStream out;
        private Boolean progressBar;
        private LongConsumer stepListener;

        private Builder(TrainingArgs args) {
            if (args == null) throw new IllegalArgumentException("args must not be null");
            this.args = args;
        }

        /** The datasets (default: loaded as {@code args} says). */
        public Builder data(TrainingData v) { data = v; return this; }
        /** The run store (default: {@link Tracking#defaultStore()}). */
        public Builder store(RunStore v) { store = v; return this; }
        /** The panoptim directory, for the default checkpoint folder (default: {@link Tracking#defaultDirectory()}). */
        public Builder directory(Path v) { directory = v; return this; }
        /** Where the per-epoch lines go (default System.out). */
        public Builder out(PrintStream v) { out = v; return this; }
        /** Draw a progress bar (default: when standard output is a terminal). */
        public Builder progressBar(boolean v) { progressBar = v; return this; }
        /** Called with the global step after each optimizer step, on the training thread. */
        public Builder stepListener(LongConsumer v) { stepListener = v; return this; }

        /** Loads the data, builds the model, the optimizer and the schedule, and restores the checkpoint to resume from. */
        public Trainer build() {
            return new Trainer(this);
        }
    }
}
