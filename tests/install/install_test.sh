#!/usr/bin/env bash
# cmake --install into a scratch prefix, then build a consumer against it with
# pkg-config and with find_package(kcontract), and run both.
set -euo pipefail
build_dir=$1; source_dir=$2; scratch=$3; kernel=$4
rm -rf "$scratch"; mkdir -p "$scratch"
prefix=$scratch/prefix
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
test -x "$prefix/bin/kcontract"
test -f "$prefix/include/kcontract/btfdiff/kernel_source.h"
test -d "$prefix/share/kcontract/manifests"
test -f "$prefix/lib/pkgconfig/kcontract.pc" -o -f "$prefix/lib/x86_64-linux-gnu/pkgconfig/kcontract.pc"
pcdir=$(dirname "$(find "$prefix" -name kcontract.pc | head -1)")
export PKG_CONFIG_PATH=$pcdir
c++ -std=c++20 "$source_dir/tests/install/consumer.cc" -o "$scratch/consumer-pc" \
  $(pkg-config --cflags kcontract) $(pkg-config --libs kcontract)
"$scratch/consumer-pc" "$kernel"
cmake -S "$source_dir/tests/install" -B "$scratch/cmake-build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$scratch/cmake-build" >/dev/null
"$scratch/cmake-build/consumer" "$kernel"
# The BPF-side opt-in header, used as a policy author would: clang -target bpf.
test -f "$prefix/include/kcontract/opt_in.h"
printf '#include <kcontract/opt_in.h>\nKCONTRACT_OPT_IN("bpf_thp");\n' > "$scratch/optin.bpf.c"
clang -target bpf -g -O2 -Wall -Werror -I"$prefix/include" -c "$scratch/optin.bpf.c" \
  -o "$scratch/optin.bpf.o"
"$prefix/bin/kcontract" object show "$scratch/optin.bpf.o" > "$scratch/optin.txt"
grep -qx "opt-in bpf_thp" "$scratch/optin.txt"
# The documented #include <kcontract/kfunc_revisions.h> in BPF C, with the
# flags the package gives: kcontract-bpf.pc and kcontract.pc's bpf_cflags.
multiarch=$(gcc -print-multiarch 2>/dev/null || true)
asm_include=${multiarch:+-I/usr/include/$multiarch}
cp "$source_dir/examples/cmake_package/policy.bpf.c" "$scratch/policy.bpf.c"
clang -target bpf -g -O2 -Wall -Werror $(pkg-config --cflags kcontract-bpf) $asm_include \
  -c "$scratch/policy.bpf.c" -o "$scratch/policy-pc.bpf.o"
clang -target bpf -g -O2 -Wall -Werror $(pkg-config --variable=bpf_cflags kcontract) \
  $asm_include -c "$scratch/policy.bpf.c" -o "$scratch/policy-var.bpf.o"
# kcontract_lint and kcontract_check in a policy's CMake build
# (examples/cmake_package): the build passes on the kernel given ...
kernels=$(dirname "$kernel")/..
policy_build() {  # policy_build DIR CMAKE_ARGS...: configure and build, quietly
  local dir=$1; shift
  cmake -S "$source_dir/examples/cmake_package" -B "$dir" -G Ninja \
    -DCMAKE_PREFIX_PATH="$prefix" "$@" >/dev/null
  cmake --build "$dir" >"$dir.log" 2>&1
}
policy_build "$scratch/policy" -DPOLICY_KERNELS="$kernel"
test -f "$scratch/policy/policy.bpf.o"
grep -q "kcontract lint policy" "$scratch/policy.log"
grep -q "policy.bpf.o on .*: loads" "$scratch/policy.log"
# ... and fails where the object cannot load (6.1 has neither lookup kfunc),
if [ -d "$kernels/debian-6.1.0-50-amd64" ]; then
  if policy_build "$scratch/policy-6.1" -DPOLICY_KERNELS="$kernel;$kernels/debian-6.1.0-50-amd64"; then
    echo "install test: the build passed a policy that cannot load on 6.1" >&2; exit 1
  fi
  grep -q "kcontract check policy" "$scratch/policy-6.1.log"
  grep -q "on 6.1.0-50-amd64: fails at" "$scratch/policy-6.1.log"
fi
# ... and where a contract is violated (a kfunc it calls withdrawn).
cat > "$scratch/withdrawn.toml" <<'TOML'
format_version = 1
[contract]
name = "install-test"
owner = "tests"
[[interface]]
name = "bpf_task_from_pid"
kind = "kfunc"
stability = "withdrawn"
remove = "6.18"
use = "bpf_task_from_vpid"
TOML
if policy_build "$scratch/policy-withdrawn" -DPOLICY_KERNELS="$kernel" \
     -DPOLICY_MANIFESTS="$scratch/withdrawn.toml"; then
  echo "install test: the build passed a policy calling a withdrawn kfunc" >&2; exit 1
fi
grep -q "error: .*bpf_task_from_pid" "$scratch/policy-withdrawn.log"
echo "install test: ok"
