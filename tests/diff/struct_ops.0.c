/* struct_ops changes, seen by implementers: types added and removed,
 * members added and removed, callback prototypes, data members. */
#include "kc_diff_model.h"

struct sock { int state; };
struct ack { u32 acked; };

struct cc_ops {
	u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, u32 ack);
	void (*cong_control)(struct sock *sk, const struct ack *a);
	u32 (*undo)(struct sock *sk);
	void (*set_state)(struct sock *sk, u8 state);
	int (*removed_cb)(struct sock *sk);
	void (*to_data)(struct sock *sk);
	char name[16];
	u32 key;
	u32 flags;
};
STRUCT_OPS(cc_ops);

struct gone_ops {
	int (*init)(void);
};
STRUCT_OPS(gone_ops);

LICENSE;
