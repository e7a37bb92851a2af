/* A tcx program (SEC("tcx/ingress")): libbpf >= 1.3 types it sched_cls;
 * 1.1 and 1.2 find no program type for the section. */
#include "kc_versions.h"

SEC("tcx/ingress")
int kc_tcx(struct __sk_buff *skb)
{
	return 0;
}

KC_LICENSE;
