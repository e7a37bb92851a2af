/* struct_ops.0.c as a later kernel has it. */
#include "kc_diff_model.h"

struct sock { int state; int prio; };
struct ack { u32 acked; };

struct cc_ops {
	u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, u32 ack, u32 acked);
	void (*cong_control)(struct sock *sk, u32 ack, int flag, const struct ack *a);
	u64 (*undo)(struct sock *sk);
	void (*set_state)(struct sock *sk, u32 state);
	unsigned long to_data;
	char name[32];
	__u32 key;
	u32 flags;
	int (*added_cb)(struct sock *sk);
	u32 added_data;
};
STRUCT_OPS(cc_ops);

struct new_ops {
	int (*init)(void);
};
STRUCT_OPS(new_ops);

LICENSE;
