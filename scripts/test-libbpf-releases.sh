#!/usr/bin/env bash
# Runs the loader helper's tests (loader_test, examples_test,
# examples_oom_test, examples_ct_test) under each upstream libbpf release in
# ../shared/libbpf as the process's libbpf.so.1, the way a distribution with
# a newer libbpf runs them: the build links libbpf dynamically
# (build-shared/, KCONTRACT_STATIC_DEPS=OFF, as debian/rules builds), each
# release is built as a shared library from its tarball (SHA256 checked
# against SHA256SUMS) and put first with LD_LIBRARY_PATH. The helpers the
# tests run (kcontract, kc_load, kc_loader_probe) inherit it.
#
#   scripts/test-libbpf-releases.sh [VERSION...]   (default: 1.3.0 1.5.0 1.7.0)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${KCONTRACT_SHARED_DIR:-$(cd .. && pwd)/shared}
versions=("$@")
((${#versions[@]})) || versions=(1.3.0 1.5.0 1.7.0)
tests=(loader_test examples_test examples_oom_test examples_ct_test)

scripts/install-deps.sh --tests
dir=build-shared
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKCONTRACT_STATIC_DEPS=OFF \
  -DKCONTRACT_BUILD_BENCH=OFF >/dev/null
cmake --build "$dir" --target "${tests[@]}"

failed=()
for v in system "${versions[@]}"; do
  libdir=
  if [[ $v != system ]]; then
    tarball=$shared/libbpf/libbpf-$v.tar.gz
    (cd "$shared/libbpf" && grep " libbpf-$v.tar.gz\$" SHA256SUMS | sha256sum -c --quiet -)
    root=$dir/libbpf-shared/$v
    if [[ ! -e $root/root/usr/lib/libbpf.so.1 ]]; then
      rm -rf "$root" && mkdir -p "$root/src"
      tar xzf "$tarball" -C "$root/src"
      make -s -C "$root/src/libbpf-$v/src" OBJDIR="$PWD/$root/obj" DESTDIR="$PWD/$root/root" \
        PREFIX=/usr LIBDIR=/usr/lib CFLAGS="-g -O2 -fPIC" install >/dev/null
    fi
    libdir=$PWD/$root/root/usr/lib
  fi
  for t in "${tests[@]}"; do
    log=$dir/libbpf-shared/$t-$v.log
    mkdir -p "$(dirname "$log")"
    if LD_LIBRARY_PATH=$libdir "$dir/tests/$t" >"$log" 2>&1; then
      passed=$(grep -oE '^\[  PASSED  \] [0-9]+' "$log" | grep -oE '[0-9]+$')
      skipped=$(grep -oE '^\[  SKIPPED \] [0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
      echo "libbpf $v: $t: $passed passed, $skipped skipped"
    else
      echo "libbpf $v: $t: FAILED (see $log)"
      failed+=("$v:$t")
    fi
  done
done
if ((${#failed[@]})); then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
