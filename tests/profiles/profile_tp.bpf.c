/* A tool as real tools are built, for the load profile tests on real
 * kernels (tests/load_profile_cli_test.cc, tests/load_profile_oracle_test.cc):
 * one program every kernel can load, one whose tracepoint no kernel has (a
 * tool turns it off, or points it at one the kernel has, before load), one
 * whose section names no target (the loader must set one), and two
 * `const volatile` variables user space sets before load. tp_btf programs,
 * because this machine loads them (it refuses fentry with EPERM). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

const volatile int targ_pid = 0;
const volatile _Bool verbose = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

static __always_inline int count(void)
{
	__u32 key = 0;
	__u64 *value = bpf_map_lookup_elem(&counts, &key);

	if (value)
		__sync_fetch_and_add(value, 1);
	return 0;
}

SEC("tp_btf/kc_no_such_tracepoint")
int on_missing(__u64 *ctx)
{
	return count();
}

SEC("tp_btf")
int on_bare(__u64 *ctx)
{
	if (verbose)
		bpf_printk("on_bare");
	return count();
}

/* Last: libbpf loads programs in section order and stops at the first that
 * fails, and on a foreign kernel the oracle cannot judge this one's load
 * (its attach BTF id is the foreign kernel's); the programs before it reach
 * their attach-target lookups on every kernel. */
SEC("tp_btf/sched_switch")
int on_switch(__u64 *ctx)
{
	if (targ_pid && (bpf_get_current_pid_tgid() >> 32) != targ_pid)
		return 0;
	return count();
}
