/* struct_ops_flavoured_type: the map's type is `struct
 * tcp_congestion_ops___v2`, a flavour (as CO-RE names local variants of a
 * kernel type), in SEC(".struct_ops"). libbpf 1.4+ drops the ___v2 suffix
 * and finds tcp_congestion_ops; 1.1.2 and 1.3 look for the whole name
 * ("struct tcp_congestion_ops___v2 is not found in kernel BTF").
 *
 * Expect: 6.1=struct_ops_failed 6.12=struct_ops_failed 6.18=struct_ops_failed running=struct_ops_failed
 * Expect-load: running=struct_ops_failed
 * Expect-libbpf-1.3: 6.1=struct_ops_failed 6.12=struct_ops_failed 6.18=struct_ops_failed running=struct_ops_failed
 * Expect-load-libbpf-1.3: running=struct_ops_failed
 * Expect-libbpf-1.5: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load-libbpf-1.5: running=loaded
 * Expect-libbpf-1.7: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load-libbpf-1.7: running=loaded
 */
#include "kc_tcp_reno.h"

struct tcp_congestion_ops___v2 {
	KC_RENO_MEMBERS;
	char name[16];
};

KC_RENO_CALLBACKS(kc_v2)

SEC(".struct_ops")
struct tcp_congestion_ops___v2 kc_reno_v2 = {
	KC_RENO_OPS(kc_v2),
	.name = "kc_reno_v2",
};

KC_LICENSE;
