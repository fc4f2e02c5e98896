package dev.panoptim.sweep;

import java.util.List;

/**
 * A sweep config that W&amp;B would reject: every problem, each as {@code path: what is wrong}. It is an
 * IllegalArgumentException, so the command line prints it and exits with 2.
 *
 * <pre>{@code catch (SweepConfigException e) { e.problems().forEach(System.err::println); }}</pre>
 */
public final class SweepConfigException extends IllegalArgumentException {
    private final List<String> problems;

    public SweepConfigException(String source, List<String> problems) {
        super("invalid sweep config " + source + " (" + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + "):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, in the order found: {@code parameters.lr.distribution: unknown value 'loguniform' ...}. */
    public List<String> problems() {
        return problems;
    }
}
