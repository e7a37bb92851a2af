/* Model kernel: sched_ext_6_13 whose own BTF says the old names are
 * deprecated.
 *
 * The kernel of sched_ext_6_13.c with the STABILITY.md decl tag
 * "kcontract:deprecated:remove=6.15:use=<new name>" on scx_bpf_dispatch,
 * scx_bpf_dispatch_vtime and scx_bpf_consume: the promise the kernel made in
 * a comment ("will be removed in v6.15"), written where tools can read it.
 * (The names actually went in 6.17; see sched_ext_6_13.c.) Hypothetical: no
 * kernel carries kcontract tags.
 */
#define KC_SCX_OLD_NAME_TAGS(replacement) \
	KC_TAG("kcontract:deprecated:remove=6.15:use=" replacement)
#include "sched_ext_6_13.c"
