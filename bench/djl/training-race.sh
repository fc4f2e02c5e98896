#!/usr/bin/env bash
# panoptim's own ResNet-18 (its nn layers and fused AdamW) against the same torchvision ResNet-18 on
# DJL's PyTorch engine (DJL's AdamW), training and evaluation images/s on 2 intra-op threads (issue 17),
# then each framework alone in its own JVM for its peak resident memory (VmHWM). Prints the three
# outputs (docs/BENCHMARKS.md). Builds what it needs (bench/djl/lib.sh). Arguments go to TrainingRace:
#   --image 28|32 (28)  --batch N (128)  --rounds R (5)  --warmup K (3)  --width W (64)
# It runs under the caller's environment and prints it; compare allocator and OpenBLAS kernel settings
# from outside, e.g.
#   MALLOC_ARENA_MAX=2 bench/djl/training-race.sh --image 32
#   OPENBLAS_CORETYPE=Haswell bench/djl/training-race.sh      # vs. with it unset (OpenBLAS picks by CPU)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
echo "## interleaved, one JVM"
bench_djl_java TrainingRace "$@"
for only in panoptim djl; do
  echo
  echo "## $only alone, its own JVM (peak resident memory)"
  bench_djl_java TrainingRace "$@" --only "$only"
done
