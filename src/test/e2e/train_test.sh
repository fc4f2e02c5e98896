#!/usr/bin/env bash
# panoptim train through the launcher: bad arguments exit 2 naming the value; a tiny run on Fashion-MNIST
# prints the run id and test_accuracy=; Ctrl-C (SIGINT) stops a run at a step boundary with a checkpoint,
# and --resume finishes it. Training needs the Fashion-MNIST files (skipped, saying so, without them).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$root"
work=$(mktemp -d)
trap '[ -n "${e2e_pid:-}" ] && kill -9 "$e2e_pid" 2>/dev/null; rm -rf "$work"' EXIT
dir=(--dir "$work/panoptim")

expect_exit 2 "epochs 0" -- bin/panoptim train --epochs 0 "${dir[@]}"
expect_output "epochs must be >= 1, got 0" "names the bad value"
expect_exit 2 "unknown optimizer" -- bin/panoptim train --optimizer lion "${dir[@]}"
expect_output "optimizer must be one of sgd, rmsprop, adam, adamw, got lion" "lists the optimizers"
expect_exit 2 "malformed number" -- bin/panoptim train --lr fast "${dir[@]}"
expect_output "lr" "names the option"
expect_exit 2 "a CUDA device this machine does not have" -- bin/panoptim train --device cuda:9 "${dir[@]}"
expect_output "device cuda:9: CUDA cannot be used here" "says why"
expect_exit 2 "a typo in PANOPTIM_CPU_CONV" -- env PANOPTIM_CPU_CONV=onedn bin/panoptim train "${dir[@]}"
expect_output 'PANOPTIM_CPU_CONV="onedn" is not a CPU conv backend: use auto, own or onednn' "names the value and the choices"
expect_exit 2 "fp16 on the CPU" -- bin/panoptim train --precision fp16 "${dir[@]}"
expect_output "precision fp16 needs device cuda" "says fp16 is CUDA only"
expect_exit 2 "cifar10 without its folder" -- bin/panoptim train --dataset cifar10 "${dir[@]}"
expect_output "dataset cifar10 needs data" "asks for the folder"
expect_exit 2 "missing checkpoint" -- bin/panoptim train --resume "$work/none" "${dir[@]}"
expect_output "checkpoint $work/none: not found" "names the checkpoint"

fm=/usr/share/datasets/fashion-mnist
if [ ! -f "$fm/t10k-labels-idx1-ubyte.gz" ] && [ ! -f "$fm/t10k-labels-idx1-ubyte" ]; then
  echo "skip: Fashion-MNIST is not installed in $fm (apt-get install dataset-fashion-mnist): no training runs"
  finish
  exit 0
fi

expect_exit 0 "a tiny training run" -- bin/panoptim train --subset 200 --epochs 1 --batch-size 32 --val-subset 50 \
  --name tiny "${dir[@]}"
expect_output "^epoch 1/1: train_loss [0-9.]+ train_acc [0-9.]+ \| val_loss [0-9.]+ val_acc [0-9.]+" "a line per epoch"
expect_output "^run [0-9a-z]{8}$" "prints the run id"
expect_output "^test_accuracy=0\.[0-9]{4}$" "prints the test accuracy"
id=$(grep -E '^run [0-9a-z]{8}$' <<<"$out" | cut -d' ' -f2)
expect_exit 0 "the run is tracked" -- bin/panoptim runs show "$id" "${dir[@]}"
expect_output "finished" "as finished"
expect_output "test_accuracy" "with the test accuracy in its summary"

# A shell started in the background without job control (`cmd &` in a script, nohup) hands its children
# SIGINT ignored, and neither it nor the JVM can take that back: the Ctrl-C test cannot run there.
if (( 0x$(awk '/^SigIgn:/ {print $2}' /proc/self/status) & 2 )); then
  echo "skip: SIGINT is ignored in this test's process (started in the background without job control): no Ctrl-C/resume test"
  finish
  exit 0
fi

# Ctrl-C: the shutdown hook asks the loop to stop at the next step and waits for the checkpoint.
ck="$work/ckpt"
sigint_after_start "$work/sigint.out" 1.5 -- bin/panoptim train --subset 40 --epochs 2 --batch-size 32 --val-subset 50 \
  --checkpoint-dir "$ck" "${dir[@]}"
expect_output "^stopped at step [0-9]+ \(epoch 1, batch [0-9]+\): checkpoint $ck/step-" "stops with a checkpoint"
ls "$ck"/step-*/model.safetensors >/dev/null 2>&1 && echo "ok: the checkpoint is written" \
  || { echo "FAIL: no checkpoint in $ck"; failures=$((failures + 1)); }
expect_exit 0 "runs list after SIGINT" -- bin/panoptim runs list "${dir[@]}"
expect_output " stopped " "the interrupted run ends as stopped, not crashed"

expect_exit 0 "resume" -- bin/panoptim train --resume "$ck" "${dir[@]}"
expect_output "resumed from $ck/step-[0-9]+-epoch-000-batch-[0-9]+ at step [0-9]+" "continues where it stopped"
expect_output "^epoch 2/2: " "to the end"
expect_output "^test_accuracy=0\.[0-9]{4}$" "prints the test accuracy"
finish
