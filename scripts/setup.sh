#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install what is needed, build,
# and run the main job against the running kernel.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build
echo "== kcontract kernel show (running kernel)"
build/cli/kcontract kernel show
