# Sourced by bench/djl/*.sh: builds the native library when it is missing (bin/build-native build/native
# rebuilds it) and the reactor up to bench/djl, packaged in place (nothing is installed into ~/.m2), then
# defines bench_djl_java MAIN ARGS...: the JVM for dev.panoptim.bench.djl.MAIN with libtorch on 2
# intra-op threads and 1 inter-op thread, under the caller's environment (allocator, OpenBLAS, OpenMP).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
. bin/lib/jdk.sh
pt_find_jdk
export JAVA_HOME="$PANOPTIM_JAVA_HOME"
[ -f build/native/libpanoptim.so ] || bin/build-native build/native >&2
mvn -q -B -ntp -Dstyle.color=never package -DskipTests -Dexec.skip=true -pl bench/djl -am >&2
bench_djl_cp="bench/djl/target/classes:$(cat bench/djl/target/classpath.txt)"

bench_djl_java() {  # bench_djl_java MAIN ARGS...
  local main=$1
  shift
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xss4m -Dai.djl.offline=true \
    -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dpanoptim.root="$root" \
    -cp "$bench_djl_cp" "dev.panoptim.bench.djl.$main" "$@"
}
