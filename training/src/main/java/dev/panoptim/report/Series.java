package dev.panoptim.report;

import java.util.Locale;

/** One metric of a run over steps, for the report's plots; NaN values are gaps. */
record Series(String key, long[] steps, double[] values) {
    /** The last finite value, or NaN. */
    double last() {
        for (int i = values.length - 1; i >= 0; i--) {
            if (Double.isFinite(values[i])) return values[i];
        }
        return Double.NaN;
    }

    boolean isAccuracy() {
        return key.toLowerCase(Locale.ROOT).contains("acc");
    }

    boolean isLoss() {
        return key.toLowerCase(Locale.ROOT).contains("loss");
    }
}
