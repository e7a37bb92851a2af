/* Kernel types reached from kfuncs: members added (at the end and in the
 * middle), removed, moved, resized and retyped; sizes; enumerators;
 * typedef-only renames; anonymous unions flattened; typedefs of anonymous
 * structs; memory a program provides; types beyond the pointer bound. */
#include "kc_diff_model.h"

enum state { ST_A = 0, ST_B = 1, ST_C = 2, ST_OLD = 3 };
typedef struct { int counter; } atomic_t;
struct inner { u32 a; u32 b; };
struct task { int pid; };
struct other { int x; };
struct far { int x; };

struct obj {
	u32 id;
	int removed_field;
	u32 counter;
	int level;
	struct task *owner;
	int kind_changes;
	u32 renamed_typedef;
	char name[8];
	int hist[4];
	unsigned int flag_a : 3;
	unsigned int flag_b : 5;
	union {
		int as_int;
		u32 as_u32;
	};
	struct inner in;
	enum state st;
	atomic_t refs;
	struct far *far;
	u32 tail;
};

/* Filled in by the program: a struct of scalars behind a pointer. */
struct args { u32 len; u32 flags; };
/* The same, with its size passed in the next argument. */
struct sized_args { u32 len; };

/* Two pointers away from kt_use: beyond the default bound, never reported. */
struct far kc_far;

KFUNC int kt_use(struct obj *o, struct args *a) { return 0; }
KFUNC int kt_sized(struct sized_args *a, u32 a__sz) { return 0; }
KFUNC enum state kt_state(enum state s) { return s; }

LICENSE;
