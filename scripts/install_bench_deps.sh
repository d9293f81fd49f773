#!/usr/bin/env bash
# Installs what only the PostgreSQL side-by-side (bench/pg_side_by_side.py)
# needs: PostgreSQL 15 and its contrib modules (fuzzystrmatch). Building,
# testing and running rollmatch never need them (scripts/install_deps.sh).
set -euo pipefail
PACKAGES=(postgresql postgresql-contrib)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install_bench_deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install_bench_deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
