#include "abi/loader/loader.h"

#include <bpf/libbpf.h>
#include <dlfcn.h>

#include <cstring>
#include <map>

#include "abi/contract/stability_tags.h"
#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/file_bytes.h"
#include "btfdiff/base/text.h"

namespace kcontract {
namespace {

absl::Status LibbpfError(int err, std::string_view what, std::string_view name) {
  return absl::InternalError(absl::StrFormat("libbpf refused to %s %s: %s", what,
                                             PrintableName(name), std::strerror(-err)));
}

// The libbpf objects a plan touches, looked up before anything changes.
struct Targets {
  std::vector<bpf_map*> maps;
  std::vector<bpf_program*> programs;
  std::map<std::string, bpf_map*> data_maps;  // by section name
};

absl::StatusOr<Targets> FindTargets(bpf_object* obj, const RevisionPlan& plan) {
  Targets targets;
  auto missing = [&](std::string_view kind, std::string_view name) {
    return absl::NotFoundError(absl::StrFormat(
        "the bpf_object has no %s %s, which %s has: was it opened from another file?", kind,
        PrintableName(name), PrintableName(plan.object)));
  };
  for (const std::string& name : plan.disabled_maps) {
    bpf_map* map = bpf_object__find_map_by_name(obj, name.c_str());
    if (map == nullptr) return missing("map", name);
    targets.maps.push_back(map);
  }
  for (const std::string& name : plan.disabled_programs) {
    bpf_program* program = bpf_object__find_program_by_name(obj, name.c_str());
    if (program == nullptr) return missing("program", name);
    targets.programs.push_back(program);
  }
  for (const RodataValue& value : plan.rodata) {
    if (targets.data_maps.count(value.section)) continue;
    // libbpf finds a global-data map by its section name.
    bpf_map* map = bpf_object__find_map_by_name(obj, value.section.c_str());
    if (map == nullptr || !bpf_map__is_internal(map)) return missing("data section", value.section);
    targets.data_maps[value.section] = map;
  }
  return targets;
}

// The section's initial bytes with the plan's slot values written in.
absl::StatusOr<std::vector<uint8_t>> WithSlots(bpf_map* map, const std::string& section,
                                               const RevisionPlan& plan) {
  size_t size = 0;
  const void* initial = bpf_map__initial_value(map, &size);
  if (initial == nullptr) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "the bpf_object's %s has no initial value (already loaded?)", section));
  }
  const uint8_t* bytes = static_cast<const uint8_t*>(initial);
  std::vector<uint8_t> data(bytes, bytes + size);
  for (const RodataValue& value : plan.rodata) {
    if (value.section != section) continue;
    if (value.offset > size || size - value.offset < sizeof(int32_t)) {
      return absl::OutOfRangeError(absl::StrFormat(
          "slot %s at offset %d is outside %s (%d bytes)", value.variable, value.offset,
          section, size));
    }
    // The kernel reads the map in the host's byte order, as libbpf copies it.
    std::memcpy(data.data() + value.offset, &value.value, sizeof(int32_t));
  }
  return data;
}

absl::StatusOr<std::unique_ptr<KernelBtf>> LoadKernelFor(const LoaderOptions& options,
                                                         std::vector<std::string>* warnings) {
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel =
      LoadKernel(options.kernel.empty() ? kRunningKernel : options.kernel);
  if (kernel.ok()) {
    for (const std::string& w : (*kernel)->warnings) warnings->push_back(w);
  }
  return kernel;
}

// Reading BTF, the library puts in its own libbpf print callback
// (btfdiff/model/btf.cc) to learn libbpf's reasons; a loader's own callback, and
// with it the loader's view of libbpf's messages, is put back on return.
class KeepLibbpfPrint {
 public:
  KeepLibbpfPrint() : saved_(libbpf_set_print(nullptr)) { libbpf_set_print(saved_); }
  ~KeepLibbpfPrint() { libbpf_set_print(saved_); }
  KeepLibbpfPrint(const KeepLibbpfPrint&) = delete;
  KeepLibbpfPrint& operator=(const KeepLibbpfPrint&) = delete;

 private:
  libbpf_print_fn_t saved_;
};

}  // namespace

LibbpfPrepareFn FindLibbpfPrepare() {
  return reinterpret_cast<LibbpfPrepareFn>(dlsym(RTLD_DEFAULT, "bpf_object__prepare"));
}

absl::Status ApplyRevisionPlan(bpf_object* obj, const RevisionPlan& plan,
                               LibbpfVersion runtime) {
  if (plan.refused()) {
    return absl::FailedPreconditionError(plan.RefusalMessage());
  }
  absl::StatusOr<Targets> targets = FindTargets(obj, plan);
  if (!targets.ok()) return targets.status();
  std::map<std::string, std::vector<uint8_t>> data;
  for (const auto& [section, map] : targets->data_maps) {
    absl::StatusOr<std::vector<uint8_t>> bytes = WithSlots(map, section, plan);
    if (!bytes.ok()) return bytes.status();
    data[section] = std::move(*bytes);
  }
  for (bpf_map* map : targets->maps) {
    if (int err = bpf_map__set_autocreate(map, false)) {
      return LibbpfError(err, "leave out map", bpf_map__name(map));
    }
    // Before 1.4 libbpf prepares every struct_ops map, created or not; as
    // an array the map is out of that pass. 1.4 honours autocreate alone,
    // and keeps the map's type for the loader to see.
    if (bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS &&
        !Has(runtime, LibbpfFeature::kStructOpsAutocreate)) {
      if (int err = bpf_map__set_type(map, BPF_MAP_TYPE_ARRAY)) {
        return LibbpfError(err, "retype map", bpf_map__name(map));
      }
    }
  }
  for (bpf_program* program : targets->programs) {
    if (int err = bpf_program__set_autoload(program, false)) {
      return LibbpfError(err, "leave out program", bpf_program__name(program));
    }
  }
  for (auto& [section, bytes] : data) {
    bpf_map* map = targets->data_maps[section];
    if (int err = bpf_map__set_initial_value(map, bytes.data(), bytes.size())) {
      return LibbpfError(err, "set the initial value of", section);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Preparation> PrepareObject(bpf_object* obj, ByteView image, std::string_view name,
                                          const LoaderOptions& options) {
  KeepLibbpfPrint keep_print;
  absl::StatusOr<std::unique_ptr<BpfObject>> object = ReadBpfObject(image, name);
  if (!object.ok()) return object.status();
  Preparation preparation;
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernelFor(options, &preparation.warnings);
  if (!kernel.ok()) return kernel.status();
  absl::StatusOr<ContractSet> contracts = LoadContracts(options.contracts, &preparation.warnings);
  if (!contracts.ok()) return contracts.status();
  Contract tags = ReadStabilityTags(**kernel, &preparation.warnings);
  if (!tags.interfaces.empty()) contracts->Add(std::move(tags));
  CheckTarget target(**kernel);
  preparation.prepared = CheckPrepared(**object, target, *contracts, {}, options.libbpf);
  JudgeCheck(options.policy, &preparation.prepared.check);
  std::string refusal = RefusalOf(preparation.prepared);
  if (!refusal.empty()) return absl::FailedPreconditionError(refusal);
  const LibbpfVersion runtime = RunningLibbpfVersion();
  // The libbpf that will load the object must be able to prepare it before
  // anything changes.
  LibbpfPrepareFn prepare = options.libbpf_prepare ? FindLibbpfPrepare() : nullptr;
  if (options.libbpf_prepare && prepare == nullptr) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "libbpf %s has no bpf_object__prepare() (libbpf >= %s: %s)", runtime.ToString(),
        RuleOf(LibbpfFeature::kObjectPrepare).since.ToString(),
        RuleOf(LibbpfFeature::kObjectPrepare).name));
  }
  if (absl::Status applied = ApplyRevisionPlan(obj, preparation.prepared.plan, runtime);
      !applied.ok()) {
    return applied;
  }
  if (prepare != nullptr) {
    if (int err = prepare(obj)) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "%s: libbpf %s refused to prepare it (%s), where kcontract predicted it loads on %s",
          PrintableName(name), runtime.ToString(), std::strerror(err < 0 ? -err : err),
          preparation.prepared.check.kernel));
    }
  }
  return preparation;
}

absl::StatusOr<Preparation> PrepareObjectFile(bpf_object* obj, const std::string& path,
                                              const LoaderOptions& options) {
  absl::StatusOr<FileBytes> file = FileBytes::Open(path);
  if (!file.ok()) return file.status();
  return PrepareObject(obj, file->bytes(), path, options);
}

}  // namespace kcontract
