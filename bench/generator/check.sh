#!/usr/bin/env bash
# Self-test of the generator and the scorer, for CI:
#   bench/generator/check.sh [path/to/rollmatch-gen] [persons]
# For each noise level: generate, selfcheck.py (reads the feeds back and
# re-derives the truth), the truth scored against itself must be exact, and a
# truth with one flag removed must not be.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
gen="${1:-$root/build-gen/rollmatch-gen}"
persons="${2:-20000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() {  # name, command...
  local name="$1"; shift
  if "$@" >"$work/log" 2>&1; then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL $name"; tail -n 25 "$work/log"; fi
}
# The second rules implementation (selfcheck.py) against the hand-made example.
if [ -d "$root/tests/data/tiny-county" ]; then
  check "rules reproduce tiny-county" python3 "$here/selfcheck.py" --tiny "$root/tests/data/tiny-county"
fi
for noise in none cosmetic full; do
  out="$work/$noise"
  check "generate $noise" "$gen" --persons "$persons" --seed 42 --noise "$noise" --out "$out"
  check "selfcheck $noise" python3 "$here/selfcheck.py" "$out"
  check "truth as output $noise" python3 "$root/bench/truth_as_output.py" "$out/truth" "$out/asout"
  check "score exact $noise" python3 "$root/bench/score.py" "$out/asout" "$out/truth" --require-exact
  sed -i '1d' "$out/asout/flags.jsonl"
  check "score detects a missing flag $noise" bash -c "! python3 '$root/bench/score.py' '$out/asout' '$out/truth' --require-exact"
done
# Same seed, same bytes.
"$gen" --persons 5000 --seed 7 --noise full --gzip --out "$work/a" 2>/dev/null
"$gen" --persons 5000 --seed 7 --noise full --gzip --out "$work/b" 2>/dev/null
check "deterministic output" diff -r "$work/a" "$work/b"
check "gzip hukou readable" python3 "$here/selfcheck.py" "$work/a" --min-persons 1000000000
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
