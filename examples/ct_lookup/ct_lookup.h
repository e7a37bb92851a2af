/* What ct_lookup.bpf.c and its loader (ct_lookup.c) share: the counters the
 * XDP programs keep in .bss. */
#ifndef KC_EXAMPLE_CT_LOOKUP_H_
#define KC_EXAMPLE_CT_LOOKUP_H_

#include <linux/types.h>

struct ct_stats {
	__u64 tracked;            /* packets of connections conntrack knows */
	__u64 assured;            /* ... of those, in connections it saw both ways */
	__u64 new_flows;          /* TCP SYN or UDP conntrack does not know yet: passed */
	__u64 untracked_dropped;  /* TCP segments of connections conntrack does not know */
	__u64 esp_known;          /* ESP packets of an SA the kernel has (xfrm program) */
	__u64 esp_unknown_dropped;
	__u64 esp_unchecked;      /* ESP packets passed unchecked (program without xfrm) */
	__u64 lookup_errors;      /* the kfunc refused the call (opts->error other than -ENOENT) */
	__s32 last_error;         /* the last opts->error of either lookup */
	__u32 ct_opts_size;       /* the opts__sz the program passed to bpf_xdp_ct_lookup */
	__u32 xfrm_opts_size;     /* ... and to bpf_xdp_get_xfrm_state (0: not called) */
	__u32 program;            /* 1: ct_filter_xfrm ran, 2: ct_filter */
};

#endif /* KC_EXAMPLE_CT_LOOKUP_H_ */
