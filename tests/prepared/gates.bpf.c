/* Programs gated on a kfunc slot, for tests/prepared_check_test.cc:
 * with_new loads where the slot got bpf_kc_new (kernel_new), without_new
 * where it got nothing (kernel_old); typo names a slot the object lacks. */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <kcontract/kfunc_revisions.h>

char LICENSE[] SEC("license") = "GPL";

extern int bpf_kc_new(int x) KC_KFUNC_WEAK;

KC_KFUNC_OPTIONAL(call, "bpf_kc_new");

SEC("syscall")
KC_PROGRAM_IF(call)
int with_new(void *ctx)
{
	return bpf_kc_new(1);
}

SEC("syscall")
KC_PROGRAM_UNLESS(call)
int without_new(void *ctx)
{
	return 1;
}

SEC("syscall")
KC_PROGRAM_IF(nosuch)
int typo(void *ctx)
{
	return 2;
}
