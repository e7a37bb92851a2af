#include "btfdiff/diff/abi_change.h"

namespace kcontract {

std::string_view ChangeKindName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kKfuncAdded: return "kfunc_added";
    case ChangeKind::kKfuncRemoved: return "kfunc_removed";
    case ChangeKind::kKfuncProtoChanged: return "kfunc_proto_changed";
    case ChangeKind::kKfuncFlagsChanged: return "kfunc_flags_changed";
    case ChangeKind::kKfuncModuleChanged: return "kfunc_module_changed";
    case ChangeKind::kStructOpsAdded: return "struct_ops_added";
    case ChangeKind::kStructOpsRemoved: return "struct_ops_removed";
    case ChangeKind::kStructOpsMemberAdded: return "struct_ops_member_added";
    case ChangeKind::kStructOpsMemberRemoved: return "struct_ops_member_removed";
    case ChangeKind::kStructOpsMemberChanged: return "struct_ops_member_changed";
    case ChangeKind::kTypeMemberAdded: return "type_member_added";
    case ChangeKind::kTypeMemberRemoved: return "type_member_removed";
    case ChangeKind::kTypeMemberMoved: return "type_member_moved";
    case ChangeKind::kTypeMemberResized: return "type_member_resized";
    case ChangeKind::kTypeMemberRetyped: return "type_member_retyped";
    case ChangeKind::kTypeSizeChanged: return "type_size_changed";
    case ChangeKind::kEnumeratorAdded: return "enumerator_added";
    case ChangeKind::kEnumeratorRemoved: return "enumerator_removed";
    case ChangeKind::kEnumeratorValueChanged: return "enumerator_value_changed";
  }
  return "unknown";
}

std::string_view CompatibilityName(Compatibility compatibility) {
  switch (compatibility) {
    case Compatibility::kCompatible: return "compatible";
    case Compatibility::kNeedsReview: return "needs_review";
    case Compatibility::kBreaking: return "breaking";
  }
  return "unknown";
}

std::vector<std::string> SideNames(uint8_t sides) {
  std::vector<std::string> names;
  if (sides & kSideCaller) names.push_back("caller");
  if (sides & kSideImplementer) names.push_back("implementer");
  return names;
}

std::string_view SubjectKindName(SubjectKind kind) {
  switch (kind) {
    case SubjectKind::kKfunc: return "kfunc";
    case SubjectKind::kStructOps: return "struct_ops";
    case SubjectKind::kType: return "type";
  }
  return "unknown";
}

}  // namespace kcontract
