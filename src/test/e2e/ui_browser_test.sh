#!/usr/bin/env bash
# `panoptim ui` in a real browser: seeds a store (dev.panoptim.ui.seed.DemoStore: 3 projects, 29 runs in every
# state, a spike in 20,000 steps, a sweep of 8 runs), starts the server on a free port, and runs the node tests in
# ui/src/test/browser/tests (Playwright's playwright-core driving Debian's chromium; npm ci once, kept in
# node_modules): pages, live updates from another process, API errors. Screenshots: ui/target/screenshots/.
# Then stops the server with SIGINT and checks it exits cleanly. Skips, saying why, without chromium or node.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$root"
. bin/lib/jdk.sh
pt_find_jdk
work=$(mktemp -d)
ui_pid=
keeper=
trap '[ -z "$ui_pid" ] || kill -9 "$ui_pid" 2>/dev/null; [ -z "$keeper" ] || kill "$keeper" 2>/dev/null; rm -rf "$work"' EXIT
. ui/src/test/browser/harness.sh

chromium=$(ui_find_chromium)
if [ -z "$chromium" ]; then
  echo "skip: no chromium (PANOPTIM_CHROMIUM, chromium, chromium-browser or google-chrome); bin/test installs Debian's chromium"
  exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "skip: no node/npm (node >= 20) for the Playwright tests"
  exit 0
fi
export PANOPTIM_CHROMIUM="$chromium"

# the running runs belong to this process: alive while the tests run, so the server keeps them running
sleep 3600 &
keeper=$!
ui_seed demo "$work/store" "$work/seed.json" "$keeper"
ui_start "$work/store"
echo "ok: panoptim ui serves at $ui_url"
ui_npm_ci

set +e
(cd "$ui_browser_dir" && PANOPTIM_UI_URL="$ui_url" PANOPTIM_UI_SEED="$work/seed.json" PANOPTIM_ROOT="$root" \
  node --test --test-concurrency=1 --test-reporter=spec tests/*.test.mjs)
code=$?
set -e
[ "$code" = 0 ] && echo "ok: the browser and API tests pass (screenshots in ui/target/screenshots/)" \
  || { echo "FAIL: node --test exited $code"; failures=$((failures + 1)); }

ui_stop
if [ "$ui_died" = 1 ]; then
  echo "FAIL: panoptim ui was gone before the end of the tests (exit $ui_exit); its stderr:"
  sed 's/^/    /' "$work/ui.err" | grep -v '^    WARNING' | tail -30
  failures=$((failures + 1))
fi
case "$ui_stop_signal:$ui_exit" in
  INT:0 | INT:130 | TERM:0 | TERM:143) echo "ok: panoptim ui exits $ui_exit on SIG$ui_stop_signal" ;;
  *) echo "FAIL: panoptim ui exited $ui_exit on SIG$ui_stop_signal, expected 0 or $([ "$ui_stop_signal" = INT ] && echo 130 || echo 143)"
     failures=$((failures + 1)) ;;
esac
if grep -Eq 'Exception|^\s+at [a-z]' "$work/ui.err"; then
  echo "FAIL: panoptim ui's stderr shows an exception:"; sed 's/^/    /' "$work/ui.err" | tail -30; failures=$((failures + 1))
else
  echo "ok: no exception on panoptim ui's stderr"
fi
finish
