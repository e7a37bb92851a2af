/* Model kernel: thp_v9 whose own BTF says the hook is withdrawn.
 *
 * The kernel of thp_v9.c (BPF-THP v9, lore 20250930055826.9810-1-laoar.shao@gmail.com)
 * with the STABILITY.md decl tag "kcontract:withdrawn:since=7.1" on struct
 * bpf_thp_ops: the type is still there (a withdrawn interface "may still
 * exist in old kernels"), and its maintainers have said in the kernel's BTF
 * that it is gone. Hypothetical: no kernel carries kcontract tags; 7.1 is an
 * example release.
 */
#define KC_BPF_THP_OPS_TAGS KC_TAG("kcontract:withdrawn:since=7.1")
#include "thp_v9.c"
