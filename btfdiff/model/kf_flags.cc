#include "btfdiff/model/kf_flags.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace kcontract {
namespace {

// History of the KF_* bits (include/linux/btf.h), 6.0 through 6.18.
//
// Bits were never renumbered: a flag keeps its bit for as long as it exists,
// and a removed flag leaves its bit unused. What differs between releases is
// which bits are defined:
//
//   bit  flag              first release  last release
//    0   KF_ACQUIRE        6.0            -
//    1   KF_RELEASE        6.0            -
//    2   KF_RET_NULL       6.0            -
//    3   KF_KPTR_GET       6.0            6.3 (bit unused from 6.4)
//    4   KF_TRUSTED_ARGS   6.0            - (removed after 6.18, see below)
//    5   KF_SLEEPABLE      6.1            -
//    6   KF_DESTRUCTIVE    6.1            -
//    7   KF_RCU            6.2            -
//    8   KF_ITER_NEW       6.4            -
//    9   KF_ITER_NEXT      6.4            -
//   10   KF_ITER_DESTROY   6.4            -
//   11   KF_RCU_PROTECTED  6.7            -
//   12   KF_FASTCALL       6.13           -
//   13   KF_ARENA_RET      6.15           -
//   14   KF_ARENA_ARG1     6.15           -
//   15   KF_ARENA_ARG2     6.15           -
//
// The release of each change comes from the bpf-next posting dates of its
// patches (bpf-next work lands in the release after the merge window it
// missed) and, where marked [seen], from real kernels:
//   [seen 6.1]  Debian 6.1.176 .BTF_ids set8 words (OR of all: 0x7f);
//   [seen 6.12] Debian 6.12.111 .BTF_ids set8 words (OR of all: 0xff7);
//   [seen 6.18] /sys/kernel/btf/vmlinux of a 6.18.44 kernel, where pahole
//       turned set8 flags into BTF tags: decl tag "bpf_fastcall" on
//       bpf_cast_to_kern_ctx and bpf_rdonly_cast (bit 12), type tag
//       address_space(1) on the return of bpf_arena_alloc_pages (bit 13)
//       and on the 2nd argument of bpf_arena_{alloc,free,reserve}_pages
//       (bit 15). Raw BTF has no flag words; only those bits are attested.
//
// 6.0, bits 0-4 and the set8 format itself, one series by Kumar Kartikeya
//   Dwivedi: "bpf: Introduce BTF ID flags and 8-byte BTF set" and "bpf: Add
//   support for forcing kfunc args to be trusted" (v7, 21 Jul 2022, before
//   the 6.0 merge window). Inferred from the date, not seen; kernels before
//   6.0 have no set8 records at all.
// 6.1, bit 5: "btf: Add a new kfunc flag which allows to mark a function to
//   be sleepable" (Benjamin Tissoires; still in review 10 Aug 2022, after
//   6.0 opened). [seen 6.1: 37 on bpf_lookup_user_key]
// 6.1, bit 6: "bpf: add destructive kfunc flag" (Artem Savkov, v5 10 Aug
//   2022). [seen 6.1: 64 on crash_kexec]
// 6.2, bit 7: "bpf: Handle MEM_RCU type properly" (Yonghong Song, 28 Nov
//   2022); a 6.2.y stable backport shows KF_RCU in its context. [seen 6.12:
//   133 on bpf_task_acquire]
// 6.4, bit 3 gone: "bpf: Remove KF_KPTR_GET kfunc flag" (David Vernet,
//   7b4ddf3920d2, v2 16 Apr 2023). It only deleted the define; an earlier
//   revision that shifted bits 4-10 down by one was not merged. [seen 6.1:
//   13 = ACQUIRE|RET_NULL|KPTR_GET; seen 6.12: no word uses bit 3 and
//   KF_TRUSTED_ARGS is still 0x10]
// 6.4, bits 8-10: "bpf: add iterator kfuncs registration and validation
//   logic" (Andrii Nakryiko, v2 7 Mar 2023, after 6.3-rc1). [seen 6.12:
//   bpf_iter_*_new/next/destroy are 0x100/0x204/0x400 plus extras]
// 6.7, bit 11: "bpf: teach the verifier to enforce css_iter and task_iter
//   in RCU CS" (Chuyi Zhou, v3 25 Sep 2023, after 6.6-rc1). [seen 6.12:
//   0x910 on bpf_iter_task_new]
// 6.13, bit 12: "bpf: use KF_FASTCALL to mark kfuncs supporting fastcall
//   contract" (Eduard Zingerman, 16 Sep 2024, in the 6.12 merge window).
//   [seen: absent in 6.12, where bpf_cast_to_kern_ctx is 0; seen 6.18]
// 6.15, bits 13-15: "bpf: define KF_ARENA_* flags for bpf_arena kfuncs"
//   (Ihor Solodrai, 5 Feb 2025, after 6.14-rc1). [seen: absent in 6.12,
//   where the arena kfuncs are 0x30; bits 13 and 15 seen 6.18, bit 14 not]
//
// After 6.18 (not tabulated; later releases decode with the 6.18 table):
// KF_TRUSTED_ARGS was dropped by "bpf: Remove redundant KF_TRUSTED_ARGS flag
// from all kfuncs" (Puranjay Mohan, Dec 2025) and KF_IMPLICIT_ARGS took bit
// 16 (Ihor Solodrai, Jan 2026), added straight after KF_ARENA_ARG2. Other
// flags proposed on the list (KF_NOCSR, which became KF_FASTCALL; KF_OBTAIN,
// KF_ITER_GETTER/SETTER, KF_DYNPTR_*, KF_RET_RCU, KF_MAGIC_ARGS,
// KF_DEPRECATED, KF_RELEASE_NON_OWN, KF_OWNED_ARGS) are absent from every
// later btf.h context seen, so were not merged under those bits.
//
// BTF_SET8_KFUNCS (include/linux/btf_ids.h) is bit 0 of the set8 header's
// flags word, set by BTF_KFUNCS_START: "bpf: btf: Add BTF_KFUNCS_START/END
// macro pair" (Daniel Xu, v3 6 Jan 2024, in the 6.8 merge window), so 6.9;
// 6.8 vs 6.9 is inferred, not seen. [seen: kfunc set8 headers are 0 in 6.1
// and 1 in 6.12; a non-kfunc set8 in 6.12 (the fmodret set holding
// update_socket_protocol) keeps 0]

struct Release {
  int major;
  int minor;
  friend constexpr auto operator<=>(const Release&, const Release&) = default;
};

constexpr Release kOldestTable{6, 0};
constexpr Release kNewestTable{6, 18};
constexpr Release kNever{0, 0};  // `removed` of a flag still present.
constexpr Release kSet8KfuncsSince{6, 9};

struct KfFlagDef {
  int bit;
  std::string_view name;
  Release added;    // First release defining the bit with this name.
  Release removed;  // First release without it, or kNever.
};

constexpr std::array<KfFlagDef, 16> kKfFlags = {{
    {0, "KF_ACQUIRE", {6, 0}, kNever},
    {1, "KF_RELEASE", {6, 0}, kNever},
    {2, "KF_RET_NULL", {6, 0}, kNever},
    {3, "KF_KPTR_GET", {6, 0}, {6, 4}},
    {4, "KF_TRUSTED_ARGS", {6, 0}, kNever},
    {5, "KF_SLEEPABLE", {6, 1}, kNever},
    {6, "KF_DESTRUCTIVE", {6, 1}, kNever},
    {7, "KF_RCU", {6, 2}, kNever},
    {8, "KF_ITER_NEW", {6, 4}, kNever},
    {9, "KF_ITER_NEXT", {6, 4}, kNever},
    {10, "KF_ITER_DESTROY", {6, 4}, kNever},
    {11, "KF_RCU_PROTECTED", {6, 7}, kNever},
    {12, "KF_FASTCALL", {6, 13}, kNever},
    {13, "KF_ARENA_RET", {6, 15}, kNever},
    {14, "KF_ARENA_ARG1", {6, 15}, kNever},
    {15, "KF_ARENA_ARG2", {6, 15}, kNever},
}};

// The release whose table decodes `version`: unknown and too-new versions use
// the newest table, too-old ones the oldest.
Release TableRelease(KernelVersion version) {
  if (!version.known()) return kNewestTable;
  const Release release{version.major, version.minor};
  if (release < kOldestTable) return kOldestTable;
  if (release > kNewestTable) return kNewestTable;
  return release;
}

bool DefinedIn(const KfFlagDef& def, Release release) {
  return def.added <= release &&
         (def.removed == kNever || release < def.removed);
}

// The flag named by `bit` in `release`, if any.
std::optional<std::string_view> FlagName(int bit, Release release) {
  for (const KfFlagDef& def : kKfFlags) {
    if (def.bit == bit && DefinedIn(def, release)) return def.name;
  }
  return std::nullopt;
}

}  // namespace

DecodedKfFlags DecodeKfFlags(uint32_t flags, KernelVersion version) {
  const Release release = TableRelease(version);
  DecodedKfFlags decoded;
  for (int bit = 0; bit < 32; ++bit) {
    const uint32_t mask = uint32_t{1} << bit;
    if ((flags & mask) == 0) continue;
    if (const std::optional<std::string_view> name = FlagName(bit, release)) {
      decoded.names.emplace_back(*name);
    } else {
      decoded.unknown_bits |= mask;
    }
  }
  return decoded;
}

uint32_t KnownKfFlagMask(KernelVersion version) {
  const Release release = TableRelease(version);
  uint32_t mask = 0;
  for (const KfFlagDef& def : kKfFlags) {
    if (DefinedIn(def, release)) mask |= uint32_t{1} << def.bit;
  }
  return mask;
}

bool Set8HasKfuncsFlag(KernelVersion version) {
  // Versions before 6.0 clamp to the oldest table, which predates the flag.
  return TableRelease(version) >= kSet8KfuncsSince;
}

}  // namespace kcontract
