// Entering a private mount namespace in which libbpf sees a foreign kernel:
// its raw BTF bind-mounted over /sys/kernel/btf/vmlinux and its config over
// the system's config (see kernel_namespace.cc).
#ifndef KCONTRACT_TESTS_ORACLE_KERNEL_NAMESPACE_H_
#define KCONTRACT_TESTS_ORACLE_KERNEL_NAMESPACE_H_

#include <string>
#include <vector>

namespace kc_oracle {

inline constexpr char kSysVmlinux[] = "/sys/kernel/btf/vmlinux";

struct NamespaceResult {
  bool ok = false;
  std::string why_not;  // when !ok
  std::vector<std::string> mounts;
};

// Needs root; `config` may be empty (the system's config then stays).
NamespaceResult EnterKernelNamespace(const std::string& btf, const std::string& config);

}  // namespace kc_oracle

#endif  // KCONTRACT_TESTS_ORACLE_KERNEL_NAMESPACE_H_
