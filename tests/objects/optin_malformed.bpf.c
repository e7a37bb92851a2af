// Opt-in tags not written by KCONTRACT_OPT_IN: each must be reported and
// none taken as an opt-in, beside one well-formed opt-in.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <kcontract/opt_in.h>

#define KC_TAG(text) __attribute__((btf_decl_tag(text)))

KCONTRACT_OPT_IN("bpf_thp");
KCONTRACT_OPT_IN("bpf_thp");  // a repeat: one token

// An empty token, and one with characters no interface name has.
static const char kc_empty[] __attribute__((used, section(".kcontract")))
    KC_TAG("kcontract:optin=") = "";
static const char kc_spaced[] __attribute__((used, section(".kcontract")))
    KC_TAG("kcontract:optin=bpf thp;rm") = "x";

char LICENSE[] SEC("license") = "GPL";

// On a function, not on a variable.
SEC("socket") KC_TAG("kcontract:optin=on_function")
int kc_tagged_function(struct __sk_buff *skb) { return 0; }
