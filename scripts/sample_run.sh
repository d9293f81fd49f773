#!/usr/bin/env bash
# Command 1 of the README: installs what is needed, builds, generates a sample
# county (溧阳市, 320481) and runs the nightly job on it.
set -euo pipefail
cd "$(dirname "$0")/.."
PERSONS="${PERSONS:-50000}"
bash scripts/install_deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
rm -rf sample
./build/rollmatch-gen --persons "$PERSONS" --seed 1 --noise full --out sample
./build/rollmatch run --config sample/config.json
echo
echo "score against the generator's truth:"
python3 bench/score.py sample/out sample/truth
