package dev.panoptim.track;

/**
 * A log or heartbeat reached a run that has ended in its store (stopped by a sweep, marked crashed by
 * another process, finished): the run takes no more data. {@link Run} then takes the store's state as
 * its own, so a trainer stops recording rather than failing.
 *
 * <pre>{@code try { store.log(id, step, values, List.of(), summary, now); } catch (RunNotRunningException e) { e.state(); }}</pre>
 */
public class RunNotRunningException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String runId;
    private final RunState state;

    public RunNotRunningException(String runId, RunState state) {
        super("run " + runId + " is " + state.id() + "; it takes no more logs");
        this.runId = runId;
        this.state = state;
    }

    public String runId() {
        return runId;
    }

    public RunState state() {
        return state;
    }
}
