#include "tests/oracle/oracle_verdict.h"

#include <algorithm>
#include <map>

#include "abi/libbpf/open_rules.h"
#include "abi/libbpf/struct_ops_rules.h"
#include "btfdiff/base/file_bytes.h"
#include "btfdiff/source/kernel_source.h"

namespace kcontract::oracle {

// The oracle's class for what kcontract's findings say libbpf does: the
// first stage at which libbpf refuses the object, else whether it poisons
// an instruction.
std::string OracleClassFor(const std::vector<Finding>& findings) {
  LoadStage first = LoadStage::kNone;
  bool poisoned = false;
  bool prepare = false;  // refused while libbpf prepares a program's load
  for (const Finding& f : findings) {
    if (f.effect == LoadEffect::kLibbpfRejects) first = std::min(first, f.stage);
    poisoned |= f.code == "core-poisoned";
    // libbpf >= 1.5 refuses a struct_ops program no map uses while it
    // prepares the programs' loads, as it does a section without a type.
    prepare |= f.effect == LoadEffect::kLibbpfRejects &&
               (f.code == kOpenNoProgTypeCode || f.code == kOpenAttachProgramUnsetCode ||
                f.code == kStructOpsUnboundCode);
  }
  switch (first) {
    case LoadStage::kOpen: return "open_failed";
    case LoadStage::kExterns: return "extern_failed";
    case LoadStage::kStructOps: return "struct_ops_failed";
    case LoadStage::kRelocation: return "relo_failed";
    case LoadStage::kAttach: return prepare ? "prepare_failed" : "attach_target_missing";
    default: break;
  }
  return poisoned ? "poisoned" : "passed_relocation";
}

// The check's verdict in the words of the corpus' Expect-verdict lines.
std::string VerdictWord(LoadStage verdict) {
  return verdict == LoadStage::kNone ? "loads" : std::string(LoadStageName(verdict));
}

// What really happened to the whole load, in the same words: libbpf's
// refusal, else the verifier's answer on the programs libbpf relocated for
// that kernel. "" when the oracle could not judge it (a foreign kernel whose
// programs' verification depends on its own BTF ids).
std::string RealVerdict(const OracleResult& r) {
  const std::string& v = r.verifier;
  if (v.empty() || v.rfind("n/a", 0) == 0) return "";
  // EPERM is this machine's policy for fentry/lsm programs, not the object.
  if (v == "loaded" || v == "eperm") return "loads";
  if (v == "poison_reached" || v == "verifier_rejected") return "verifier";
  static const std::map<std::string, std::string> by_class = {
      {"open_failed", "open"},           {"extern_failed", "extern"},
      {"struct_ops_failed", "struct_ops"}, {"relo_failed", "relocation"},
      {"attach_target_missing", "attach"}, {"prepare_failed", "attach"},
      {"map_create_failed", "map creation"},
  };
  auto it = by_class.find(v);
  return it == by_class.end() ? "unknown (" + v + ")" : it->second;
}





std::unique_ptr<KernelBtf> LoadOracleKernel(const OracleKernel& k) {
  auto kernel = LoadKernel(k.running ? std::string(kRunningKernel) : k.btf.string());
  EXPECT_TRUE(kernel.ok()) << kernel.status();
  if (!kernel.ok()) return nullptr;
  if (!k.running && !k.config.empty()) {
    // libbpf reads kconfig externs from the config beside the kernel.
    auto config = FileBytes::Open(k.config);
    EXPECT_TRUE(config.ok());
    std::string_view text(reinterpret_cast<const char*>(config->bytes().data()),
                          config->bytes().size());
    (*kernel)->config = ParseKernelConfig(text);
    (*kernel)->release = ReleaseFromConfig(text);
  }
  return std::move(*kernel);
}

}  // namespace kcontract::oracle
