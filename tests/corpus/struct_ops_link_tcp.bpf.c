/* struct_ops_link_tcp: a tcp_congestion_ops (tcp_reno_* kfunc callbacks,
 * as struct_ops_tcp_reno) in SEC(".struct_ops.link"), the section objects
 * written for bpf_link-based struct_ops attachment use (libbpf 1.2+; every
 * sched_ext scheduler does). libbpf 1.1.2 does not know the section: it
 * makes no map of it, so the struct_ops programs are bound to no struct_ops
 * type and the kernel refuses them (ENOTSUPP, -524): on every kernel, so
 * the oracle reports that refusal for the foreign kernels too. 1.3 and
 * later create the map and load it.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=verifier_rejected
 * Expect-libbpf-1.3: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load-libbpf-1.3: running=loaded
 * Expect-libbpf-1.5: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load-libbpf-1.5: running=loaded
 * Expect-libbpf-1.7: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load-libbpf-1.7: running=loaded
 */
#include "kc_tcp_reno.h"

struct tcp_congestion_ops {
	KC_RENO_MEMBERS;
	char name[16];
};

KC_RENO_CALLBACKS(kc_link)

SEC(".struct_ops.link")
struct tcp_congestion_ops kc_reno_link = {
	KC_RENO_OPS(kc_link),
	.name = "kc_reno_link",
};

KC_LICENSE;
