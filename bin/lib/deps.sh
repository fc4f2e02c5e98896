# Sourced by bin/* scripts: installs the build tools (and the fonts landscape.png needs) when missing
# (Debian/Ubuntu, as root or with sudo). Installs nothing when everything is present.
pt_ensure_build_deps() {
  local missing=()
  command -v cmake >/dev/null 2>&1 || missing+=(cmake)
  command -v gcc >/dev/null 2>&1 || missing+=(gcc)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  [ -e /usr/lib/gcc/x86_64-linux-gnu/*/include/omp.h ] 2>/dev/null || missing+=(libgomp1)
  # OpenBLAS (sgemm of matmul, linear, conv2d), its OpenMP flavour: its threads are libgomp's.
  [ -e /usr/include/x86_64-linux-gnu/openblas-openmp/cblas.h ] || missing+=(libopenblas-openmp-dev)
  # oneDNN, the CPU conv2d backend libtorch uses too (header to build, libdnnl.so.2 loaded at run time).
  [ -e /usr/include/oneapi/dnnl/dnnl.h ] || missing+=(libdnnl-dev)
  # Boost.Context switches the simulated CUDA threads of libpanoptim_cudasim (native/cudasim).
  [ -e /usr/include/boost/context/fiber.hpp ] || missing+=(libboost-fiber-dev)
  # Java2D draws the text of landscape.png with fontconfig and a font, even headless.
  command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
  [ -n "$(fc-list 2>/dev/null | head -n 1)" ] || missing+=(fonts-dejavu-core)
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "panoptim: installing missing build tools: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 || {
    echo "panoptim: could not install ${missing[*]}; install them by hand" >&2
    exit 2
  }
}
