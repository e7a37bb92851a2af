/* The kernel of tests/libbpf_rules_test.cc, read as raw BTF: two kfuncs
 * (pahole's bpf_kfunc decl tag, as kernels since pahole 1.27 carry it) and
 * one registered struct_ops table, kc_ops, without the member `newer` the
 * objects' newer declaration has. The test gives it a release (6.1 or 6.12)
 * where the kernel's version matters. */
#ifdef KC_NO_KFUNC_TAGS
#define __bpf_kfunc __attribute__((noinline, used))
#else
#define __bpf_kfunc __attribute__((noinline, used, btf_decl_tag("bpf_kfunc")))
#endif

struct kc_state {
	int val;
};

struct kc_ops {
	int (*init)(struct kc_state *s);
	int (*run)(struct kc_state *s, int x);
	unsigned int flags;
	char name[16];
};

/* What register_bpf_struct_ops() makes of a table. */
struct bpf_struct_ops_kc_ops {
	int refcnt_placeholder;
	int state;
	struct kc_ops data;
};
struct bpf_struct_ops_kc_ops kc_registered_kc_ops;

__bpf_kfunc int bpf_kc_foo(int x) { return x + 1; }
__bpf_kfunc int bpf_kc_bar(int x, int y) { return x + y; }

char _license[] __attribute__((section("license"))) = "GPL";
