#include "tests/fuzz/fuzz_support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "abi/contract/contract_findings.h"
#include "abi/contract/stability_tags.h"
#include "abi/libbpf/libbpf_check.h"
#include "abi/manifest/contract_loader.h"
#include "abi/manifest/manifest_reader.h"
#include "abi/manifest/manifest_writer.h"
#include "abi/policy/diff_policy.h"
#include "abi/policy/finding_policy.h"
#include "abi/prepared/prepared_check.h"
#include "abi/report/check_report.h"
#include "abi/report/diff_report.h"
#include "abi/report/inventory_report.h"
#include "abi/report/object_report.h"
#include "abi/report/probe_report.h"
#include "abi/revision/revision_matcher.h"
#include "btfdiff/diff/kernel_diff.h"
#include "btfdiff/inventory/kernel_inventory.h"
#include "btfdiff/source/btf_extract.h"
#include "btfdiff/source/kernel_source.h"

namespace kcontract::fuzz {
namespace {

namespace fs = std::filesystem;

constexpr OutputFormat kFormats[] = {OutputFormat::kText, OutputFormat::kJson};

// The manifest of the kernel's own kfuncs (240 of them), which no fuzzed
// kernel holds: probed against a fuzzed kernel, each is the same absent
// path, and rendering them took a quarter of each execution of fuzz_btf.
constexpr std::string_view kKernelKfuncsManifest = "kernel-kfuncs.toml";

// Each path comes from the build (tests/fuzz/CMakeLists.txt) and may be
// overridden by the environment variable of the same name.
std::string Setting(const char* name, const char* built_in) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : built_in;
}

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "fuzz fixtures: %s\n", message.c_str());
  std::abort();
}

std::unique_ptr<KernelBtf> MustLoadKernel(const std::string& source) {
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(source);
  if (!kernel.ok()) Die(std::string(kernel.status().message()));
  return std::move(*kernel);
}

std::vector<std::string> SplitList(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(';', start);
    if (end == std::string::npos) end = list.size();
    if (end > start) out.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Fixtures* BuildFixtures() {
  auto* f = new Fixtures();
  char tmpl[] = "/tmp/kc-fuzz-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) Die("cannot create a scratch directory");
  f->scratch = tmpl;
  std::string real = Setting("KC_FUZZ_REAL_KERNEL", KC_FUZZ_REAL_KERNEL);
  f->model_kernel_path = Setting("KC_FUZZ_MODEL_KERNEL", KC_FUZZ_MODEL_KERNEL);
  f->model_kernel = MustLoadKernel(f->model_kernel_path);
  std::error_code ec;
  f->real_kernel = MustLoadKernel(fs::exists(real, ec) ? real : f->model_kernel_path);
  // The name indexes are built on first use: build them now, once.
  f->real_kernel->names();
  f->real_target = std::make_unique<CheckTarget>(*f->real_kernel);
  f->model_kernel->names();

  ContractSources sources;
  sources.use_installed = false;
  sources.given = {Setting("KC_FUZZ_MANIFEST_DIR", KC_FUZZ_MANIFEST_DIR)};
  for (const std::string& given : sources.given) {
    for (const auto& entry : fs::directory_iterator(given)) {
      if (entry.path().extension() != ".toml") continue;
      ManifestReadResult read = ReadManifest(entry.path().string(), ContractOrigin::kInstalled);
      if (!read.ok()) Die("cannot read " + entry.path().string());
      if (entry.path().filename() != kKernelKfuncsManifest) {
        f->kernel_target_contracts.push_back(*read.contract);
      }
      f->contracts.push_back(std::move(*read.contract));
      if (entry.path().filename() == "bpf-thp.toml") {
        std::ifstream in(entry.path());
        std::string text(std::istreambuf_iterator<char>(in), {});
        absl::StatusOr<ManifestForUpdate> manifest = ReadManifestForUpdate(text, "bpf-thp.toml");
        if (!manifest.ok()) Die(std::string(manifest.status().message()));
        f->updated_manifest = std::make_unique<ManifestForUpdate>(std::move(*manifest));
      }
    }
  }
  if (f->updated_manifest == nullptr) Die("no bpf-thp.toml among the manifests");
  for (const std::string& path : SplitList(Setting("KC_FUZZ_OBJECTS", KC_FUZZ_OBJECTS))) {
    absl::StatusOr<std::vector<std::unique_ptr<BpfObject>>> read = ReadBpfObjects(path);
    if (!read.ok()) Die(std::string(read.status().message()));
    for (auto& object : *read) f->objects.push_back(std::move(object));
  }
  return f;
}

}  // namespace

void Broken(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "fuzz invariant broken: %.*s\n", static_cast<int>(what.size()),
               what.data());
  if (!detail.empty()) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(detail.size()), detail.data());
  }
  __builtin_trap();
}

const Fixtures& GetFixtures() {
  static const Fixtures* fixtures = BuildFixtures();
  return *fixtures;
}

ContractSet MakeContracts(std::vector<Contract> extra) {
  return MakeContractsFrom(GetFixtures().contracts, std::move(extra));
}

ContractSet MakeContractsFrom(const std::vector<Contract>& fixed, std::vector<Contract> extra) {
  ContractSet set;
  for (const Contract& contract : fixed) set.Add(contract);
  for (Contract& contract : extra) set.Add(std::move(contract));
  return set;
}

void ExpectNoWriterDefect(const absl::Status& status, std::string_view what) {
  if (absl::IsInternal(status)) Broken(what, std::string(status.message()));
}

void Consume(const std::string& text) {
  static volatile size_t sink;
  sink = sink + text.size();
  (void)sink;
}

void ExerciseKernel(const KernelBtf& kernel) {
  const Fixtures& f = GetFixtures();
  KernelInventory inventory = TakeInventory(kernel);
  for (OutputFormat format : kFormats) {
    Consume(RenderKernelShow(inventory, format));
    Consume(RenderKfuncs(inventory.kfuncs, format));
    Consume(RenderStructOps(inventory.struct_ops, format));
  }
  // btf extract, of vmlinux and of each module.
  if (absl::StatusOr<const Btf*> btf = SelectBtf(kernel, std::nullopt); btf.ok()) {
    Consume(std::string(reinterpret_cast<const char*>((*btf)->RawData().data()),
                        (*btf)->RawData().size()));
  }
  for (const ModuleBtf& module : kernel.modules) {
    if (absl::StatusOr<const Btf*> btf = SelectBtf(kernel, module.name); btf.ok()) {
      Consume(std::to_string((*btf)->RawData().size()));
    }
  }

  std::vector<std::string> warnings;
  std::vector<Contract> tags;
  Contract tagged = ReadStabilityTags(kernel, &warnings);
  if (!tagged.interfaces.empty()) tags.push_back(std::move(tagged));
  ContractSet contracts = MakeContractsFrom(f.kernel_target_contracts, std::move(tags));

  ProbeResult probe = ProbeKernel(contracts, kernel);
  for (OutputFormat format : kFormats) Consume(RenderProbe(probe, format));

  for (bool fuzzed_is_new : {true, false}) {
    const KernelBtf& old_kernel = fuzzed_is_new ? *f.model_kernel : kernel;
    const KernelBtf& new_kernel = fuzzed_is_new ? kernel : *f.model_kernel;
    KernelDiff diff = DiffKernels(old_kernel, new_kernel);
    DiffVerdict verdict = JudgeDiff(diff, ContractLookup(contracts));
    for (OutputFormat format : kFormats) Consume(RenderDiff(diff, verdict, format));
  }

  ManifestInitOptions init;
  init.contract_name = "fuzz";
  init.match = {"*"};
  ExpectNoWriterDefect(RenderNewManifest(kernel, init).status(),
                       "manifest init wrote a manifest that does not read back");
  ManifestUpdateOptions update_options;
  update_options.match = {"*"};
  update_options.add_new = true;
  CheckTarget target(kernel);
  ExpectNoWriterDefect(
      UpdateManifest(*f.updated_manifest, target.inventory(), update_options).status(),
      "manifest update wrote a manifest that does not read back");

  std::vector<ObjectCheck> checks;
  for (const auto& object : f.objects) {
    ObjectCheck check = CheckPrepared(*object, target, contracts).check;
    JudgeCheck(CheckPolicy(), &check);
    checks.push_back(std::move(check));
  }
  for (OutputFormat format : kFormats) Consume(RenderChecks(checks, format));
}

void ExerciseObjects(const std::vector<std::unique_ptr<BpfObject>>& objects) {
  const Fixtures& f = GetFixtures();
  // The installed contracts, indexed once: rebuilding the set took a tenth
  // of each execution.
  static const ContractSet* installed = new ContractSet(MakeContracts());
  const ContractSet& contracts = *installed;
  std::vector<ContractReport> reports;
  std::vector<ObjectCheck> checks;
  const CheckTarget& target = *f.real_target;
  for (const auto& object : objects) {
    reports.push_back(LintObject(*object, contracts));
    ApplyPolicy(CheckPolicy(), &reports.back().findings);
    ObjectCheck check = CheckPrepared(*object, target, contracts).check;
    JudgeCheck(CheckPolicy(), &check);
    checks.push_back(std::move(check));
  }
  for (OutputFormat format : kFormats) {
    Consume(RenderObjects(objects, format));
    Consume(RenderLint(reports, format));
    Consume(RenderChecks(checks, format));
  }
}

void ExerciseContracts(std::vector<Contract> extra) {
  const Fixtures& f = GetFixtures();
  const CheckTarget& target = *f.real_target;
  // The probe leaves kernel-kfuncs.toml out: the real kernel has its 240
  // kfuncs, and locating and rendering them, the same in every execution,
  // took a third of each. Lint, check and the diff policy still see it.
  ProbeResult probe = RevisionMatcher(target.inventory())
                          .Probe(MakeContractsFrom(f.kernel_target_contracts, extra));
  for (OutputFormat format : kFormats) Consume(RenderProbe(probe, format));
  const ContractSet contracts = MakeContracts(std::move(extra));
  std::vector<ContractReport> reports;
  std::vector<ObjectCheck> checks;
  for (const auto& object : f.objects) {
    reports.push_back(LintObject(*object, contracts));
    ApplyPolicy(CheckPolicy(), &reports.back().findings);
    ObjectCheck check = CheckPrepared(*object, target, contracts).check;
    JudgeCheck(CheckPolicy(), &check);
    checks.push_back(std::move(check));
  }
  for (OutputFormat format : kFormats) {
    Consume(RenderLint(reports, format));
    Consume(RenderChecks(checks, format));
  }
  // The diff policy, over the real kernel's diff against the model kernel
  // (computed once).
  static const KernelDiff* diff = new KernelDiff(DiffKernels(*f.model_kernel, *f.real_kernel));
  DiffVerdict verdict = JudgeDiff(*diff, ContractLookup(contracts));
  Consume(RenderDiff(*diff, verdict, OutputFormat::kText));
}

std::string WriteScratchFile(const std::string& name, const uint8_t* data, size_t size) {
  std::string path = GetFixtures().scratch + "/" + name;
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (out == nullptr) Die("cannot write " + path);
  if (size > 0) std::fwrite(data, 1, size, out);
  std::fclose(out);
  return path;
}

}  // namespace kcontract::fuzz
