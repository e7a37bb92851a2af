/* Kfunc slots for tests/prepared_check_test.cc: one picks bpf_kc_new, else
 * the deprecated bpf_kc_old; one picks the revision of bpf_kc_lookup the
 * kernel has, calling the unsigned one through KC_KFUNC_AS. */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <kcontract/kfunc_revisions.h>

char LICENSE[] SEC("license") = "GPL";

extern int bpf_kc_new(int x) KC_KFUNC_WEAK;
extern int bpf_kc_old(int x) KC_KFUNC_WEAK;
extern int bpf_kc_lookup(int serial) KC_KFUNC_WEAK;
typedef int kc_lookup_unsigned(unsigned int serial);

KC_KFUNC_OPTIONAL(call, "bpf_kc_new,bpf_kc_old");
KC_KFUNC_OPTIONAL(lookup, "bpf_kc_lookup@signed,bpf_kc_lookup@unsigned");

SEC("syscall")
int kc_slots(void *ctx)
{
	int r = 0;

	if (KC_CHOSE(call, 0))
		r += bpf_kc_new(1);
	else if (KC_CHOSE(call, 1))
		r += bpf_kc_old(1);
	if (KC_CHOSE(lookup, 0))
		r += bpf_kc_lookup(-3);
	else if (KC_CHOSE(lookup, 1))
		r += KC_KFUNC_AS(bpf_kc_lookup, kc_lookup_unsigned)(3);
	return r;
}
