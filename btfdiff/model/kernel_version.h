// A kernel's version, from its release string: what decides the KF_* flag
// bits of its .BTF_ids, whether its verifier accepts an unresolved weak kfunc
// in dead code, and the value libbpf gives LINUX_KERNEL_VERSION.
#ifndef KCONTRACT_BTFDIFF_MODEL_KERNEL_VERSION_H_
#define KCONTRACT_BTFDIFF_MODEL_KERNEL_VERSION_H_

#include <string_view>

namespace kcontract {

struct KernelVersion {
  int major = 0;
  int minor = 0;
  int patch = 0;
  bool known() const { return major > 0; }
  friend auto operator<=>(const KernelVersion&, const KernelVersion&) = default;
};

// Parses "6.1.0-50-amd64", "6.12.111+deb12-amd64", "6.18.44-fc-v669"...;
// unknown (all zero) when the string does not start with "N.N".
KernelVersion ParseKernelVersion(std::string_view release);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_MODEL_KERNEL_VERSION_H_
