// The C model pairs of tests/diff as kernels: each model's .BTF, read from
// the object clang made, as a raw-BTF kernel. Models have no .BTF_ids, so
// the KF_* flags and modules a kernel would give are read from test-only
// decl tags on the kfuncs ("kc_test:KF_ACQUIRE", "kc_test:module=NAME").
#ifndef KCONTRACT_TESTS_DIFF_MODELS_H_
#define KCONTRACT_TESTS_DIFF_MODELS_H_

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "abi/report/inventory_report.h"
#include "btfdiff/base/elf_image.h"
#include "btfdiff/model/btf.h"
#include "btfdiff/model/kernel_btf.h"
#include "btfdiff/model/kf_flags.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace kcontract::testing {

inline std::filesystem::path DiffModelObject(const std::string& name, int side) {
  return std::filesystem::path(KC_DIFF_MODEL_DIR) / (name + "." + std::to_string(side) + ".o");
}

// Names of the model pairs: tests/diff/<name>.0.c.
inline std::vector<std::string> DiffModelNames() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(KC_DIFF_SOURCE_DIR)) {
    std::string file = entry.path().filename().string();
    if (file.size() > 4 && file.substr(file.size() - 4) == ".0.c") {
      names.push_back(file.substr(0, file.size() - 4));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The raw .BTF section of a model object.
inline Bytes ModelRawBtf(const std::string& name, int side) {
  Bytes object = ReadFileOrDie(DiffModelObject(name, side));
  auto elf = ElfImage::Open(object, name);
  if (!elf.ok()) throw std::runtime_error(std::string(elf.status().message()));
  auto section = (*elf)->Section(".BTF");
  if (!section.ok() || !section->has_value()) throw std::runtime_error(name + ": no .BTF");
  return Bytes((*section)->data.begin(), (*section)->data.end());
}

// A model as a kernel and its inventory, test tags applied.
struct ModelKernel {
  std::unique_ptr<KernelBtf> kernel;
  KernelInventory inventory;
};

inline uint32_t KfFlagBit(std::string_view flag) {
  for (int bit = 0; bit < 32; ++bit) {
    DecodedKfFlags decoded = DecodeKfFlags(uint32_t{1} << bit, KernelVersion{});
    if (decoded.names.size() == 1 && decoded.names[0] == flag) return uint32_t{1} << bit;
  }
  ADD_FAILURE() << "unknown KF_* flag in a model: " << flag;
  return 0;
}

inline void ApplyTestTags(const Btf& btf, const Bytes& raw, ModelKernel& model) {
  constexpr std::string_view kPrefix = "kc_test:";
  constexpr std::string_view kModule = "module=";
  for (Kfunc& kfunc : model.inventory.kfuncs.kfuncs) kfunc.flags = 0;  // as if set8 said so
  for (TypeId id : btf.IdsOfKind(BTF_KIND_DECL_TAG)) {
    const btf_type* t = btf.Type(id);
    std::string_view tag = btf.Name(id);
    if (tag.substr(0, kPrefix.size()) != kPrefix || btf_decl_tag(t)->component_idx != -1) continue;
    tag.remove_prefix(kPrefix.size());
    for (Kfunc& kfunc : model.inventory.kfuncs.kfuncs) {
      if (kfunc.id.value != t->type) continue;
      if (tag.substr(0, kModule.size()) == kModule) {
        std::string module(tag.substr(kModule.size()));
        if (model.kernel->FindModule(module) == nullptr) {
          // The module's BTF: the same blob, parsed again (not split).
          auto parsed = Btf::Parse(raw, module);
          if (!parsed.ok()) throw std::runtime_error(std::string(parsed.status().message()));
          ModuleBtf mod;
          mod.name = module;
          mod.path = module + ".ko";
          mod.btf = std::move(*parsed);
          model.kernel->modules.push_back(std::move(mod));
        }
        kfunc.module = module;
      } else {
        kfunc.flags = *kfunc.flags | KfFlagBit(tag);
      }
    }
  }
  for (Kfunc& kfunc : model.inventory.kfuncs.kfuncs) {
    kfunc.flag_names = DecodeKfFlags(*kfunc.flags, KernelVersion{}).names;
  }
  model.inventory.kfuncs.methods_used |= static_cast<uint8_t>(KfuncMethod::kBtfIdsSet8);
}

inline ModelKernel LoadModelKernel(const std::string& name, int side) {
  Bytes raw = ModelRawBtf(name, side);
  auto btf = Btf::Parse(raw, name);
  if (!btf.ok()) throw std::runtime_error(std::string(btf.status().message()));
  ModelKernel model;
  model.kernel = std::make_unique<KernelBtf>();
  model.kernel->kind = SourceKind::kRawBtf;
  model.kernel->source = name + "." + std::to_string(side);
  model.kernel->vmlinux = std::move(*btf);
  model.inventory = TakeInventory(*model.kernel);
  ApplyTestTags(*model.kernel->vmlinux, raw, model);
  return model;
}

}  // namespace kcontract::testing

#endif  // KCONTRACT_TESTS_DIFF_MODELS_H_
