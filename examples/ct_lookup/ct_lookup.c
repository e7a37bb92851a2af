/* ct_lookup: prepare ct_lookup.bpf.o with kcontract's loader helper, which
 * loads the XDP program the kernel can take (with the xfrm check or
 * without), then load it and either run it on made-up packets or attach it.
 *
 *   ct_lookup [--object FILE] [--kernel SRC] [--opts-size N] [--count-only]
 *             [--test-run | --dev IFNAME]
 *
 * --kernel prepares for another kernel and stops there (a dry run: the
 * loader's line and which program each kernel gets). --test-run runs the
 * program with BPF_PROG_TEST_RUN on four packets (an unknown TCP segment,
 * a TCP SYN, a UDP datagram, an ESP packet of an unknown SA) and prints the
 * verdicts and the program's counters. --dev attaches it to an interface
 * until interrupted. --opts-size passes N as bpf_xdp_ct_lookup's opts__sz
 * instead of the kernel's size (kc_ct_opts_size_override): which sizes does
 * this kernel accept? --count-only: count, never drop (kc_ct_enforce = 0).
 *
 * Exit 0 done, 8 refused (the message on stderr), 1 other failures, 2 usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <kcontract_loader.h>

#include "ct_lookup.h"

#ifndef CT_LOOKUP_OBJECT
#define CT_LOOKUP_OBJECT "ct_lookup.bpf.o"
#endif

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Writes `value` into the .rodata variable `name` before the load. */
static int set_rodata_u32(struct bpf_object *obj, const char *name, __u32 value)
{
	struct bpf_map *rodata = bpf_object__find_map_by_name(obj, ".rodata");
	const struct btf *btf = bpf_object__btf(obj);
	size_t size = 0;
	char *data;
	int sec;

	if (!rodata || !btf)
		return -ENOENT;
	/* libbpf 1.1 hands out the writable copy it loads as const. */
	data = (char *)bpf_map__initial_value(rodata, &size);
	sec = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (!data || sec < 0)
		return -ENOENT;
	const struct btf_type *t = btf__type_by_id(btf, sec);
	const struct btf_var_secinfo *vars = btf_var_secinfos(t);
	for (int i = 0; i < btf_vlen(t); i++) {
		const struct btf_type *var = btf__type_by_id(btf, vars[i].type);
		if (strcmp(btf__name_by_offset(btf, var->name_off), name) != 0)
			continue;
		if (vars[i].size != sizeof(value) || vars[i].offset + sizeof(value) > size)
			return -EINVAL;
		memcpy(data + vars[i].offset, &value, sizeof(value));
		return 0;
	}
	return -ENOENT;
}

/* Ethernet + IPv4 (10.0.0.1 -> 10.0.0.2) + `l4` of `l4_len` bytes. */
static size_t make_packet(unsigned char *buf, __u8 proto, const void *l4, size_t l4_len)
{
	unsigned char ip[20] = {0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, proto, 0, 0,
				10, 0, 0, 1, 10, 0, 0, 2};
	unsigned short total = htons((unsigned short)(sizeof(ip) + l4_len));

	memset(buf, 0, 14);
	buf[12] = 0x08;  /* ETH_P_IP */
	memcpy(ip + 2, &total, 2);
	memcpy(buf + 14, ip, sizeof(ip));
	memcpy(buf + 34, l4, l4_len);
	return 34 + l4_len;
}

static const char *verdict(__u32 retval)
{
	return retval == XDP_PASS ? "XDP_PASS" : retval == XDP_DROP ? "XDP_DROP" : "other";
}

static int test_run(struct bpf_object *obj, struct bpf_program *prog)
{
	/* TCP 1234 -> 80: an ACK (data offset 5), then a SYN. */
	unsigned char ack[20] = {0x04, 0xd2, 0, 80, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x10};
	unsigned char syn[20] = {0x04, 0xd2, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02};
	unsigned char udp[8] = {0x04, 0xd2, 0, 53, 0, 8, 0, 0};
	unsigned char esp[8] = {0x00, 0x00, 0x12, 0x34, 0, 0, 0, 1};  /* SPI 0x1234 */
	struct {
		const char *name;
		__u8 proto;
		const void *l4;
		size_t len;
	} packets[] = {
		{"tcp-ack", 6, ack, sizeof(ack)},
		{"tcp-syn", 6, syn, sizeof(syn)},
		{"udp", 17, udp, sizeof(udp)},
		{"esp", 50, esp, sizeof(esp)},
	};
	struct bpf_map *bss = bpf_object__find_map_by_name(obj, ".bss");
	struct ct_stats stats;
	unsigned char buf[128];
	int key = 0;

	if (!bss) {
		fprintf(stderr, "ct_lookup: the object has no .bss\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(packets) / sizeof(packets[0]); i++) {
		size_t len = make_packet(buf, packets[i].proto, packets[i].l4, packets[i].len);
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = buf, .data_size_in = (__u32)len);

		if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts)) {
			fprintf(stderr, "ct_lookup: running %s: %s\n", packets[i].name, strerror(errno));
			return 1;
		}
		if (bpf_map_lookup_elem(bpf_map__fd(bss), &key, &stats)) {
			fprintf(stderr, "ct_lookup: reading the counters: %s\n", strerror(errno));
			return 1;
		}
		printf("packet %s: %s (last error %d)\n", packets[i].name, verdict(opts.retval),
		       stats.last_error);
	}
	printf("program %s: ct opts__sz %u, xfrm opts__sz %u\n", bpf_program__name(prog),
	       stats.ct_opts_size, stats.xfrm_opts_size);
	printf("tracked %llu assured %llu new %llu untracked_dropped %llu esp_known %llu "
	       "esp_unknown_dropped %llu esp_unchecked %llu lookup_errors %llu\n",
	       (unsigned long long)stats.tracked, (unsigned long long)stats.assured,
	       (unsigned long long)stats.new_flows, (unsigned long long)stats.untracked_dropped,
	       (unsigned long long)stats.esp_known, (unsigned long long)stats.esp_unknown_dropped,
	       (unsigned long long)stats.esp_unchecked, (unsigned long long)stats.lookup_errors);
	return 0;
}

static int attach(struct bpf_program *prog, const char *dev)
{
	int ifindex = (int)if_nametoindex(dev);
	int err;

	if (!ifindex) {
		fprintf(stderr, "ct_lookup: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	err = bpf_xdp_attach(ifindex, bpf_program__fd(prog), XDP_FLAGS_SKB_MODE, NULL);
	if (err) {
		fprintf(stderr, "ct_lookup: attaching to %s: %s\n", dev, strerror(-err));
		return 1;
	}
	printf("attached %s to %s; interrupt to detach\n", bpf_program__name(prog), dev);
	fflush(stdout);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!stop)
		pause();
	bpf_xdp_detach(ifindex, XDP_FLAGS_SKB_MODE, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = CT_LOOKUP_OBJECT, *kernel = NULL, *dev = NULL;
	int run = 0, count_only = 0, i, err, status = 0;
	long opts_size = 0;
	char msg[4096];

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--object") && i + 1 < argc)
			path = argv[++i];
		else if (!strcmp(argv[i], "--kernel") && i + 1 < argc)
			kernel = argv[++i];
		else if (!strcmp(argv[i], "--opts-size") && i + 1 < argc)
			opts_size = strtol(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--count-only"))
			count_only = 1;
		else if (!strcmp(argv[i], "--test-run"))
			run = 1;
		else if (!strcmp(argv[i], "--dev") && i + 1 < argc)
			dev = argv[++i];
		else
			break;
	}
	if (i != argc || opts_size < 0 || opts_size > 64 || (run && dev)) {
		fprintf(stderr, "usage: ct_lookup [--object FILE] [--kernel SRC] [--opts-size N] "
				"[--count-only] [--test-run | --dev IFNAME]\n");
		return 2;
	}
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		fprintf(stderr, "ct_lookup: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	struct kcontract_prepare_opts opts = {.sz = sizeof(opts), .object_path = path,
					      .kernel = kernel};
	err = kcontract_prepare(obj, &opts, msg, sizeof(msg));
	if (err) {
		fprintf(stderr, "%s\n", msg);
		bpf_object__close(obj);
		return err == -EOPNOTSUPP ? 8 : 1;
	}
	printf("%s\n", msg);
	struct bpf_program *prog, *chosen = NULL;
	bpf_object__for_each_program(prog, obj) {
		printf("program %s: %s\n", bpf_program__name(prog),
		       bpf_program__autoload(prog) ? "load" : "left out");
		if (bpf_program__autoload(prog) && !chosen)
			chosen = prog;
	}
	if (kernel || (!run && !dev)) {
		bpf_object__close(obj);
		return 0;
	}
	if ((opts_size && set_rodata_u32(obj, "kc_ct_opts_size_override", (__u32)opts_size)) ||
	    (count_only && set_rodata_u32(obj, "kc_ct_enforce", 0))) {
		fprintf(stderr, "ct_lookup: the object lacks its settings in .rodata\n");
		bpf_object__close(obj);
		return 1;
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "ct_lookup: bpf_object__load: %s\n", strerror(-err));
		bpf_object__close(obj);
		return 1;
	}
	status = run ? test_run(obj, chosen) : attach(chosen, dev);
	bpf_object__close(obj);
	return status;
}
