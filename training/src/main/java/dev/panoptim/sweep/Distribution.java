package dev.panoptim.sweep;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A parameter's distribution, with W&amp;B's names and parameterizations (X ~ U(min, max), N ~ N(mu, sigma),
 * B ~ Beta(a, b); {@code round_q(v) = round(v / q) * q}, q defaults to 1):
 * <pre>
 * constant               value
 * categorical            one of values (with optional probabilities)
 * int_uniform            integer in [min, max]
 * uniform                X
 * q_uniform              round_q(X)
 * log_uniform            exp(X)                     (min, max in natural-log space)
 * log_uniform_values     exp(U(ln min, ln max))     (min, max are the values)
 * q_log_uniform          round_q(exp(X))
 * q_log_uniform_values   round_q(exp(U(ln min, ln max)))
 * inv_log_uniform        exp(-X)                    (ln(1/value) ~ U(min, max))
 * inv_log_uniform_values 1 / exp(U(ln(1/max), ln(1/min)))
 * normal, q_normal       N, round_q(N)              (mu 0, sigma 1 by default)
 * log_normal, q_log_normal exp(N), round_q(exp(N))
 * beta, q_beta           B, round_q(B)              (a 1, b 1 by default)
 * </pre>
 *
 * <pre>{@code Distribution d = Distribution.parse("log_uniform_values").orElseThrow();}</pre>
 */
public enum Distribution {
    CONSTANT, CATEGORICAL, INT_UNIFORM, UNIFORM, Q_UNIFORM, LOG_UNIFORM, LOG_UNIFORM_VALUES, Q_LOG_UNIFORM,
    Q_LOG_UNIFORM_VALUES, INV_LOG_UNIFORM, INV_LOG_UNIFORM_VALUES, NORMAL, Q_NORMAL, LOG_NORMAL, Q_LOG_NORMAL, BETA, Q_BETA;

    /** The name in a sweep config, e.g. {@code q_log_uniform}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The distribution named {@code id} in a config, if any. */
    public static Optional<Distribution> parse(String id) {
        return Arrays.stream(values()).filter(d -> d.id().equals(id)).findFirst();
    }

    /** All names, comma separated, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(Distribution::id).collect(Collectors.joining(", "));
    }

    /** Whether it is parameterized by min and max. */
    boolean bounded() {
        return switch (this) {
            case INT_UNIFORM, UNIFORM, Q_UNIFORM, LOG_UNIFORM, LOG_UNIFORM_VALUES, Q_LOG_UNIFORM, Q_LOG_UNIFORM_VALUES,
                 INV_LOG_UNIFORM, INV_LOG_UNIFORM_VALUES -> true;
            default -> false;
        };
    }

    /** Whether it is parameterized by mu and sigma. */
    boolean gaussian() {
        return this == NORMAL || this == Q_NORMAL || this == LOG_NORMAL || this == Q_LOG_NORMAL;
    }

    /** Whether it is parameterized by a and b. */
    boolean betaFamily() {
        return this == BETA || this == Q_BETA;
    }

    /** Whether it takes {@code q}. */
    boolean quantized() {
        return id().startsWith("q_");
    }

    /** Whether min and max are values that must be positive (their logarithm is taken). */
    boolean positiveBounds() {
        return this == LOG_UNIFORM_VALUES || this == Q_LOG_UNIFORM_VALUES || this == INV_LOG_UNIFORM_VALUES;
    }
}
