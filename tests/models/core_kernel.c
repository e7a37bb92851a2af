/* The kernel of tests/core_matcher_test.cc (core_local.c is the object). */
struct kc_mm {
	unsigned long def_flags;
	int users;
} kc_mm;

struct kc_sched {
	long vruntime;
	int weight;
};

struct kc_task {
	long state;
	int pid;
	unsigned int flags : 3;
	unsigned int prio : 5;
	short small;
	unsigned short usmall;
	struct kc_mm *mm;
	struct kc_mm *wrong_kind;
	int arr[2];
	union {
		int anon_a;
		long anon_b;
	};
	int sign;
	int moved;
	struct kc_sched se;
} kc_task;

enum kc_state { KC_RUNNING = 0, KC_SLEEPING = 5, KC_DEAD = 64 } kc_state;

typedef struct {
	int value;
} kc_pid_t;
kc_pid_t kc_pid;

struct kc_inode {
	long __i_atime;
	int other;
} kc_inode;

struct kc_dup___a {
	int x;
	long y;
} kc_dup_a;
struct kc_dup___b {
	long y;
} kc_dup_b;

struct kc_same___a {
	int x;
	long y;
} kc_same_a;
struct kc_same___b {
	int z;
	long y;
} kc_same_b;

struct kc_dsize___a {
	long y;
} kc_dsize_a;
struct kc_dsize___b {
	int y;
} kc_dsize_b;

struct kc_far {
	char pad[40000];
	int far;
} kc_far;

char _license[] __attribute__((section("license"))) = "GPL";
