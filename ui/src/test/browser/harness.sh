# Sourced by src/test/e2e/ui_browser_test.sh and bench/ui/scale.sh: what both need around the node scripts here.
# Expects $root (the repository root) and $work (a scratch directory the caller removes); uses PANOPTIM_JAVA_HOME.
ui_browser_dir="$root/ui/src/test/browser"

ui_find_chromium() {  # prints the browser (as lib/browser.mjs finds it), or nothing
  if [ -n "${PANOPTIM_CHROMIUM:-}" ]; then
    [ -x "$PANOPTIM_CHROMIUM" ] && echo "$PANOPTIM_CHROMIUM"
    return 0
  fi
  local c
  for c in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$c" 2>/dev/null && return 0
  done
  return 0
}

ui_seed() {  # ui_seed demo|bulk DIR MANIFEST ARGS...: compiles the seeder (dev.panoptim.ui.seed) and runs it;
  # bin/panoptim classpath builds the project on first use
  local cp
  cp=$("$root/bin/panoptim" classpath | tail -n 1)
  mkdir -p "$work/seed-classes"
  local sources=()
  for f in "$root"/ui/src/test/java/dev/panoptim/ui/seed/*.java; do
    [[ "$f" == *Test.java ]] || sources+=("$f")   # the JUnit tests run in the build, not here
  done
  "$PANOPTIM_JAVA_HOME/bin/javac" -nowarn -cp "$cp" -d "$work/seed-classes" "${sources[@]}"
  "$PANOPTIM_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp:$work/seed-classes" dev.panoptim.ui.seed.SeedStore "$@"
}

ui_npm_ci() {  # npm ci once: node_modules is kept (git-ignored) and reinstalled only when package-lock.json changes
  local stamp="$ui_browser_dir/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$ui_browser_dir/package-lock.json" -nt "$stamp" ]; then
    (cd "$ui_browser_dir" && npm ci --no-audit --no-fund --prefer-offline)
  fi
}

# ui_start DIR: starts `bin/panoptim ui --dir DIR --port 0` in the background (job control on, so that it does not
# start with SIGINT ignored), waits for its first stdout line and sets ui_pid and ui_url. Its output: $work/ui.out, .err.
ui_start() {
  set -m
  "$root/bin/panoptim" ui --dir "$1" --port 0 >"$work/ui.out" 2>"$work/ui.err" &
  ui_pid=$!
  set +m
  ui_url=
  local line
  for _ in $(seq 1 600); do   # up to 2 min on a loaded machine
    line=$(head -n 1 "$work/ui.out" 2>/dev/null || true)
    if [ -n "$line" ]; then
      ui_url=$(sed -nE 's#^panoptim ui: serving .* at (http://[^ ]+/)$#\1#p' <<<"$line")
      [ -n "$ui_url" ] || { echo "FAIL: the first stdout line of panoptim ui is not 'panoptim ui: serving STORE at URL': $line"; return 1; }
      return 0
    fi
    kill -0 "$ui_pid" 2>/dev/null || { echo "FAIL: panoptim ui exited before serving:"; cat "$work/ui.err"; return 1; }
    sleep 0.2
  done
  echo "FAIL: panoptim ui printed nothing within 2 minutes"; cat "$work/ui.err"; return 1
}

# ui_stop: SIGINT (Ctrl-C; SIGTERM where SIGINT is ignored), then waits up to 20 s; sets ui_stop_signal, ui_exit (its exit status), ui_died (1 when it had exited
# before: crashed, or killed by someone else) and clears ui_pid.
ui_stop() {
  [ -n "${ui_pid:-}" ] || return 0
  ui_died=0
  kill -0 "$ui_pid" 2>/dev/null || ui_died=1
  # A shell started in the background without job control hands its children SIGINT ignored (no one can take that
  # back): then SIGTERM, which runs the same shutdown hook.
  ui_stop_signal=INT
  if (( 0x$(awk '/^SigIgn:/ {print $2}' /proc/self/status) & 2 )); then
    ui_stop_signal=TERM
    echo "note: SIGINT is ignored in this test's process (started in the background without job control): stopping with SIGTERM"
  fi
  kill -"$ui_stop_signal" "$ui_pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$ui_pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$ui_pid" 2>/dev/null; then
    echo "panoptim ui did not stop within 20 s of SIG$ui_stop_signal; killing it"
    kill -9 "$ui_pid" 2>/dev/null || true
  fi
  set +e; wait "$ui_pid" 2>/dev/null; ui_exit=$?; set -e
  ui_pid=
}
