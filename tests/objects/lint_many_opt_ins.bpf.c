// Sixty opt-ins that acknowledge nothing, each one edit from "bpf_thp":
// lint suggests a token for the first 50 only (contract-unused-opt-in; as
// clang's -fspell-checking-limit), since an object may carry a hundred
// thousand and each is compared with every token the contracts know.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <kcontract/opt_in.h>

#define KC_TEN(p)                                                            \
  KCONTRACT_OPT_IN(p "0"); KCONTRACT_OPT_IN(p "1"); KCONTRACT_OPT_IN(p "2"); \
  KCONTRACT_OPT_IN(p "3"); KCONTRACT_OPT_IN(p "4"); KCONTRACT_OPT_IN(p "5"); \
  KCONTRACT_OPT_IN(p "6"); KCONTRACT_OPT_IN(p "7"); KCONTRACT_OPT_IN(p "8"); \
  KCONTRACT_OPT_IN(p "9")

KC_TEN("bpf_th");
KC_TEN("bpf_tp");
KC_TEN("bpf_hp");
KC_TEN("bp_th");
KC_TEN("bf_th");
KC_TEN("pf_th");

char _license[] SEC("license") = "GPL";
