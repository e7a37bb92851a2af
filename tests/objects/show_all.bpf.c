// A BPF object exercising everything `kcontract object show` reports:
// tp_btf and fentry programs, a BTF-defined map, a struct_ops map, strong
// and weak kfunc externs, a typed ksym, a kconfig extern, CO-RE field, type
// and enum relocations (one on a ___flavour struct) and helper calls.
// Kernel types are declared locally (no vmlinux.h) with only the members used.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#define __kc_core __attribute__((preserve_access_index))

struct mm_struct {
  unsigned long def_flags;
} __kc_core;

struct task_struct {
  int pid;
  struct mm_struct *mm;
  struct {
    int prio_a;
    int prio_b;
  };
  char comm[16];
} __kc_core;

// An older layout of task_struct: libbpf strips the ___old suffix.
struct task_struct___old {
  long state;
} __kc_core;

struct rq {
  int cpu;
} __kc_core;

struct sock;

enum bpf_func_id___local {
  BPF_FUNC_unspec___local = 0,
  BPF_FUNC_map_lookup_elem___local = 1,
};

enum kc_probe_state {
  KC_PROBE_OFF = 0,
  KC_PROBE_ON = 1,
};

struct tcp_congestion_ops {
  void (*init)(struct sock *sk);
  void (*release)(struct sock *sk);
  __u32 (*ssthresh)(struct sock *sk);
  void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
  __u32 flags;
  char name[16];
};

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym __weak;
extern const struct rq runqueues __ksym;
extern int LINUX_KERNEL_VERSION __kconfig;
extern _Bool CONFIG_KC_MISSING __kconfig __weak;

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 64);
  __type(key, int);
  __type(value, __u64);
} counts SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4096);
} events SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

static __noinline int count_pid(int pid) {
  __u64 one = 1, *value = bpf_map_lookup_elem(&counts, &pid);
  if (value) return (int)*value;
  bpf_map_update_elem(&counts, &pid, &one, BPF_ANY);
  return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, _Bool preempt, struct task_struct *prev, struct task_struct *next) {
  struct task_struct *task = bpf_task_acquire(next);
  if (!task) return 0;
  unsigned long flags = BPF_CORE_READ(task, mm, def_flags);
  if (bpf_core_field_exists(task->prio_b)) flags += task->prio_b;
  flags += task->comm[2];
  if (bpf_task_release) bpf_task_release(task);
  bpf_printk("switch %lu %d", flags, LINUX_KERNEL_VERSION);
  return count_pid(prev->pid);
}

SEC("fentry/do_unlinkat")
int BPF_PROG(on_unlink, int dfd) {
  struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
  if (bpf_core_type_exists(struct task_struct___old)) {
    struct task_struct___old *old = (void *)task;
    if (BPF_CORE_READ(old, state) != 0) return 1;
  }
  if (bpf_core_enum_value_exists(enum bpf_func_id___local, BPF_FUNC_map_lookup_elem___local))
    return bpf_get_smp_processor_id() + runqueues.cpu;
  return CONFIG_KC_MISSING;
}

SEC("struct_ops/kc_init")
void BPF_PROG(kc_init, struct sock *sk) {}

SEC("struct_ops/kc_ssthresh")
__u32 BPF_PROG(kc_ssthresh, struct sock *sk) { return 2; }

SEC(".struct_ops")
struct tcp_congestion_ops kc_cc = {
    .init = (void *)kc_init,
    .ssthresh = (void *)kc_ssthresh,
    .name = "kc_cc",
};
