/* A C model whose BTF exercises every declarator form c_decl.cc prints.
 * Compiled by clang -target bpf -g at build time; the functions are only
 * declarations a BPF program could see in kernel BTF. */
typedef unsigned long long u64;
typedef unsigned int u32;
typedef u64 handle_t;

struct sock;
struct task_struct { int pid; };
union bpf_attr;
enum order { ORDER_4K = 0, ORDER_2M = 9 };

struct ops {
	void (*init)(struct sock *sk);
	u32 (*ssthresh)(struct sock *sk);
	int (*cb_with_cb)(int (*inner)(void *ctx, int n), void *ctx);
	char name[16];
	const char *(*get_name)(const struct ops *self);
	struct { int a; } anon;
	unsigned long flags;
};

struct ops ops_instance;

__attribute__((noinline)) u64 takes_typedefs(u32 a, handle_t h) { return a + h; }
__attribute__((noinline)) struct task_struct *returns_ptr(struct task_struct *p) { return p; }
__attribute__((noinline)) int const_ptrs(const char *s, char *const t, const volatile int *v) { return *v; }
__attribute__((noinline)) int ptr_to_array(int (*rows)[4]) { return rows[0][0]; }
__attribute__((noinline)) void no_args(void) {}
__attribute__((noinline)) enum order takes_enum(enum order o, union bpf_attr *attr) { return o; }
__attribute__((noinline)) int func_ptr_arg(int (*cb)(void *ctx, u64 flags), void *ctx) { return cb(ctx, 0); }
__attribute__((noinline)) void **double_ptr(void **pp) { return pp; }

char _license[] __attribute__((section("license"))) = "GPL";
