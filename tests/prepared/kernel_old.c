/* The older kernel of tests/prepared_check_test.cc: no kc_demo_ops table,
 * no bpf_kc_new, and bpf_kc_lookup taking an unsigned serial (revision
 * "unsigned" in prepared.toml). */
#include "kernel_common.h"

__bpf_kfunc int bpf_kc_old(int x) { return x + 1; }
__bpf_kfunc int bpf_kc_gone(int x) { return x + 2; }
__bpf_kfunc int bpf_kc_lookup(unsigned int serial) { return serial; }

char _license[] __attribute__((section("license"))) = "GPL";
