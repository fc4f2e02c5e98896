# Sourced by bin/test: installs Debian's chromium where it is missing, for the test that opens the
# landscape HTML in a headless browser. Never fatal: without a browser that test skips and says why.
pt_ensure_browser() {
  local c
  for c in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$c" >/dev/null 2>&1 && return 0
  done
  [ -n "${PANOPTIM_CHROMIUM:-}" ] && [ -x "$PANOPTIM_CHROMIUM" ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "panoptim: no chromium and no apt-get; the browser check of the landscape HTML will be skipped" >&2
    return 0
  fi
  echo "panoptim: installing chromium for the headless-browser test (about a minute)" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2 && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2 || \
    echo "panoptim: could not install chromium; the browser check of the landscape HTML will be skipped" >&2
}
