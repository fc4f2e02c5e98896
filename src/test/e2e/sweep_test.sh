#!/usr/bin/env bash
# Sweeps through the launcher: a config W&B would reject exits 2 listing its problems by path; a grid sweep
# whose program is a shell script logging with `panoptim log` runs under two `panoptim agent` calls; `sweep
# list|show` read it back (json for scripts); `panoptim log` outside a trial is an error that says so;
# `sweep pause|stop|resume|cancel` change what agents do.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PANOPTIM_DIR="$work/store"
unset PANOPTIM_STORE

cat >"$work/bad.yaml" <<'YAML'
method: random
parameters:
  learning_rate: {distribution: loguniform, min: 0.0001, max: 0.1}
  epochs: {min: 3, max: 1}
YAML
expect_exit 2 "a config W&B would reject" -- bin/panoptim sweep create "$work/bad.yaml"
expect_output "parameters.learning_rate.distribution: unknown value 'loguniform'" "names the bad distribution by its path"
expect_output "parameters.epochs" "and the min > max problem, in the same message"

expect_exit 2 "a missing config file" -- bin/panoptim sweep create "$work/none.yaml"
expect_output "no sweep config at $work/none.yaml \(no such file\)" "says so"
expect_exit 1 "a PostgreSQL store that is not there" -- bin/panoptim sweep list \
  --store "jdbc:postgresql://127.0.0.1:1/x?password=s3cret&connectTimeout=2"
expect_output "^panoptim: cannot open the run store jdbc:postgresql://127.0.0.1:1/x\?connectTimeout=2: " "names it, without the password"

cat >"$work/trial.sh" <<SH
#!/bin/sh
# A trial in any language: its values come as --key=value arguments; it logs through panoptim log.
lr=\$(echo "\$@" | sed -n 's/.*--lr=\([^ ]*\).*/\1/p')
"$root/bin/panoptim" log loss=1.0 accuracy=0.5 --step 0
"$root/bin/panoptim" log loss=0.5 accuracy=\$lr --step 1
SH
chmod +x "$work/trial.sh"
cat >"$work/grid.yaml" <<YAML
name: e2e-grid
method: grid
program: $work/trial.sh
command: ["\${program}", "\${args}"]
metric: {name: accuracy, goal: maximize}
parameters:
  lr: {values: [0.7, 0.9, 0.8]}
  tag: {value: e2e}
YAML
expect_exit 0 "sweep create" -- bin/panoptim sweep create "$work/grid.yaml" --retries 1 --grace 30
id=$(tail -n 1 <<<"$out")
[[ "$id" =~ ^[0-9a-z]{8}$ ]] && echo "ok: the sweep id alone on the last line ($id)" || { echo "FAIL: last line '$id'"; failures=$((failures + 1)); }

expect_exit 0 "agent --count 2" -- bin/panoptim agent "$id" --count 2
expect_output "ran 2 trials of sweep $id" "ran two trials"
expect_exit 0 "agent without --count runs what is left" -- bin/panoptim agent "$id"
expect_output "ran 1 trial of sweep $id" "the grid's last trial"
expect_exit 0 "agent on a finished sweep" -- bin/panoptim agent "$id" --count 5
expect_output "ran 0 trials" "nothing left"

expect_exit 0 "sweep list --format json" -- bin/panoptim sweep list --format json
expect_output "\"id\" : \"$id\"" "lists the sweep"
expect_output "\"state\" : \"finished\"" "finished"
expect_exit 0 "sweep show --format json" -- bin/panoptim sweep show "$id" --format json
echo "$out" >"$work/show.json"
if python3 - "$work/show.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
accs = [r["summary"]["accuracy"] for r in s["runs"]]
assert accs == [0.9, 0.8, 0.7], accs                       # sorted by the metric, best first
assert all(r["state"] == "finished" for r in s["runs"])
assert s["best"]["config"]["lr"] == 0.9 and s["best"]["config"]["tag"] == "e2e", s["best"]
PY
then echo "ok: runs sorted by accuracy, the best config"; else echo "FAIL: sweep show json"; failures=$((failures + 1)); fi
expect_exit 0 "sweep show (table)" -- bin/panoptim sweep show "$id"
expect_output "best: run [0-9a-z]{8}, accuracy 0.9" "the best run"

expect_exit 0 "runs list --sweep" -- bin/panoptim runs list --sweep "$id"
[ "$(grep -cE '^[0-9a-z]{8} ' <<<"$out")" = 3 ] && echo "ok: the sweep's three runs" \
  || { echo "FAIL: runs list --sweep $id"; echo "$out"; failures=$((failures + 1)); }
expect_exit 2 "runs list --sweep with an unknown id" -- bin/panoptim runs list --sweep zzzzzzzz
expect_output "unknown sweep id 'zzzzzzzz'" "names it"

expect_exit 2 "panoptim log outside a trial" -- env -u PANOPTIM_RUN_ID bin/panoptim log accuracy=0.5
expect_output "PANOPTIM_RUN_ID" "says it needs a trial's run"
expect_exit 2 "an unknown sweep id" -- bin/panoptim agent zzzzzzzz
expect_output "unknown sweep id 'zzzzzzzz'" "names it"

expect_exit 2 "sweep run --count 0" -- bin/panoptim sweep run "$work/grid.yaml" --count 0
expect_output "--count must be at least 1, not 0" "names the count"
expect_exit 0 "sweep list --format json" -- bin/panoptim sweep list --format json
[ "$(grep -c '"id"' <<<"$out")" = 1 ] && echo "ok: a refused sweep run stores no sweep" \
  || { echo "FAIL: sweep run --count 0 stored a sweep"; failures=$((failures + 1)); }
expect_exit 0 "sweep run --count 1" -- bin/panoptim sweep run "$work/grid.yaml" --count 1
expect_output "ran 1 trial of sweep" "creates and runs"

expect_exit 2 "cancel a finished sweep" -- bin/panoptim sweep cancel "$id"
expect_output "cannot cancel sweep $id: it is finished" "names its state"
expect_exit 0 "another sweep" -- bin/panoptim sweep create "$work/grid.yaml"
id2=$(tail -n 1 <<<"$out")
expect_exit 0 "sweep pause" -- bin/panoptim sweep pause "$id2"
expect_exit 0 "sweep list shows it paused" -- bin/panoptim sweep list
expect_output "$id2 .* paused " "paused"
expect_exit 0 "sweep stop" -- bin/panoptim sweep stop "$id2"
expect_exit 0 "an agent on a stopped sweep" -- bin/panoptim agent "$id2"
expect_output "ran 0 trials of sweep $id2" "claims nothing"
expect_exit 0 "sweep resume" -- bin/panoptim sweep resume "$id2"
expect_exit 0 "then an agent runs it" -- bin/panoptim agent "$id2" --count 1
expect_output "ran 1 trial of sweep $id2" "one trial"
expect_exit 0 "sweep cancel" -- bin/panoptim sweep cancel "$id2"
expect_output "sweep $id2 canceled: no run was running" "nothing was running"
finish
