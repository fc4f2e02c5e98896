# Sourced by the e2e tests: tiny assertions that print what was expected and what came.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
failures=0
expect_exit() {  # expect_exit CODE DESCRIPTION -- command...
  local want=$1 what=$2; shift 3
  set +e; out=$("$@" 2>&1); got=$?; set -e
  if [ "$got" != "$want" ]; then
    echo "FAIL: $what: exit $got, expected $want"; echo "$out" | sed 's/^/    /' | tail -20; failures=$((failures + 1))
  else
    echo "ok: $what"
  fi
}
expect_output() {  # expect_output REGEX DESCRIPTION (checks $out of the last expect_exit)
  if ! grep -Eq -- "$1" <<<"$out"; then
    echo "FAIL: $2: output does not match /$1/"; echo "$out" | sed 's/^/    /' | tail -20; failures=$((failures + 1))
  else
    echo "ok: $2"
  fi
}
loss_fell() {  # loss_fell DESCRIPTION: checks "first loss A last loss B" in $out with B < A / 2
  local line; line=$(grep -E '^first loss [0-9.]+ last loss [0-9.]+$' <<<"$out" || true)
  if [ -n "$line" ] && awk '{ exit !($6 < $3 / 2) }' <<<"$line"; then echo "ok: $1: $line"
  else echo "FAIL: $1: no 'first loss A last loss B' with B < A/2"; echo "$out" | sed 's/^/    /' | tail -20; failures=$((failures + 1)); fi
}
finish() {
  [ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
}
sigint_after_start() {  # sigint_after_start LOG DELAY -- command...: runs it in the background, sends SIGINT DELAY s
  # after it printed "before training", waits; sets $out (its output) and checks exit 130. Job control on, so
  # that the background job does not start with SIGINT ignored, as bash's async jobs do. $e2e_pid is the job
  # while it runs, for the caller's EXIT trap.
  local log=$1 delay=$2 code; shift 3
  set -m
  "$@" >"$log" 2>&1 &
  e2e_pid=$!
  set +m
  for _ in $(seq 1 1200); do grep -q '^before training' "$log" && break; sleep 0.1; done
  sleep "$delay"
  kill -INT "$e2e_pid"
  set +e; wait "$e2e_pid"; code=$?; set -e
  e2e_pid=
  out=$(cat "$log")
  [ "$code" = 130 ] && echo "ok: SIGINT exits 130" || { echo "FAIL: SIGINT exit $code, expected 130"; echo "$out" | tail -20
    failures=$((failures + 1)); }
}
sigint_ignored() {  # true when this shell was started with SIGINT ignored (in the background without job control):
  # its children inherit that and no one can take it back, so a Ctrl-C test must use SIGTERM (same shutdown hooks)
  (( 0x$(awk '/^SigIgn:/ {print $2}' /proc/self/status) & 2 ))
}
