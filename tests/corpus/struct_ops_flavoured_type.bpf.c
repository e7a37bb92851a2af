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
#include "kc_corpus.h"

struct sock {
	u32 sk_priority;
} __attribute__((preserve_access_index));

struct tcp_congestion_ops___v2 {
	u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, u32 ack, u32 acked);
	u32 (*undo_cwnd)(struct sock *sk);
	char name[16];
};

extern u32 tcp_reno_ssthresh(struct sock *sk) __ksym;
extern void tcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 acked) __ksym;
extern u32 tcp_reno_undo_cwnd(struct sock *sk) __ksym;

SEC("struct_ops/kc_v2_ssthresh")
u32 BPF_PROG(kc_v2_ssthresh, struct sock *sk)
{
	return tcp_reno_ssthresh(sk);
}

SEC("struct_ops/kc_v2_cong_avoid")
void BPF_PROG(kc_v2_cong_avoid, struct sock *sk, u32 ack, u32 acked)
{
	tcp_reno_cong_avoid(sk, ack, acked);
}

SEC("struct_ops/kc_v2_undo_cwnd")
u32 BPF_PROG(kc_v2_undo_cwnd, struct sock *sk)
{
	return tcp_reno_undo_cwnd(sk);
}

SEC(".struct_ops")
struct tcp_congestion_ops___v2 kc_reno_v2 = {
	.ssthresh = (void *)kc_v2_ssthresh,
	.cong_avoid = (void *)kc_v2_cong_avoid,
	.undo_cwnd = (void *)kc_v2_undo_cwnd,
	.name = "kc_reno_v2",
};

KC_LICENSE;
