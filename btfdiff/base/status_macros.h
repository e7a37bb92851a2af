// Error-propagation macros for absl::Status / absl::StatusOr.
//
// The Abseil release in Debian 12 (20220623) does not export its own
// RETURN_IF_ERROR / ASSIGN_OR_RETURN, so the library carries these two.
#ifndef KCONTRACT_BTFDIFF_BASE_STATUS_MACROS_H_
#define KCONTRACT_BTFDIFF_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define KC_CONCAT_INNER_(a, b) a##b
#define KC_CONCAT_(a, b) KC_CONCAT_INNER_(a, b)

#define KC_RETURN_IF_ERROR(expr)                  \
  do {                                            \
    ::absl::Status kc_status_ = (expr);           \
    if (!kc_status_.ok()) return kc_status_;      \
  } while (0)

#define KC_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(*tmp)

#define KC_ASSIGN_OR_RETURN(lhs, expr) \
  KC_ASSIGN_OR_RETURN_IMPL_(KC_CONCAT_(kc_statusor_, __LINE__), lhs, expr)

#endif  // KCONTRACT_BTFDIFF_BASE_STATUS_MACROS_H_
