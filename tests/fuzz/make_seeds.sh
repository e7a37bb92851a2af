#!/usr/bin/env bash
# Makes the fuzz targets' seed corpora at build time from the test data the
# build already made (models, model kernels, BPF objects), the repository's
# manifests and hand-made seeds, and the shared kernels when present. Nothing
# here is committed but the hand-made text seeds in tests/fuzz/seeds/.
#
#   make_seeds.sh OUT SPLIT_TOOL SNAPSHOT_TOOL BASE_BTF SOURCE_DIR SHARED_DIR DIR...
#
# OUT/<target>/ gets each target's seeds. SPLIT_TOOL is make_split_btf,
# SNAPSHOT_TOOL make_snapshot_seeds. BASE_BTF is the model kernel the
# fuzz targets use as base (modules, split BTF). DIR...: build directories
# whose *.btf files are BTF seeds and whose *.o files are object seeds.
set -euo pipefail
out=$1 split_tool=$2 snapshot_tool=$3 base=$4 src=$5 shared=$6
shift 6
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rm -rf "$out"
targets=(btf kernel_image deb object manifest load_profile waivers snapshot)
for t in "${targets[@]}"; do mkdir -p "$out/$t"; done

# Seeds larger than this are left out: the fuzzers run with small inputs.
max_seed=$((512 * 1024))
small() { [[ -f $1 && $(stat -c %s "$1") -le $max_seed ]]; }

# --- BTF: a mode byte (0 raw, 1 split over BASE_BTF), then the BTF.
"$split_tool" "$work/rich.btf"
"$split_tool" "$work/split.btf" "$base"
{ printf '\x00'; cat "$work/rich.btf"; } > "$out/btf/rich"
{ printf '\x01'; cat "$work/split.btf"; } > "$out/btf/split"
for dir in "$@"; do
  for f in "$dir"/*.btf; do
    small "$f" || continue
    { printf '\x00'; cat "$f"; } > "$out/btf/$(basename "$dir")-$(basename "$f")"
  done
done

# --- Kernel images: a vmlinux ELF around the rich BTF (with a banner), a
# module (.modinfo + split BTF over BASE_BTF), both compressed every way, a
# bzImage of the vmlinux, and the shared kernels' small modules.
printf 'Linux version 6.18.44-fuzz (fuzz@kcontract) #1 SMP\0' > "$work/banner"
printf 'name=fuzz_mod\0vermagic=6.18.44-fuzz SMP preempt mod_unload\0license=GPL\0' \
  > "$work/modinfo"
( cd "$work" &&
  objcopy -I binary -O elf64-x86-64 -B i386:x86-64 \
    --rename-section .data=.BTF,alloc,load,readonly,data,contents rich.btf btf.o &&
  objcopy --add-section .rodata=banner --set-section-flags .rodata=alloc,load,readonly,data \
    btf.o btf-banner.o &&
  ld -o vmlinux -e 0 btf-banner.o 2>/dev/null &&
  objcopy -I binary -O elf64-x86-64 -B i386:x86-64 \
    --rename-section .data=.BTF,alloc,load,readonly,data,contents split.btf split.o &&
  objcopy --add-section .modinfo=modinfo split.o fuzz_mod.ko )
img=$out/kernel_image
cp "$work/vmlinux" "$img/vmlinux"
cp "$work/fuzz_mod.ko" "$img/fuzz_mod.ko"
for f in vmlinux fuzz_mod.ko rich.btf; do
  gzip -9 -c "$work/$f" > "$img/$f.gz"
  xz -c "$work/$f" > "$img/$f.xz"
  xz --format=lzma -c "$work/$f" > "$img/$f.lzma"
  zstd -q -c "$work/$f" > "$img/$f.zst"
done
# bzImage: one setup sector after the boot sector, the "HdrS" header at
# 0x202 (protocol 2.15), kernel_version at 0x200 + 0x100, and the payload
# right after the setup sectors.
make_bzimage() {  # make_bzimage PAYLOAD OUT
  local payload=$1 outfile=$2 len
  len=$(stat -c %s "$payload")
  head -c 1024 /dev/zero > "$outfile"
  # The escapes, not the bytes: a command substitution drops NUL bytes.
  le32() { printf '\\x%02x' $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255)); }
  put() { printf "$2" | dd of="$outfile" bs=1 seek=$(($1)) conv=notrunc status=none; }
  put 0x1f1 '\x01'
  put 0x202 'HdrS'
  put 0x206 '\x0f\x02'
  put 0x20e '\x00\x01'
  put 0x248 "$(le32 0)"
  put 0x24c "$(le32 "$len")"
  put 0x300 '6.18.44-fuzz (fuzz@kcontract) #1 SMP\x00'
  cat "$payload" >> "$outfile"
}
make_bzimage "$img/vmlinux.xz" "$img/bzImage-xz"
make_bzimage "$img/vmlinux.zst" "$img/bzImage-zstd"
make_bzimage "$img/vmlinux.gz" "$img/bzImage-gzip"
make_bzimage "$img/vmlinux.lzma" "$img/bzImage-lzma"
if [[ -d $shared/kernels ]]; then
  for f in "$shared"/kernels/*/modules/*; do
    small "$f" && cp "$f" "$img/shared-$(basename "$(dirname "$(dirname "$f")")")-$(basename "$f")"
  done
fi

# --- .deb: a linux-image package holding the bzImage, a config and the
# module, with each compression dpkg-deb offers.
if command -v dpkg-deb >/dev/null; then
  root=$work/pkg
  mkdir -p "$root/DEBIAN" "$root/boot" "$root/lib/modules/6.18.44-fuzz/kernel/fuzz"
  printf 'Package: linux-image-6.18.44-fuzz\nVersion: 1\nArchitecture: amd64\nMaintainer: fuzz <fuzz@example.org>\nDescription: fuzz seed\n' \
    > "$root/DEBIAN/control"
  cp "$img/bzImage-xz" "$root/boot/vmlinuz-6.18.44-fuzz"
  printf '#\n# Linux/x86 6.18.44 Kernel Configuration\n#\nCONFIG_BPF=y\nCONFIG_DEBUG_INFO_BTF=y\n# CONFIG_SCHED_CLASS_EXT is not set\n' \
    > "$root/boot/config-6.18.44-fuzz"
  cp "$work/fuzz_mod.ko" "$root/lib/modules/6.18.44-fuzz/kernel/fuzz/fuzz_mod.ko"
  for z in none gzip xz zstd; do
    dpkg-deb --root-owner-group -Z"$z" --build "$root" "$out/deb/linux-image-$z.deb" >/dev/null
  done
fi

# --- Objects: every small BPF object the build made, and a file embedding
# two of them (as a skeleton executable does).
n=0
for dir in "$@"; do
  for f in "$dir"/*.o; do
    small "$f" || continue
    # EM_BPF only (the models' .o are BPF objects too).
    [[ $(od -An -tx1 -j18 -N2 "$f" | tr -d ' ') == f700 ]] || continue
    cp "$f" "$out/object/$(basename "$dir")-$(basename "$f")"
    n=$((n + 1))
  done
done
# An array, not `ls | head`: under pipefail, ls killed by SIGPIPE when head
# stops reading would fail the build.
objects=("$out"/object/*.o)
[[ -f ${objects[0]} ]] || objects=()
first=${objects[0]:-}
if [[ -n $first ]]; then
  { printf 'not an ELF: a host program with objects inside\n'; cat "$first";
    printf '\0\0\0\0'; cat "$first"; } > "$out/object/embedded-two"
fi

# --- .deb: a package of policies, as `gate` reads one: two objects, the
# file embedding them, a hard link to one and a file holding none.
if command -v dpkg-deb >/dev/null && [[ -n $first ]]; then
  root=$work/policies
  mkdir -p "$root/DEBIAN" "$root/usr/lib/bpf" "$root/usr/bin"
  printf 'Package: bpf-policies\nVersion: 1\nArchitecture: amd64\nMaintainer: fuzz <fuzz@example.org>\nDescription: fuzz seed\n' \
    > "$root/DEBIAN/control"
  cp "${objects[@]:0:2}" "$root/usr/lib/bpf/"
  cp "$out/object/embedded-two" "$root/usr/bin/tool"
  ln "$root/usr/lib/bpf/$(basename "$first")" "$root/usr/lib/bpf/linked.o"
  printf 'not an object\n' > "$root/usr/lib/bpf/README"
  for z in none xz zstd; do
    dpkg-deb --root-owner-group -Z"$z" --build "$root" "$out/deb/bpf-policies-$z.deb" >/dev/null
  done
fi

# --- Manifests and load profiles: the repository's, and hand-made ones.
cp "$src"/manifests/*.toml "$out/manifest/"
for f in "$src"/tests/manifests/*.toml "$src"/tests/manifests/bad/*.toml; do
  cp "$f" "$out/manifest/test-$(basename "$f")"
done
cp "$src"/tests/fuzz/seeds/manifest/* "$out/manifest/" 2>/dev/null || true
cp "$src"/tests/fuzz/seeds/load_profile/* "$out/load_profile/"

# --- Waiver files: the example's, and hand-made ones.
cp "$src"/examples/gate/waivers.toml "$out/waivers/example.toml"
cp "$src"/tests/fuzz/seeds/waivers/* "$out/waivers/"

# --- Snapshots: one made to fill every field (vmlinux and a module with
# .BTF_ids, config, warnings), and one of each small model kernel and of
# the vmlinux ELF above, each as a file and as its plain contents.
snapshot_sources=("$img/vmlinux")
for dir in "$@"; do
  for f in "$dir"/*.btf; do
    small "$f" && snapshot_sources+=("$f")
  done
done
# The tool is built with the sanitizers; libbpf's own allocations are no
# leak of the tool's.
ASAN_OPTIONS=detect_leaks=0 "$snapshot_tool" "$out/snapshot" "$base" "$work/split.btf" \
  "${snapshot_sources[@]}"

for t in "${targets[@]}"; do
  printf '%s: %d seeds\n' "$t" "$(ls "$out/$t" | wc -l)"
done
