/* Functions whose BTF ids tests/btf_ids_test.cc writes into synthetic
 * .BTF_ids set8 records, and a variable, whose id is no function's.
 * Compiled by clang -target bpf -g into raw BTF. */
__attribute__((noinline)) int kc_kfunc_a(int x) { return x; }
__attribute__((noinline)) int kc_kfunc_b(int x) { return x + 1; }
__attribute__((noinline)) int kc_kfunc_c(int x) { return x + 2; }
__attribute__((noinline)) int kc_kfunc_d(int x) { return x + 3; }

int kc_not_a_func;

char _license[] __attribute__((section("license"))) = "GPL";
