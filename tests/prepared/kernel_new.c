/* The newer kernel of tests/prepared_check_test.cc (a C model, read as raw
 * BTF): revision v2 of the kc_demo_ops table, the new kfunc bpf_kc_new
 * beside the old bpf_kc_old it replaces, and bpf_kc_lookup taking a signed
 * serial (revision "signed" in prepared.toml). */
#include "kernel_common.h"

struct kc_demo_ops {
	int (*act)(int a, long b);
};
KC_REGISTER_STRUCT_OPS(kc_demo_ops);

__bpf_kfunc int bpf_kc_new(int x) { return x; }
__bpf_kfunc int bpf_kc_old(int x) { return x + 1; }
__bpf_kfunc int bpf_kc_gone(int x) { return x + 2; }
__bpf_kfunc int bpf_kc_lookup(int serial) { return serial; }

char _license[] __attribute__((section("license"))) = "GPL";
