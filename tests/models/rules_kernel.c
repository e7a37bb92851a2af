/* The kernel's side of tests/type_rules_test.cc (rules_local.c is the
 * object's): the namesake of each of its variables and functions. Compiled
 * with -funsigned-char, as kernels are since 6.2. */
typedef unsigned long long u64;
typedef unsigned int u32;

struct kc_one {
	long b;
	int a;
};
struct kc_other {
	char c;
};
union kc_onion {
	int a;
	long b;
};
struct kc_fwd {
	int defined;
} kc_fwd_defined;
enum kc_e1 { KC_E1_B, KC_E1_C };
enum kc_e2 { KC_E2_A, KC_E2_B };

/* --- TypesAreCompat --- */
unsigned long tac_int_long;
struct kc_other tac_struct_kinds;
union kc_onion tac_struct_union;
int *tac_ptr_mods;
int **tac_ptr_ptr_struct;
int *tac_void_ptr;
void *tac_void_void;
long tac_array_len[8];
struct kc_one tac_array_elem[4];
struct kc_fwd *tac_fwd_struct_ptr;
enum kc_e2 tac_enum;
long (*tac_fnptr_ints)(unsigned int, int);
int (*tac_fnptr_count)(int, int);
int (*tac_fnptr_argkind)(int);
int *******************************tac_ptr_depth_31;
int ********************************tac_ptr_depth_32;

/* --- FieldsAreCompat --- */
union kc_onion fac_struct_union;
long long fac_int_sizes;
int *fac_ptr_any;
int *fac_int_ptr;
enum kc_e1 fac_enum_same_name;
enum kc_e2 fac_enum_other_name;
enum kc_e2 fac_enum_anon;
long fac_array_elem_int[3];
struct kc_one fac_array_elem_kind[2];
double fac_float;
int fac_float_int;
unsigned int fac_typedef_mods;

/* --- TypesMatch --- */
struct kc_m_subset {
	long b;
	int c;
	int a;
} tm_struct_subset;
struct kc_m_missing {
	int a;
} tm_struct_missing;
struct kc_m_size {
	long a;
} tm_int_size;
struct kc_m_sign {
	unsigned int a;
} tm_int_sign;
struct kc_m_flav {
	int a;
} tm_name_flavour;
struct kc_m_other {
	int a;
} tm_name_other;
struct kc_m_ptr {
	long y;
	long z;
} kc_m_ptr_defined; /* a STRUCT in BTF: clang leaves a type reached only by pointer a FWD */
struct kc_m_holder {
	struct kc_m_ptr *p;
} tm_behind_ptr;
struct kc_m_fwd {
	int defined;
} kc_m_fwd_defined;
struct kc_m_fwd_holder {
	struct kc_m_fwd *p;
} tm_fwd_behind_ptr;
enum kc_m_enum { KC_M_B, KC_M_A, KC_M_C } tm_enum_subset;
enum kc_m_enum2 { KC_M2_A, KC_M2_B } tm_enum_extra;
int tm_array_same[4];
int tm_array_len[5];

/* --- DiffFuncProtos --- */
__attribute__((noinline)) int dfp_same(unsigned long long a, struct kc_one *p) { return a != 0; }
__attribute__((noinline)) int dfp_sign(unsigned int serial) { return serial; }
__attribute__((noinline)) int dfp_size(long x) { return x; }
__attribute__((noinline)) int dfp_struct_ptr(struct kc_other *p) { return p != 0; }
__attribute__((noinline)) int dfp_count(int a, int b) { return a + b; }
__attribute__((noinline)) int dfp_kind(int p) { return p; }
__attribute__((noinline)) int dfp_fwd(struct kc_fwd *p) { return p->defined; }
__attribute__((noinline)) long dfp_ret(int a) { return a; }
__attribute__((noinline)) int dfp_char(char *s) { return s != 0; }
__attribute__((noinline)) int dfp_unnamed(unsigned int serial, long flags) { return serial; }

char _license[] __attribute__((section("license"))) = "GPL";
