/* What the corpus' tcp_congestion_ops objects that test a libbpf feature
 * (not the type itself) share: the tcp_reno_* kfuncs, and three struct_ops
 * callbacks calling them, named <prefix>_ssthresh, <prefix>_cong_avoid and
 * <prefix>_undo_cwnd. Each object declares its own tcp_congestion_ops (that
 * is what varies: its name, its members, its section), with
 * KC_RENO_MEMBERS for the three callbacks, and fills it with
 * KC_RENO_OPS(prefix). (struct_ops_tcp_reno, the first of them, spells it
 * all out.)
 */
#ifndef KC_TCP_RENO_H_
#define KC_TCP_RENO_H_

#include "kc_corpus.h"

struct sock {
	u32 sk_priority;
} __attribute__((preserve_access_index));

extern u32 tcp_reno_ssthresh(struct sock *sk) __ksym;
extern void tcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 acked) __ksym;
extern u32 tcp_reno_undo_cwnd(struct sock *sk) __ksym;

#define KC_RENO_MEMBERS                                          \
	u32 (*ssthresh)(struct sock *sk);                        \
	void (*cong_avoid)(struct sock *sk, u32 ack, u32 acked); \
	u32 (*undo_cwnd)(struct sock *sk)

#define KC_RENO_CALLBACKS(prefix)                                       \
	SEC("struct_ops/" #prefix "_ssthresh")                          \
	u32 BPF_PROG(prefix##_ssthresh, struct sock *sk)                \
	{                                                               \
		return tcp_reno_ssthresh(sk);                           \
	}                                                               \
	SEC("struct_ops/" #prefix "_cong_avoid")                        \
	void BPF_PROG(prefix##_cong_avoid, struct sock *sk, u32 ack, u32 acked) \
	{                                                               \
		tcp_reno_cong_avoid(sk, ack, acked);                    \
	}                                                               \
	SEC("struct_ops/" #prefix "_undo_cwnd")                         \
	u32 BPF_PROG(prefix##_undo_cwnd, struct sock *sk)               \
	{                                                               \
		return tcp_reno_undo_cwnd(sk);                          \
	}

#define KC_RENO_OPS(prefix)                          \
	.ssthresh = (void *)prefix##_ssthresh,       \
	.cong_avoid = (void *)prefix##_cong_avoid,   \
	.undo_cwnd = (void *)prefix##_undo_cwnd

#endif /* KC_TCP_RENO_H_ */
