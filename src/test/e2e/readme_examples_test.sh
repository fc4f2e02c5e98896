#!/usr/bin/env bash
# Every ```java block of README.md that declares a class compiles against `bin/panoptim classpath`
# and runs, printing what its comment at the end says it prints. Blocks that import ai.djl (the "With
# DJL" section) are skipped: they need DJL's classpath, and djl_trainer_test.sh builds and runs them
# (that section's block is examples/djl-trainer's source, which that test checks byte for byte).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$root"
. bin/lib/jdk.sh
pt_find_jdk
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp=$(bin/panoptim classpath | tail -n 1)

python3 - "$root/README.md" "$work" <<'PY'
import re, sys, pathlib
text = pathlib.Path(sys.argv[1]).read_text()
blocks = re.findall(r"```java\n(.*?)```", text, re.S)
n = skipped = 0
for b in blocks:
    m = re.search(r"public (?:final )?class (\w+)", b)
    if not m:
        continue
    if re.search(r"^import ai\.djl\.", b, re.M):
        skipped += 1
        continue
    d = pathlib.Path(sys.argv[2]) / m.group(1)
    d.mkdir()
    (d / (m.group(1) + ".java")).write_text(b)
    n += 1
print(f"{n} README example(s) extracted, {skipped} DJL example(s) left to djl_trainer_test.sh")
PY

count=0
for dir in "$work"/*/; do
  name=$(basename "$dir")
  count=$((count + 1))
  expect_exit 0 "README example $name compiles" -- "$PANOPTIM_JAVA_HOME/bin/javac" -cp "$cp" -d "$dir" "$dir/$name.java"
  # PANOPTIM_DIR: runs tracked by an example go to its scratch directory, not ./panoptim.
  expect_exit 0 "README example $name runs" -- env PANOPTIM_DIR="$dir/panoptim" "$PANOPTIM_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp:$dir" "$name"
  expected=$(grep -oP '(?<=// prints: ).*' "$dir/$name.java" | head -1 || true)
  # An example written for CUDA runs where CUDA is: here the simulator, as a user without a GPU would.
  if grep -q PANOPTIM_CUDA_SIM "$dir/$name.java"; then
    expect_exit 0 "README example $name runs on the CUDA simulator" -- env PANOPTIM_CUDA_SIM=1 PANOPTIM_DIR="$dir/panoptim" \
      "$PANOPTIM_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp:$dir" "$name"
  fi
  if [ -n "$expected" ]; then
    expect_output "$expected" "README example $name prints what it says"
  fi
done
[ "$count" -ge 2 ] && echo "ok: $count README examples" || { echo "FAIL: expected >= 2 README java examples, found $count"; failures=$((failures + 1)); }
finish
