// The process floor for the CLI benchmark: a program that only parses one
// BTF file with libbpf and exits, so that process start-up, dynamic linking
// and btf__parse are all it measures.
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cstdio>
#include <string_view>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s BTF_FILE | --startup\n", argv[0]);
    return 2;
  }
  // Start-up alone: what exec and the dynamic loader cost this program.
  if (std::string_view(argv[1]) == "--startup") return 0;
  struct btf* btf = btf__parse(argv[1], nullptr);
  if (libbpf_get_error(btf) != 0 || btf == nullptr) {
    std::fprintf(stderr, "%s: cannot parse BTF\n", argv[1]);
    return 1;
  }
  btf__free(btf);
  return 0;
}
