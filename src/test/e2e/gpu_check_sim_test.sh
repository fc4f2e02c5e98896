#!/usr/bin/env bash
# bin/gpu-check without a GPU: its arguments, and --sim, which runs every stage on the CUDA simulator
# at tiny sizes (the C CUDA tests, gpu_bench_sim, torch on the CPU where installed, the training race
# on the CPU) and prints the summary and the benchmark tables. Reuses build/native (bin/test builds it
# first) so it stays short.
set -euo pipefail
# shellcheck source=src/test/e2e/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$root"

expect_exit 0 "--help" -- bin/gpu-check --help
expect_output '^usage: bin/gpu-check \[--sim\]' "--help prints the usage"
expect_exit 2 "unknown argument" -- bin/gpu-check --bogus
expect_output "unknown argument '--bogus'" "the error names the argument"
expect_exit 2 "unknown stage" -- bin/gpu-check --skip frob
expect_output "unknown stage 'frob'" "the error names the stage"
expect_exit 2 "bad deadline" -- bin/gpu-check --deadline soon

build=${PANOPTIM_E2E_BUILD:-$root/build/native}
if [ ! -f native/cuda/cuda_device.cu ]; then
  echo "SKIP: --sim needs the CUDA memory API (native/cuda/cuda_device.cu), not in this tree yet"
  finish
  exit 0
fi
if [ ! -f "$build/CMakeCache.txt" ] || ! grep -q '^PANOPTIM_CUDASIM:BOOL=ON' "$build/CMakeCache.txt"; then
  echo "SKIP: --sim needs $build configured with the CUDA simulator (bin/build-native)"
  finish
  exit 0
fi
out_dir=$(mktemp -d)
trap 'rm -rf "$out_dir"' EXIT
# --tests: the roofline's simulated test stands for all (ctest runs every one of them anyway).
expect_exit 0 "--sim runs every stage on the simulator" -- \
  bin/gpu-check --sim --build-dir "$build" --out "$out_dir" --skip java --tests test_cuda_roofline
expect_output '^device +PASS' "device stage"
expect_output '^build +PASS' "build stage"
expect_output '^ctest +PASS' "the simulated CUDA tests pass"
expect_output '^sanitizer +SKIP +needs a GPU' "the sanitizer stage says why it is skipped"
expect_output '^bench +PASS' "gpu_bench_sim runs"
expect_output '^torch +(PASS|SKIP)' "torch runs on the CPU, or says why not"
expect_output '^java +SKIP' "java skipped as asked"
expect_output '^layers +PASS' "the layer benchmarks run (own SGEMM and conv2d; torch where installed)"
expect_output '^train +PASS' "the training race runs its tiny CPU version"
if [ -f training/target/panoptim-training.jar ]; then
  expect_output '^\| panoptim fp32 \| [0-9]+ \|' "the race has panoptim's fp32 figure (epoch 2 of the trainer's output)"
  expect_output '^\| panoptim bf16 \+ CUDA graphs \| - \| .*not available in this build: ' \
    "a configuration the build refuses is reported, not failed"
else
  expect_output '^panoptim: skipped: ' "the race says why panoptim's side is skipped (no training jar built)"
fi
expect_output '^\| single \| adamw \| ' "the table has AdamW's row"
expect_output '^\| single \| roofline \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| 1\.00 \|' "the table has the roofline's figures"
expect_output '^\| resnet50 \| copy \| [0-9.]+ \| [0-9.]+ \| 1\.00 \|' "the table has the ResNet-50 copy"
expect_output '^gpu-check: PASSED' "the verdict"
for f in summary.txt panoptim.json layers.txt train.json logs.tar.gz; do
  if [ -s "$out_dir/$f" ]; then echo "ok: $f written"; else echo "FAIL: $f missing"; failures=$((failures + 1)); fi
done
finish
