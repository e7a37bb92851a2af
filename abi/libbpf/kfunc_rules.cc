#include "abi/libbpf/kfunc_rules.h"

#include "btfdiff/model/type_name.h"

namespace kcontract {

KfuncResolution ResolveKfunc(const Btf& local, const BpfExtern& ext, const KernelNameIndex& names,
                             LibbpfVersion version) {
  KfuncResolution r;
  r.lookup = Has(version, LibbpfFeature::kKfuncFlavour) ? std::string(EssentialName(ext.name))
                                                        : ext.name;
  r.found = names.Find(r.lookup, BTF_KIND_FUNC);
  if (!r.found) return r;
  TypeId kernel_proto{r.found->btf->Type(r.found->id)->type};
  r.compat = TypesAreCompat(local, ext.type, *r.found->btf, kernel_proto);
  r.resolved = r.compat == Compat::kYes;
  r.weak_incompatible = !r.resolved && ext.weak &&
                        Has(version, LibbpfFeature::kWeakKfuncIncompatibleUnresolved);
  return r;
}

}  // namespace kcontract
