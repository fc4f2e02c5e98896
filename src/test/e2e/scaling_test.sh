#!/usr/bin/env bash
# panoptim scaling through the launcher: bad options exit 2 naming them; a tiny study (2 widths x 2
# fractions x 1 seed on small fractions of Fashion-MNIST) interrupted after its second run resumes
# running only the missing runs and writes scaling.csv, scaling.html and scaling.png; run again, it
# trains nothing. Training needs the Fashion-MNIST files (skipped, saying so, without them).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$root"
work=$(mktemp -d)
e2e_pid=
trap '[ -z "$e2e_pid" ] || kill "$e2e_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
dir=(--dir "$work/panoptim")

expect_exit 2 "a fraction above 1" -- bin/panoptim scaling --fractions 1,2 --out "$work/bad" "${dir[@]}"
expect_output "fractions must be in \(0, 1\], got 2.0" "names it"
expect_exit 2 "a width that is not a number" -- bin/panoptim scaling --widths 0,x --out "$work/bad" "${dir[@]}"
expect_output "--widths.*'x'" "names it"
expect_exit 2 "dropout 1" -- bin/panoptim scaling --dropout 0,1 --out "$work/bad" "${dir[@]}"
expect_output "dropout must be in \[0, 1\), got 1.0" "names it"
expect_exit 2 "an unknown option" -- bin/panoptim scaling --speed 3 "${dir[@]}"
expect_output "Unknown options?: '--speed'" "names it"

. bin/lib/datasets.sh
if ! pt_have_fashion_mnist; then
  echo "skip: Fashion-MNIST is not installed in $PT_FASHION_MNIST_DIR (apt-get install dataset-fashion-mnist): no study"
  finish; exit 0
fi

study=(scaling --widths 0,1 --fractions 0.02,0.01 --seeds 1 --dropout 0 --val-subset 20 --out "$work/study" "${dir[@]}")
# Interrupted while its third run trains: Ctrl-C (SIGTERM where this shell ignores SIGINT: same shutdown hooks).
signal=INT; sigint_ignored && signal=TERM
set -m
bin/panoptim "${study[@]}" >"$work/first.log" 2>&1 &
e2e_pid=$!
set +m
# The signal goes as soon as the third run is claimed: these runs take about a second each now (oneDNN's
# convolutions), so waiting any longer let the third one finish first now and then.
for _ in $(seq 1 9000); do grep -q 'trial 2 as run' "$work/first.log" && break; sleep 0.02; done
kill -"$signal" "$e2e_pid"
set +e; wait "$e2e_pid"; code=$?; set -e
e2e_pid=
if [ "$code" = 130 ] || [ "$code" = 143 ]; then echo "ok: interrupted (SIG$signal, exit $code)"
else echo "FAIL: the interrupted study exited $code"; tail -20 "$work/first.log"; failures=$((failures + 1)); fi
grep -Eq '^scaling study: sweep [0-9a-z]{8}, 4 runs' "$work/first.log" && echo "ok: prints the study's sweep and size" \
  || { echo "FAIL: no 'scaling study: sweep ID, 4 runs' line"; head -5 "$work/first.log"; failures=$((failures + 1)); }
[ -f "$work/study/study.json" ] && echo "ok: study.json ties the folder to its sweep" || { echo "FAIL: no study.json"; failures=$((failures + 1)); }

expect_exit 0 "the same command resumes the study" -- bin/panoptim "${study[@]}"
expect_output "^ran 2 runs in" "runs only the interrupted run and the one never started"
expect_output "loss exponent b" "prints the summary with the exponents"
expect_output "^learning rate: AdamW, each conv/linear layer at lr 0.03 / sqrt\(its fan-in\)" "states how the learning rate was set per width"
for f in scaling.csv scaling.html scaling.png summary.txt; do
  [ -s "$work/study/$f" ] && echo "ok: wrote $f" || { echo "FAIL: $f missing"; failures=$((failures + 1)); }
done
rows=$(($(wc -l <"$work/study/scaling.csv") - 1))
[ "$rows" = 4 ] && echo "ok: scaling.csv has one row per run (4)" || { echo "FAIL: scaling.csv has $rows rows"; failures=$((failures + 1)); }
head -1 "$work/study/scaling.csv" | grep -q '^run_id,width_exponent,params,data_fraction,seed,dropout,train_flops,val_loss,val_accuracy' \
  && echo "ok: scaling.csv's columns" || { echo "FAIL: scaling.csv header: $(head -1 "$work/study/scaling.csv")"; failures=$((failures + 1)); }
file "$work/study/scaling.png" | grep -q 'PNG image data' && echo "ok: scaling.png is a PNG" || { echo "FAIL: scaling.png"; failures=$((failures + 1)); }
if grep -Eq '<script[^>]+src="https?:' "$work/study/scaling.html"; then echo "FAIL: scaling.html loads a script from the network"; failures=$((failures + 1))
else echo "ok: scaling.html opens offline"; fi

expect_exit 0 "a finished study, run again" -- bin/panoptim "${study[@]}"
expect_output "^ran 0 runs in" "trains nothing"
expect_exit 2 "the same folder with other options" -- bin/panoptim scaling --widths 0,1,2 --fractions 0.02,0.01 --seeds 1 --dropout 0 \
  --val-subset 20 --out "$work/study" "${dir[@]}"
expect_output "widths \[0,1\] there, \[0,1,2\] now" "names the difference"
finish
