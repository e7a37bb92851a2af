/* Memory programs lay out themselves and hand to kfuncs (structs of scalars
 * behind a pointer argument): sized by a __sz argument or not. The old side.
 *   kc_ct_opts     conntrack's bpf_ct_opts of 6.1 -> 6.12: grows 12 -> 16, a
 *                  new member in reserved bytes, one after the old end, the
 *                  reserved array moved and resized; its size constant.
 *   kc_moved_opts  sized, but a member callers set moves, one is removed
 *                  and one takes bytes callers write.
 *   kc_hole_opts   sized, a member in what was padding.
 *   kc_big_opts    sized, shrinks.
 *   kc_plain_args  unsized: it grows at its end. */
#include "kc_diff_model.h"

typedef unsigned short u16;

struct kc_ct_opts {
	s32 netns_id;
	s32 error;
	u8 l4proto;
	u8 dir;
	u8 reserved[2];
};
/* As netfilter names it: NF_BPF_CT_OPTS_SZ (an enum constant in its BTF). */
enum kc_ct_sizes { KC_CT_OPTS_SZ = 12 };

struct kc_moved_opts {
	u32 flags;
	u32 mark;
	u32 gone;
};

struct kc_hole_opts {
	u8 kind;
	u32 value;
};

struct kc_big_opts {
	u32 a;
	u32 b;
	u32 c;
};

struct kc_plain_args {
	u32 len;
};

KFUNC int kc_ct_lookup(struct kc_ct_opts *opts, u32 opts__sz) { return KC_CT_OPTS_SZ; }
KFUNC int kc_moved(struct kc_moved_opts *opts, u32 opts__sz) { return 0; }
KFUNC int kc_hole(struct kc_hole_opts *opts, u32 opts__sz) { return 0; }
KFUNC int kc_big(struct kc_big_opts *opts, u32 opts__sz) { return 0; }
KFUNC int kc_plain(struct kc_plain_args *args) { return 0; }

/* An enum is in BTF only when a type in BTF uses it. */
enum kc_ct_sizes kc_ct_opts_size = KC_CT_OPTS_SZ;

LICENSE;
