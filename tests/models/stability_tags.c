/* A kernel whose own BTF carries kcontract stability tags (STABILITY.md,
 * "Tags in the kernel's BTF"), compiled by clang to BTF and read by
 * stability_tags_test as a kernel's raw BTF. One tag per target, so that
 * each warning names exactly one mistake.
 *
 * clang 14 puts btf_decl_tag on functions, function parameters, variables,
 * structs, unions, their members and typedefs, but refuses it on enums
 * ("only applies to variables, functions, structs, unions, classes,
 * non-static data members, and typedefs"), so no enum is tagged here.
 */
#define __tag(text) __attribute__((btf_decl_tag(text)))
/* A kfunc as pahole >= 1.27 leaves it in BTF: a "bpf_kfunc" decl tag. */
#define __kfunc __attribute__((noinline, used)) __tag("bpf_kfunc")
#define __kernel_func __attribute__((noinline, used))

/* --- kernel types -------------------------------------------------------- */

struct kc_plain {
	int id;
	long weight;
} __tag("kcontract:stable:since=6.1");

union kc_word {
	int as_int;
	unsigned long as_long;
} __tag("kcontract:experimental:optin=kc_word");

typedef unsigned long kc_handle_t __tag("kcontract:deprecated:remove=7.2:use=kc_handle2_t");

/* A member of a type that is no struct_ops table carries no stability. */
struct kc_not_a_table {
	int field __tag("kcontract:stable");
};

/* Unknown key. */
struct kc_until {
	int x;
} __tag("kcontract:stable:until=7.0");

/* --- a registered struct_ops table, tagged as a whole and per member ----- */

struct kc_demo_ops {
	int (*pick)(struct kc_plain *p, int hint) __tag("kcontract:withdrawn:since=7.0:use=choose");
	int (*choose)(struct kc_plain *p, union kc_word w) __tag("kcontract:deprecated:remove=7.2");
	void (*plain)(kc_handle_t h);
	char name[16] __tag("kcontract:stable:since");  /* a key without its value */
} __tag("kcontract:experimental:optin=kc_demo");

/* What register_bpf_struct_ops() generates for the table. */
struct bpf_struct_ops_kc_demo_ops {
	int refcnt;
	int state;
	struct kc_demo_ops data;
};
struct bpf_struct_ops_kc_demo_ops kc_registered_kc_demo_ops;

/* A table that is not registered is a plain kernel type. */
struct kc_unregistered_ops {
	int (*run)(int arg);
} __tag("kcontract:withdrawn");

/* --- kfuncs and functions ------------------------------------------------ */

__kfunc __tag("kcontract:stable:since=6.1") int bpf_kc_stable(struct kc_plain *p)
{
	return p->id;
}

__kfunc __tag("kcontract:deprecated:remove=7.2:use=bpf_kc_new") int bpf_kc_old(struct kc_plain *p)
{
	return p->id + 1;
}

__kfunc __tag("kcontract:experimental:optin=kc_demo") long bpf_kc_experimental(union kc_word w)
{
	return w.as_long;
}

/* Not a kfunc, tagged anyway: kind kfunc all the same. */
__kernel_func __tag("kcontract:withdrawn:since=6.9") int kc_not_kfunc(kc_handle_t h)
{
	return (int)h;
}

/* Two contradicting tags: the stricter is kept, with a warning. */
__kfunc __tag("kcontract:experimental") __tag("kcontract:deprecated:remove=7.3")
int bpf_kc_contradicted(int x)
{
	return x;
}

/* Malformed tags, one mistake each. */
__kfunc __tag("kcontract:beta") int bpf_kc_bad_level(int x) { return x + 3; }
__kfunc __tag("kcontract:deprecated:use=a:b") int bpf_kc_bad_colon(int x) { return x + 4; }
__kfunc __tag("kcontract:deprecated:remove=7.2:remove=7.3") int bpf_kc_bad_twice(int x)
{
	return x + 5;
}
__kfunc __tag("kcontract:stable:since=") int bpf_kc_bad_empty(int x) { return x + 6; }
__kfunc __tag("kcontract:") int bpf_kc_bad_nolevel(int x) { return x + 7; }

/* Misplaced: on a parameter, on a variable. */
__kfunc int bpf_kc_param_tagged(int x __tag("kcontract:stable")) { return x + 8; }
int kc_tagged_variable __tag("kcontract:stable");

/* Puts the untagged-elsewhere types into BTF. */
__kernel_func int kc_use_types(struct kc_not_a_table *a, struct kc_until *b,
			       struct kc_unregistered_ops *c)
{
	return a->field + b->x;
}

/* Not kcontract tags at all: ignored. */
__kfunc __tag("kcontractx:stable") __tag("other:stable") int bpf_kc_untagged(int x)
{
	return x + 9;
}
