// The change model of `kcontract diff`: what changed in the BPF-facing ABI
// between two kernels, as facts with the classification the BTF alone supports
// (compatible, breaking or needs review, and why). What a change costs a
// distribution or a maintainer (error, warning, note) depends on contracts
// and is decided by policy (abi/policy/diff_policy.h), not here.
#ifndef KCONTRACT_BTFDIFF_DIFF_ABI_CHANGE_H_
#define KCONTRACT_BTFDIFF_DIFF_ABI_CHANGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kcontract {

enum class ChangeKind : uint8_t {
  kKfuncAdded,
  kKfuncRemoved,
  kKfuncProtoChanged,    // one argument, the return type or the argument count
  kKfuncFlagsChanged,    // one KF_* flag gained or lost
  kKfuncModuleChanged,   // moved between vmlinux and a module
  kStructOpsAdded,
  kStructOpsRemoved,
  kStructOpsMemberAdded,
  kStructOpsMemberRemoved,
  kStructOpsMemberChanged,  // a callback's prototype, or a data member's type
  kTypeMemberAdded,
  kTypeMemberRemoved,
  kTypeMemberMoved,      // same member, other offset
  kTypeMemberResized,    // same type, other size (array length, bitfield, embedded struct)
  kTypeMemberRetyped,    // other type
  kTypeSizeChanged,
  kEnumeratorAdded,
  kEnumeratorRemoved,
  kEnumeratorValueChanged,
};

// "kfunc_added", "type_member_moved", ... (as in JSON).
std::string_view ChangeKindName(ChangeKind kind);

// What the BTF says a change does to BPF programs built against the old
// kernel. Ordered by gravity.
enum class Compatibility : uint8_t { kCompatible, kNeedsReview, kBreaking };

// "compatible", "needs_review", "breaking".
std::string_view CompatibilityName(Compatibility compatibility);

// Whose program a change can affect: one calling a kfunc, or one
// implementing a struct_ops callback table. A kernel type reachable from
// both affects both.
enum Side : uint8_t { kSideCaller = 1 << 0, kSideImplementer = 1 << 1 };

// {"caller"}, {"implementer"} or both, in that order.
std::vector<std::string> SideNames(uint8_t sides);

// What a change is about: an interface (kfunc, struct_ops type) or a kernel
// type reachable from interfaces.
enum class SubjectKind : uint8_t { kKfunc, kStructOps, kType };

// "kfunc", "struct_ops", "type".
std::string_view SubjectKindName(SubjectKind kind);

struct InterfaceRef {
  SubjectKind kind = SubjectKind::kKfunc;  // kKfunc or kStructOps
  std::string name;
  friend auto operator<=>(const InterfaceRef&, const InterfaceRef&) = default;
};

struct AbiChange {
  ChangeKind kind = ChangeKind::kKfuncAdded;
  SubjectKind subject_kind = SubjectKind::kKfunc;
  // "bpf_task_acquire", "tcp_congestion_ops", "struct sock", "atomic_t".
  std::string subject;
  // The struct_ops member a change is about ("cong_control"); empty else.
  std::string member;
  // The part that changed, for people: "argument 2 'flags'", "return type",
  // "arguments", "KF_RET_NULL", "member pid", "enumerator FOO", "size".
  std::string item;
  std::string old_text;  // the part before ("u32", "offset 120"); empty when added
  std::string new_text;  // after; empty when removed
  std::optional<std::string> module;  // of the kfunc or struct_ops; nullopt: vmlinux
  uint8_t sides = 0;                  // Side bits
  Compatibility compatibility = Compatibility::kCompatible;
  std::string reason;  // one line: why it is compatible, breaks, or needs a look
  // Compatible only if what the reason names holds, which BTF cannot show.
  bool conditional = false;
  // Type changes: every interface whose types reach the type (sorted), and
  // how the first of them reaches it ("bpf_ct_release argument 1 > struct
  // nf_conn.ct_general").
  std::vector<InterfaceRef> reached_from;
  std::string path;
  // What in the two kernels' configs explains the change rather than their
  // source ("CONFIG_NR_CPUS 8192 -> 256", "CONFIG_TCP_CONG_BBR m -> y");
  // empty when nothing does (btfdiff/diff/config_cause.h).
  std::string config_cause;
};

struct KernelDiff {
  std::string old_kernel;  // release, or the source when it names none
  std::string new_kernel;
  // Sorted by subject kind, subject, change kind, then item.
  std::vector<AbiChange> changes;
  // Every interface NEW offers (kfuncs, struct_ops types, and struct_ops
  // members as "type.member"): contracts that call one withdrawn are
  // checked against it.
  std::vector<InterfaceRef> new_interfaces;
  std::vector<std::string> new_struct_ops_members;  // "tcp_congestion_ops.cong_control"
  // What the comparison could not see ("KF_* flags not compared: ...").
  std::vector<std::string> notes;
};

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_DIFF_ABI_CHANGE_H_
