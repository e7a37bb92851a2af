#!/usr/bin/env bash
# Builds the fuzz targets (tests/fuzz/, libFuzzer + ASan + UBSan, clang) in
# build-fuzz/ and runs each one, one after the other or --jobs at a time.
#
#   scripts/fuzz.sh [--smoke] [--time SECONDS] [--jobs N] [--timeout SECONDS]
#                   [--build-only] [TARGET...]
#
# TARGET: btf kernel_image deb object manifest load_profile waivers snapshot
# (default: all).
# --time: seconds per target (default 600); --smoke: 30 s each, as CI runs;
# --jobs: targets run side by side (default 1; a target is one process).
# --timeout: seconds one input may take before it counts as a hang
# (default 10; give long runs at low priority more, tests/fuzz/README.md).
# Each target grows its corpus in build-fuzz/fuzz-corpus/<target>/ (kept
# across runs; the seeds made at build time are read too); a crash, leak,
# timeout (--timeout) or memory blow-up (2.5 GB) stops the target,
# leaves the input in build-fuzz/fuzz-artifacts/<target>/ and makes this
# script fail. The summary gives each target's executions, coverage (cov,
# ft) and corpus size. Reproduce a finding with
#   build-fuzz/tests/fuzz/fuzz_<target> <artifact>
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=600
jobs=1
timeout=10
build_only=0
targets=()
while (($#)); do
  case "$1" in
    --smoke) seconds=30 ;;
    --time) seconds=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    --timeout) timeout=$2; shift ;;
    --build-only) build_only=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
((${#targets[@]})) || targets=(btf kernel_image deb object manifest load_profile waivers snapshot)

scripts/install-deps.sh --tests
dir=build-fuzz
# -O1 with line tables only: what fuzzers are usually built with, and a
# third of the compile time of -O2 -g under the sanitizers.
CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Fuzz \
  -DCMAKE_C_FLAGS_FUZZ="-O1 -gline-tables-only" -DCMAKE_CXX_FLAGS_FUZZ="-O1 -gline-tables-only" \
  -DKCONTRACT_FUZZ=ON -DKCONTRACT_BUILD_BENCH=OFF >/dev/null
cmake --build "$dir" --target kc_fuzz
((build_only)) && exit 0

# Inputs larger than this are not made (seeds are cut to it): small inputs
# keep the executions fast; each limit holds the target's seeds' structure.
max_len() {
  case "$1" in
    btf) echo 65536 ;;
    kernel_image|deb|snapshot) echo 262144 ;;
    object) echo 131072 ;;
    manifest) echo 65536 ;;
    load_profile|waivers) echo 16384 ;;
  esac
}
dict() {
  case "$1" in
    manifest|load_profile|waivers) echo "-dict=tests/fuzz/toml.dict" ;;
    btf) echo "-dict=tests/fuzz/btf.dict" ;;
    snapshot) echo "-dict=tests/fuzz/snapshot.dict" ;;
  esac
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# One target: its summary line goes to <logs>/<t>.summary, its exit status
# to <logs>/<t>.status (targets may run side by side, --jobs).
run_target() {
  local t=$1
  local corpus=$dir/fuzz-corpus/$t artifacts=$dir/fuzz-artifacts/$t log=$dir/fuzz-logs/$t.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  echo "fuzz_$t: ${seconds} s"
  local status=0
  # shellcheck disable=SC2046
  "$dir/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len="$(max_len "$t")" \
    -timeout="$timeout" -rss_limit_mb=2560 -print_final_stats=1 $(dict "$t") \
    -artifact_prefix="$artifacts/" "$corpus" "$dir/tests/fuzz/seeds/$t" >"$log" 2>&1 || status=$?
  local execs last cov ft corp
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n 1 || true)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(grep -o 'cov: [0-9]*' <<<"$last" | head -1 || true)
  ft=$(grep -o 'ft: [0-9]*' <<<"$last" | head -1 || true)
  corp=$(grep -o 'corp: [0-9]*' <<<"$last" | head -1 || true)
  printf '%-14s %12s execs  %-10s %-10s %-12s %s\n' "fuzz_$t" "${execs:-?}" "$cov" "$ft" \
    "$corp" "$( ((status)) && echo "FAILED (exit $status, see $log)" || echo ok)" \
    >"$dir/fuzz-logs/$t.summary"
  echo "$status" >"$dir/fuzz-logs/$t.status"
  if ((status)); then
    grep -E 'ERROR|SUMMARY|Test unit written|invariant' "$log" | head -8 || true
  fi
}

for t in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  run_target "$t" &
done
wait
failed=()
for t in "${targets[@]}"; do
  cat "$dir/fuzz-logs/$t.summary"
  [[ "$(cat "$dir/fuzz-logs/$t.status")" == 0 ]] || failed+=("$t")
done
if ((${#failed[@]})); then
  echo "fuzz: findings in: ${failed[*]}" >&2
  exit 1
fi
echo "${#targets[@]} passed, 0 failed"
