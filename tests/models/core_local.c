/* The object's types for tests/core_matcher_test.cc: what a CO-RE program
 * was compiled against. core_kernel.c is the kernel it meets (and
 * core_module_a.c, core_module_b.c two of its modules); the comments say
 * how the kernel differs. Compiled by clang -target bpf -g into raw BTF. */
struct kc_mm {
	unsigned long def_flags;
} kc_mm; /* a STRUCT in BTF: clang leaves a type reached only by pointer a FWD */

struct kc_sched {
	int weight;
};

struct kc_task {
	int pid;
	unsigned int prio : 5;   /* the kernel's sits after another bitfield */
	int small;               /* a short there: a signed field that shrank */
	unsigned int usmall;     /* an unsigned short there */
	struct kc_mm *mm;
	int gone;                /* not in the kernel */
	int wrong_kind;          /* a pointer there */
	int arr[4];              /* int arr[2] there */
	long anon_b;             /* inside an anonymous union there */
	unsigned int sign;       /* int there */
	int moved;
	struct kc_sched se;      /* the kernel's kc_sched has a member first */
} kc_task;

enum kc_state { KC_RUNNING, KC_SLEEPING, KC_ZOMBIE } kc_state;

struct kc_nowhere {
	int x;
} kc_nowhere;

typedef int kc_pid_t;    /* a struct there */
kc_pid_t kc_pid;

/* Two flavours of a type the kernel renamed a member of. */
struct kc_inode___old {
	long i_atime;
} kc_inode_old;
struct kc_inode___new {
	long __i_atime;
} kc_inode_new;

/* The kernel has two candidates of each of these. */
struct kc_dup {
	long y;
} kc_dup;     /* y at two offsets */
struct kc_same {
	long y;
} kc_same;    /* y at one offset in both */
struct kc_dsize {
	long y;
} kc_dsize;   /* y at one offset, of two sizes */

struct kc_far {
	int far;
} kc_far;     /* past 32767 bytes in the kernel */

struct {
	int q;
} kc_anonymous;

/* Only in modules: one module, then two. */
struct kc_mod_only {
	int a;
} kc_mod_only;
struct kc_mod_both {
	int a;
} kc_mod_both;

char _license[] __attribute__((section("license"))) = "GPL";
