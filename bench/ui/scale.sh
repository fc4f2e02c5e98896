#!/usr/bin/env bash
# `panoptim ui` at scale: builds a store of RUNS runs (config, summary, STEPS steps each) and one run of LONG steps
# (dev.panoptim.ui.seed.BulkStore), starts the ui on it, and times in headless Chromium (Playwright, as the browser
# tests: ui/src/test/browser/bench.mjs) the runs table's first page and the long run's chart, and the API calls
# behind them; prints a markdown table of medians over REPS repetitions. Not a pass/fail test: the target is each
# under 1 s. Building the default store takes about 2 minutes on 2 cores; --store DIR keeps it (and reuses it).
#   bench/ui/scale.sh [--runs 10000] [--steps 20] [--long 1000000] [--reps 5] [--store DIR]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
runs=10000 steps=20 long=1000000 reps=5 store=
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --long) long=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --store) store=$2; shift 2 ;;
    *) echo "usage: bench/ui/scale.sh [--runs N] [--steps N] [--long N] [--reps N] [--store DIR]" >&2; exit 2 ;;
  esac
done
. bin/lib/jdk.sh
pt_find_jdk
work=$(mktemp -d)
ui_pid=
trap '[ -z "$ui_pid" ] || kill -9 "$ui_pid" 2>/dev/null; rm -rf "$work"' EXIT
. ui/src/test/browser/harness.sh
chromium=$(ui_find_chromium)
[ -n "$chromium" ] || { echo "no chromium (PANOPTIM_CHROMIUM, chromium, chromium-browser or google-chrome): install Debian's chromium" >&2; exit 2; }
export PANOPTIM_CHROMIUM="$chromium"

store=${store:-$work/store}
manifest="$store/bulk-seed.json"
if [ -f "$manifest" ] && python3 -c "import json,sys; m=json.load(open(sys.argv[1])); sys.exit(0 if (m['runCount'], m['steps'], m['long']['steps']) == ($runs + 1, $steps, $long) else 1)" "$manifest"; then
  echo "== reusing the store in $store"
else
  [ ! -e "$store/panoptim.db" ] || { echo "$store holds another store; name a new directory with --store" >&2; exit 2; }
  echo "== building the store: $runs runs of $steps steps and one of $long steps"
  mkdir -p "$store"
  ui_seed bulk "$store" "$manifest.tmp" "$runs" "$steps" "$long" 2>&1 | grep -v '^WARNING'
  mv "$manifest.tmp" "$manifest"
fi
seconds=$(python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(f\"{m['seedSeconds']:.0f} s ({m['smallRunsSeconds']:.0f} s for the runs, {m['longRunSeconds']:.0f} s for the long one)\")" "$manifest")
size=$(du -h "$store/panoptim.db" | cut -f1)

started=$(date +%s.%N)
ui_start "$store"
up=$(python3 -c "import sys; print(round((float(sys.argv[2]) - float(sys.argv[1])) * 1000))" "$started" "$(date +%s.%N)")
ui_npm_ci >/dev/null
echo "== measuring against $ui_url"
(cd "$ui_browser_dir" && PANOPTIM_UI_URL="$ui_url" PANOPTIM_UI_SEED="$manifest" PANOPTIM_ROOT="$root" PANOPTIM_BENCH_REPS="$reps" node bench.mjs)
ui_stop
echo
echo "Store: $((runs + 1)) runs ($size), built in $seconds; panoptim ui up (first stdout line) $up ms after its launch."
echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; $(chromium_version=$("$chromium" --version 2>/dev/null); echo "${chromium_version:-chromium}"); node $(node --version)."
echo "Command: bench/ui/scale.sh --runs $runs --steps $steps --long $long --reps $reps"
