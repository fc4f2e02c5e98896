package dev.panoptim.scaling;

/**
 * One run of a scaling study: the model's width exponent (channels grow by sqrt(2)^k) and parameter count, the
 * fraction of the training set it saw, its seed and dropout, the training compute in FLOPs, and the validation
 * loss and accuracy at the end of its epoch. The constructor rejects a row that no fit could use: an
 * IllegalArgumentException names the run and the field.
 *
 * <pre>{@code ScalingRow r = new ScalingRow("k3j2x9a0", 2, 48_202, 0.5, 1, 0.2, 3.1e12, 0.71, 0.76);}</pre>
 *
 * @param runId         the run's id in the run store (any non-blank text)
 * @param widthExponent k: the model's channels are the base width times sqrt(2)^k
 * @param params        trainable parameters, positive
 * @param dataFraction  the fraction of the training set used, in (0, 1]
 * @param seed          the run's seed; runs of one (width, fraction, dropout) cell differ only by it
 * @param dropout       the dropout probability, in [0, 1)
 * @param trainFlops    training compute C in FLOPs (forward and backward over the epoch), positive and finite
 * @param valLoss       validation loss (cross-entropy, nats), positive and finite
 * @param valAccuracy   validation accuracy, in [0, 1]
 */
public record ScalingRow(String runId, int widthExponent, long params, double dataFraction, long seed, double dropout,
                         double trainFlops, double valLoss, double valAccuracy) {
    public ScalingRow {
        if (runId == null || runId.isBlank()) throw new IllegalArgumentException("scaling row without a run id");
        if (params <= 0) throw bad(runId, "params", params, "a positive parameter count");
        if (!(dataFraction > 0 && dataFraction <= 1)) throw bad(runId, "dataFraction", dataFraction, "a fraction in (0, 1]");
        if (!(dropout >= 0 && dropout < 1)) throw bad(runId, "dropout", dropout, "a probability in [0, 1)");
        if (!(trainFlops > 0) || Double.isInfinite(trainFlops)) throw bad(runId, "trainFlops", trainFlops, "positive finite FLOPs");
        // A loss of 0 (or below) has no logarithm, and the fits are in log space.
        if (!(valLoss > 0) || Double.isInfinite(valLoss)) throw bad(runId, "valLoss", valLoss, "a positive finite loss");
        if (!(valAccuracy >= 0 && valAccuracy <= 1)) throw bad(runId, "valAccuracy", valAccuracy, "an accuracy in [0, 1]");
    }

    /** 1 - accuracy: the validation error, the quantity whose frontier is fitted with a power law. */
    public double valError() {
        return 1 - valAccuracy;
    }

    private static IllegalArgumentException bad(String runId, String field, Object value, String expected) {
        return new IllegalArgumentException("scaling row of run " + runId + ": " + field + " = " + value + ", expected " + expected);
    }
}
