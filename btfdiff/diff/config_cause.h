// Differences between two kernels that their configs explain rather than
// their source: an interface in a module one kernel builds and the other
// does not (or builds in), and an array sized by a numeric option
// (NR_CPUS: struct cpumask's bits[NR_CPUS / 64]). A distribution comparing
// its own kernel with another's sees these first; they are not ABI changes
// of the release, and `diff` labels and groups them apart.
#ifndef KCONTRACT_BTFDIFF_DIFF_CONFIG_CAUSE_H_
#define KCONTRACT_BTFDIFF_DIFF_CONFIG_CAUSE_H_

#include <string>

#include "btfdiff/diff/abi_change.h"
#include "btfdiff/model/kernel_btf.h"

namespace kcontract {

// The config options of `module`'s Kconfig symbol, when its name says which:
// CONFIG_<MODULE> ("nf_conntrack" -> CONFIG_NF_CONNTRACK), else the one
// option whose name ends in _<LAST WORD> among `candidates`
// ("tcp_bbr" -> CONFIG_TCP_CONG_BBR). Empty when none or several do.
std::string ModuleOption(std::string_view module, const std::vector<std::string>& candidates);

// What in the two configs explains `change`, e.g. "CONFIG_NR_CPUS 8192 -> 256"
// or "CONFIG_TCP_CONG_BBR m -> y"; empty when nothing does (or a kernel's
// config is unknown).
std::string ConfigCause(const AbiChange& change, const KernelConfig& old_config,
                        const KernelConfig& new_config);

// Sets AbiChange::config_cause on every change of `diff` the two kernels'
// configs explain. Nothing without both configs.
void LabelConfigCauses(const KernelBtf& old_kernel, const KernelBtf& new_kernel,
                       KernelDiff* diff);

}  // namespace kcontract

#endif  // KCONTRACT_BTFDIFF_DIFF_CONFIG_CAUSE_H_
