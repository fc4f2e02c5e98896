#!/usr/bin/env bash
# Packs what the training race of bin/gpu-check (bench/gpu/train_race.py) needs to run panoptim's trainer
# on a GPU machine that has no JDK, no Maven and no network, into one archive, .device/trainer.tar.xz
# (ignored by git; about 30 MiB of the 64 MiB a device call may carry):
#   jdk/                      a Java runtime made with jlink (no javac: bin/panoptim needs only java once
#                             built); modules: what jdeps lists for the training jar and its dependencies
#                             (java.desktop draws the demo's report.png; java.sql for the SQLite run store)
#   training/target/          panoptim-training.jar and lib/, sqlite-jdbc cut to its Linux x86-64 library
# xz packs the runtime's uncompressed files better than jlink's own zip (about 20 MiB against 58 MiB).
# train_race.py unpacks it on the machine (jdk/ to .device/jdk, training/ into the tree) before its runs.
# Run it here after `mvn -B -DskipTests package`, then carry .device on the device call (carry: [".device"]).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/bin/lib/jdk.sh"
jar=$root/training/target/panoptim-training.jar
lib=$root/training/target/lib
if [ ! -f "$jar" ] || [ ! -d "$lib" ]; then
  echo "pack-trainer.sh: $jar or $lib is missing: build first (mvn -B -DskipTests package, with a JDK 25)" >&2
  exit 1
fi
pt_find_jdk
[ -x "$PANOPTIM_JAVA_HOME/bin/jlink" ] || { echo "pack-trainer.sh: no jlink in $PANOPTIM_JAVA_HOME" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PANOPTIM_JAVA_HOME/bin/jlink" --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.sql,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --output "$tmp/jdk"
# libjvm.so comes with its symbol table (5 MiB); the JVM does not need it.
if command -v strip >/dev/null; then strip --strip-unneeded "$tmp/jdk/lib/server/libjvm.so"; fi
mkdir -p "$tmp/training/target/lib"
cp "$jar" "$tmp/training/target/"
cp "$lib"/*.jar "$tmp/training/target/lib/"
# sqlite-jdbc carries its native library for 20-odd platforms (12 MiB); the GPU machine is Linux x86-64.
python3 - "$tmp/training/target/lib" <<'EOF'
import glob, os, sys, zipfile
for path in glob.glob(os.path.join(sys.argv[1], 'sqlite-jdbc-*.jar')):
    slim = path + '.slim'
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(slim, 'w', zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            native = item.filename.startswith('org/sqlite/native/')
            if not native or item.filename.startswith('org/sqlite/native/Linux/x86_64/') or item.is_dir():
                dst.writestr(item, src.read(item.filename))
    os.replace(slim, path)
EOF
mkdir -p "$root/.device"
tar -C "$tmp" -cJf "$root/.device/trainer.tar.xz" jdk training
du -h "$root/.device/trainer.tar.xz"
