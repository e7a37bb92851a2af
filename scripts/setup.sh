#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install what is needed, build,
# and run the main job against the running kernel.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
# Only what the main job needs: the CLI, the manifests beside it and the
# example policies. scripts/test.sh (same build directory and flags) builds
# the rest: the test suite, the benchmarks, the man pages.
cmake --build build --target kcontract kc_manifest_mirror kc_example_objects
echo "== kcontract kernel show (running kernel)"
build/cli/kcontract kernel show
# The main job: an example policy (examples/task_kfuncs) checked against the
# running kernel: which kfunc revision it gets, or why it cannot run.
echo "== kcontract check examples/task_kfuncs (running kernel)"
build/cli/kcontract check build/examples/task_kfuncs/task_kfuncs.bpf.o
