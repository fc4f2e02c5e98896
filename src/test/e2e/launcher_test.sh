#!/usr/bin/env bash
# The launcher and its CLI: version, info, classpath, usage errors (exit 2), a missing library.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$root"

expect_exit 0 "--version" -- bin/panoptim --version
expect_output '^panoptim [0-9]+\.[0-9]+\.[0-9]+ \(libpanoptim [0-9.]+' "--version names both versions"

expect_exit 0 "info" -- bin/panoptim info
expect_output '^simd: +(avx512|avx2\+fma|baseline)' "info shows the SIMD level"
expect_output '^threads: +[1-9]' "info shows threads"
expect_output '^library: +/.*libpanoptim\.so' "info shows the library path"
expect_output '^cuda: +(available|unavailable: .+|simulated on the CPU .+)' "info says whether CUDA is usable and why"
expect_exit 0 "info on the CUDA simulator" -- env PANOPTIM_CUDA_SIM=1 bin/panoptim info
expect_output '^cuda: +simulated on the CPU' "PANOPTIM_CUDA_SIM=1: info says CUDA is simulated"
expect_output '^library: +/.*libpanoptim_cudasim\.so .*PANOPTIM_CUDA_SIM=1' "and loads the simulator library, saying why"

expect_exit 2 "unknown subcommand" -- bin/panoptim frobnicate
expect_output 'Usage: panoptim' "unknown subcommand prints the usage"
expect_exit 2 "unknown option" -- bin/panoptim info --bogus
expect_exit 2 "malformed number" -- bin/panoptim demo --epochs many
expect_output "epochs" "malformed number names the option"
expect_exit 2 "out-of-range number" -- bin/panoptim demo --epochs 0
expect_output "epochs must be >= 1, got 0" "out-of-range number names the value"
expect_exit 2 "no subcommand" -- bin/panoptim

expect_exit 1 "missing native library" -- env JAVA_OPTS=-Dpanoptim.library.path=/nonexistent/libpanoptim.so bin/panoptim info
expect_output "/nonexistent/libpanoptim.so" "the error names the path that was looked for"
if grep -q 'at dev.panoptim' <<<"$out"; then echo "FAIL: missing library printed a stack trace"; failures=$((failures + 1)); fi

expect_exit 0 "classpath" -- bin/panoptim classpath
cp_line=$(tail -n 1 <<<"$out")
for jar in panoptim-training.jar panoptim-java-api panoptim-bindings jackson-databind; do
  grep -q "$jar" <<<"$cp_line" && echo "ok: classpath holds $jar" || { echo "FAIL: classpath lacks $jar"; failures=$((failures + 1)); }
done
finish
