/* A second module of the kernel of tests/core_matcher_test.cc: another
 * kc_mod_both, with its member elsewhere. */
struct kc_mod_both {
	long pad;
	int a;
} kc_mod_both;

char _license[] __attribute__((section("license"))) = "GPL";
