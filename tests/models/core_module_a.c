/* A module of the kernel of tests/core_matcher_test.cc (core_kernel.c): its
 * types become split BTF over that kernel's. */
struct kc_mod_only {
	int b;
	int a;
} kc_mod_only;

struct kc_mod_both {
	int a;
} kc_mod_both;

/* vmlinux has kc_task: libbpf never looks at this one. */
struct kc_task {
	int only_in_module;
	int pid;
} kc_task;

char _license[] __attribute__((section("license"))) = "GPL";
