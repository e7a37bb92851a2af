/* kernel.c as a kernel built with pahole < 1.27 gives its BTF: the same
 * functions, no bpf_kfunc decl tag, and (read as raw BTF) no .BTF_ids, so
 * no kfunc can be told from other functions. */
#define KC_NO_KFUNC_TAGS
#include "kernel.c"
