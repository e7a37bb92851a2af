// The second translation unit of the model vmlinux (name_index_vmlinux.c):
// a static function named like one of the first, with another prototype.
static __attribute__((noinline)) long dup(long a, long b) { return a + b; }
long dup_user_2(long x) { return dup(x, 2); }
