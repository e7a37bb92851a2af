/* The object's side of tests/type_rules_test.cc; rules_kernel.c is the
 * kernel's. Each global variable (and each function) here has a namesake
 * there: the test compares the two types of one name with libbpf's rules.
 * Compiled by clang -target bpf -g into raw BTF at build time. */
typedef unsigned long long u64;
typedef unsigned int u32;
typedef int s32;

struct kc_one {
	int a;
};
struct kc_fwd; /* only declared here: a FWD in this BTF */
enum kc_e1 { KC_E1_A, KC_E1_B };
enum kc_e2 { KC_E2_A };

/* --- TypesAreCompat (kfunc prototypes, CO-RE type relocations) --- */
int tac_int_long;
struct kc_one tac_struct_kinds;
struct kc_one tac_struct_union;
const s32 *tac_ptr_mods;
struct kc_one **tac_ptr_ptr_struct;
void *tac_void_ptr;
void *tac_void_void;
int tac_array_len[4];
int tac_array_elem[4];
struct kc_fwd *tac_fwd_struct_ptr;
enum kc_e1 tac_enum;
int (*tac_fnptr_ints)(int, long);
int (*tac_fnptr_count)(int);
int (*tac_fnptr_argkind)(int *);
/* 31 pointers then int: 32 steps, libbpf's limit; 32 pointers: one too many. */
int *******************************tac_ptr_depth_31;
int ********************************tac_ptr_depth_32;

/* --- FieldsAreCompat (the type of a CO-RE field access) --- */
struct kc_one fac_struct_union;
char fac_int_sizes;
struct kc_one *fac_ptr_any;
int fac_int_ptr;
enum kc_e1 fac_enum_same_name;
enum kc_e1 fac_enum_other_name;
enum { KC_ANON_A } fac_enum_anon;
int fac_array_elem_int[2];
int fac_array_elem_kind[2];
float fac_float;
float fac_float_int;
const volatile u32 fac_typedef_mods;

/* --- TypesMatch (BPF_CORE_TYPE_MATCHES) --- */
struct kc_m_subset {
	int a;
	long b;
} tm_struct_subset;
struct kc_m_missing {
	int a;
	int gone;
} tm_struct_missing;
struct kc_m_size {
	int a;
} tm_int_size;
struct kc_m_sign {
	int a;
} tm_int_sign;
struct kc_m_flav___local {
	int a;
} tm_name_flavour;
struct kc_m_name {
	int a;
} tm_name_other;
struct kc_m_ptr {
	int x;
} kc_m_ptr_defined; /* a STRUCT in BTF: clang leaves a type reached only by pointer a FWD */
struct kc_m_holder {
	struct kc_m_ptr *p;
} tm_behind_ptr;
struct kc_m_fwd;
struct kc_m_fwd_holder {
	struct kc_m_fwd *p;
} tm_fwd_behind_ptr;
enum kc_m_enum { KC_M_A, KC_M_B } tm_enum_subset;
enum kc_m_enum2 { KC_M2_A, KC_M2_B, KC_M2_Z } tm_enum_extra;
int tm_array_same[4];
int tm_array_len[4];

/* --- DiffFuncProtos: functions with kernel namesakes --- */
__attribute__((noinline)) int dfp_same(u64 a, struct kc_one *p) { return a != 0; }
__attribute__((noinline)) int dfp_sign(int serial) { return serial; }
__attribute__((noinline)) int dfp_size(int x) { return x; }
__attribute__((noinline)) int dfp_struct_ptr(struct kc_one *p) { return p != 0; }
__attribute__((noinline)) int dfp_count(int a) { return a; }
__attribute__((noinline)) int dfp_kind(int *p) { return p != 0; }
__attribute__((noinline)) int dfp_fwd(struct kc_fwd *p) { return p != 0; }
__attribute__((noinline)) int dfp_ret(int a) { return a; }
__attribute__((noinline)) int dfp_char(char *s) { return s != 0; }
/* A prototype without parameter names (a function pointer's): the
 * difference is named after the kernel's parameter. */
int (*dfp_unnamed)(int, long);

char _license[] __attribute__((section("license"))) = "GPL";
