#!/usr/bin/env bash
# Installs the Debian 12 packages rollmatch builds, tests and runs with.
# Skips apt when everything is already installed.
set -euo pipefail
PACKAGES=(
  # build and core libraries
  build-essential cmake ninja-build pkg-config python3
  libtbb-dev libsimdjson-dev libxxhash-dev libicu-dev zlib1g-dev libsqlite3-dev
  libcli11-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev
  # township reports and their browser test (issue 5)
  libxlsxwriter-dev libminizip-dev libexpat1-dev chromium fonts-noto-cjk
  # state, locks and fingerprints (issue 6)
  libssl-dev
  # fuzzing and sanitizers (issue 7): clang with its ASan/UBSan/TSan and libFuzzer runtimes
  clang libclang-rt-14-dev
  # benchmarks and the PostgreSQL side-by-side (issue 4): libbenchmark-dev is above;
  # PostgreSQL 15 only for bench/pg_side_by_side.py, in scripts/install_bench_deps.sh
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install_deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
