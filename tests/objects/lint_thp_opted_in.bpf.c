// lint_thp.bpf.c with its opt-in: KCONTRACT_OPT_IN("bpf_thp").
#define KC_OPT_IN_THP 1
#include "lint_thp.bpf.c"
