#!/usr/bin/env bash
# The dashboard's pure front-end modules (smoothing, buckets to points, live-row merging, time axes, group
# bands, config diff, formatting, parallel-coordinate axes) under node's test runner; skipped, saying why,
# without node >= 20 (bin/test's machines have it; the browser tests need it too).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$root"
if ! command -v node >/dev/null 2>&1 || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "skipped: node >= 20 is not installed (apt-get install nodejs); the front end's unit tests did NOT run"
  exit 0
fi
expect_exit 0 "node --test ui/src/test/js" -- node --test ui/src/test/js/
echo "$out" | grep -E '^(ℹ|#) (tests|pass|fail)' || true
finish
