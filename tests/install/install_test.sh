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
echo "install test: ok"
