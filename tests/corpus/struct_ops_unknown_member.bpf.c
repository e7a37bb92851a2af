/* struct_ops_unknown_member: a tcp_congestion_ops with a callback member no
 * kernel has (cong_control_ext, standing for a callback a newer kernel
 * might add). libbpf 1.1.2 maps every member of the object's type to the
 * kernel's: "struct_ops init_kern kc_ext: Cannot find member
 * cong_control_ext in kernel BTF".
 *
 * Expect: 6.1=struct_ops_failed 6.12=struct_ops_failed 6.18=struct_ops_failed running=struct_ops_failed
 * Expect-load: running=struct_ops_failed
 */
#include "kc_corpus.h"

struct sock {
	u32 sk_priority;
} __attribute__((preserve_access_index));

struct tcp_congestion_ops {
	u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, u32 ack, u32 acked);
	u32 (*undo_cwnd)(struct sock *sk);
	void (*cong_control_ext)(struct sock *sk, u32 ack, int flag);
	char name[16];
};

extern u32 tcp_reno_ssthresh(struct sock *sk) __ksym;
extern void tcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 acked) __ksym;
extern u32 tcp_reno_undo_cwnd(struct sock *sk) __ksym;

SEC("struct_ops/ext_ssthresh")
u32 BPF_PROG(ext_ssthresh, struct sock *sk)
{
	return tcp_reno_ssthresh(sk);
}

SEC("struct_ops/ext_cong_avoid")
void BPF_PROG(ext_cong_avoid, struct sock *sk, u32 ack, u32 acked)
{
	tcp_reno_cong_avoid(sk, ack, acked);
}

SEC("struct_ops/ext_undo_cwnd")
u32 BPF_PROG(ext_undo_cwnd, struct sock *sk)
{
	return tcp_reno_undo_cwnd(sk);
}

SEC("struct_ops/ext_control")
void BPF_PROG(ext_control, struct sock *sk, u32 ack, int flag)
{
}

SEC(".struct_ops")
struct tcp_congestion_ops kc_ext = {
	.ssthresh = (void *)ext_ssthresh,
	.cong_avoid = (void *)ext_cong_avoid,
	.undo_cwnd = (void *)ext_undo_cwnd,
	.cong_control_ext = (void *)ext_control,
	.name = "kc_ext",
};

KC_LICENSE;
