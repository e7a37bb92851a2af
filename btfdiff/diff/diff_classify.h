// Classification of ABI changes: whether a BPF program built against the old
// kernel still loads and means the same on the new one, and why, from
// libbpf 1.1's and the verifier's rules. Direction matters: a kfunc's
// arguments are written by the BPF program and read by the kernel, a
// struct_ops callback's the other way round; a kernel object is allocated by
// the kernel and read by programs field by field through CO-RE, while memory
// a program passes to a kfunc is sized by the program.
#ifndef KCONTRACT_BTFDIFF_DIFF_DIFF_CLASSIFY_H_
#define KCONTRACT_BTFDIFF_DIFF_DIFF_CLASSIFY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "btfdiff/diff/abi_change.h"
#include "btfdiff/diff/type_comparison.h"
#include "btfdiff/model/btf.h"

namespace kcontract {

struct Classification {
  Compatibility compatibility = Compatibility::kCompatible;
  std::string reason;
  // Compatible only if something the BTF cannot show holds (the kernel
  // still accepts an old size, reserved bytes' zero keeps its meaning); the
  // reason says what.
  bool conditional = false;
};

// Where a changed type reference sits, which says who writes the value and
// who reads it.
enum class TypeUse : uint8_t {
  kKfuncArgument,     // the program writes, the kernel reads
  kKfuncReturn,       // the kernel writes, the program reads
  kCallbackArgument,  // the kernel writes, the implementing program reads
  kCallbackReturn,    // the implementing program writes, the kernel reads
  kTypeMember,        // a kernel type's member, read by programs through CO-RE
  kStructOpsData,     // a struct_ops table's data member, copied in by libbpf
};

// One reference on each side, as TypeComparison compared them.
struct ChangedRef {
  const Btf& old_btf;
  TypeId old_id;
  const Btf& new_btf;
  TypeId new_id;
  RefComparison comparison;
};

// A type as C, with the type tags C rendering leaves out ("void * /* tags:
// address_space(1) */"), so that a change in tags alone shows.
std::string RenderTypeWithTags(const Btf& btf, TypeId id);

// `what` names the place for people: "argument 2 'flags'", "member pid".
Classification ClassifyTypeChange(TypeUse use, std::string_view what, const ChangedRef& ref);

// An argument count change of a kfunc (callers) or a callback
// (implementers); `old_is_prefix`: the old arguments are the new ones'
// first arguments, unchanged.
Classification ClassifyArgumentCount(bool callback, uint32_t old_count, uint32_t new_count,
                                     bool old_is_prefix);

// A kfunc parameter renamed: the verifier reads meaning into name suffixes
// (__k, __sz, __nullable, __ign...). nullopt when the rename means nothing.
std::optional<Classification> ClassifyParameterRename(std::string_view what,
                                                      std::string_view old_name,
                                                      std::string_view new_name);

// A KF_* flag gained (`added`) or lost.
Classification ClassifyFlagChange(std::string_view flag, bool added);
// Flag bits without a name in the kernel's release.
Classification ClassifyUnknownFlagBits(uint32_t old_bits, uint32_t new_bits);

Classification ClassifyKfuncAdded();
// `still_a_function`: NEW still has a function of that name, and NEW's BTF
// lacks the method that found the kfunc in OLD, so it may be one still.
Classification ClassifyKfuncRemoved(bool still_a_function);
Classification ClassifyKfuncModuleChange(const std::optional<std::string>& old_module,
                                         const std::optional<std::string>& new_module);

Classification ClassifyStructOpsAdded();
Classification ClassifyStructOpsRemoved();
Classification ClassifyStructOpsMemberAdded(bool callback);
Classification ClassifyStructOpsMemberRemoved(std::string_view member);
// A member that was a callback and is data now, or the reverse.
Classification ClassifyStructOpsMemberKindChange(bool was_callback);

// How a program meets a kernel type: as a kernel object it reads, or as
// memory it provides to a kfunc (a struct of scalars behind a pointer
// argument, which the verifier sizes by the type unless a __sz argument
// gives the size). Program memory has rules of its own: caller_memory.h.
enum class MemoryOwner : uint8_t { kKernel, kProgram, kProgramSized };

// A member change of a named kernel type `type_name`.
Classification ClassifyMemberChange(std::string_view type_name, const MemberChange& change,
                                    const TypeComparison& comparison, uint64_t old_type_size);
Classification ClassifySizeChange(std::string_view type_name, bool is_enum, uint64_t old_size,
                                  uint64_t new_size, MemoryOwner owner, std::string_view user);
Classification ClassifyEnumeratorChange(const EnumeratorChange& change);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_DIFF_DIFF_CLASSIFY_H_
