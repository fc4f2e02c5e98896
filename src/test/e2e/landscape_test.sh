#!/usr/bin/env bash
# `panoptim landscape` through the launcher: the course's figure, the default comparison, the three
# files, usage errors (exit 2, listing the valid choices), and other files in --out left alone.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

expect_exit 0 "single optimizer" -- bin/panoptim landscape --function pathological --optimizer sgd --lr 0.02 \
  --momentum 0.99 --steps 100 --start 2.5,2.5 --out "$work/seed"
expect_output '^  SGD\(lr=0\.02, momentum=0\.99\)  end after 100 steps: \(0\.7196, -6\.4586\), loss 0\.3890$' "prints the final point and loss"
for f in trajectories.csv landscape.html landscape.png; do
  [ -s "$work/seed/$f" ] && echo "ok: wrote $f" || { echo "FAIL: $f missing"; failures=$((failures + 1)); }
done
head -1 "$work/seed/trajectories.csv" | grep -qx 'optimizer,step,x,y,loss' && echo "ok: CSV header" || { echo "FAIL: CSV header"; failures=$((failures + 1)); }
rows=$(($(wc -l <"$work/seed/trajectories.csv") - 1))
[ "$rows" -eq 101 ] && echo "ok: 101 CSV rows (steps 0..100)" || { echo "FAIL: $rows CSV rows, expected 101"; failures=$((failures + 1)); }
grep -Eq '^"SGD\(lr=0\.02, momentum=0\.99\)",99,0\.811[0-9]*,-6\.334[0-9]*,' "$work/seed/trajectories.csv" \
  && echo "ok: step 99 is the course's (0.8110, -6.3344)" || { echo "FAIL: step 99 row"; failures=$((failures + 1)); }
[ "$(head -c 4 "$work/seed/landscape.png" | tail -c 3)" = PNG ] && echo "ok: landscape.png is a PNG" || { echo "FAIL: not a PNG"; failures=$((failures + 1)); }

echo "mine" >"$work/seed/notes.txt"
expect_exit 0 "default comparison" -- bin/panoptim landscape --function rosenbrock --out "$work/seed"
expect_output 'SGD\(lr=0\.03, momentum=0\.99\) +end after 100 steps: \(NaN, NaN\), loss NaN \(diverged\)' "a diverged run says so"
expect_output 'AdamW\(lr=0\.2, betas=\(0\.99, 0\.99\), weight_decay=0\.005\)' "the course's comparison"
expect_output 'replaced the previous trajectories.csv, landscape.html, landscape.png' "says which files it replaced"
[ "$(cat "$work/seed/notes.txt")" = mine ] && echo "ok: other files in --out are kept" || { echo "FAIL: notes.txt changed"; failures=$((failures + 1)); }

expect_exit 2 "unknown function" -- bin/panoptim landscape --function himmelblau --out "$work/x"
expect_output "unknown function 'himmelblau' \(valid: pathological, rosenbrock, trimodal, gaussian" "lists the functions"
expect_exit 2 "unknown optimizer" -- bin/panoptim landscape --optimizer 'lamb:lr=0.1' --out "$work/x"
expect_output "unknown optimizer 'lamb' \(valid: sgd, rmsprop, adam, adamw" "lists the optimizers"
expect_exit 2 "malformed start" -- bin/panoptim landscape --start 1:2 --out "$work/x"
expect_output "malformed --start '1:2' \(expected X,Y" "shows the start's form"
[ ! -e "$work/x" ] && echo "ok: nothing written on usage errors" || { echo "FAIL: $work/x exists"; failures=$((failures + 1)); }
finish
