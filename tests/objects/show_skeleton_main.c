/* A user-space loader built from `bpftool gen skeleton show_all.o`: the
 * skeleton embeds the object's bytes in this executable's .rodata, which is
 * where `kcontract object show` must find them. Never run by the tests. */
#include <stdio.h>

#include "show_all.skel.h"

int main(void) {
  struct show_all *skel = show_all__open();
  if (skel == NULL) return 1;
  printf("%s\n", bpf_program__section_name(skel->progs.on_switch));
  show_all__destroy(skel);
  return 0;
}
