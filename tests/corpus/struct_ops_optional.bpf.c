/* struct_ops_optional: a tcp_congestion_ops in SEC("?.struct_ops"): an
 * optional struct_ops map, which libbpf 1.4+ opens with autocreate off (a
 * loader turns it on when the kernel suits it) and whose programs it then
 * does not load either. libbpf 1.1.2 and 1.3 do not know the section: no
 * map, the programs bound to no struct_ops type, and the kernel refuses
 * them (-524). From 1.5 (1.4 by ../shared/README.md) nothing is created or
 * loaded and the load succeeds.
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=verifier_rejected
 * Expect-libbpf-1.3: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load-libbpf-1.3: running=verifier_rejected
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

KC_RENO_CALLBACKS(kc_opt)

SEC("?.struct_ops")
struct tcp_congestion_ops kc_reno_optional = {
	KC_RENO_OPS(kc_opt),
	.name = "kc_reno_opt",
};

KC_LICENSE;
