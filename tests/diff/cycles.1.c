/* cycles.0.c as a later kernel has it: both halves of the mutual recursion
 * and the self-referential struct changed. */
#include "kc_diff_model.h"

struct node { struct node *next; struct node *prev; long value; };
struct b;
struct a { struct b *b; int x; int added; };
struct b { struct a *a; int y; struct b *sibling; };
struct list_head { struct list_head *next, *prev; };
struct holder { struct list_head list; struct node *head; struct a *a; struct holder *self; };

/* Instances, so that clang emits the structs and not forward declarations. */
struct node kc_node;
struct a kc_a;
struct b kc_b;
struct holder kc_holder;

KFUNC int kc_walk(struct node *n) { return 0; }
KFUNC int kc_pair(struct a *a, struct b *b) { return 0; }
KFUNC int kc_hold(struct holder *h) { return 0; }

LICENSE;
