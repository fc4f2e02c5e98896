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
finish() {
  [ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
}
