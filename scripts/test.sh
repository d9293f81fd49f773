#!/usr/bin/env bash
# Command 2 of the README: installs what is needed, builds, and runs every test — first in Release,
# then the hardening stages (scripts/ci_hardening.sh: the suite under ASan + UBSan, every fuzz target
# for 20 s, the pipeline end to end under ThreadSanitizer). ROLLMATCH_SKIP_HARDENING=1 stops after
# the Release suite (a quick local check; CI never sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"
if [ "${ROLLMATCH_SKIP_HARDENING:-0}" != 1 ]; then
  bash scripts/ci_hardening.sh
fi
