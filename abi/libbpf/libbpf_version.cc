#include "abi/libbpf/libbpf_version.h"

#include <bpf/libbpf.h>
#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>

#include <charconv>
#include <iterator>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace kcontract {
namespace {

using F = LibbpfFeature;

// How each row was established. The releases 1.3.0, 1.5.0 and 1.7.0 were
// read in their source (the tarballs in ../shared/libbpf), 1.1.2 as Debian
// 12 ships it (its libbpf.so: messages, section names, behaviour measured by
// tests/oracle). A change first seen in 1.3.0 is 1.2 or 1.3, first seen in
// 1.5.0 is 1.4 or 1.5, first seen in 1.7.0 is 1.6 or 1.7; the release is then
// told by when the patch was posted on the bpf list against the cycle
// bumps ("libbpf: start v1.N development cycle": v1.2 2022-12-21, v1.3
// 2023-05-23, v1.4 2023-11-23, v1.5 2024-04-06, v1.6 2024-10-29), or by an
// API of the same pull request that libbpf.map versions.
constexpr LibbpfRule kRules[] = {
    // 1.1.2's libbpf.so has no ".struct_ops.link" string; 1.3.0 reads the
    // section (STRUCT_OPS_LINK_SEC). Posted 2023-03-20: the v1.2 cycle.
    // A kernel before 6.4 refuses the BPF_F_LINK flag on the map.
    {F::kStructOpsLinkSection, {1, 2}, "struct-ops-link-section",
     "reads struct_ops maps in section .struct_ops.link (created with BPF_F_LINK, which "
     "kernels >= 6.4 take); earlier releases skip the section, so its programs are bound to "
     "no map",
     "libbpf: Use .struct_ops.link section to indicate a struct_ops with a link. "
     "(Kui-Feng Lee, 2023-03-20)"},
    // Linked 1.1.2: libbpf_prog_type_by_name("struct_ops.s/x") fails; 1.3.0
    // has SEC_DEF("struct_ops.s+"). Posted 2023-01-24: the v1.2 cycle.
    {F::kSleepableStructOpsSection, {1, 2}, "struct-ops-sleepable-section",
     "knows SEC(\"struct_ops.s/...\") (a sleepable struct_ops program); earlier releases find "
     "no program type for it",
     "libbpf: Support sleepable struct_ops.s section (David Vernet, 2023-01-24)"},
    // 1.3.0 sets the module's BTF fd for a func ksym's ld_imm64
    // (kernel_btf_obj_fd); the patch's cover letter: "Fix relocation of kfunc
    // in ld_imm64 insn when kfunc is in kernel module". Posted 2023-03-17
    // (the v1.2 cycle), with bpf_ksym_exists() in bpf_helpers.h.
    {F::kKfuncAddressInModule, {1, 2}, "kfunc-address-in-module",
     "relocates the address of a kfunc (ld_imm64, as bpf_ksym_exists() takes it) against the "
     "BTF of the module that defines it; earlier releases against vmlinux's",
     "libbpf: Fix relocation of kfunc ksym in ld_imm64 insn. (Alexei Starovoitov, "
     "2023-03-17), with \"libbpf: Introduce bpf_ksym_exists() macro.\""},
    // 1.1.2's libbpf.so has no "poisoning insn #%d that calls kfunc"; 1.3.0
    // has poison_kfunc_call(). Posted 2023-04-17: the v1.2 cycle.
    {F::kWeakKfuncCallPoisoned, {1, 2}, "weak-kfunc-call-poisoned",
     "turns each call of an unresolved weak kfunc into an invalid helper call the verifier "
     "rejects only where it reaches it; earlier releases leave a kfunc call with BTF id 0, "
     "which kernels before 6.4 reject wherever it is",
     "libbpf: improve handling of unresolved kfuncs (Andrii Nakryiko, 2023-04-17)"},
    // 1.3.0 looks kfuncs up by ext->essent_name; the patch replaced the
    // lookup by ext->name. Posted 2023-08-17: the v1.3 cycle.
    {F::kKfuncFlavour, {1, 3}, "kfunc-flavour",
     "looks a kfunc extern up by its essential name (bpf_foo___v2 is the kernel's bpf_foo); "
     "earlier releases by its full name",
     "libbpf: Support triple-underscore flavors for kfunc relocation (Dave Marchevsky, "
     "2023-08-17)"},
    // The same commit: "if (ext->is_weak) return 0;" on an incompatible
    // prototype, in 1.3.0.
    {F::kWeakKfuncIncompatibleUnresolved, {1, 3}, "weak-kfunc-incompatible-unresolved",
     "leaves a weak kfunc whose prototype is incompatible with the kernel's unresolved; "
     "earlier releases refuse the object",
     "libbpf: Support triple-underscore flavors for kfunc relocation (Dave Marchevsky, "
     "2023-08-17)"},
    // Program sections 1.1.2 gives no type (libbpf_prog_type_by_name of the
    // linked libbpf) and 1.3.0 does; their attach APIs, of the same series,
    // are LIBBPF_1.3.0 in libbpf.map (bpf_program__attach_tcx, _netkit,
    // _uprobe_multi), so the sections are 1.3's. Posted 2023-07 (tcx,
    // uprobe.multi) and 2023-10 (netkit).
    {F::kTcxSections, {1, 3}, "tcx-sections",
     "types SEC(\"tcx/ingress\"), \"tcx/egress\" and their aliases \"tc/ingress\", "
     "\"tc/egress\" (sched_cls programs for tcx links)",
     "libbpf: Add opts-based attach/detach/query API for tcx; libbpf: Add link-based API "
     "for tcx (Daniel Borkmann, 2023-07)"},
    {F::kNetkitSections, {1, 3}, "netkit-sections",
     "types SEC(\"netkit/primary\") and SEC(\"netkit/peer\")",
     "libbpf: Add link-based API for netkit (Daniel Borkmann, 2023-10)"},
    {F::kUprobeMultiSections, {1, 3}, "uprobe-multi-sections",
     "types SEC(\"uprobe.multi/...\"), \"uretprobe.multi\" and their sleepable \".s\" forms",
     "libbpf: Add support for u[ret]probe.multi[.s] program sections (Jiri Olsa, 2023-07)"},
    // Absent from 1.1.2's libbpf.so, in 1.3.0's SEC_DEF table, and
    // bpf_program__attach_netfilter is LIBBPF_1.3.0 in libbpf.map; the
    // section may have come a release earlier, with the kernel's netfilter
    // programs (6.4): not measured, 1.3 is the first release known to have it.
    {F::kNetfilterSection, {1, 3}, "netfilter-section",
     "types SEC(\"netfilter\")",
     "libbpf: netfilter programs and their link attach helper (Florian Westphal, 2023)"},
    // Absent from 1.1.2's libbpf.so, in 1.3.0's SEC_DEF table; the kernel
    // hooks (6.7) were posted 2023-10, the v1.3 cycle.
    {F::kUnixSockAddrSections, {1, 3}, "unix-sockaddr-sections",
     "types SEC(\"cgroup/connect_unix\"), \"cgroup/sendmsg_unix\", \"cgroup/recvmsg_unix\", "
     "\"cgroup/getpeername_unix\" and \"cgroup/getsockname_unix\"",
     "libbpf: cgroup unix socket address hooks (Daan De Meyer, 2023-10)"},
    // 1.3.0 looks struct_ops types up in vmlinux only (btf__find_by_name_kind
    // on btf_vmlinux); 1.5.0 in the modules too (find_ksym_btf_id). Commit
    // 9e926acda0c2, of the series that lets modules register struct_ops
    // types ("bpf, net: switch to dynamic registration", kernel 6.9), merged
    // after 1.3.0 was cut and before the 6.9 pulls: the v1.4 cycle.
    {F::kStructOpsInModule, {1, 4}, "struct-ops-in-module",
     "finds a struct_ops type a kernel module registers (kernels >= 6.9); earlier releases "
     "look in vmlinux only",
     "libbpf: Find correct module BTFs for struct_ops maps and progs. (Kui-Feng Lee, "
     "2023-10 to 2024-01)"},
    // 1.3.0 fails on any member the kernel lacks; 1.5.0 skips it when zero
    // ("skipping it as it's set to zero"). In the bpf-next pull of
    // 2024-03-25 with bpf_raw_tracepoint_open_opts(), which libbpf.map
    // versions LIBBPF_1.4.0.
    {F::kStructOpsZeroMemberSkipped, {1, 4}, "struct-ops-zero-member-skipped",
     "skips a member of a struct_ops map that the kernel's type lacks when the object leaves "
     "it zero; earlier releases fail on any member the kernel lacks",
     "libbpf: Skip zeroed or null fields if not found in the kernel type. (Kui-Feng Lee, "
     "2024-03)"},
    // 1.5.0's find_struct_ops_kern_types() takes the essential name; 1.3.0
    // the exact one. Eduard Zingerman's series of the bpf-next pull of
    // 2024-03-11 (6.9, whose libbpf is 1.4: bpf_token_create and the arena
    // of the same cycle are LIBBPF_1.4.0).
    {F::kStructOpsTypeFlavour, {1, 4}, "struct-ops-type-flavour",
     "looks a struct_ops map's type up by its essential name (tcp_congestion_ops___v2 is the "
     "kernel's tcp_congestion_ops); earlier releases by its exact name",
     "libbpf: Allow version suffixes (___smth) for struct_ops types (Eduard Zingerman, "
     "2024-03)"},
    // 1.5.0 skips maps with autocreate off in bpf_object__init_kern_struct_ops_maps()
    // and turns off programs only such maps use; 1.3.0 prepares every
    // struct_ops map. The same series.
    {F::kStructOpsAutocreate, {1, 4}, "struct-ops-autocreate",
     "leaves a struct_ops map with autocreate off out of its struct_ops preparation, and "
     "turns off the programs only such maps use; earlier releases prepare every struct_ops "
     "map, created or not",
     "libbpf: Honor autocreate flag for struct_ops maps; libbpf: Sync progs autoload with "
     "maps autocreate for struct_ops maps (Eduard Zingerman, 2024-03)"},
    // 1.5.0 takes "?.struct_ops" and "?.struct_ops.link" as SEC_ST_OPS with
    // autocreate off; 1.3.0 knows neither. The same series.
    {F::kOptionalStructOpsSection, {1, 4}, "struct-ops-optional-section",
     "reads SEC(\"?.struct_ops\") and SEC(\"?.struct_ops.link\") maps, created only when the "
     "loader turns autocreate on; earlier releases skip those sections",
     "libbpf: Struct_ops in SEC(\"?.struct_ops\") / SEC(\"?.struct_ops.link\") (Eduard "
     "Zingerman, 2024-03)"},
    // 1.3.0's bpf_object__collect_st_ops_relos() refuses, at open, a program
    // two maps use through different local types or members; 1.5.0 compares
    // the kernel's type and member when it prepares a created map. The same
    // series.
    {F::kStructOpsProgramShared, {1, 4}, "struct-ops-program-shared",
     "lets one struct_ops program serve several maps whose types are the same kernel type "
     "(flavours of it), checked against the kernel's type and member; earlier releases "
     "refuse, at open, a program two maps use through different local types or members",
     "libbpf: Tie struct_ops programs to kernel BTF ids, not to local ids (Eduard Zingerman, "
     "2024-03)"},
    // Absent from 1.3.0, in 1.5.0; in the bpf-next pull of 2024-03-25 with
    // bpf_raw_tracepoint_open_opts(), which libbpf.map versions LIBBPF_1.4.0.
    {F::kSkSkbVerdictSection, {1, 4}, "sk-skb-verdict-section",
     "types SEC(\"sk_skb/verdict\") (an sk_skb program with the BPF_SK_SKB_VERDICT attach "
     "type)",
     "libbpf: Add new sec_def \"sk_skb/verdict\" (Yonghong Song, 2024-03)"},
    // 1.5.0 refuses a struct_ops program with no attach BTF id before the
    // kernel sees it; 1.3.0 hands it to the kernel (-ENOTSUPP). Posted
    // 2024-05-06: the v1.5 cycle. The verdict is the same, the stage and
    // words differ.
    {F::kUnreferencedStructOpsRefused, {1, 5}, "struct-ops-unreferenced-refused",
     "refuses a struct_ops program no struct_ops map uses before the kernel sees it (\"isn't "
     "referenced anywhere\"); earlier releases load it and the kernel refuses it (-524)",
     "libbpf: improve early detection of doomed-to-fail BPF program loading (Andrii "
     "Nakryiko, 2024-05-06)"},
    // 1.5.0 opens an object of the other byte order and refuses to load it;
    // 1.3.0 refuses to open it. Posted 2024-08/09: the v1.5 cycle. No
    // release loads one.
    {F::kNonNativeEndianOpen, {1, 5}, "non-native-endian-open",
     "opens an object of the other byte order (to link or inspect it) and refuses to load "
     "it; earlier releases refuse to open it",
     "libbpf: Support opening bpf objects of either endianness (Tony Ambardar, 2024-08)"},
    // In 1.5.0's SEC_DEF table, not in 1.3.0's; posted 2024-04-30, after
    // 1.4.0 (2024-02): the v1.5 cycle.
    {F::kKprobeSessionSection, {1, 5}, "kprobe-session-section",
     "types SEC(\"kprobe.session/...\")",
     "libbpf: kprobe session attach (Jiri Olsa, 2024-04)"},
    // In 1.7.0's SEC_DEF table, not in 1.5.0's; posted 2024-11, the v1.6
    // cycle.
    {F::kUprobeSessionSections, {1, 6}, "uprobe-session-sections",
     "types SEC(\"uprobe.session/...\") and SEC(\"uprobe.session.s/...\")",
     "libbpf: uprobe session attach (Jiri Olsa, 2024-11)"},
    // libbpf.map of 1.7.0 versions bpf_object__prepare LIBBPF_1.6.0.
    {F::kObjectPrepare, {1, 6}, "object-prepare",
     "has bpf_object__prepare(): everything bpf_object__load() does before creating maps and "
     "loading programs, so a loader sees the relocated object first",
     "libbpf: Split bpf object load into prepare/load; Introduce bpf_object__prepare "
     "(Mykyta Yatsenko, 2025-03)"},
};

// One row per feature, in the enum's order, so RuleOf() is an index.
constexpr bool RowsInFeatureOrder() {
  for (size_t i = 0; i < std::size(kRules); ++i) {
    if (static_cast<size_t>(kRules[i].feature) != i) return false;
  }
  return std::size(kRules) == static_cast<size_t>(F::kCount);
}
static_assert(RowsInFeatureOrder(), "kRules: one row per LibbpfFeature, in its order");

bool ParseInt(std::string_view text, int* out) {
  if (text.empty() || text.size() > 4) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

// "libbpf.so.1.1.2" -> 2, when the release matches.
int PatchFromLibraryName(const LibbpfVersion& version) {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&libbpf_major_version), &info) == 0 ||
      info.dli_fname == nullptr) {
    return -1;
  }
  char resolved[PATH_MAX];
  if (realpath(info.dli_fname, resolved) == nullptr) return -1;
  std::string_view name(resolved);
  name = name.substr(name.rfind('/') + 1);
  std::string prefix = absl::StrFormat("libbpf.so.%d.%d.", version.major, version.minor);
  if (!name.starts_with(prefix)) return -1;
  int patch = -1;
  return ParseInt(name.substr(prefix.size()), &patch) ? patch : -1;
}

}  // namespace

std::string LibbpfVersion::ToString() const {
  if (patch < 0) return absl::StrFormat("%d.%d", major, minor);
  return absl::StrFormat("%d.%d.%d", major, minor, patch);
}

absl::StatusOr<LibbpfVersion> ParseLibbpfVersion(std::string_view text) {
  std::string_view digits = text;
  if (digits.starts_with('v')) digits.remove_prefix(1);
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t dot = digits.find('.', start);
    parts.push_back(digits.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  LibbpfVersion version;
  bool ok = (parts.size() == 2 || parts.size() == 3) && ParseInt(parts[0], &version.major) &&
            ParseInt(parts[1], &version.minor) &&
            (parts.size() == 2 || ParseInt(parts[2], &version.patch));
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "libbpf version \"%s\": expected MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. 1.5",
        text));
  }
  if (version < kOldestModelledLibbpf || version > kNewestModelledLibbpf) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "libbpf version \"%s\": kcontract models the rules of libbpf %s to %s", text,
        kOldestModelledLibbpf.ToString(), kNewestModelledLibbpf.ToString()));
  }
  return version;
}

LibbpfVersion RunningLibbpfVersion() {
  LibbpfVersion version{static_cast<int>(libbpf_major_version()),
                        static_cast<int>(libbpf_minor_version())};
  version.patch = PatchFromLibraryName(version);
  return version;
}

std::span<const LibbpfRule> LibbpfRules() { return kRules; }

const LibbpfRule& RuleOf(LibbpfFeature feature) {
  return kRules[static_cast<size_t>(feature)];
}

LibbpfVersion LibbpfChoice::rules() const {
  if (version < kOldestModelledLibbpf) return kOldestModelledLibbpf;
  if (version > kNewestModelledLibbpf) return kNewestModelledLibbpf;
  return version;
}

std::string LibbpfChoice::Describe() const {
  switch (basis) {
    case Basis::kOption:
      return absl::StrFormat("%s (--libbpf)", version.ToString());
    case Basis::kProfile:
      return absl::StrFormat("%s (load profile %s)", version.ToString(), profile);
    case Basis::kLinked:
      break;
  }
  if (rules() != version) {
    return absl::StrFormat("%s (linked; judged by the rules of %s, the nearest release "
                           "kcontract models)",
                           version.ToString(), rules().ToString());
  }
  return absl::StrFormat("%s (linked)", version.ToString());
}

LibbpfChoice LinkedLibbpf() {
  static const LibbpfVersion running = RunningLibbpfVersion();
  return LibbpfChoice{running, LibbpfChoice::Basis::kLinked, ""};
}

LibbpfChoice OptionLibbpf(LibbpfVersion version) {
  return LibbpfChoice{version, LibbpfChoice::Basis::kOption, ""};
}

}  // namespace kcontract
