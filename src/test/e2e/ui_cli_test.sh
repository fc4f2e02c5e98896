#!/usr/bin/env bash
# `panoptim ui` through the launcher: a missing store, a bad port and a port in use exit 2 with a message; on a
# store a Java program logs into, the server prints its URL first, answers the API and the app page, warns when
# bound beyond loopback, and stops on SIGINT. (The browser tests are ui_browser_test.sh.)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$root"
. bin/lib/jdk.sh
pt_find_jdk
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
cp=$(bin/panoptim classpath | tail -n 1)

expect_exit 2 "a missing store exits 2" -- bin/panoptim ui --dir "$work/none" --port 0
expect_output "panoptim.db" "and names the file it looked for"
expect_exit 2 "a port out of range exits 2" -- bin/panoptim ui --dir "$work/none" --port 70000
expect_output "--port must be in 0..65535, got 70000" "and says the range"

cat >"$work/Log.java" <<'JAVA'
import dev.panoptim.track.Run;
import dev.panoptim.track.Tracking;
import java.util.Map;

public class Log {
    public static void main(String[] args) {
        Run run = Tracking.init("e2e-ui", "logged", Map.of("lr", 0.1));
        for (int step = 0; step < 50; step++) run.log(Map.of("loss", 1.0 / (step + 1)), step);
        run.finish();
        System.out.println(run.id());
    }
}
JAVA
"$PANOPTIM_JAVA_HOME/bin/javac" -d "$work" -cp "$cp" "$work/Log.java"
run_id=$("$PANOPTIM_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dpanoptim.dir="$work/store" -cp "$work:$cp" Log | tail -n 1)

# start_ui LOG ARGS...: starts the server in the background, waits for its URL line; sets $ui_pid and $url.
start_ui() {
  local log=$1; shift
  set -m
  bin/panoptim ui --dir "$work/store" "$@" >"$log" 2>"$log.err" &
  ui_pid=$!
  set +m
  pids+=("$ui_pid")
  url=
  for _ in $(seq 1 600); do
    url=$(head -n 1 "$log" | sed -n 's#^panoptim ui: serving .* at \(http://[^ ]*\)$#\1#p')
    [ -n "$url" ] && break
    kill -0 "$ui_pid" 2>/dev/null || break
    sleep 0.1
  done
}

start_ui "$work/ui.log" --port 0
if [ -z "$url" ]; then
  echo "FAIL: no URL line from panoptim ui"; cat "$work/ui.log" "$work/ui.log.err"; exit 1
fi
echo "ok: serving at $url (first line of stdout)"
out=$(curl -sf "${url}api/runs")
expect_output "\"id\":\"$run_id\"" "the API lists the logged run"
out=$(curl -sf "${url}api/runs/$run_id/history?key=loss&buckets=10")
expect_output '"rows":\[\[0,4,5,' "its history comes in 10 buckets of 5 steps"
out=$(curl -s -w ' %{http_code}' "${url}api/runs/nope")
expect_output "unknown run id 'nope'.* 404$" "an unknown run is a 404 with a message"
out=$(curl -sf "$url")
expect_output "<html" "the app page is served from the jar"

port=$(sed -n 's#.*:\([0-9]*\)/$#\1#p' <<<"$url")
expect_exit 2 "a port in use exits 2" -- bin/panoptim ui --dir "$work/store" --port "$port"
expect_output "the port is in use by another server" "and says so"

stop_signal=INT
if sigint_ignored; then
  stop_signal=TERM
  echo "note: SIGINT is ignored in this test's process (started in the background without job control): stopping with SIGTERM"
fi
kill -"$stop_signal" "$ui_pid"
set +e; wait "$ui_pid"; code=$?; set -e
case "$code" in
  0 | 130 | 143) echo "ok: SIG$stop_signal stops it (exit $code)" ;;
  *) echo "FAIL: SIG$stop_signal exit $code"; failures=$((failures + 1)) ;;
esac

start_ui "$work/ui2.log" --port 0 --host 0.0.0.0 --read-only
sleep 0.5
out=$(cat "$work/ui2.log.err")
expect_output "WARNING: listening on 0.0.0.0" "binding beyond loopback warns"
kill -"$stop_signal" "$ui_pid"; wait "$ui_pid" || true
finish
