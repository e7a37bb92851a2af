// The programs of a BPF object and what they call: its functions (programs
// and .text subprograms), the helpers (by id), kfuncs (by extern name) and
// functions each calls, and the programs with the calls of every
// subprogram they reach.
#ifndef KCONTRACT_ABI_OBJECT_PROGRAMS_H_
#define KCONTRACT_ABI_OBJECT_PROGRAMS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "abi/object/bpf_object.h"
#include "abi/object/object_elf.h"
#include "absl/status/statusor.h"

namespace kcontract {

struct Function {
  uint32_t symbol = 0;   // index into ObjectElf::symbols()
  uint32_t section = 0;
  uint64_t offset = 0;   // bytes into the section
  uint64_t size = 0;
  std::set<int32_t> helpers;
  std::set<std::string> kfuncs;
  std::set<size_t> callees;  // indexes into the FunctionTable
};

class FunctionTable {
 public:
  // Every function symbol (STT_FUNC) of a code section, with its calls
  // (none for a big-endian object, whose instructions are not read). Fails,
  // naming `what`, on a function outside its section or not made of whole
  // instructions.
  static absl::StatusOr<FunctionTable> Read(const ObjectElf& elf, std::string_view what);

  const std::vector<Function>& functions() const { return functions_; }
  // The function whose bytes cover `offset` of `section`, or nullopt.
  std::optional<size_t> At(uint32_t section, uint64_t offset) const;
  // The name of the function covering `offset` of `section`, or nullopt.
  std::optional<std::string> NameAt(const ObjectElf& elf, uint32_t section,
                                    uint64_t offset) const;

 private:
  absl::Status Collect(const ObjectElf& elf, std::string_view what);
  void CollectCalls(const ObjectElf& elf, Function& f) const;
  void AddCallee(Function& caller, uint32_t section, int64_t offset) const;

  std::vector<Function> functions_;  // sorted by (section, offset)
};

// One BpfProgram per function outside .text, in (section, offset) order,
// into object->programs; a warning for each static one.
void CollectPrograms(const ObjectElf& elf, const FunctionTable& functions, BpfObject* object);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_OBJECT_PROGRAMS_H_
