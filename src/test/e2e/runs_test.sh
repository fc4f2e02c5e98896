#!/usr/bin/env bash
# Run tracking through the launcher: a Java program logs runs with Tracking.init (one finishes, one
# is killed with SIGKILL, one stopped with SIGTERM), then `panoptim runs list|show|export` and
# `panoptim report` read them; errors exit 2 with a message. The store is PANOPTIM_DIR in a temp dir.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$root"
. bin/lib/jdk.sh
pt_find_jdk
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
export PANOPTIM_DIR="$work/store"
cp=$(bin/panoptim classpath | tail -n 1)

cat >"$work/Train.java" <<'JAVA'
import dev.panoptim.track.Run;
import dev.panoptim.track.Tracking;
import java.util.Map;

public class Train {
    record Args(int batchSize, double learningRate) {}

    public static void main(String[] args) throws Exception {
        Run run = Tracking.init("e2e", args[0], new Args(64, 1e-3));
        for (int step = 0; step < 20; step++) run.log(Map.of("loss", 2.0 / (step + 1), "accuracy", step / 20.0), step);
        System.out.println("logged " + run.id());
        System.out.flush();
        if (args[0].equals("hang")) Thread.sleep(120_000);
        run.finish();
    }
}
JAVA
expect_exit 0 "a tracked program compiles" -- "$PANOPTIM_JAVA_HOME/bin/javac" -cp "$cp" -d "$work" "$work/Train.java"
java=("$PANOPTIM_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp:$work" Train)

expect_exit 0 "runs list before any run" -- bin/panoptim runs list
expect_output "^no runs yet: $work/store/panoptim.db does not exist" "says there is no store yet"

expect_exit 0 "a run that finishes" -- "${java[@]}" done
done_id=$(awk '/^logged /{print $2}' <<<"$out")

# Starts a run that logs then sleeps; waits for it to have logged. Sets hang_pid and hang_id.
start_hanging() {
  "${java[@]}" hang >"$work/hang.out" 2>"$work/hang.err" &
  hang_pid=$!
  pids+=("$hang_pid")
  for _ in $(seq 600); do grep -q "^logged " "$work/hang.out" 2>/dev/null && break; sleep 0.2; done   # up to 2 min on a loaded machine
  hang_id=$(awk '/^logged /{print $2}' "$work/hang.out")
  [ -n "$hang_id" ] || { echo "FAIL: the hanging run did not log"; cat "$work/hang.err"; exit 1; }
}

start_hanging
kill_id=$hang_id
expect_exit 0 "runs list while it runs" -- bin/panoptim runs list
expect_output "^$kill_id +e2e +hang +running " "a live run is running"
kill -9 "$hang_pid"; wait "$hang_pid" 2>/dev/null || true
expect_exit 0 "runs list after SIGKILL" -- bin/panoptim runs list
expect_output "^$kill_id +e2e +hang +crashed .* 20 +loss=0\.1 accuracy=0\.95" "a killed run shows crashed, its 20 steps kept"
expect_output "^$done_id +e2e +done +finished .* 20 " "the finished run"

start_hanging
term_id=$hang_id
kill -TERM "$hang_pid"; wait "$hang_pid" 2>/dev/null || true
grep -q "run $term_id (hang) ended without finish(): marked crashed" "$work/hang.err" \
  && echo "ok: SIGTERM: the shutdown hook says it marked the run crashed" || { echo "FAIL: no shutdown-hook message"; cat "$work/hang.err"; failures=$((failures + 1)); }
expect_exit 0 "runs show of the SIGTERM run" -- bin/panoptim runs show "$term_id"
expect_output "^state +crashed$" "marked crashed"
expect_output "^  batchSize +64$" "shows the config"
expect_output "^  loss +20 +0\.\.19 +0\.1000$" "shows the metric keys with counts and last values"

expect_exit 0 "export csv" -- bin/panoptim runs export "$done_id" --format csv
expect_output "^step,accuracy,loss$" "CSV header: step, then a column per key"
expect_output "^19,0\.95,0\.1$" "the last row"
expect_exit 0 "export json to a file" -- bin/panoptim runs export "$kill_id" --format json --out "$work/run.json"
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['state']=='crashed' and len(r['history'])==20 and r['config']['learningRate']==0.001, r" "$work/run.json" \
  && echo "ok: the JSON export holds the run" || { echo "FAIL: JSON export"; failures=$((failures + 1)); }

expect_exit 0 "report" -- bin/panoptim report "$done_id" --out "$work/report"
expect_output "^wrote $work/report/report.html$" "names the HTML"
[ "$(head -c 4 "$work/report/report.png" | tail -c 3)" = PNG ] && echo "ok: report.png is a PNG" || { echo "FAIL: report.png"; failures=$((failures + 1)); }
grep -q "<title>run done ($done_id)</title>" "$work/report/report.html" && echo "ok: report.html is titled with the run" || { echo "FAIL: report title"; failures=$((failures + 1)); }

expect_exit 2 "unknown run id" -- bin/panoptim runs show nosuchid
expect_output "^panoptim: unknown run id 'nosuchid' in $work/store/panoptim.db" "names the id and the store"
expect_exit 2 "unknown project" -- bin/panoptim runs list --project nope
expect_output "unknown project 'nope' .*\(projects: e2e\)" "lists the projects"
expect_exit 2 "bad export format" -- bin/panoptim runs export "$done_id" --format xml
expect_output "unknown format 'xml' \(valid: csv, json\)" "lists the formats"
expect_exit 2 "report of an unknown id" -- bin/panoptim report nosuchid
expect_exit 2 "runs without a subcommand" -- bin/panoptim runs
expect_output "missing subcommand \(list, show, export\)" "names the subcommands"
finish
