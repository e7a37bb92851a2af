// KF_* kfunc flags. They live only in .BTF_ids set8 records, and which bits
// are defined changed between kernel releases (bit 3 was KF_KPTR_GET until
// 6.3 and is unused since; later flags took new bits), so decoding needs the
// release. The per-release table and its sources are in kf_flags.cc.
#ifndef KCONTRACT_BTFDIFF_MODEL_KF_FLAGS_H_
#define KCONTRACT_BTFDIFF_MODEL_KF_FLAGS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "btfdiff/model/kernel_version.h"

namespace kcontract {

struct DecodedKfFlags {
  std::vector<std::string> names;  // e.g. {"KF_ACQUIRE", "KF_RET_NULL"}, in bit order
  uint32_t unknown_bits = 0;       // bits with no name in that release
};

// Decodes a set8 pair's flags with the table of `version`'s release. An
// unknown version decodes with the newest table known.
DecodedKfFlags DecodeKfFlags(uint32_t flags, KernelVersion version);

// Bits that are valid KF_* flags in `version`'s release (a sanity check for
// set8 records found without symbols).
uint32_t KnownKfFlagMask(KernelVersion version);

// The btf_id_set8 header's `flags` word: BTF_SET8_KFUNCS (include/linux/
// btf_ids.h) marks a set8 that holds kfuncs (BTF_KFUNCS_START). It is bit 0.
inline constexpr uint32_t kBtfSet8Kfuncs = 1u << 0;

// Whether `version`'s release sets kBtfSet8Kfuncs on its kfunc set8s (6.9 and
// later; older releases leave the header flags 0). An unknown version is
// treated as the newest release known, like DecodeKfFlags.
bool Set8HasKfuncsFlag(KernelVersion version);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_MODEL_KF_FLAGS_H_
