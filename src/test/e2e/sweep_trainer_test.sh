#!/usr/bin/env bash
# Sweeps of panoptim's own trainer through the launcher: a config without program trains each trial
# in-process over the train options given (the trial's values win), and `sweep show` ranks the runs by
# the trainer's `accuracy`; configs that do not fit the trainer exit 2 naming the problem. Training
# needs the Fashion-MNIST files (skipped, saying so, without them).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dir=(--dir "$work/panoptim")

cat >"$work/typo.yaml" <<'YAML'
method: random
metric: {name: accuracy, goal: maximize}
parameters:
  learning_rat: {min: 0.001, max: 0.1}
YAML
expect_exit 2 "a key that is not a training argument" -- bin/panoptim sweep run "$work/typo.yaml" --count 1 "${dir[@]}"
expect_output "unknown training argument learning_rat \(valid, in snake_case or camelCase: .*learning_rate" "names it and lists the valid keys"

. bin/lib/datasets.sh
if ! pt_have_fashion_mnist; then
  echo "skip: Fashion-MNIST is not installed in $PT_FASHION_MNIST_DIR (apt-get install dataset-fashion-mnist): no trials"
  finish; exit 0
fi

# Two grid trials of 100 training images, one epoch each (the base says 3), validated on 100 test images.
cat >"$work/tiny.yaml" <<'YAML'
name: tiny
method: grid
metric: {name: accuracy, goal: maximize}
parameters:
  batch_size: {values: [25, 50]}
  learning_rate: {value: 0.003}
  epochs: {value: 1}
YAML
expect_exit 0 "sweep run without a program" -- bin/panoptim sweep run "$work/tiny.yaml" --subset 600 --val-subset 100 \
  --epochs 3 "${dir[@]}"
expect_output "^sweep [0-9a-z]{8}$" "prints the sweep id"
expect_output "100 training images \(subset 600\).* 1 epoch\(s\) of 4 batches of 25" "the first trial: batch size 25, one epoch"
expect_output "1 epoch\(s\) of 2 batches of 50" "the second trial: batch size 50"
expect_output "^epoch 1/1: train_loss" "trains in-process"
expect_output "^ran 2 trials of sweep [0-9a-z]{8}$" "both trials ran"
sweep=$(grep -E '^sweep [0-9a-z]{8}$' <<<"$out" | cut -d' ' -f2)

expect_exit 0 "sweep show --format json" -- bin/panoptim sweep show "$sweep" --format json "${dir[@]}"
expect_output '"name" : "accuracy"' "the metric"
expect_output '"state" : "finished"' "finished runs"
expect_output '"batch_size" : 25' "a run's config holds the sweep's value"
expect_output '"batchSize" : 50' "and the trainer's argument it set"
expect_output '"accuracy" : [01]\.[0-9]+' "each run's summary has accuracy"
expect_output '"epochs" : 1,' "the sweep's epochs"
if grep -q '"epochs" : 3' <<<"$out"; then echo "FAIL: --epochs 3 won over the sweep's epochs"; failures=$((failures + 1)); else
  echo "ok: the sweep's epochs win over --epochs 3"; fi

expect_exit 0 "sweep show" -- bin/panoptim sweep show "$sweep" "${dir[@]}"
expect_output "^sweep $sweep \(tiny\): grid, .*2 runs, maximize accuracy" "ranks by accuracy"
expect_output "^best: run [0-9a-z]{8}, accuracy [01]\.[0-9]+" "names the best run"
finish
