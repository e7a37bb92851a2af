#!/bin/sh
# The packaging gate for a Debian package of BPF policies, as its
# autopkgtest (debian/tests/control: "Tests: gate", "Depends: @, kcontract,
# linux-image-amd64") or CI job runs it:
#
#   examples/gate/gate.sh PACKAGE.deb|DIR... 
#
# Kernels: every linux-image package in $KERNEL_DEBS (the distribution's
# kernels), else every /boot/vmlinuz-* installed here. The kernel in use
# today is $BASELINE_KERNEL when set: only regressions against it block.
# Waivers: debian/bpf-gate-waivers.toml when present. Reports land in
# ${AUTOPKGTEST_ARTIFACTS:-.}: gate.txt, gate.json, JUnit, SARIF and HTML.
set -eu
[ $# -gt 0 ] || { echo "usage: $0 PACKAGE.deb|DIR..." >&2; exit 2; }
out=${AUTOPKGTEST_ARTIFACTS:-.}
kcontract=${KCONTRACT:-kcontract}
set --  "$@" --progress never --format json \
  --junit "$out/gate.junit.xml" --sarif "$out/gate.sarif" --html "$out/gate.html"
kernels=0
for k in ${KERNEL_DEBS:-} /boot/vmlinuz-*; do
  [ -e "$k" ] || continue
  case "$k" in /boot/*) [ -n "${KERNEL_DEBS:-}" ] && continue ;; esac
  set -- "$@" --kernel "$k"
  kernels=$((kernels + 1))
done
[ "$kernels" -gt 0 ] || { echo "no kernel found (set KERNEL_DEBS)" >&2; exit 2; }
[ -n "${BASELINE_KERNEL:-}" ] && set -- "$@" --baseline-kernel "$BASELINE_KERNEL"
[ -f debian/bpf-gate-waivers.toml ] && set -- "$@" --waivers debian/bpf-gate-waivers.toml
status=0
"$kcontract" gate "$@" > "$out/gate.json" || status=$?
"$kcontract" gate merge "$out/gate.json" > "$out/gate.txt" || true
cat "$out/gate.txt"
# Exit bits: 8 a cell (or, with a baseline, a regression) does not load
# and no waiver accepts it; 4 warnings (a waiver that matched nothing);
# 1 an input or a kernel could not be read. Fail on 8 and 1, report 4.
exit $((status & 9))
