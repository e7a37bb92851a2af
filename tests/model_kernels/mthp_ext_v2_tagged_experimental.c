/* Model kernel: mthp_ext_v2 whose own BTF marks its interfaces experimental.
 *
 * The kernel of mthp_ext_v2.c (seed 003) with the STABILITY.md decl tag
 * "kcontract:experimental:optin=mthp_ext" on struct bpf_mthp_ops and on the
 * series' two kfuncs (bpf_cgroup_flush_stats, bpf_cgroup_stall), but not on
 * the upstream memcg kfuncs: one kernel with tagged and untagged kfuncs side
 * by side. Hypothetical: no kernel carries kcontract tags.
 */
#define KC_MTHP_TAGS KC_TAG("kcontract:experimental:optin=mthp_ext")
#include "mthp_ext_v2.c"
