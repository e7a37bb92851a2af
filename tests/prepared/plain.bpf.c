/* An object without revision tags for tests/prepared_check_test.cc: it
 * calls a deprecated and a withdrawn kfunc (prepared.toml), and declares
 * bpf_kc_lookup with the newer kernel's signed serial. */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern int bpf_kc_old(int x) __ksym;
extern int bpf_kc_gone(int x) __ksym;
extern int bpf_kc_lookup(int serial) __ksym;

SEC("syscall")
int kc_plain(void *ctx)
{
	return bpf_kc_old(1) + bpf_kc_gone(2) + bpf_kc_lookup(-3);
}
