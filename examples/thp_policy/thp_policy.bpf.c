/* What the THP policy's revisions share: its settings, its licence and its
 * acknowledgement that BPF-THP is experimental (manifests/bpf-thp.toml). */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <kcontract/opt_in.h>

KCONTRACT_OPT_IN("bpf_thp");

char LICENSE[] SEC("license") = "GPL";

volatile __u32 kc_thp_under_pressure;
/* 64 MiB of 4 KB pages. */
volatile __u64 kc_thp_small_process_pages = 16384;
