// Built without -g: no .BTF, no .BTF.ext. Programs, map names, helper and
// kfunc calls still come from the ELF symbols and relocations.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int bpf_kc_probe(int x) __ksym;

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, int);
  __type(value, long);
} kc_values SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sched_switch")
int kc_plain(void *ctx) {
  int key = 0;
  long *value = bpf_map_lookup_elem(&kc_values, &key);
  if (value) *value += bpf_kc_probe((int)bpf_get_smp_processor_id());
  return 0;
}
