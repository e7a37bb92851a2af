// ReadBpfObject: the ELF layer first (object_elf), then each part of the
// object in the order libbpf meets them: byte order, license, BTF and
// .BTF.ext, functions and their calls, programs, maps, externs, CO-RE
// relocations, opt-in tags, read-only data.
#include "abi/object/bpf_object.h"

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "abi/object/btf_ext.h"
#include "abi/object/code_reader.h"
#include "abi/object/core_relocations.h"
#include "abi/object/externs.h"
#include "abi/object/maps.h"
#include "abi/object/object_elf.h"
#include "abi/object/opt_in_tags.h"
#include "abi/object/programs.h"
#include "abi/object/rodata.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/sha256.h"
#include "btfdiff/base/status_macros.h"

namespace kcontract {
namespace {

void ReadLicense(const ObjectElf& elf, BpfObject* object) {
  const ElfSection* license = elf.Find("license");
  if (license == nullptr) return;
  // A section without bytes (SHT_NOBITS, SHT_NULL) has a null view: a
  // string_view of it is empty, where memchr on it would be undefined.
  std::string_view text(reinterpret_cast<const char*>(license->data.data()),
                        license->data.size());
  object->license = std::string(text.substr(0, text.find('\0')));
}

// object->btf and the parsed .BTF.ext (nullopt without one). Without .BTF,
// a warning says what cannot be checked, and a second one when libbpf
// refuses such an object outright.
absl::StatusOr<std::optional<BtfExt>> ReadBtf(const ObjectElf& elf, BpfObject* object) {
  for (std::string_view described :
       {".maps", ".struct_ops", ".struct_ops.link", "?.struct_ops", "?.struct_ops.link"}) {
    if (elf.Find(described) != nullptr) object->btf_described_sections.emplace_back(described);
  }
  const ElfSection* btf_section = elf.Find(".BTF");
  if (btf_section == nullptr) {
    object->warnings.push_back(
        "no BTF: kfunc prototypes, struct_ops, CO-RE and map types cannot be checked");
    for (std::string_view needs_btf : {".maps", ".struct_ops", ".ksyms", ".kconfig"}) {
      if (elf.Find(needs_btf) != nullptr) {
        object->warnings.push_back(
            absl::StrFormat("no BTF but a %s section: libbpf refuses to open the object "
                            "(\"BTF is required, but is missing or corrupted\")",
                            needs_btf));
        break;
      }
    }
    return std::nullopt;
  }
  KC_ASSIGN_OR_RETURN(object->btf, Btf::Parse(btf_section->data,
                                              absl::StrFormat("%s: section .BTF", object->path)));
  const ElfSection* ext_section = elf.Find(".BTF.ext");
  if (ext_section == nullptr) return std::nullopt;
  KC_ASSIGN_OR_RETURN(BtfExt btf_ext, ParseBtfExt(ext_section->data, *object->btf, object->path));
  object->has_btf_ext = true;
  return btf_ext;
}

void ReadOptIns(BpfObject* object) {
  if (!object->btf) return;
  OptInTags tags = ReadOptInTags(*object->btf);
  object->opt_ins = std::move(tags.tokens);
  for (std::string& warning : tags.warnings) object->warnings.push_back(std::move(warning));
}

// A big-endian object, which libbpf refuses before it reads any section:
// what libelf translates (the programs' symbols) and the license string are
// read, for `object show`; its BTF and instructions, in the other byte
// order, are not.
absl::Status ReadBigEndian(const ObjectElf& elf, BpfObject* object) {
  object->big_endian = true;
  object->warnings.push_back(
      "big-endian BPF object (clang -target bpfeb): libbpf refuses to open it on a "
      "little-endian host (\"elf: endianness mismatch\"); its BTF and instructions are not "
      "read");
  ReadLicense(elf, object);
  KC_ASSIGN_OR_RETURN(FunctionTable functions, FunctionTable::Read(elf, object->path));
  CollectPrograms(elf, functions, object);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<BpfObject>> ReadBpfObject(ByteView bytes, std::string_view what) {
  KC_ASSIGN_OR_RETURN(ObjectElf elf, ObjectElf::Read(bytes, what));
  auto object = std::make_unique<BpfObject>();
  object->path = std::string(what);
  // libbpf checks the byte order first, before it looks for symbols.
  if (elf.big_endian()) {
    KC_RETURN_IF_ERROR(ReadBigEndian(elf, object.get()));
    return object;
  }
  if (!elf.has_symbol_table()) {
    return MalformedObject(what, "no symbol table (libbpf cannot open a stripped object)");
  }
  ReadLicense(elf, object.get());
  KC_ASSIGN_OR_RETURN(std::optional<BtfExt> btf_ext, ReadBtf(elf, object.get()));
  KC_ASSIGN_OR_RETURN(FunctionTable functions, FunctionTable::Read(elf, what));
  CollectPrograms(elf, functions, object.get());
  KC_RETURN_IF_ERROR(CollectMaps(elf, functions, object.get()));
  CollectExterns(elf, object.get());
  if (btf_ext) {
    KC_RETURN_IF_ERROR(CollectCoreRelocations(elf, functions, *btf_ext, object.get()));
  }
  ReadOptIns(object.get());
  CollectCode(elf, functions, btf_ext, object.get());
  CollectRodata(elf, functions, object.get());
  object->sha256 = Sha256Hex(bytes);
  return object;
}

std::unique_ptr<BpfObject> CopyBpfObjectWithout(const BpfObject& object,
                                                const std::set<std::string>& maps,
                                                const std::set<std::string>& programs) {
  auto copy = std::make_unique<BpfObject>();
  if (object.btf != nullptr) {
    absl::StatusOr<std::unique_ptr<Btf>> btf = Btf::Parse(object.btf->RawData(), object.path);
    if (!btf.ok()) return nullptr;
    copy->btf = std::move(*btf);
  }
  copy->path = object.path;
  copy->license = object.license;
  copy->big_endian = object.big_endian;
  copy->has_btf_ext = object.has_btf_ext;
  copy->legacy_maps = object.legacy_maps;
  copy->btf_described_sections = object.btf_described_sections;
  copy->extern_symbols = object.extern_symbols;
  for (const BpfProgram& program : object.programs) {
    if (!programs.count(program.name)) copy->programs.push_back(program);
  }
  for (const BpfMap& map : object.maps) {
    if (!maps.count(map.name)) copy->maps.push_back(map);
  }
  copy->externs = object.externs;
  for (const CoreRelocation& relo : object.core_relocations) {
    if (!programs.count(relo.program)) copy->core_relocations.push_back(relo);
  }
  copy->opt_ins = object.opt_ins;
  copy->warnings = object.warnings;
  copy->code = object.code;
  copy->sha256 = object.sha256;
  copy->rodata = object.rodata;
  copy->loader = object.loader;
  return copy;
}

}  // namespace kcontract
