// libbpf's kconfig externs (`extern ... CONFIG_FOO __kconfig`): which C
// types it stores a config value in, which values it refuses, and the bytes
// it writes into the .kconfig map, which the verifier reads as constants.
#ifndef KCONTRACT_ABI_LIBBPF_KCONFIG_H_
#define KCONTRACT_ABI_LIBBPF_KCONFIG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "btfdiff/model/btf.h"
#include "btfdiff/model/kernel_version.h"

namespace kcontract {

// libbpf's classes of kconfig extern types (find_kcfg_type).
enum class KcfgType { kUnknown, kChar, kBool, kInt, kTristate, kCharArray };

KcfgType KcfgTypeOf(const Btf& btf, TypeId id);

// Why libbpf cannot store the config value `value` ("y", "m", "123",
// "\"str\"") in an extern of type `type`, or "" when it can.
std::string KconfigValueProblem(const Btf& btf, TypeId type, std::string_view value);

// The bytes libbpf writes for the extern: `value` as the config file gives
// it, or nullopt for an option the config does not set (a weak extern then
// reads 0). nullopt when libbpf would refuse the value or the type is one
// it does not store.
std::optional<std::vector<uint8_t>> KconfigBytes(const Btf& btf, TypeId type,
                                                 std::optional<std::string_view> value);

// LINUX_KERNEL_VERSION as libbpf computes it for a release: KERNEL_VERSION(
// major, minor, patch) with the patch level capped at 255; nullopt when
// the version is unknown.
std::optional<uint32_t> LinuxKernelVersionCode(KernelVersion version);

}  // namespace kcontract

#endif  // KCONTRACT_ABI_LIBBPF_KCONFIG_H_
