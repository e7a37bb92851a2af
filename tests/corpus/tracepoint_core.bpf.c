/* tracepoint_core: a classic tracepoint program (sched/sched_switch) whose
 * context record trace_event_raw_sched_switch is read with CO-RE field
 * offsets (prev_pid, next_pid exist in every kernel).
 *
 * Expect: 6.1=passed_relocation 6.12=passed_relocation 6.18=passed_relocation running=passed_relocation
 * Expect-load: running=loaded
 */
#include "kc_corpus.h"

struct trace_event_raw_sched_switch {
	pid_t prev_pid;
	pid_t next_pid;
} __attribute__((preserve_access_index));

SEC("tracepoint/sched/sched_switch")
int tp_switch(struct trace_event_raw_sched_switch *ctx)
{
	return ctx->prev_pid ^ ctx->next_pid;
}

KC_LICENSE;
