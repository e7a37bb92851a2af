#!/usr/bin/env bash
# Runs every kcontract command over the test corpus, the model kernels and the
# shared kernels, and stores each run's stdout, stderr and exit status under
# OUT_DIR, one file per run. Two snapshots (before and after a refactor) are
# compared with scripts/output_compare.sh: a refactor keeps every byte.
#
#   scripts/output_snapshot.sh BUILD_DIR OUT_DIR
#
# BUILD_DIR is a configured and built tree (cli/kcontract, tests/corpus,
# model_kernels, ...). Paths in the outputs are made relative by running
# from BUILD_DIR, so two build trees of the same source compare equal.
set -uo pipefail
build=$(cd "$1" && pwd)
out=$(mkdir -p "$2" && cd "$2" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
shared=${KCONTRACT_SHARED_DIR:-$src/../shared}
kc=$build/cli/kcontract
cd "$build" || exit 1

k61=$shared/kernels/debian-6.1.0-50-amd64
k612=$shared/kernels/debian-6.12.111-amd64
k618=$shared/kernels/host-6.18.44/vmlinux.btf
kernels=("$k61" "$k612" "$k618" running)
# Relative to BUILD_DIR, so that the outputs name them the same in every tree.
rel_shared=$(realpath --relative-to="$build" "$shared")
rel_kernels=("$rel_shared/kernels/debian-6.1.0-50-amd64"
             "$rel_shared/kernels/debian-6.12.111-amd64"
             "$rel_shared/kernels/host-6.18.44/vmlinux.btf" running)
models=(model_kernels/*.btf)
corpus=(tests/corpus/*.bpf.o)
objects=(tests/objects/*.o)
examples=(examples/*/*.bpf.o)
n=0
# run NAME ARGS...: one run, its outputs in OUT_DIR/NAME.{out,err,rc}.
run() {
  local name=$1; shift
  n=$((n + 1))
  "$kc" "$@" >"$out/$name.out" 2>"$out/$name.err"
  echo $? >"$out/$name.rc"
}
# Output files written with -o: their hash, not their bytes.
hash_file() { [ -f "$1" ] && sha256sum <"$1" | cut -d' ' -f1 >"$out/$2.sha256"; rm -f "$1"; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

for i in "${!rel_kernels[@]}"; do
  k=${rel_kernels[$i]}
  tag=$(basename "$k")
  for fmt in text json; do
    for verb in show kfuncs struct-ops; do
      run "kernel-$verb-$tag-$fmt" --format "$fmt" kernel "$verb" --kernel "$k"
    done
    run "probe-$tag-$fmt" --format "$fmt" probe --kernel "$k"
    run "check-corpus-$tag-$fmt" --format "$fmt" check "${corpus[@]}" --kernel "$k"
    run "check-objects-$tag-$fmt" --format "$fmt" check "${objects[@]}" "${examples[@]}" --kernel "$k"
  done
  run "btf-extract-$tag" btf extract --kernel "$k" -o "$scratch/x.btf"
  hash_file "$scratch/x.btf" "btf-extract-$tag"
  run "manifest-init-$tag" manifest init --kernel "$k" --match "bpf_*" --match "*_ops" --name m -o "$scratch/m.toml"
  cp "$scratch/m.toml" "$out/manifest-init-$tag.toml" 2>/dev/null; rm -f "$scratch/m.toml"
done
# Modules over their kernel.
for ko in "$k61"/modules/*.ko* "$k612"/modules/*.ko*; do
  base=$(dirname "$(dirname "$ko")")
  tag=$(basename "$base")-$(basename "$ko")
  rko=$(realpath --relative-to="$build" "$ko"); rbase=$(realpath --relative-to="$build" "$base")
  run "kernel-kfuncs-module-$tag" kernel kfuncs --kernel "$rko" --base "$rbase"
done
for m in "${models[@]}"; do
  tag=$(basename "$m" .btf)
  for fmt in text json; do
    run "kernel-show-model-$tag-$fmt" --format "$fmt" kernel show --kernel "$m"
    run "kernel-struct-ops-model-$tag-$fmt" --format "$fmt" kernel struct-ops --kernel "$m"
    run "probe-model-$tag-$fmt" --format "$fmt" probe --kernel "$m"
    run "check-objects-model-$tag-$fmt" --format "$fmt" check "${objects[@]}" "${examples[@]}" --kernel "$m"
  done
done
for fmt in text json; do
  run "object-show-corpus-$fmt" --format "$fmt" object show "${corpus[@]}"
  run "object-show-objects-$fmt" --format "$fmt" object show "${objects[@]}" "${examples[@]}"
  run "lint-corpus-$fmt" --format "$fmt" lint "${corpus[@]}"
  run "lint-objects-$fmt" --format "$fmt" lint "${objects[@]}" "${examples[@]}"
  run "lint-objects-manifest-$fmt" --format "$fmt" lint "${objects[@]}" \
      --manifest "$src/tests/manifests/lint.toml" --unknown warning
  run "diff-61-612-$fmt" --format "$fmt" diff --kernel "${rel_kernels[0]}" --kernel "${rel_kernels[1]}"
  run "diff-612-618-$fmt" --format "$fmt" diff --kernel "${rel_kernels[1]}" --kernel "${rel_kernels[2]}"
  for pair in tests/diff_models/*.0.o; do
    tag=$(basename "$pair" .0.o)
    # A BPF object is not a kernel: its .BTF is, as the diff golden test uses it.
    for side in 0 1; do
      llvm-objcopy --dump-section ".BTF=$scratch/$tag.$side.btf" "tests/diff_models/$tag.$side.o"
    done
    run "diff-model-$tag-$fmt" --format "$fmt" diff --kernel "$scratch/$tag.0.btf" \
        --kernel "$scratch/$tag.1.btf"
  done
  for a in model_kernels/thp_rfc_v4.btf model_kernels/sched_ext_6_12.btf model_kernels/mthp_ext_v2.btf; do
    for b in model_kernels/thp_v9.btf model_kernels/sched_ext_6_13.btf model_kernels/thp_withdrawn.btf; do
      run "diff-models-$(basename "$a" .btf)-$(basename "$b" .btf)-$fmt" --format "$fmt" \
          diff --kernel "$a" --kernel "$b"
    done
  done
  for f in "$src"/manifests/*.toml "$src"/tests/manifests/bad/*.toml "$src"/tests/manifests/lint.toml; do
    run "manifest-check-$(basename "$(dirname "$f")")-$(basename "$f" .toml)-$fmt" \
        --format "$fmt" manifest check "$(realpath --relative-to="$build" "$f")"
  done
done
# manifest update: the shared kernels' manifest, updated over a copy.
cp "$src/manifests/kernel-kfuncs.toml" "$scratch/u.toml"
run "manifest-update-6.18" manifest update "$scratch/u.toml" --kernel "${rel_kernels[2]}"
cp "$scratch/u.toml" "$out/manifest-update-6.18.toml"
# Bad inputs: one line each.
printf 'garbage' >"$scratch/garbage"
: >"$scratch/empty"
head -c 100 "$k618" >"$scratch/trunc.btf"
for f in garbage empty trunc.btf; do
  run "bad-kernel-show-$f" kernel show --kernel "$scratch/$f"
  run "bad-object-show-$f" object show "$scratch/$f"
  run "bad-check-$f" check "$scratch/$f"
  run "bad-manifest-check-$f" manifest check "$scratch/$f"
done
# The scratch directory's name differs per run, the trees' per checkout.
grep -rl --null -e "$scratch" -e "$build" -e "$src" "$out" |
  xargs -0 -r sed -i -e "s|$scratch|SCRATCH|g" -e "s|$build|BUILD|g" -e "s|$src|SRC|g"
run "usage-none"
run "usage-bad-command" chek
run "version" --version
echo "$n runs in $out"
