#!/usr/bin/env bash
# Sweep agents' throughput: AGENTS `panoptim agent` processes share one sweep of TRIALS trials whose program
# is /bin/true, so what is timed is the agents' own work per trial (claim in one store transaction, crash
# check, start and wait for the trial's process, mark it finished) plus each agent JVM's start.
#   bench/sweep-agents.sh [AGENTS=8] [TRIALS=200] [sqlite|postgres]
# postgres starts a throwaway server (bin/lib/postgres.sh, installing PostgreSQL where missing).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
agents=${1:-8} trials=${2:-200} kind=${3:-sqlite}
work=$(mktemp -d)
cleanup() { rm -rf "$work"; }
if [ "$kind" = postgres ]; then
  . bin/lib/deps.sh
  . bin/lib/postgres.sh
  pt_start_test_postgres
  [ -n "${PANOPTIM_TEST_POSTGRES_URL:-}" ] || { echo "no PostgreSQL server could start" >&2; exit 1; }
  store=$PANOPTIM_TEST_POSTGRES_URL
  cleanup() { pt_stop_test_postgres; rm -rf "$work"; }
else
  store=$work/store
fi
trap cleanup EXIT
cat >"$work/sweep.json" <<JSON
{"name": "bench", "method": "random", "run_cap": $trials, "command": ["/bin/true"],
 "parameters": {"x": {"min": 0.0, "max": 1.0}}}
JSON
id=$(bin/panoptim sweep create "$work/sweep.json" --store "$store" | tail -n 1)
start=$(date +%s.%N)
pids=()
for i in $(seq 1 "$agents"); do bin/panoptim agent "$id" --store "$store" >"$work/agent$i.log" 2>&1 & pids+=($!); done
for p in "${pids[@]}"; do wait "$p"; done
end=$(date +%s.%N)
python3 - "$kind" "$agents" "$trials" "$start" "$end" "$work"/agent*.log <<'PY'
import re, sys
kind, agents, trials, start, end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
ran = sum(int(m.group(1)) for f in sys.argv[6:] for m in re.finditer(r"^ran (\d+) trials? of sweep", open(f).read(), re.M))
wall = end - start
print(f"{kind}: {agents} agents, {ran}/{trials} trials in {wall:.1f} s = {ran / wall:.1f} trials/s ({1000 * wall * agents / ran:.0f} agent-ms per trial)")
PY
