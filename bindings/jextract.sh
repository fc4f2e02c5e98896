#!/usr/bin/env bash
# Regenerates bindings/src/main/java/dev/panoptim/bindings/c/panoptim_h.java from
# native/include/panoptim.h with jextract (https://jdk.java.net/jextract/), where it is installed.
# jextract is not in Maven Central or Debian, so the generated class is checked in and kept in step
# by hand; PanoptimHeaderBindingsTest fails if a header function has no binding or a wrong signature.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
command -v jextract >/dev/null || { echo "jextract not found on PATH; install it from https://jdk.java.net/jextract/" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
jextract --output "$out" --target-package dev.panoptim.bindings.c --header-class-name panoptim_h \
  --library panoptim "$root/native/include/panoptim.h"
target="$root/bindings/src/main/java/dev/panoptim/bindings/c/panoptim_h.java"
# The library is found by our loader (extracted from the jar), not by System.mapLibraryName.
sed -E 's|static final SymbolLookup SYMBOL_LOOKUP = .*|static final SymbolLookup SYMBOL_LOOKUP = dev.panoptim.bindings.NativeLibrary.lookup();|' \
  "$out/dev/panoptim/bindings/c/panoptim_h.java" >"$target"
# Structs come as one class each.
cp "$out/dev/panoptim/bindings/c/pt_step_extras.java" "$root/bindings/src/main/java/dev/panoptim/bindings/c/"
echo "wrote $target and pt_step_extras.java"
