/* types.0.c as a later kernel has it. */
#include "kc_diff_model.h"

enum state { ST_A = 0, ST_B = 1, ST_C = 5, ST_NEW = 4 };
typedef struct { int counter; int waiters; } atomic_t;
struct inner { u32 a; u32 b; u64 c; };
struct task { int pid; };
struct other { int x; };
struct far { int x; int y; };

struct obj {
	u32 id;
	u64 counter;
	long level;
	struct other *owner;
	void *kind_changes;
	__u32 renamed_typedef;
	char name[16];
	int hist[2];
	unsigned int flag_a : 5;
	unsigned int flag_b : 5;
	union {
		int as_int;
		u32 as_u32;
		u64 as_u64;
	};
	struct inner in;
	enum state st;
	atomic_t refs;
	struct far *far;
	u32 tail;
	u64 appended;
};

struct args { u32 len; u32 flags; u64 extra; };
struct sized_args { u32 len; u32 more; };

/* Two pointers away from kt_use: beyond the default bound, never reported. */
struct far kc_far;

KFUNC int kt_use(struct obj *o, struct args *a) { return 0; }
KFUNC int kt_sized(struct sized_args *a, u32 a__sz) { return 0; }
KFUNC enum state kt_state(enum state s) { return s; }

LICENSE;
