#!/usr/bin/env bash
# Installs the Debian 12 packages kcontract builds with. Idempotent: apt runs
# only when something is missing. With --tests, also what only the test
# suite, the sanitizer build and the fuzz smoke run use (scripts/test.sh
# passes it); scripts/setup.sh installs only what the main job needs, which
# spares a fresh machine Chromium and its hundred dependencies.
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  clang llvm                   # clang -target bpf builds the example policies
  libbpf-dev libelf-dev        # BTF parsing, ELF reading
  zlib1g-dev liblzma-dev libzstd-dev   # kernel image payloads and .ko.{gz,xz,zst}
  libarchive-dev               # .deb packages, read in memory
  libabsl-dev                  # Status/StatusOr, StrFormat, flat_hash_map
  nlohmann-json3-dev           # JSON output
  libcli11-dev                 # command line with subcommands
  libtomlplusplus-dev          # manifests (TOML)
  libgtest-dev libgmock-dev    # tests (found when the build is configured)
  bpftool                      # bpftool gen object links the THP example's revisions
  linux-libc-dev
)
TEST_PACKAGES=(
  libclang-rt-14-dev           # libFuzzer and the sanitizers' runtimes (scripts/fuzz.sh)
  dpkg-dev xz-utils zstd gzip  # tests build .deb packages and compressed inputs
  libxml2-utils python3-jsonschema   # tests validate the gate's JUnit (xmllint) and SARIF
  chromium                     # tests render the gate's --html page headless (gate_html_browser_test)
)
if [[ "${1:-}" == "--tests" ]]; then
  PACKAGES+=("${TEST_PACKAGES[@]}")
fi
missing=()
for p in "${PACKAGES[@]}"; do
  [[ "$p" == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
