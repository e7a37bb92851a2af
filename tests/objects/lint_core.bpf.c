// CO-RE reads of kernel types (one through a ___flavour, one a typedef, one
// an enum), a local type id (no kernel type involved) and a kfunc no
// contract names, for contract findings on kernel types.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define __kc_core __attribute__((preserve_access_index))

struct task_struct {
  int pid;
} __kc_core;

struct task_struct___v2 {
  int tgid;
} __kc_core;

struct kc_local_only {
  int x;
};

typedef struct {
  long counter;
} kc_atomic_t;

enum kc_mode {
  KC_MODE_OFF = 0,
  KC_MODE_ON = 1,
};

extern int bpf_kc_unlisted(int value) __ksym;

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sched_switch")
int kc_read_task(unsigned long long *ctx) {
  struct task_struct *task = (void *)ctx[1];
  int pid = BPF_CORE_READ(task, pid);
  if (bpf_core_type_exists(struct task_struct___v2)) {
    pid += BPF_CORE_READ((struct task_struct___v2 *)task, tgid);
  }
  if (bpf_core_type_exists(kc_atomic_t)) pid += 1;
  if (bpf_core_enum_value_exists(enum kc_mode, KC_MODE_ON)) pid += 2;
  pid += bpf_core_type_id_local(struct kc_local_only);
  return bpf_kc_unlisted(pid);
}
