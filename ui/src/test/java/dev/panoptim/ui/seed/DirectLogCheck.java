package dev.panoptim.ui.seed;

import dev.panoptim.track.ProcessIdentity;
import dev.panoptim.track.RunInfo;
import dev.panoptim.track.RunStore;
import dev.panoptim.track.RunStores;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Proves that {@link DirectLog} writes what {@code RunStore.log} writes: in a scratch store, run A gets 30 steps
 * through the store's log (one call per step, NaN and all) and run B the same through DirectLog; then every row of
 * every table that names A must equal one naming B, with the ids swapped. Any difference (a column or table that log
 * writes and DirectLog does not) is an IllegalStateException naming the table.
 *
 * <pre>{@code DirectLogCheck.verify();   // before seeding with DirectLog}</pre>
 */
final class DirectLogCheck {
    private static final int STEPS = 30;

    private DirectLogCheck() {}

    static void verify() throws IOException, SQLException {
        Path scratch = Files.createTempDirectory("panoptim-directlog-check");
        try {
            ProcessIdentity me = ProcessIdentity.current();
            DirectLog.Values values = step -> Map.of("loss", step == 7 ? Double.NaN : 1.0 / (step + 1), "accuracy", step / 30.0);
            String summary = "{\"loss\":0.5}";
            String a, b;
            try (RunStore store = RunStores.open(scratch.toString())) {
                a = store.createRun(new RunStore.NewRun("check", "same", "{\"lr\":0.1}", null, me.pid(), me.host(), me.startedAt()), 1000).id();
                b = store.createRun(new RunStore.NewRun("check", "same", "{\"lr\":0.1}", null, me.pid(), me.host(), me.startedAt()), 1000).id();
                for (long step = 0; step < STEPS; step++) store.log(a, step, values.at(step), List.of(), summary, 2000 + step);
            }
            try (DirectLog direct = DirectLog.open(scratch)) {
                direct.logSteps(b, 0, 10, values, step -> 2000 + step, "{}");
                direct.logSteps(b, 10, STEPS, values, step -> 2000 + step, summary);
                compare(direct.connection(), a, b);
            }
        } finally {
            try (var files = Files.walk(scratch)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    private static void compare(Connection c, String a, String b) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) tables.add(rs.getString(1));
        }
        for (String table : tables) {
            List<String> ofA = new ArrayList<>(), ofB = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    boolean hasA = false, hasB = false;
                    for (int i = 1; i <= n; i++) {
                        String v = Objects.toString(rs.getObject(i));
                        hasA |= v.equals(a);
                        hasB |= v.equals(b);
                        row.add(v.equals(a) || v.equals(b) ? "RUN" : v);
                    }
                    if (hasA) ofA.add(String.join("|", row));
                    if (hasB) ofB.add(String.join("|", row));
                }
            }
            ofA.sort(null);
            ofB.sort(null);
            if (!ofA.equals(ofB)) {
                throw new IllegalStateException("DirectLog no longer writes what RunStore.log writes: table " + table + " holds "
                        + ofA.size() + " rows of the logged run and " + ofB.size() + " of the directly written one (first of each: "
                        + (ofA.isEmpty() ? "-" : ofA.getFirst()) + " / " + (ofB.isEmpty() ? "-" : ofB.getFirst()) + "); update DirectLog");
            }
        }
    }
}
