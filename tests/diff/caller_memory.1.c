/* The new side of caller_memory.0.c. */
#include "kc_diff_model.h"

typedef unsigned short u16;

struct kc_ct_opts {
	s32 netns_id;
	s32 error;
	u8 l4proto;
	u8 dir;
	u16 ct_zone_id;
	u8 ct_zone_dir;
	u8 reserved[3];
};
/* As netfilter names it: NF_BPF_CT_OPTS_SZ (an enum constant in its BTF). */
enum kc_ct_sizes { KC_CT_OPTS_SZ = 16 };

struct kc_moved_opts {
	u32 mark;
	u32 flags;
	u32 priority;
};

struct kc_hole_opts {
	u8 kind;
	u8 subkind;
	u32 value;
};

struct kc_big_opts {
	u32 a;
	u32 b;
};

struct kc_plain_args {
	u32 len;
	u32 flags;
};

KFUNC int kc_ct_lookup(struct kc_ct_opts *opts, u32 opts__sz) { return KC_CT_OPTS_SZ; }
KFUNC int kc_moved(struct kc_moved_opts *opts, u32 opts__sz) { return 0; }
KFUNC int kc_hole(struct kc_hole_opts *opts, u32 opts__sz) { return 0; }
KFUNC int kc_big(struct kc_big_opts *opts, u32 opts__sz) { return 0; }
KFUNC int kc_plain(struct kc_plain_args *args) { return 0; }

enum kc_ct_sizes kc_ct_opts_size = KC_CT_OPTS_SZ;

LICENSE;
