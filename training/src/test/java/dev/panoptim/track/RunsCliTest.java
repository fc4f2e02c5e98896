package dev.panoptim.track;

import dev.panoptim.cli.PanoptimCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** panoptim runs list|show|export and panoptim report through the real command line: output, files, exit codes, messages. */
public class RunsCliTest {
    /** What a command line run gave: its exit code, stdout and stderr. */
    public record Result(int code, String out, String err) {
        public Result expect(int want) {
            assertEquals(want, code, "exit code; stdout:\n" + out + "\nstderr:\n" + err);
            return this;
        }
    }

    /** Runs {@code panoptim ARGS} in-process. */
    public static Result run(String... args) {
        CommandLine cmd = PanoptimCli.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void listShowExportReport(@TempDir Path dir) throws Exception {
        String d = dir.toString();
        String a, b, gone;
        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("batch_size", 64);
            config.put("optimizer", Map.of("name", "adamw"));
            Run first = Tracking.init(store, "fashion", "resnet18-adamw", config);
            for (int s = 0; s < 10; s++) first.log(Map.of("loss", 1.0 / (s + 1), "accuracy", s / 10.0, "lr", 0.001));
            first.finish();
            a = first.id();
            Run second = Tracking.init(store, "cifar", "resnet34", null);
            second.log(Map.of("loss", 2.0));
            second.finish(RunState.FAILED);
            b = second.id();
            gone = store.createRun(new RunStore.NewRun("cifar", "killed", "{}", null, CrashTest.deadPid(),
                    ProcessIdentity.current().host(), null), System.currentTimeMillis()).id();
        }

        Result list = run("runs", "list", "--dir", d).expect(0);
        List<String> lines = list.out().lines().toList();
        assertEquals(4, lines.size(), list.out());
        assertTrue(lines.get(0).matches("ID +PROJECT +NAME +STATE +CREATED +STEPS +SUMMARY"), lines.get(0));
        assertTrue(lines.get(1).matches(a + " +fashion +resnet18-adamw +finished +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +10 +loss=0\\.1 accuracy=0\\.9 lr=0\\.001"),
                lines.get(1));
        assertTrue(lines.get(2).matches(b + " +cifar +resnet34 +failed .* 1 +loss=2"), lines.get(2));
        assertTrue(lines.get(3).matches(gone + " +cifar +killed +crashed .* 0"), "a running run with a dead pid shows crashed: " + lines.get(3));

        Result cifar = run("runs", "list", "--project", "cifar", "--dir", d).expect(0);
        assertEquals(3, cifar.out().lines().count(), cifar.out());

        Result show = run("runs", "show", a, "--dir", d).expect(0);
        assertTrue(show.out().contains("name     resnet18-adamw"), show.out());
        assertTrue(show.out().contains("state    finished"), show.out());
        assertTrue(show.out().contains("steps    10 (last step 9)"), show.out());
        assertTrue(show.out().matches("(?s).*config\\n  batch_size +64\\n  optimizer\\.name +adamw\\n.*"), show.out());
        assertTrue(show.out().matches("(?s).*summary\\n  (loss|accuracy|lr) .*"), show.out());
        assertTrue(show.out().matches("(?s).*metrics \\(3 keys\\)\\n  KEY +VALUES +STEPS +LAST\\n.*  loss +10 +0\\.\\.9 +0\\.1000\\n.*"), show.out());
        assertTrue(show.out().contains("histograms: none"), show.out());

        Result csv = run("runs", "export", a, "--format", "csv", "--dir", d).expect(0);
        assertEquals("step,accuracy,loss,lr", csv.out().lines().findFirst().orElseThrow());
        assertEquals(11, csv.out().lines().count());
        Path json = dir.resolve("out/run.json");
        Result toFile = run("runs", "export", a, "--format", "json", "--out", json.toString(), "--dir", d).expect(0);
        assertEquals("wrote " + json + "\n", toFile.out());
        assertTrue(Files.readString(json).contains("\"name\" : \"resnet18-adamw\""));

        Result report = run("report", a, "--dir", d).expect(0);
        Path reportDir = dir.resolve("reports").resolve(a);
        assertEquals("wrote " + reportDir.resolve("report.html") + "\nwrote " + reportDir.resolve("report.png") + "\n", report.out());
        assertTrue(Files.size(reportDir.resolve("report.png")) > 1000);
        run("report", b, "--out", dir.resolve("r2").toString(), "--dir", d).expect(0);
        assertTrue(Files.exists(dir.resolve("r2/report.html")));
    }

    @Test
    void errorsExitWith2AndSayWhatIsWrong(@TempDir Path dir) throws Exception {
        String d = dir.toString();
        Path db = dir.resolve("panoptim.db");
        Result none = run("runs", "list", "--dir", d).expect(0);
        assertEquals("no runs yet: " + db + " does not exist (Tracking.init creates it)\n", none.out());
        Result noStore = run("runs", "show", "abc", "--dir", d).expect(2);
        assertTrue(noStore.err().startsWith("panoptim: no run store at " + db), noStore.err());

        try (SqliteRunStore store = SqliteRunStore.inDirectory(dir)) {
            Tracking.init(store, "demo", "one", null).finish();
        }
        Result unknownId = run("runs", "show", "zzzzzzzz", "--dir", d).expect(2);
        assertEquals("panoptim: unknown run id 'zzzzzzzz' in " + db + " (panoptim runs list shows the runs)\n", unknownId.err());
        run("runs", "export", "zzzzzzzz", "--dir", d).expect(2);
        Result badReport = run("report", "zzzzzzzz", "--out", dir.resolve("rep").toString(), "--dir", d).expect(2);
        assertTrue(badReport.err().startsWith("panoptim: unknown run id 'zzzzzzzz'"), badReport.err());
        assertFalse(Files.exists(dir.resolve("rep")));
        Result unknownProject = run("runs", "list", "--project", "nope", "--dir", d).expect(2);
        assertEquals("panoptim: unknown project 'nope' in " + db + " (projects: demo)\n", unknownProject.err());
        String id;
        try (SqliteRunStore store = SqliteRunStore.openExisting(db)) {
            id = store.runs(null).getFirst().id();
        }
        Path out = dir.resolve("x.xml");
        Result badFormat = run("runs", "export", id, "--format", "xml", "--out", out.toString(), "--dir", d).expect(2);
        assertEquals("panoptim: unknown format 'xml' (valid: csv, json)\n", badFormat.err());
        assertFalse(Files.exists(out));
        Result noSub = run("runs").expect(2);
        assertTrue(noSub.err().contains("missing subcommand (list, show, export)"), noSub.err());
        run("runs", "show").expect(2);
    }
}
