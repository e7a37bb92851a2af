/* The model kernel of tests/apply_profile_test.cc, read as raw BTF: two raw
 * tracepoints (btf_trace_kc_switch, btf_trace_kc_wakeup), a function to trace,
 * a real function named like a placeholder, and a task_struct without the
 * member profile_model.bpf.c reads in the program a profile turns off. */
struct task_struct {
	int pid;
	int tgid;
};

typedef void (*btf_trace_kc_switch)(void *, struct task_struct *, struct task_struct *);
typedef void (*btf_trace_kc_wakeup)(void *, struct task_struct *);

btf_trace_kc_switch kc_tp_switch __attribute__((used));
btf_trace_kc_wakeup kc_tp_wakeup __attribute__((used));
struct task_struct kc_init_task __attribute__((used));

__attribute__((noinline, used)) int kc_do_open(int fd)
{
	return fd;
}

__attribute__((noinline, used)) int dummy_handler(int irq)
{
	return irq;
}
