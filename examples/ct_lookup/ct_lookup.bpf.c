/* An XDP filter on the conntrack and xfrm kfuncs, one object for the kernels
 * that have the xfrm state kfuncs (6.12 on) and those that do not (6.1):
 * TCP segments of connections conntrack does not know (other than SYNs) are
 * dropped; with the xfrm kfuncs, so are ESP packets of SAs the kernel does
 * not have.
 *
 *   conntrack   bpf_xdp_ct_lookup(ctx, tuple, tuple__sz, opts, opts__sz):
 *               opts__sz is the size of the KERNEL's struct bpf_ct_opts
 *               (12 on 6.1, 16 on 6.12 and 6.18), which CO-RE reads from
 *               the kernel's BTF at load (bpf_core_type_size): 6.1 refuses
 *               any other size, later kernels take 16 or 12.
 *   xfrm        bpf_xdp_get_xfrm_state / bpf_xdp_xfrm_state_release (6.2 on;
 *               not in Debian's 6.1): two programs, ct_filter_xfrm with the
 *               xfrm check and ct_filter without; the loader helper loads the
 *               one the kernel can take (KC_PROGRAM_IF / KC_PROGRAM_UNLESS on
 *               the slot `xfrm`). Not one program with a guarded call: a
 *               kernel older than 6.4 (Debian's 6.1) refuses a call of an
 *               absent weak kfunc even where the verifier never goes.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <kcontract/kfunc_revisions.h>

#include "ct_lookup.h"

char LICENSE[] SEC("license") = "GPL";

#define KC_ENOENT 2
#define KC_AF_INET 2
#define KC_IPS_ASSURED_BIT 2 /* enum ip_conntrack_status */

/* The conntrack entry: what the filter reads of it (CO-RE). */
struct nf_conn {
	unsigned long status;
} __attribute__((preserve_access_index));

/* The caller's memory, sized by opts__sz: the largest layout the example
 * knows (6.11's, 16 bytes); the kernel reads the first opts__sz bytes. */
struct bpf_ct_opts {
	__s32 netns_id;
	__s32 error;
	__u8 l4proto;
	__u8 dir;
	__u16 ct_zone_id;
	__u8 ct_zone_dir;
	__u8 reserved[3];
};

struct bpf_xfrm_state_opts {
	__s32 error;
	__s32 netns_id;
	__u32 mark;
	union {
		__be32 a4;
		__be32 a6[4];
	} daddr;
	__be32 spi;
	__u8 proto;
	__u16 family;
};

struct xfrm_id {
	__be32 spi;
} __attribute__((preserve_access_index));
struct xfrm_state {
	struct xfrm_id id;
} __attribute__((preserve_access_index));

extern struct nf_conn *bpf_xdp_ct_lookup(struct xdp_md *xdp_ctx, struct bpf_sock_tuple *bpf_tuple,
					 __u32 tuple__sz, struct bpf_ct_opts *opts,
					 __u32 opts__sz) __ksym;
extern void bpf_ct_release(struct nf_conn *nfct) __ksym;
extern struct xfrm_state *bpf_xdp_get_xfrm_state(struct xdp_md *ctx,
						 struct bpf_xfrm_state_opts *opts,
						 __u32 opts__sz) KC_KFUNC_WEAK;
extern void bpf_xdp_xfrm_state_release(struct xfrm_state *x) KC_KFUNC_WEAK;

KC_KFUNC_OPTIONAL(xfrm, "bpf_xdp_get_xfrm_state&bpf_xdp_xfrm_state_release");

/* Non-zero: pass this opts__sz instead of the kernel's size (to see which
 * sizes a kernel accepts; ct_lookup --opts-size). */
const volatile __u32 kc_ct_opts_size_override = 0;
/* Non-zero: drop what conntrack (or xfrm) does not know; zero: count only. */
const volatile __u32 kc_ct_enforce = 1;

struct ct_stats stats;

/* The kernel's sizeof(struct bpf_ct_opts), at most the local one's. */
static __always_inline __u32 ct_opts_size(void)
{
	__u32 size = bpf_core_type_size(struct bpf_ct_opts);

	if (kc_ct_opts_size_override)
		size = kc_ct_opts_size_override;
	if (size > sizeof(struct bpf_ct_opts))
		size = sizeof(struct bpf_ct_opts);
	return size;
}

static __always_inline int note_error(__s32 error)
{
	stats.last_error = error;
	if (error != -KC_ENOENT)
		__sync_fetch_and_add(&stats.lookup_errors, 1);
	return error == -KC_ENOENT;
}

static __always_inline int check_esp(struct xdp_md *ctx, struct iphdr *iph, void *l4, void *end)
{
	struct bpf_xfrm_state_opts opts = {};
	__u32 size = bpf_core_type_size(struct bpf_xfrm_state_opts);
	struct xfrm_state *x;
	__be32 *spi = l4;

	if ((void *)(spi + 1) > end)
		return XDP_PASS;
	if (size > sizeof(opts))
		size = sizeof(opts);
	stats.xfrm_opts_size = size;
	opts.netns_id = BPF_F_CURRENT_NETNS;
	opts.daddr.a4 = iph->daddr;
	opts.spi = *spi;
	opts.proto = IPPROTO_ESP;
	opts.family = KC_AF_INET;
	x = bpf_xdp_get_xfrm_state(ctx, &opts, size);
	if (x) {
		if (x->id.spi == *spi)
			__sync_fetch_and_add(&stats.esp_known, 1);
		bpf_xdp_xfrm_state_release(x);
		return XDP_PASS;
	}
	if (!note_error(opts.error) || !kc_ct_enforce)
		return XDP_PASS;
	__sync_fetch_and_add(&stats.esp_unknown_dropped, 1);
	return XDP_DROP;
}

static __always_inline int filter(struct xdp_md *ctx, bool with_xfrm)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct bpf_sock_tuple tuple = {};
	struct bpf_ct_opts opts = {};
	struct iphdr *iph;
	struct nf_conn *ct;
	bool syn = false;
	void *l4;

	stats.program = with_xfrm ? 1 : 2;
	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	iph = (void *)(eth + 1);
	if ((void *)(iph + 1) > end || iph->ihl != 5)
		return XDP_PASS;
	l4 = iph + 1;
	if (iph->protocol == IPPROTO_ESP) {
		if (with_xfrm)
			return check_esp(ctx, iph, l4, end);
		__sync_fetch_and_add(&stats.esp_unchecked, 1);
		return XDP_PASS;
	}
	if (iph->protocol == IPPROTO_TCP) {
		struct tcphdr *th = l4;

		if ((void *)(th + 1) > end)
			return XDP_PASS;
		tuple.ipv4.sport = th->source;
		tuple.ipv4.dport = th->dest;
		syn = th->syn && !th->ack;
	} else if (iph->protocol == IPPROTO_UDP) {
		struct udphdr *uh = l4;

		if ((void *)(uh + 1) > end)
			return XDP_PASS;
		tuple.ipv4.sport = uh->source;
		tuple.ipv4.dport = uh->dest;
		syn = true;  /* every UDP datagram may start a flow */
	} else {
		return XDP_PASS;
	}
	tuple.ipv4.saddr = iph->saddr;
	tuple.ipv4.daddr = iph->daddr;
	opts.netns_id = BPF_F_CURRENT_NETNS;
	opts.l4proto = iph->protocol;
	stats.ct_opts_size = ct_opts_size();
	ct = bpf_xdp_ct_lookup(ctx, &tuple, sizeof(tuple.ipv4), &opts, ct_opts_size());
	if (ct) {
		__sync_fetch_and_add(&stats.tracked, 1);
		if (ct->status & (1UL << KC_IPS_ASSURED_BIT))
			__sync_fetch_and_add(&stats.assured, 1);
		bpf_ct_release(ct);
		return XDP_PASS;
	}
	if (!note_error(opts.error) || syn || !kc_ct_enforce) {
		if (syn)
			__sync_fetch_and_add(&stats.new_flows, 1);
		return XDP_PASS;
	}
	__sync_fetch_and_add(&stats.untracked_dropped, 1);
	return XDP_DROP;
}

SEC("xdp")
KC_PROGRAM_IF(xfrm)
int ct_filter_xfrm(struct xdp_md *ctx)
{
	return filter(ctx, true);
}

SEC("xdp")
KC_PROGRAM_UNLESS(xfrm)
int ct_filter(struct xdp_md *ctx)
{
	return filter(ctx, false);
}
