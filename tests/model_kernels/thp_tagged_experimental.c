/* Model kernel: thp_v9 whose own BTF marks the hook experimental.
 *
 * The kernel of thp_v9.c (BPF-THP v9, lore 20250930055826.9810-1-laoar.shao@gmail.com)
 * with the STABILITY.md decl tag "kcontract:experimental:optin=bpf_thp" on
 * struct bpf_thp_ops: what the THP maintainers asked for in the BPF-THP
 * threads (seeds 000, 004), written into BTF. Hypothetical: no kernel
 * carries kcontract tags.
 */
#define KC_BPF_THP_OPS_TAGS KC_TAG("kcontract:experimental:optin=bpf_thp")
#include "thp_v9.c"
