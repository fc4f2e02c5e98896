package dev.panoptim.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the JMH JSON results of {@link OptimizerStepBench} ({@code -rf json -rff results.json}) into a
 * Markdown table: per optimizer and numel, the time per step of {@code fusedStep}, {@code javaLoopStep}
 * and {@code rooflineStep}, their effective bandwidth in GB/s (10^9 bytes per second, bytes read +
 * written), the ratio of the fused bandwidth to the roofline's and the fused speed-up over the Java
 * loop, all from the same run.
 *
 * <p>Bytes per param: Adam/AdamW 28 (read p, g, m, v; write p, m, v), SGD with momentum 20 (read p, g,
 * buf; write p, buf), RMSprop without momentum, not centered, 20 (read p, g, square_avg; write p,
 * square_avg), roofline 28 (as AdamW).
 *
 * <p>Results of the earlier {@code copyBaseline} (a single-threaded {@code MemorySegment.copy}, 8 bytes
 * per float) are still read, so that the kept JSON of docs/benchmarks/ can be tabled again: copy
 * columns appear when such results are present.
 *
 * <p>Several JSON files (e.g. one per benchmark, run separately) are read as one run; rows come ordered
 * by numel, then optimizer (sgd, rmsprop, adam, adamw, others by name).
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.panoptim.bench.BenchReport results.json [more.json...]</pre>
 */
public final class BenchReport {
    public static final String FUSED = "fusedStep", JAVA_LOOP = "javaLoopStep", ROOFLINE = "rooflineStep",
            COPY = "copyBaseline";

    private BenchReport() {}

    /** Bytes read + written per param by {@code method} of the benchmark for {@code optimizer}. */
    public static long bytesPerParam(String optimizer, String method) {
        if (COPY.equals(method)) return 8;
        if (ROOFLINE.equals(method)) return 28;
        if (!FUSED.equals(method) && !JAVA_LOOP.equals(method)) {
            throw new IllegalArgumentException("unknown benchmark method " + method);
        }
        return switch (optimizer) {
            case "adam", "adamw" -> 28;
            case "sgd", "rmsprop" -> 20;
            default -> throw new IllegalArgumentException("unknown optimizer " + optimizer);
        };
    }

    /**
     * Seconds per operation from a JMH score and its unit: average time ({@code "ms/op"}, {@code "us/op"}...)
     * or throughput ({@code "ops/ms"}, {@code "ops/s"}...).
     */
    public static double secondsPerOp(double score, String unit) {
        String u = unit.trim();
        if (u.endsWith("/op")) return score * secondsOf(u.substring(0, u.length() - 3));
        if (u.startsWith("ops/")) return secondsOf(u.substring(4)) / score;
        throw new IllegalArgumentException("unsupported score unit " + unit);
    }

    private static double secondsOf(String unit) {
        return switch (unit) {
            case "s" -> 1.0;
            case "ms" -> 1e-3;
            case "us" -> 1e-6;
            case "ns" -> 1e-9;
            case "min" -> 60.0;
            default -> throw new IllegalArgumentException("unsupported time unit " + unit);
        };
    }

    /** Effective bandwidth in GB/s (10^9 B/s) of moving {@code bytesPerParam * numel} bytes in {@code seconds}. */
    public static double gbPerSecond(long bytesPerParam, long numel, double seconds) {
        if (seconds <= 0) throw new IllegalArgumentException("seconds must be > 0, got " + seconds);
        return (double) bytesPerParam * numel / seconds / 1e9;
    }

    /** One JMH result: a method at one (optimizer, numel), its time per op and that time's error, in seconds. */
    public record Result(String method, String optimizer, long numel, double seconds, double errorSeconds) {
        public double gbPerSecond() {
            return BenchReport.gbPerSecond(bytesPerParam(optimizer, method), numel, seconds);
        }
    }

    /** One table row: the methods at one (optimizer, numel); any may be null if it was not run. */
    public record Row(String optimizer, long numel, Result fused, Result javaLoop, Result roofline, Result copy) {
        /** Fused bandwidth over roofline bandwidth (NaN if either is missing). */
        public double fusedToRoofline() {
            return fused == null || roofline == null ? Double.NaN : fused.gbPerSecond() / roofline.gbPerSecond();
        }

        /** Fused bandwidth over (single-threaded) copy bandwidth, for old results (NaN if either is missing). */
        public double fusedToCopy() {
            return fused == null || copy == null ? Double.NaN : fused.gbPerSecond() / copy.gbPerSecond();
        }

        /** Java-loop time over fused time (NaN if either is missing). */
        public double speedUpOverJavaLoop() {
            return fused == null || javaLoop == null ? Double.NaN : javaLoop.seconds() / fused.seconds();
        }
    }

    /** The results of {@code OptimizerStepBench} in a JMH JSON document (other benchmarks are skipped). */
    public static List<Result> parse(String json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        if (!root.isArray()) throw new IOException("not a JMH JSON result array");
        List<Result> results = new ArrayList<>();
        for (JsonNode b : root) {
            String name = b.path("benchmark").asText();
            int dot = name.lastIndexOf('.');
            String method = name.substring(dot + 1);
            if (!name.substring(0, Math.max(dot, 0)).endsWith("OptimizerStepBench")) continue;
            JsonNode params = b.path("params");
            JsonNode metric = b.path("primaryMetric");
            String unit = metric.path("scoreUnit").asText();
            double score = metric.path("score").asDouble();
            double error = metric.path("scoreError").asDouble(Double.NaN);
            double seconds = secondsPerOp(score, unit);
            // Error of seconds from the score's error (first order for throughput).
            double errorSeconds = Double.isNaN(error) ? Double.NaN : Math.abs(seconds * error / score);
            results.add(new Result(method, params.path("optimizer").asText(), params.path("numel").asLong(),
                    seconds, errorSeconds));
        }
        return results;
    }

    /** The results ordered by numel, then optimizer (sgd, rmsprop, adam, adamw, then others by name). */
    public static List<Result> sorted(List<Result> results) {
        List<String> order = List.of("sgd", "rmsprop", "adam", "adamw");
        List<Result> copy = new ArrayList<>(results);
        copy.sort(Comparator.comparingLong(Result::numel)
                .thenComparingInt(r -> order.contains(r.optimizer()) ? order.indexOf(r.optimizer()) : order.size())
                .thenComparing(Result::optimizer));
        return copy;
    }

    /** Groups results into rows, in order of first appearance. */
    public static List<Row> rows(List<Result> results) {
        Map<String, Result[]> byKey = new LinkedHashMap<>();
        for (Result r : results) {
            Result[] slot = byKey.computeIfAbsent(r.optimizer() + "@" + r.numel(), k -> new Result[4]);
            switch (r.method()) {
                case FUSED -> slot[0] = r;
                case JAVA_LOOP -> slot[1] = r;
                case ROOFLINE -> slot[2] = r;
                case COPY -> slot[3] = r;
                default -> { }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Result[] s : byKey.values()) {
            Result any = s[0] != null ? s[0] : s[1] != null ? s[1] : s[2] != null ? s[2] : s[3];
            rows.add(new Row(any.optimizer(), any.numel(), s[0], s[1], s[2], s[3]));
        }
        return rows;
    }

    /** The Markdown table of {@code rows}; copy columns only when some row has a copy result. */
    public static String markdown(List<Row> rows) {
        boolean copies = rows.stream().anyMatch(r -> r.copy() != null);
        StringBuilder sb = new StringBuilder();
        sb.append("| optimizer | numel | B/param | fused ms | javaLoop ms | roofline ms | fused GB/s | javaLoop GB/s"
                + " | roofline GB/s | fused/roofline | fused vs javaLoop |");
        sb.append(copies ? " copy ms | copy GB/s | fused/copy |\n" : "\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|").append(copies ? "---:|---:|---:|\n" : "\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |",
                    r.optimizer(), numelLabel(r.numel()), bytesPerParam(r.optimizer(), FUSED),
                    time(r.fused()), time(r.javaLoop()), time(r.roofline()),
                    gbs(r.fused()), gbs(r.javaLoop()), gbs(r.roofline()),
                    ratio(r.fusedToRoofline()), speedUp(r.speedUpOverJavaLoop())));
            if (copies) {
                sb.append(String.format(Locale.ROOT, " %s | %s | %s |", time(r.copy()), gbs(r.copy()),
                        ratio(r.fusedToCopy())));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String numelLabel(long numel) {
        if (numel > 0 && Long.bitCount(numel) == 1) {
            return String.format(Locale.ROOT, "2^%d (%,d)", Long.numberOfTrailingZeros(numel), numel);
        }
        return String.format(Locale.ROOT, "%,d", numel);
    }

    private static String time(Result r) {
        if (r == null) return "-";
        String t = String.format(Locale.ROOT, "%.3f", r.seconds() * 1e3);
        return Double.isNaN(r.errorSeconds()) ? t : t + String.format(Locale.ROOT, " ± %.3f", r.errorSeconds() * 1e3);
    }

    private static String gbs(Result r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%.1f", r.gbPerSecond());
    }

    private static String ratio(double x) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.2f", x);
    }

    private static String speedUp(double x) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.1fx", x);
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: java -cp bench/target/benchmarks.jar dev.panoptim.bench.BenchReport results.json...");
            System.exit(2);
        }
        List<Result> results = new ArrayList<>();
        for (String file : args) results.addAll(parse(Files.readString(Path.of(file))));
        List<Row> rows = rows(sorted(results));
        PrintStream out = System.out;
        out.print(markdown(rows));
        out.println();
        out.println("GB/s: 10^9 bytes read + written per second; B/param: fused and javaLoop (roofline moves 28,"
                + " copy 8). fused/roofline: fused GB/s over roofline GB/s; fused vs javaLoop: javaLoop time over"
                + " fused time.");
    }
}
