#!/usr/bin/env bash
# Training on CUDA through the launcher, on the CUDA simulator (PANOPTIM_CUDA_SIM=1; CI has no GPU):
# --device cuda where CUDA cannot be used exits 2 with the reason before anything is stored; a tiny
# run on cuda:0 finishes, is tracked and reported; Ctrl-C stops it on the device with a checkpoint,
# which resumes on the device; a sweep trial trains on --device cuda. Sized for the simulator (a
# ResNet-18 step of 16 images takes seconds there): 2 to 4 steps per run. Training needs the
# Fashion-MNIST files (skipped, saying so, without them).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$root"
work=$(mktemp -d)
trap '[ -n "${e2e_pid:-}" ] && kill -9 "$e2e_pid" 2>/dev/null; rm -rf "$work"' EXIT
dir=(--dir "$work/panoptim")

# Without the simulator this machine has no usable CUDA (no GPU, or no driver): refused up front.
if env -u PANOPTIM_CUDA_SIM bin/panoptim info 2>/dev/null | grep -q '^cuda: *unavailable'; then
  expect_exit 2 "--device cuda without CUDA" -- env -u PANOPTIM_CUDA_SIM bin/panoptim train --device cuda "${dir[@]}"
  expect_output "device cuda: CUDA cannot be used here: .*; train with --device cpu, or set PANOPTIM_CUDA_SIM=1" \
    "says why, and how to use the simulator"
  [ ! -e "$work/panoptim" ] && echo "ok: nothing was stored" || { echo "FAIL: $work/panoptim was created"; failures=$((failures + 1)); }
fi
export PANOPTIM_CUDA_SIM=1
expect_exit 2 "a device the simulator does not have" -- bin/panoptim train --device cuda:9 "${dir[@]}"
expect_output "device cuda:9: CUDA cannot be used here: there is no cuda:9" "names the device"

. bin/lib/datasets.sh
if ! pt_have_fashion_mnist; then
  echo "skip: Fashion-MNIST is not installed in $PT_FASHION_MNIST_DIR (apt-get install dataset-fashion-mnist): no training runs"
  finish; exit 0
fi

# A tiny Fashion-MNIST: the first 32 training and 16 test images of the real files, in IDX format (the
# test set is the validation set with --val-subset 1, so no pass over 10000 images on the simulator).
tiny="$work/tiny-fashion"
mkdir -p "$tiny"
idx_head() {  # idx_head SRC.gz DST KIND(images|labels) COUNT: the IDX header for COUNT items, then the first COUNT
  local n=$4 header body hex
  [ "$3" = images ] && header=16 body=$(($4 * 784)) || header=8 body=$4
  hex=$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((n >> 24 & 255)) $((n >> 16 & 255)) $((n >> 8 & 255)) $((n & 255)))
  gzip -dc "$1" >"$work/raw"
  { dd if="$work/raw" bs=4 count=1 status=none; printf "$hex"
    dd if="$work/raw" iflag=skip_bytes,count_bytes skip=8 count=$((header - 8)) status=none
    dd if="$work/raw" iflag=skip_bytes,count_bytes skip="$header" count="$body" status=none; } >"$2"
  rm -f "$work/raw"
}
src=$PT_FASHION_MNIST_DIR
idx_head "$src/train-images-idx3-ubyte.gz" "$tiny/train-images-idx3-ubyte" images 32
idx_head "$src/train-labels-idx1-ubyte.gz" "$tiny/train-labels-idx1-ubyte" labels 32
idx_head "$src/t10k-images-idx3-ubyte.gz" "$tiny/t10k-images-idx3-ubyte" images 16
idx_head "$src/t10k-labels-idx1-ubyte.gz" "$tiny/t10k-labels-idx1-ubyte" labels 16
small=(--data "$tiny" --subset 1 --val-subset 1 --batch-size 16)

# 32 training images (2 steps of 16), 16 validation images.
expect_exit 0 "a tiny run on cuda (simulated)" -- bin/panoptim train --device cuda "${small[@]}" --epochs 1 --name on-cuda \
  "${dir[@]}"
expect_output "32 training images" "on the tiny dataset"
expect_output "epoch\(s\) of 2 batches of 16 on cuda:0" "trains on cuda:0"
expect_output "^epoch 1/1: train_loss [0-9.]+ train_acc [0-9.]+ \| val_loss [0-9.]+ val_acc [0-9.]+" "a line per epoch"
expect_output "^test_accuracy=0\.[0-9]{4}$" "prints the test accuracy"
id=$(grep -E '^run [0-9a-z]{8}$' <<<"$out" | cut -d' ' -f2)
expect_exit 0 "the run is tracked" -- bin/panoptim runs show "$id" "${dir[@]}"
expect_output "finished" "as finished"
expect_output "device.*cuda" "with its device in the config"
expect_exit 0 "its report" -- bin/panoptim report "$id" --out "$work/report" "${dir[@]}"
ls "$work/report"/*.html >/dev/null 2>&1 && echo "ok: the report is written" \
  || { echo "FAIL: no report in $work/report"; failures=$((failures + 1)); }

# CUDA graphs: the step captured once (after an eager warm-up step) and replayed; SGD has no capturable step.
expect_exit 2 "--cuda-graphs with sgd" -- bin/panoptim train --device cuda --cuda-graphs --optimizer sgd "${dir[@]}"
expect_output "--cuda-graphs needs optimizer adam or adamw" "says which optimizers can"
expect_exit 0 "a run with --cuda-graphs" -- bin/panoptim train --device cuda --cuda-graphs "${small[@]}" --epochs 1 \
  --no-checkpoints "${dir[@]}"
expect_output "^test_accuracy=0\.[0-9]{4}$" "finishes"

# A sweep trial on the device.
cat >"$work/one.yaml" <<'YAML'
name: on-cuda
method: grid
metric: {name: accuracy, goal: maximize}
parameters:
  learning_rate: {value: 0.003}
YAML
expect_exit 0 "a sweep trial on cuda" -- bin/panoptim sweep run "$work/one.yaml" --device cuda "${small[@]}" --epochs 1 \
  "${dir[@]}"
expect_output "batches of 16 on cuda:0" "the trial trains on cuda:0"
expect_output "^ran 1 trials? of sweep [0-9a-z]{8}$" "the trial ran"

if (( 0x$(awk '/^SigIgn:/ {print $2}' /proc/self/status) & 2 )); then
  echo "skip: SIGINT is ignored in this test's process (started in the background without job control): no Ctrl-C/resume test"
  finish; exit 0
fi
# Ctrl-C during the first epoch (2 steps of 16 per epoch), then resume on the device.
ck="$work/ckpt"
sigint_after_start "$work/sigint.out" 0.5 -- bin/panoptim train --device cuda "${small[@]}" --epochs 2 \
  --checkpoint-dir "$ck" "${dir[@]}"
expect_output "^stopped at step [0-9]+ \(epoch [12], batch [0-9]+\): checkpoint $ck/step-" "stops on the device with a checkpoint"
expect_exit 0 "resume on cuda" -- bin/panoptim train --device cuda --resume "$ck" "${dir[@]}"
expect_output "resumed from $ck/step-[0-9]+-epoch-00[01]-batch-[0-9]+ at step [0-9]+" "continues where it stopped"
if grep -q "device changed" <<<"$out"; then echo "FAIL: same device reported as changed"; failures=$((failures + 1)); else
  echo "ok: same device, no device-change message"; fi
expect_output "^epoch 2/2: " "to the end"
expect_output "^test_accuracy=0\.[0-9]{4}$" "prints the test accuracy"
finish
