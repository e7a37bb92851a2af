// A kfunc that kept its name and changed its prototype, for
// tests/loader_test.cc: bpf_lookup_user_key(u32 serial, u64 flags) in 6.1
// and 6.12, (s32 serial, u64 flags) in 6.18 -- the revisions
// manifests/kernel-kfuncs.toml records as "6.1.0-50-amd64" and "6.18.44".
// Declared once (the newest prototype, which libbpf 1.1 finds compatible
// with both: it compares kinds, not signedness), called with each
// revision's prototype in the branch the loader's slot selects.
//
// A syscall program: 6.18 lets syscall programs call the key kfuncs; 6.1
// and 6.12 register them for tracing programs only, which no BTF records,
// so only the running 6.18 is loaded here.
//
// It also records what kc_ksym_exists() says of a kfunc the kernel has and
// of one no kernel has (see <kcontract/kfunc_revisions.h>).
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <kcontract/kfunc_revisions.h>

char LICENSE[] SEC("license") = "GPL";

#define KEY_SPEC_SESSION_KEYRING -3

struct bpf_key {
  _Bool has_ref;
} __attribute__((preserve_access_index));

extern struct bpf_key *bpf_lookup_user_key(__s32 serial, __u64 flags) KC_KFUNC_WEAK;
extern void bpf_key_put(struct bpf_key *bkey) KC_KFUNC_WEAK;
extern void kc_no_such_kfunc(void) KC_KFUNC_WEAK;
typedef struct bpf_key *kc_lookup_user_key_u32(__u32 serial, __u64 flags);

KC_KFUNC_OPTIONAL(user_key, "bpf_lookup_user_key@6.18.44&bpf_key_put,"
                            "bpf_lookup_user_key@6.1.0-50-amd64&bpf_key_put");

struct {
  int revision;      // the slot's value when the program ran
  int looked_up;     // 1: a session keyring was found
  int has_ref;       // what the key says (read to keep struct bpf_key whole)
  int ksym_exists;   // kc_ksym_exists(bpf_key_put)
  int ksym_absent;   // kc_ksym_exists(kc_no_such_kfunc)
} kc_key_result;

SEC("syscall")
int kc_key_lookup(void *ctx) {
  struct bpf_key *key = 0;

  kc_key_result.revision = KC_CHOSEN(user_key);
  kc_key_result.ksym_exists = kc_ksym_exists(bpf_key_put);
  kc_key_result.ksym_absent = kc_ksym_exists(kc_no_such_kfunc);
  if (KC_CHOSE(user_key, 0))
    key = bpf_lookup_user_key(KEY_SPEC_SESSION_KEYRING, 0);
  else if (KC_CHOSE(user_key, 1))
    key = KC_KFUNC_AS(bpf_lookup_user_key, kc_lookup_user_key_u32)(
        (__u32)KEY_SPEC_SESSION_KEYRING, 0);
  if (!key) return 0;
  kc_key_result.looked_up = 1;
  kc_key_result.has_ref = key->has_ref;
  bpf_key_put(key);
  return 0;
}
