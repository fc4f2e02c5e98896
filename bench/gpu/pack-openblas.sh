#!/usr/bin/env bash
# Prepares .device/openblas for bin/gpu-check on a GPU machine without OpenBLAS (panoptim's CMake needs
# cblas.h and libopenblas): downloads Debian's OpenMP OpenBLAS (library, headers) and the gfortran
# runtime it links, and unpacks them into .device/openblas (ignored by git; about 38 MiB of the 64 MiB
# a device call may carry). Run it here,
# then carry .device on the device call (carry: [".device"]); bin/gpu-check finds it by itself.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dest=$root/.device/openblas
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download libopenblas0-openmp libopenblas-openmp-dev libopenblas-dev libgfortran5 >/dev/null)
rm -rf "$dest"
mkdir -p "$dest"
for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$dest"; done
# Only what the build and the run need: headers, the OpenMP flavour's shared library, libgfortran.
rm -rf "${dest:?}/usr/share"
find "$dest" \( -name '*.a' -o -name 'liblapack*' -o -name 'libblas*' \) -delete
du -sh "$dest"
