/* struct_ops_zero_member_absent: a tcp_congestion_ops whose local type has a
 * callback member no kernel has (cong_control_ext, standing for one a newer
 * kernel adds) that the object leaves NULL: built against a newer kernel's
 * type, run on an older one. libbpf 1.4+ skips a member the kernel lacks
 * when it is zero ("member cong_control_ext not found in kernel, skipping
 * it as it's set to zero"); 1.1.2 and 1.3 stop at "Cannot find member
 * cong_control_ext in kernel BTF". (struct_ops_unknown_member sets the
 * member: every release refuses that.)
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

struct tcp_congestion_ops {
	KC_RENO_MEMBERS;
	void (*cong_control_ext)(struct sock *sk, u32 ack, int flag);
	char name[16];
};

KC_RENO_CALLBACKS(kc_z)

SEC(".struct_ops")
struct tcp_congestion_ops kc_reno_zero = {
	KC_RENO_OPS(kc_z),
	.name = "kc_reno_zero",
};

KC_LICENSE;
