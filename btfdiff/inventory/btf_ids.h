// .BTF_ids kfunc sets. The kernel's BTF_SET8 records (u32 cnt, u32 flags,
// then cnt pairs of {u32 btf_id, u32 kf_flags}) are the only place that says
// which functions are kfuncs on kernels built before pahole 1.27, and the
// only place that holds their KF_* flags on any kernel.
#ifndef KCONTRACT_BTFDIFF_INVENTORY_BTF_IDS_H_
#define KCONTRACT_BTFDIFF_INVENTORY_BTF_IDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "btfdiff/base/bytes.h"
#include "btfdiff/base/elf_image.h"
#include "btfdiff/model/btf.h"
#include "btfdiff/model/kf_flags.h"

namespace kcontract {

struct Set8Entry {
  TypeId id;
  uint32_t flags = 0;
};

struct Set8Record {
  std::string name;     // the set's name from its symbol; empty when scanned
  uint64_t offset = 0;  // within .BTF_ids
  uint32_t set_flags = 0;
  std::vector<Set8Entry> entries;
};

// Reads the sets named by __BTF_ID__set8__<name> symbols (modules keep their
// symbol tables). Records that run past the section, or whose ids are not
// functions of `btf`, are reported in `warnings` and skipped.
std::vector<Set8Record> ReadSet8BySymbols(const ElfSection& section,
                                          const std::vector<ElfSymbol>& symbols,
                                          const Btf& btf,
                                          std::vector<std::string>* warnings);

// Finds set8 records in a section without symbols (distribution vmlinux
// images are stripped) by their shape: a count, a set flags word valid for
// the release, then pairs whose ids are all FUNC types of `btf` and whose
// flags are all KF_* bits of the release, in ascending id order as
// resolve_btfids sorts them.
std::vector<Set8Record> ScanSet8Records(ByteView section, const Btf& btf,
                                        KernelVersion version);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_INVENTORY_BTF_IDS_H_
