/* Cyclic type graphs: a struct pointing to itself, two structs pointing to
 * each other, a list embedded in a struct that points back to its holder.
 * The comparison visits each pair once and terminates. */
#include "kc_diff_model.h"

struct node { struct node *next; struct node *prev; int value; };
struct b;
struct a { struct b *b; int x; };
struct b { struct a *a; int y; };
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
