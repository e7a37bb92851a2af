// Which libbpf release loads the object: its version, and the one table of
// the rule differences between the releases kcontract models (1.1 to 1.7).
// The checks in abi/libbpf ask Has(version, feature) instead of assuming
// one release; a new release is one row in LibbpfRules() (and, where it
// changes an outcome, the rule that asks for it).
#ifndef KCONTRACT_ABI_LIBBPF_LIBBPF_VERSION_H_
#define KCONTRACT_ABI_LIBBPF_LIBBPF_VERSION_H_

#include <compare>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace kcontract {

struct LibbpfVersion {
  int major = 1;
  int minor = 1;
  int patch = -1;  // -1: not known (a version given as "1.3")

  // Rules change with minor releases only: the patch release is shown,
  // never compared.
  friend constexpr std::strong_ordering operator<=>(const LibbpfVersion& a,
                                                    const LibbpfVersion& b) {
    if (auto c = a.major <=> b.major; c != 0) return c;
    return a.minor <=> b.minor;
  }
  friend constexpr bool operator==(const LibbpfVersion& a, const LibbpfVersion& b) {
    return a.major == b.major && a.minor == b.minor;
  }
  // "1.3", or "1.3.0" when the patch release is known.
  std::string ToString() const;
};

inline constexpr LibbpfVersion kOldestModelledLibbpf{1, 1};
inline constexpr LibbpfVersion kNewestModelledLibbpf{1, 7};

// "1.3", "1.3.0" (and "v1.3"); an error, saying what is accepted, for
// anything else and for releases outside 1.1 to 1.7.
absl::StatusOr<LibbpfVersion> ParseLibbpfVersion(std::string_view text);

// The libbpf this process runs with (libbpf_major_version(),
// libbpf_minor_version(); the patch release from the shared library's file
// name when it is one, "libbpf.so.1.1.2").
LibbpfVersion RunningLibbpfVersion();

// The rule differences. Each is the behaviour the release `since` and later
// ones have and earlier ones lack.
enum class LibbpfFeature {
  kStructOpsLinkSection,
  kSleepableStructOpsSection,
  kKfuncAddressInModule,
  kWeakKfuncCallPoisoned,
  kKfuncFlavour,
  kWeakKfuncIncompatibleUnresolved,
  kTcxSections,
  kNetkitSections,
  kUprobeMultiSections,
  kNetfilterSection,
  kUnixSockAddrSections,
  kStructOpsInModule,
  kStructOpsZeroMemberSkipped,
  kStructOpsTypeFlavour,
  kStructOpsAutocreate,
  kOptionalStructOpsSection,
  kStructOpsProgramShared,
  kSkSkbVerdictSection,
  kUnreferencedStructOpsRefused,
  kNonNativeEndianOpen,
  kKprobeSessionSection,
  kUprobeSessionSections,
  kObjectPrepare,
  kCount,  // not a feature: LibbpfRules() has one row per feature, in this order
};

struct LibbpfRule {
  LibbpfFeature feature;
  LibbpfVersion since;    // the first release with it
  std::string_view name;  // stable identifier: "kfunc-flavour"
  std::string_view what;  // what that release does, in one sentence
  // Where it comes from: the upstream commit subject (author, date posted).
  std::string_view upstream;
};

// Every row, oldest release first.
std::span<const LibbpfRule> LibbpfRules();
const LibbpfRule& RuleOf(LibbpfFeature feature);
inline bool Has(LibbpfVersion version, LibbpfFeature feature) {
  return version >= RuleOf(feature).since;
}

// Which release the check judges by, and who chose it: an option
// (--libbpf), a load profile entry (`libbpf = "1.5"`), or the libbpf
// kcontract runs with. An option wins over a profile.
struct LibbpfChoice {
  enum class Basis { kLinked, kOption, kProfile };
  LibbpfVersion version = kOldestModelledLibbpf;
  Basis basis = Basis::kLinked;
  std::string profile;  // kProfile: where the entry is ("tools.toml:3:1")

  // The release whose rules apply: the version, or the nearest modelled
  // release when the linked libbpf is outside 1.1 to 1.7.
  LibbpfVersion rules() const;
  // "1.1 (linked)", "1.5 (--libbpf)", "1.5 (load profile tools.toml:3:1)";
  // a linked release kcontract does not model says whose rules it uses.
  std::string Describe() const;
};

LibbpfChoice LinkedLibbpf();
LibbpfChoice OptionLibbpf(LibbpfVersion version);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_LIBBPF_LIBBPF_VERSION_H_
