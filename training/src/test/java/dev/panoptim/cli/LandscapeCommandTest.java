package dev.panoptim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code panoptim landscape} through the real command line: exit codes, messages, files. */
class LandscapeCommandTest {
    record Result(int code, String out, String err) {
        void expect(int want) {
            assertEquals(want, code, "exit code; stdout:\n" + out + "\nstderr:\n" + err);
        }
    }

    static Result run(String... args) {
        CommandLine cmd = PanoptimCli.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Rows per optimizer label, and the header, of a trajectories.csv. */
    static Map<String, Integer> rows(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        assertEquals("optimizer,step,x,y,loss", lines.getFirst());
        Map<String, Integer> counts = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String label = line.startsWith("\"") ? line.substring(1, line.indexOf('"', 1)) : line.substring(0, line.indexOf(','));
            counts.merge(label, 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void singleOptimizerReproducesTheCoursesFigure(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("seed");
        Result r = run("landscape", "--function", "pathological", "--optimizer", "sgd", "--lr", "0.02", "--momentum", "0.99",
                "--steps", "100", "--start", "2.5,2.5", "--out", out.toString());
        r.expect(0);
        assertTrue(r.out().contains("SGD(lr=0.02, momentum=0.99)  end after 100 steps: (0.7196, -6.4586), loss 0.3890"), r.out());
        assertEquals(Map.of("SGD(lr=0.02, momentum=0.99)", 101), rows(out.resolve("trajectories.csv")));
        String row99 = Files.readAllLines(out.resolve("trajectories.csv")).get(100);   // header + steps 0..98
        String[] f = row99.substring(row99.lastIndexOf('"') + 2).split(",");
        assertEquals("99", f[0]);
        assertEquals(0.8110, Double.parseDouble(f[1]), 1e-3);
        assertEquals(-6.3344, Double.parseDouble(f[2]), 1e-3);
        assertTrue(Files.size(out.resolve("landscape.html")) > 1_000_000);
        assertNotNull(ImageIO.read(out.resolve("landscape.png").toFile()));
    }

    @Test
    void defaultComparisonAndRepeatedOptimizers(@TempDir Path dir) throws Exception {
        Result r = run("landscape", "--function", "trimodal", "--steps", "30", "--out", dir.resolve("a").toString());
        r.expect(0);
        assertEquals(Map.of("SGD(lr=0.03, momentum=0.99)", 31, "RMSprop(lr=0.02, alpha=0.99, momentum=0.8)", 31,
                "Adam(lr=0.2, betas=(0.99, 0.99), weight_decay=0.005)", 31, "AdamW(lr=0.2, betas=(0.99, 0.99), weight_decay=0.005)", 31),
                rows(dir.resolve("a/trajectories.csv")));
        assertEquals(6, r.out().lines().count(), r.out());   // heading, 4 optimizers, files

        r = run("landscape", "--function", "rosenbrock:a=1,b=100", "--optimizer", "adam:lr=0.1",
                "--optimizer", "sgd:lr=0.001,momentum=0.9", "-o", "rmsprop:lr=0.01,centered=true", "--weight-decay", "0.001",
                "--steps", "20", "--start=-1,1.5", "--out", dir.resolve("b").toString());
        r.expect(0);
        assertEquals(Map.of("Adam(lr=0.1, weight_decay=0.001)", 21, "SGD(lr=0.001, momentum=0.9, weight_decay=0.001)", 21,
                "RMSprop(lr=0.01, centered=true, weight_decay=0.001)", 21), rows(dir.resolve("b/trajectories.csv")));
        assertTrue(r.out().contains("20 steps from (-1, 1.5)"), r.out());
    }

    @Test
    void badInputExitsWithTwoAndListsTheChoices(@TempDir Path dir) {
        String out = dir.resolve("x").toString();
        expectUsage("unknown function 'himmelblau' (valid: pathological, rosenbrock, trimodal, gaussian",
                "landscape", "--function", "himmelblau", "--out", out);
        expectUsage("unknown optimizer 'lamb' (valid: sgd, rmsprop, adam, adamw", "landscape", "--optimizer", "lamb", "--out", out);
        expectUsage("unknown option 'momentum' (valid: lr, betas, eps, weight_decay, amsgrad, maximize)",
                "landscape", "--optimizer", "adam:momentum=0.9", "--out", out);
        expectUsage("--momentum does not apply to adam", "landscape", "--optimizer", "adam", "--momentum", "0.9", "--out", out);
        expectUsage("malformed optimizer option 'lr0.1'", "landscape", "--optimizer", "sgd:lr0.1", "--out", out);
        expectUsage("malformed --start '2.5' (expected X,Y", "landscape", "--start", "2.5", "--out", out);
        expectUsage("malformed --start 'a,b'", "landscape", "--start", "a,b", "--out", out);
        expectUsage("malformed --betas", "landscape", "--optimizer", "adam", "--betas", "0.9", "--out", out);
        expectUsage("--lr needs an --optimizer", "landscape", "--lr", "0.1", "--out", out);
        expectUsage("--steps must be in [1, 1000000], got 0", "landscape", "--steps", "0", "--out", out);
        expectUsage("--xrange needs MIN < MAX", "landscape", "--xrange", "3,-3", "--out", out);
        expectUsage("Missing required option: '--out=DIR'", "landscape");
        expectUsage("Invalid value for option '--steps'", "landscape", "--steps", "many", "--out", out);
        assertFalse(Files.exists(dir.resolve("x")), "nothing written on a usage error");
    }

    @Test
    void outMayHoldOtherFilesButNotBeAFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("keep.txt"), "mine");
        Files.writeString(dir.resolve("trajectories.csv"), "old");
        Result r = run("landscape", "--optimizer", "adam:lr=0.1", "--steps", "5", "--out", dir.toString());
        r.expect(0);
        assertTrue(r.out().contains("(replaced the previous trajectories.csv)"), r.out());
        assertEquals("mine", Files.readString(dir.resolve("keep.txt")));
        assertEquals(Map.of("Adam(lr=0.1)", 6), rows(dir.resolve("trajectories.csv")));
        expectUsage("exists and is not a directory", "landscape", "--out", dir.resolve("keep.txt").toString());
        assertEquals("mine", Files.readString(dir.resolve("keep.txt")));
    }

    @Test
    void helpShowsTheSyntax() {
        Result r = run("landscape", "--help");
        r.expect(0);
        assertTrue(r.out().contains("-o 'sgd:lr=0.03,momentum=0.99'"), r.out());
        assertTrue(r.out().contains("Functions: pathological"), r.out());
    }

    private static void expectUsage(String message, String... args) {
        Result r = run(args);
        r.expect(2);
        assertTrue(r.err().contains(message), "expected '" + message + "' in:\n" + r.err());
    }
}
