package dev.panoptim.scaling;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The analysis of a scaling study (after Hilton's curriculum and Chinchilla, Hoffmann et al. 2022), separately for
 * each dropout value among the runs:
 * <ul>
 *   <li>the compute-efficient frontier ({@link Frontier}): the runs that reach a lower validation loss than every run
 *       of lower compute, and likewise for validation accuracy;</li>
 *   <li>a power law L(C) = a C^-b fitted to the loss frontier, and L(C) = a C^-b + c, whose c is kept only when an
 *       F-test says it clearly improves the fit ({@link PowerLawFit} states the rule);</li>
 *   <li>the same for the accuracy frontier, fitted as the validation error 1 - accuracy (the quantity that falls as a
 *       power law towards an irreducible error; frontier points with zero error have no logarithm and are left
 *       out of the fit);</li>
 *   <li>the compute-optimal model size, by Chinchilla's approach 1: at each compute budget the compute-optimal model
 *       is the one on the loss frontier, so the frontier's points give pairs (C, N_opt), and N_opt = k C^a is fitted
 *       to them in log space;</li>
 *   <li>the uncertainty of b (loss and error) and a from the seeds: a bootstrap that resamples seeds with replacement
 *       within each (width, data fraction) cell ({@code SeedBootstrap}), recomputes the frontier and refits the law
 *       chosen on all runs; it reports the 2.5 and 97.5 percentiles and the standard error, and is deterministic
 *       for a bootstrap seed.</li>
 * </ul>
 * Fits need at least 2 frontier points (3 for the irreducible term); where a frontier has fewer, its fit is null.
 *
 * <pre>{@code ScalingAnalysis a = ScalingAnalysis.of(rows); System.out.println(a.summaryText()); ScalingReport.write(a, dir);}</pre>
 */
public final class ScalingAnalysis {
    public static final long DEFAULT_BOOTSTRAP_SEED = 16;
    public static final int DEFAULT_RESAMPLES = 1000;

    private final List<ScalingRow> rows;
    private final List<Group> groups;
    private final long bootstrapSeed;
    private final int resamples;
    private final Set<String> lossFrontierIds = new HashSet<>(), accuracyFrontierIds = new HashSet<>();

    /**
     * The analysis of one dropout value's runs. Fits are null where the frontier is too short (see the class);
     * exponents are signed as named: {@code lossExponent} and {@code errorExponent} are b of y = a C^-b (positive
     * when y falls), {@code optimalParamsExponent} is a of N_opt = k C^a.
     */
    public record Group(double dropout, List<ScalingRow> rows, int seeds,
                        List<ScalingRow> lossFrontier, PowerLawFit.Choice lossFit, Exponent lossExponent,
                        List<ScalingRow> accuracyFrontier, PowerLawFit.Choice errorFit, Exponent errorExponent,
                        PowerLaw optimalParamsFit, Exponent optimalParamsExponent) {}

    private ScalingAnalysis(List<ScalingRow> rows, List<Group> groups, long bootstrapSeed, int resamples) {
        this.rows = rows;
        this.groups = groups;
        this.bootstrapSeed = bootstrapSeed;
        this.resamples = resamples;
        for (Group g : groups) {
            for (ScalingRow r : g.lossFrontier()) lossFrontierIds.add(r.runId());
            for (ScalingRow r : g.accuracyFrontier()) accuracyFrontierIds.add(r.runId());
        }
    }

    /** The analysis with {@value #DEFAULT_RESAMPLES} bootstrap resamples from seed {@value #DEFAULT_BOOTSTRAP_SEED}. */
    public static ScalingAnalysis of(List<ScalingRow> rows) {
        return of(rows, DEFAULT_BOOTSTRAP_SEED, DEFAULT_RESAMPLES);
    }

    /** The analysis with {@code resamples} bootstrap resamples (0: none) drawn from {@code bootstrapSeed}. */
    public static ScalingAnalysis of(List<ScalingRow> rows, long bootstrapSeed, int resamples) {
        if (rows.isEmpty()) throw new IllegalArgumentException("a scaling analysis needs runs; got none");
        if (resamples < 0) throw new IllegalArgumentException("bootstrap resamples must be >= 0, got " + resamples);
        Set<String> ids = new HashSet<>();
        TreeMap<Double, List<ScalingRow>> byDropout = new TreeMap<>();
        for (ScalingRow r : rows) {
            if (!ids.add(r.runId())) throw new IllegalArgumentException("run " + r.runId() + " appears twice among the scaling rows");
            byDropout.computeIfAbsent(r.dropout() + 0.0, k -> new ArrayList<>()).add(r);
        }
        List<Group> groups = new ArrayList<>();
        byDropout.forEach((dropout, list) -> groups.add(group(dropout, List.copyOf(list), bootstrapSeed, resamples)));
        return new ScalingAnalysis(List.copyOf(rows), List.copyOf(groups), bootstrapSeed, resamples);
    }

    private static Group group(double dropout, List<ScalingRow> rows, long bootstrapSeed, int resamples) {
        List<ScalingRow> lossFrontier = Frontier.lowestLoss(rows), accuracyFrontier = Frontier.highestAccuracy(rows);
        PowerLawFit.Choice lossFit = lossFrontier.size() >= 2 ? PowerLawFit.choose(flops(lossFrontier), values(lossFrontier, ScalingRow::valLoss)) : null;
        List<ScalingRow> errorPoints = accuracyFrontier.stream().filter(r -> r.valError() > 0).toList();
        PowerLawFit.Choice errorFit = errorPoints.size() >= 2 ? PowerLawFit.choose(flops(errorPoints), values(errorPoints, ScalingRow::valError)) : null;
        PowerLaw optimal = lossFrontier.size() >= 2 ? PowerLawFit.pure(flops(lossFrontier), values(lossFrontier, r -> r.params())) : null;
        double[] full = {lossFit == null ? Double.NaN : -lossFit.chosen().exponent(), errorFit == null ? Double.NaN : -errorFit.chosen().exponent(),
            optimal == null ? Double.NaN : optimal.exponent()};
        SeedBootstrap bootstrap = new SeedBootstrap(rows);
        // Each dropout value its own stream, so adding runs of one value leaves the others' intervals as they were.
        long seed = bootstrapSeed ^ Double.doubleToLongBits(dropout) * 0x9E3779B97F4A7C15L;
        Exponent[] e = bootstrap.exponents(seed, resamples, full, resample -> refit(resample, lossFit, errorFit, optimal));
        long seeds = rows.stream().mapToLong(ScalingRow::seed).distinct().count();
        return new Group(dropout, rows, (int) seeds, lossFrontier, lossFit, e[0], accuracyFrontier, errorFit, e[1], optimal, e[2]);
    }

    /** The exponents refitted on a resample, with the laws chosen on all runs; NaN where one cannot be fitted. */
    private static double[] refit(List<ScalingRow> rows, PowerLawFit.Choice lossFit, PowerLawFit.Choice errorFit, PowerLaw optimal) {
        List<ScalingRow> loss = Frontier.lowestLoss(rows);
        List<ScalingRow> error = Frontier.highestAccuracy(rows).stream().filter(r -> r.valError() > 0).toList();
        return new double[] {lossFit == null ? Double.NaN : -refit(lossFit, loss, ScalingRow::valLoss),
            errorFit == null ? Double.NaN : -refit(errorFit, error, ScalingRow::valError),
            optimal == null || loss.size() < 2 ? Double.NaN : PowerLawFit.pure(flops(loss), values(loss, r -> r.params())).exponent()};
    }

    private static double refit(PowerLawFit.Choice chosen, List<ScalingRow> points, ToDoubleFunction<ScalingRow> value) {
        if (points.size() < (chosen.floorKept() ? 3 : 2)) return Double.NaN;
        double[] x = flops(points), y = values(points, value);
        try {
            return (chosen.floorKept() ? PowerLawFit.withFloor(x, y) : PowerLawFit.pure(x, y)).exponent();
        } catch (IllegalArgumentException e) {   // no law of that form fits this resample
            return Double.NaN;
        }
    }

    private static double[] flops(List<ScalingRow> rows) {
        return values(rows, ScalingRow::trainFlops);
    }

    private static double[] values(List<ScalingRow> rows, ToDoubleFunction<ScalingRow> f) {
        return rows.stream().mapToDouble(f).toArray();
    }

    /** All runs, as given. */
    public List<ScalingRow> rows() {
        return rows;
    }

    /** One group per dropout value, by increasing dropout. */
    public List<Group> groups() {
        return groups;
    }

    /** The dropout values present, increasing. */
    public List<Double> dropouts() {
        return groups.stream().map(Group::dropout).toList();
    }

    /** The group of dropout value {@code dropout}, or an IllegalArgumentException listing those present. */
    public Group group(double dropout) {
        for (Group g : groups) if (g.dropout() == dropout) return g;
        throw new IllegalArgumentException("no runs with dropout " + dropout + "; the study has dropout " + dropouts());
    }

    /** Whether the run is a point of its dropout's loss frontier. */
    public boolean onLossFrontier(ScalingRow row) {
        return lossFrontierIds.contains(row.runId());
    }

    /** Whether the run is a point of its dropout's accuracy frontier. */
    public boolean onAccuracyFrontier(ScalingRow row) {
        return accuracyFrontierIds.contains(row.runId());
    }

    /** The seed the bootstrap resamples were drawn from. */
    public long bootstrapSeed() {
        return bootstrapSeed;
    }

    /** The number of bootstrap resamples asked for (0: none). */
    public int resamples() {
        return resamples;
    }

    /**
     * A short summary: the runs and the bootstrap, then a table with a column per dropout value: runs and seeds,
     * frontier points, the loss law and its exponent b with its 95% interval and standard error, whether the
     * irreducible term was kept (and the F-test's p), the same for the error 1 - accuracy, and the exponent a of N_opt.
     */
    public String summaryText() {
        StringBuilder s = new StringBuilder();
        s.append("Scaling study: ").append(rows.size()).append(" runs, dropout ").append(String.join(" and ", groups.stream().map(g -> fmt(g.dropout())).toList()));
        s.append("; 95% intervals from ").append(resamples).append(" bootstrap resamples of the seeds (seed ").append(bootstrapSeed).append(")\n");
        List<String[]> lines = new ArrayList<>();
        lines.add(column("", g -> "dropout " + fmt(g.dropout())));
        lines.add(column("runs (seeds)", g -> g.rows().size() + " (" + g.seeds() + ")"));
        lines.add(column("frontier points (loss / accuracy)", g -> g.lossFrontier().size() + " / " + g.accuracyFrontier().size()));
        lines.add(column("loss law", g -> g.lossFit() == null ? "too few points" : g.lossFit().chosen().equation("L", "C")));
        lines.add(column("loss exponent b", g -> g.lossFit() == null ? "-" : withSe(g.lossExponent())));
        lines.add(column("irreducible loss c", g -> floor(g.lossFit())));
        lines.add(column("error law (1 - accuracy)", g -> g.errorFit() == null ? "too few points" : g.errorFit().chosen().equation("E", "C")));
        lines.add(column("error exponent b", g -> g.errorFit() == null ? "-" : withSe(g.errorExponent())));
        lines.add(column("irreducible error c", g -> floor(g.errorFit())));
        lines.add(column("N_opt exponent a (N = k·C^a)", g -> g.optimalParamsFit() == null ? "-" : withSe(g.optimalParamsExponent())));
        int[] widths = new int[lines.getFirst().length];
        for (String[] l : lines) for (int i = 0; i < l.length; i++) widths[i] = Math.max(widths[i], l[i].length());
        for (String[] l : lines) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < l.length; i++) line.append(i == 0 ? "" : "   ").append(pad(l[i], widths[i]));
            s.append(line.toString().stripTrailing()).append('\n');
        }
        return s.toString();
    }

    private String[] column(String label, java.util.function.Function<Group, String> cell) {
        String[] out = new String[groups.size() + 1];
        out[0] = label;
        for (int i = 0; i < groups.size(); i++) out[i + 1] = cell.apply(groups.get(i));
        return out;
    }

    private static String withSe(Exponent e) {
        return e.hasInterval() ? e.interval() + " SE " + String.format(Locale.ROOT, "%.3f", e.standardError()) : e.interval() + " (one seed: no interval)";
    }

    private static String floor(PowerLawFit.Choice fit) {
        if (fit == null) return "-";
        String p = Double.isNaN(fit.pValue()) ? "" : String.format(Locale.ROOT, " (F-test p = %.3g)", fit.pValue());
        return (fit.floorKept() ? "kept: " + dev.panoptim.report.Ticks.format(fit.withFloor().floor()) : "not kept") + p;
    }

    static String fmt(double v) {
        return dev.panoptim.report.Ticks.format(v);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
