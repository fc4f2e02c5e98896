#!/usr/bin/env bash
# DJL's AdamW against panoptim's AdamW inside DJL on a torchvision ResNet-18 (1 x 28 x 28, batch 128),
# interleaved in one JVM with libtorch on 2 intra-op threads; prints a Markdown table (docs/BENCHMARKS.md).
# Builds what it needs (bench/djl/lib.sh). Arguments go to DjlStepRace:
#   --rounds R (10)  --warmup K (30)  --batch N (128)  --width W (64)
# The allocator setting matters to DJL's figures (libtorch allocates each temporary with glibc
# malloc): the script runs under the caller's environment and prints it, e.g.
#   MALLOC_ARENA_MAX=2 bench/djl/race.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_djl_java DjlStepRace "$@"
