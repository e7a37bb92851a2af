#!/usr/bin/env bash
# Installs the Debian 12 packages kcontract builds and tests with. Idempotent:
# apt runs only when something is missing.
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  clang llvm                   # clang -target bpf builds test objects and BTF models
  libclang-rt-14-dev           # libFuzzer and the sanitizers' runtimes (scripts/fuzz.sh)
  libbpf-dev libelf-dev        # BTF parsing, ELF reading
  zlib1g-dev liblzma-dev libzstd-dev   # kernel image payloads and .ko.{gz,xz,zst}
  libarchive-dev               # .deb packages, read in memory
  libabsl-dev                  # Status/StatusOr, StrFormat, flat_hash_map
  nlohmann-json3-dev           # JSON output
  libcli11-dev                 # command line with subcommands
  libtomlplusplus-dev          # manifests (TOML)
  libgtest-dev libgmock-dev    # tests
  bpftool                      # the tests' independent view of BTF
  dpkg-dev xz-utils zstd gzip  # tests build .deb packages and compressed inputs
  libxml2-utils python3-jsonschema   # tests validate the gate's JUnit (xmllint) and SARIF
  chromium                     # tests render the gate's --html page headless (gate_html_browser_test)
  linux-libc-dev
)
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
