#!/usr/bin/env bash
# Builds the fuzz targets with clang + libFuzzer (+ ASan/UBSan) in build-fuzz and runs each for SECONDS.
#
# usage: tests/fuzz/run_fuzz.sh SECONDS [TARGET...]
#   TARGET: csv_reader jsonl_reader gb18030 gzip citizen_id name_normalizer run_config (default: all)
# Environment: BUILD_DIR (default build-fuzz), JOBS (default 2), FUZZ_ARGS (extra libFuzzer flags).
# New inputs go to build-fuzz/fuzz-work/<target>/corpus (the repository's seed corpus is only read);
# a crash, leak, timeout (> 10 s per input) or out-of-memory leaves its input in build-fuzz/fuzz-work/<target>/
# and makes the script exit 1 after all targets ran. Turn each finding into a regression test or a
# regression-* file in tests/fuzz/corpus/<target>/.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SECONDS_PER_TARGET=${1:?usage: run_fuzz.sh SECONDS [TARGET...]}
shift
ALL_TARGETS=(csv_reader jsonl_reader gb18030 gzip citizen_id name_normalizer run_config)
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL_TARGETS[@]}")
BUILD_DIR=${BUILD_DIR:-build-fuzz}
JOBS=${JOBS:-2}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$ROOT/$BUILD_DIR" ;; esac

if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DROLLMATCH_FUZZ=ON -DROLLMATCH_BUILD_BENCH=OFF >/dev/null || exit 1
fi
cmake --build "$BUILD_DIR" -j"$JOBS" --target "${TARGETS[@]/#/fuzz_}" || exit 1

status=0
for t in "${TARGETS[@]}"; do
  work="$BUILD_DIR/fuzz-work/$t"
  mkdir -p "$work/corpus"
  echo "== fuzz_$t: ${SECONDS_PER_TARGET} s"
  # -rss_limit_mb: the gzip target may inflate a small input a thousandfold.
  if ! (cd "$work" && "$BUILD_DIR/fuzz/fuzz_$t" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
        -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 ${FUZZ_ARGS:-} \
        corpus "$ROOT/tests/fuzz/corpus/$t" >"fuzz.log" 2>&1); then
    echo "fuzz_$t: FOUND A PROBLEM (see $work/fuzz.log):"
    grep -E "ERROR|SUMMARY|RM_FUZZ_CHECK|Test unit written" "$work/fuzz.log" | head -20
    status=1
  else
    grep -E "^stat::number_of_executed_units|^stat::new_units_added|^stat::peak_rss_mb" "$work/fuzz.log" |
      tr '\n' ' '
    echo
  fi
done
exit $status
