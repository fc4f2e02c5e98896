#!/usr/bin/env bash
# DJL's AdamW against panoptim's AdamW inside DJL on a torchvision ResNet-18 (1 x 28 x 28, batch 128),
# interleaved in one JVM with libtorch on 2 intra-op threads; prints a Markdown table (docs/BENCHMARKS.md).
# Builds what it needs (the native library, panoptim-djl, this module). Arguments go to DjlStepRace:
#   --rounds R (10)  --warmup K (30)  --batch N (128)  --width W (64)
# The allocator setting matters to DJL's figures (libtorch allocates each temporary with glibc
# malloc): the script runs under the caller's environment and prints it, e.g.
#   MALLOC_ARENA_MAX=2 bench/djl/race.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
. bin/lib/jdk.sh
pt_find_jdk
export JAVA_HOME="$PANOPTIM_JAVA_HOME"
[ -f build/native/libpanoptim.so ] || bin/build-native build/native >&2
mvn -q -B -ntp install -DskipTests -pl bench/djl -am >&2
cp="bench/djl/target/classes:$(cat bench/djl/target/classpath.txt)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xss4m -Dai.djl.offline=true \
  -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dpanoptim.root="$root" \
  -cp "$cp" dev.panoptim.bench.djl.DjlStepRace "$@"
