# Sourced by bin/* scripts: installs the build tools panoptim needs when they are missing
# (Debian/Ubuntu, as root or with sudo). Installs nothing when everything is present.
pt_ensure_build_deps() {
  local missing=()
  command -v cmake >/dev/null 2>&1 || missing+=(cmake)
  command -v gcc >/dev/null 2>&1 || missing+=(gcc)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  [ -e /usr/lib/gcc/x86_64-linux-gnu/*/include/omp.h ] 2>/dev/null || missing+=(libgomp1)
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "panoptim: installing missing build tools: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 || {
    echo "panoptim: could not install ${missing[*]}; install them by hand" >&2
    exit 2
  }
}
