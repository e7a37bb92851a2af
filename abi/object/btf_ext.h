// .BTF.ext: the per-instruction side tables clang emits next to .BTF in a
// BPF object: function info, line info and CO-RE relocations, grouped by the
// ELF section whose instructions they describe. Parsed here directly (libbpf
// 1.1 exports no reader for it), with every read bounds-checked and the same
// structural rules libbpf applies when it opens an object.
#ifndef KCONTRACT_ABI_OBJECT_BTF_EXT_H_
#define KCONTRACT_ABI_OBJECT_BTF_EXT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "btfdiff/base/bytes.h"
#include "btfdiff/model/btf.h"

namespace kcontract {

inline constexpr uint16_t kBtfExtMagic = 0xeB9F;

struct BtfExtFuncInfo {
  uint32_t insn_off = 0;  // byte offset within the section
  TypeId type;            // a FUNC
};

struct BtfExtLineInfo {
  uint32_t insn_off = 0;
  std::string file;
  std::string line;  // the source line's text
  uint32_t line_number = 0;
  uint32_t column = 0;
};

struct BtfExtCoreRelo {
  uint32_t insn_off = 0;       // byte offset within the section
  TypeId type;                 // the root type
  std::string access;          // "0:1:2" (field), "0" (type, enum value)
  uint32_t kind = 0;           // enum bpf_core_relo_kind, not validated here
};

// The records of one ELF section.
template <typename Record>
struct BtfExtSection {
  std::string section;  // ELF section name ("tp_btf/sched_switch", ".text")
  std::vector<Record> records;
};

struct BtfExt {
  uint8_t version = 0;
  uint8_t flags = 0;
  uint32_t header_length = 0;
  bool has_core_relo_header = false;  // older headers end after line info
  std::vector<BtfExtSection<BtfExtFuncInfo>> func_info;
  std::vector<BtfExtSection<BtfExtLineInfo>> line_info;
  std::vector<BtfExtSection<BtfExtCoreRelo>> core_relos;

  size_t CoreReloCount() const;
};

// Parses a .BTF.ext section. Section names and strings are offsets into the
// string table of `btf` (the object's .BTF). `what` names the input in
// errors ("prog.o"); every error says which part is malformed.
absl::StatusOr<BtfExt> ParseBtfExt(ByteView data, const Btf& btf, std::string_view what);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_OBJECT_BTF_EXT_H_
