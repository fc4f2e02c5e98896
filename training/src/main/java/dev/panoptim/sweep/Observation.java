package dev.panoptim.sweep;

import dev.panoptim.track.RunState;

import java.util.Map;

/**
 * An earlier trial of a sweep, as a search method sees it when it proposes the next one: the trial's
 * parameter values (the run's config; keys that are not sweep parameters are ignored), its state, and
 * the best value of the sweep's metric it logged (max or min by the metric's goal; NaN when it logged
 * none). Failed and crashed runs, and finished runs without a value, count as the worst value seen
 * (W&amp;B's imputation); running ones are predicted, not scored.
 *
 * <pre>{@code new Observation(Map.of("lr", 0.01), RunState.FINISHED, 0.91)}</pre>
 */
public record Observation(Map<String, Object> values, RunState state, double best) {}
