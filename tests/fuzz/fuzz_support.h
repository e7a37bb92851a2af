// Shared by the fuzz targets (tests/fuzz/README.md): the fixed inputs each
// target checks its fuzzed one against, loaded once per process, and the
// consumers every parsed input goes through, as the CLI's commands would
// use it. Anything a consumer finds wrong that is not a reported error is a
// crash (__builtin_trap), so that libFuzzer keeps the input.
#ifndef KCONTRACT_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define KCONTRACT_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "abi/contract/contract.h"
#include "abi/libbpf/libbpf_check.h"
#include "abi/manifest/manifest_writer.h"
#include "abi/object/bpf_object.h"
#include "btfdiff/base/bytes.h"
#include "btfdiff/model/kernel_btf.h"

namespace kcontract::fuzz {

struct Fixtures {
  // A real kernel (the shared 6.18 raw BTF; a model kernel without
  // ../shared): objects and manifests are checked against it.
  std::unique_ptr<KernelBtf> real_kernel;
  // The real kernel as every check against it sees it: its inventory is
  // collected once, not once per execution.
  std::unique_ptr<CheckTarget> real_target;
  // A small model kernel: the other side of every fuzzed kernel's diff, and
  // the base of fuzzed split BTF and modules.
  std::unique_ptr<KernelBtf> model_kernel;
  std::string model_kernel_path;
  // The installed manifests, parsed.
  std::vector<Contract> contracts;
  // The same but kernel-kfuncs.toml: what fuzzed kernels, and the real one
  // with fuzzed manifests, are probed against.
  std::vector<Contract> kernel_target_contracts;
  // A few corpus objects, checked against every fuzzed kernel and linted
  // with every fuzzed manifest.
  std::vector<std::unique_ptr<BpfObject>> objects;
  // A real manifest (bpf-thp.toml), read once and updated from every
  // fuzzed kernel.
  std::unique_ptr<ManifestForUpdate> updated_manifest;
  // A per-process scratch directory.
  std::string scratch;
};

const Fixtures& GetFixtures();

// The installed contracts plus `extra` (moved in).
ContractSet MakeContracts(std::vector<Contract> extra = {});
// `fixed` plus `extra`.
ContractSet MakeContractsFrom(const std::vector<Contract>& fixed, std::vector<Contract> extra);

// Every consumer of a kernel: inventory and its reports, stability tags,
// probe, diff against the model kernel both ways, manifest init and update
// (with no writer defect), btf extract, and a check of the fixed objects.
void ExerciseKernel(const KernelBtf& kernel);

// Every consumer of objects: object show, lint, check against the real
// kernel, in both output formats.
void ExerciseObjects(const std::vector<std::unique_ptr<BpfObject>>& objects);

// Every consumer of contracts: probe of the real kernel, lint and check of
// the fixed objects, the diff policy over a fixed diff, each with the
// installed contracts plus `extra`.
void ExerciseContracts(std::vector<Contract> extra);

// An invariant of a consumer broke: stops here so that libFuzzer keeps the
// input.
[[noreturn]] void Broken(std::string_view what, std::string_view detail = {});

// manifest init and update read back what they wrote before returning it
// and refuse with kInternal when it does not read back as written: a defect
// of the writer, whatever the input. Traps on it.
void ExpectNoWriterDefect(const absl::Status& status, std::string_view what);

// Writes `bytes` to <scratch>/<name> and returns the path.
std::string WriteScratchFile(const std::string& name, const uint8_t* data, size_t size);

// Keeps a computed value alive so that the work is not optimised away.
void Consume(const std::string& text);

}  // namespace kcontract::fuzz

#endif  // KCONTRACT_TESTS_FUZZ_FUZZ_SUPPORT_H_
