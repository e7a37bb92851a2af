/* An object for tests/apply_profile_test.cc against profile_kernel.c: a
 * program the kernel can load, one that a profile turns off (its tracepoint
 * is absent, it reads a member the kernel lacks and calls a kfunc the kernel
 * lacks), placeholder targets of every kind, and rodata of every kind: const
 * volatile read directly and through a subprogram, a char array, a const
 * that is not volatile, one no program reads. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct task_struct {
	int pid;
	int gone_field;
} __attribute__((preserve_access_index));

extern int bpf_kc_absent(int x) __ksym;

const volatile int targ_pid = 0;
const volatile signed char level = -3;
const volatile char comm[16] = "kc";
const volatile _Bool enabled = 1;
const int folded = 7;
const volatile int unread = 1;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} events SEC(".maps");

static __attribute__((noinline)) int skip_pid(int pid)
{
	return targ_pid && pid != targ_pid;
}

SEC("tp_btf/kc_switch")
int on_switch(__u64 *ctx)
{
	struct task_struct *next = (void *)ctx[2];

	if (skip_pid(next->pid))
		return 0;
	return level + enabled;
}

SEC("tp_btf/kc_missing")
int on_missing(__u64 *ctx)
{
	struct task_struct *p = (void *)ctx[0];

	return p->gone_field + bpf_kc_absent(1);
}

SEC("fentry/dummy_fentry")
int on_placeholder(__u64 *ctx)
{
	return comm[0];
}

SEC("fentry/dummy_handler")
int on_named_dummy(__u64 *ctx)
{
	return 0;
}

SEC("fentry")
int on_bare(__u64 *ctx)
{
	return folded;
}

SEC("kprobe/kc_do_open")
int on_kprobe(void *ctx)
{
	return 0;
}

SEC("freplace/kc_sub")
int on_replace(void *ctx)
{
	return 0;
}
