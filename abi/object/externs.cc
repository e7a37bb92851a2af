#include "abi/object/externs.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "abi/object/datasec.h"
#include "btfdiff/model/c_decl.h"

namespace kcontract {

std::string_view ExternKindName(ExternKind kind) {
  switch (kind) {
    case ExternKind::kKfunc: return "kfunc";
    case ExternKind::kKsymVar: return "ksym";
    case ExternKind::kKconfig: return "kconfig";
  }
  return "unknown";
}

void CollectExterns(const ObjectElf& elf, BpfObject* object) {
  // libbpf's externs: undefined, global or weak, untyped symbols. Each must
  // have a BTF description; without BTF they are known by name only.
  for (const ElfSymbol& sym : elf.symbols()) {
    if (sym.section_index == SHN_UNDEF && !sym.name.empty() && sym.type == STT_NOTYPE &&
        (sym.binding == STB_GLOBAL || sym.binding == STB_WEAK)) {
      object->extern_symbols.push_back(sym.name);
    }
  }
  if (!object->btf) return;
  const Btf& btf = *object->btf;
  struct SectionKind {
    std::string_view datasec;
    bool kconfig;
  };
  for (SectionKind sk : {SectionKind{".ksyms", false}, SectionKind{".kconfig", true}}) {
    std::optional<std::span<const btf_var_secinfo>> entries = DatasecEntries(&btf, sk.datasec);
    if (!entries) continue;
    for (const btf_var_secinfo& entry : *entries) {
      TypeId id{entry.type};
      const btf_type* t = btf.Type(id);
      if (t == nullptr) continue;
      BpfExtern ext;
      ext.name = std::string(btf.Name(id));
      if (btf_is_func(t)) {
        ext.kind = ExternKind::kKfunc;
        ext.type = TypeId{t->type};
        ext.declaration = CFunctionDeclaration(btf, id);
      } else if (btf_is_var(t)) {
        ext.kind = sk.kconfig ? ExternKind::kKconfig : ExternKind::kKsymVar;
        ext.type = TypeId{t->type};
        ext.declaration = CDeclaration(btf, ext.type, ext.name);
      } else {
        continue;
      }
      const ElfSymbol* sym = elf.UndefinedSymbol(ext.name);
      ext.weak = sym != nullptr && sym->binding == STB_WEAK;
      object->externs.push_back(std::move(ext));
    }
  }
}

}  // namespace kcontract
