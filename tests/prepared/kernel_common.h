/* What the two kernels of tests/prepared_check_test.cc share: pahole's
 * bpf_kfunc decl tag on kfuncs (as kernels since pahole 1.27 carry it) and
 * the wrapper register_bpf_struct_ops() makes of a callback table. */
#ifndef KCONTRACT_TESTS_PREPARED_KERNEL_COMMON_H_
#define KCONTRACT_TESTS_PREPARED_KERNEL_COMMON_H_

#define __bpf_kfunc __attribute__((noinline, used, btf_decl_tag("bpf_kfunc")))

#define KC_REGISTER_STRUCT_OPS(name)                                      \
	struct bpf_struct_ops_##name {                                    \
		int refcnt_placeholder;                                   \
		int state;                                                \
		struct name data;                                         \
	};                                                                \
	struct bpf_struct_ops_##name kc_registered_##name

#endif /* KCONTRACT_TESTS_PREPARED_KERNEL_COMMON_H_ */
