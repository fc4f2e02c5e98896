package dev.panoptim.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.Console;
import java.time.Duration;
import java.util.Locale;

/**
 * The progress of one epoch: in a terminal, a progress bar on standard error (me.tongfei:progressbar)
 * showing the epoch, the batches done, the speed (batches/s), the time left and the epoch's running
 * loss and accuracy; elsewhere (output piped or redirected, tests, CI) nothing at all. The trainer
 * prints one plain line per epoch either way.
 *
 * <pre>{@code
 * try (EpochProgress p = EpochProgress.start(EpochProgress.interactive(), 0, 5, 938, 0)) {
 *     for (...) p.update(loss, accuracy);
 * }
 * }</pre>
 */
public abstract sealed class EpochProgress implements AutoCloseable permits EpochProgress.Bar, EpochProgress.Quiet {

    /** Whether standard output is an interactive terminal (then a bar is drawn). */
    public static boolean interactive() {
        Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** The progress of epoch {@code epoch} (0-based) of {@code epochs}, {@code batches} long, starting at batch {@code start}. */
    public static EpochProgress start(boolean bar, int epoch, int epochs, int batches, int start) {
        return bar ? new Bar(epoch, epochs, batches, start) : new Quiet();
    }

    /** One more batch done; {@code loss} and {@code accuracy} are the epoch's running means. */
    public abstract void update(double loss, double accuracy);

    @Override
    public abstract void close();

    /** The terminal bar. */
    static final class Bar extends EpochProgress {
        private final ProgressBar bar;

        Bar(int epoch, int epochs, int batches, int start) {
            bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs))
                    .setInitialMax(batches).startsFrom(start, Duration.ZERO).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).showSpeed().build();
        }

        @Override
        public void update(double loss, double accuracy) {
            bar.step();
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f acc %.4f", loss, accuracy));
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** No output. */
    static final class Quiet extends EpochProgress {
        @Override
        public void update(double loss, double accuracy) {}

        @Override
        public void close() {}
    }
}
