// The prose of the man pages that --help has no room for. Blocks are
// separated by a blank line; a block whose lines start with four spaces is
// shown as typed (commands, output). Options are not described here: the
// man pages take them from the command line, as --help does.
#include "cli/docs_text.h"

namespace kcontract::cli {
namespace {

constexpr CommandText kTexts[] = {
    {"",
     "kcontract makes the stability of BPF kernel interfaces (kfuncs and struct_ops callback "
     "tables) explicit and checkable. Manifests mark each interface stable, experimental, "
     "deprecated or withdrawn; kcontract reads kernel BTF from anywhere a kernel ships, lists "
     "what BPF programs can use there, and checks BPF objects against kernels and contracts.\n"
     "\n"
     "Commands follow bpftool's manners: an object, then a verb; terse text by default; "
     "--json (or --format json) everywhere, each JSON document starting with format_version, "
     "tool and version.\n"
     "\n"
     "A kernel source (--kernel SRC) is recognised by its content, never by its name: "
     "'running' (the default: /sys/kernel/btf, uname -r, /proc/config.gz or /boot/config-*), "
     "a raw BTF file, a vmlinux, a compressed kernel image (bzImage, signed EFI images, "
     "gzip, xz, lzma, zstd payloads), a compressed file, a kernel module over its kernel "
     "(--base SRC), a directory holding an image, its config and modules, or a Debian "
     "linux-image package read in memory.",
     "    kcontract kernel show\n"
     "    kcontract check policy.bpf.o --kernel running --kernel /boot/vmlinuz-6.1.0-50-amd64\n"
     "    kcontract diff --kernel linux-image-6.1.deb --kernel linux-image-6.12.deb"},
    {"kernel",
     "Reads one kernel and lists what BPF programs can use there. kfuncs are found by every "
     "method the source allows: bpf_kfunc BTF decl tags (pahole 1.27 or newer) and the "
     ".BTF_ids set8 records of vmlinux and of each module, which also carry the KF_* flags.",
     "    kcontract kernel show --kernel /boot/vmlinuz-$(uname -r)\n"
     "    kcontract kernel kfuncs --kernel linux-image-6.12.deb --json"},
    {"btf",
     "Writes the raw BTF of a kernel, or of one of its modules, as /sys/kernel/btf gives it: "
     "from a bzImage, a .deb or a directory, for tools that read only raw BTF.",
     "    kcontract btf extract --kernel /boot/vmlinuz-6.1.0-50-amd64 -o vmlinux.btf"},
    {"object",
     "Shows what a compiled BPF object needs from a kernel, read without loading it, and the "
     "oldest libbpf release that loads it, with what asks for it (a flavoured kfunc needs 1.3, "
     "a .struct_ops.link map 1.2, ...). OBJ may also be an executable or library that embeds "
     "BPF objects (libbpf skeletons).",
     "    kcontract object show policy.bpf.o"},
    {"check",
     "Predicts, offline and before loading, what libbpf and the verifier will do with each "
     "object on each kernel, by the rules of the libbpf release the loader runs with (--libbpf "
     "1.1 to 1.7, or a load profile's libbpf; default: the one kcontract is linked against, "
     "named in the first line of the report), and says it like a compiler: kfunc externs "
     "(missing, weak and "
     "absent, prototypes argument by argument), typed ksyms, kconfig externs against the "
     "kernel's config, struct_ops maps, CO-RE relocations by libbpf's own rules and "
     "fentry/fexit/tp_btf/lsm attach targets; then what the contracts say of every interface the "
     "object uses, and which revision of each the loader helper would choose.",
     "    kcontract check policy.bpf.o\n"
     "    kcontract check policy.bpf.o --kernel ./kernels/6.1 --kernel ./kernels/6.12"},
    {"lint",
     "Reads no kernel: for each kfunc an object calls, each struct_ops callback it implements "
     "and each kernel type it reads through CO-RE, reports what the contracts say. "
     "Experimental use without the object's KCONTRACT_OPT_IN and withdrawn interfaces are "
     "errors (exit bit 8), deprecated ones warnings (bit 4); an interface in no contract is "
     "unstable by default: a note, or what --unknown says. With --libbpf-min VERSION, an "
     "object that needs a newer libbpf than VERSION is an error.",
     "    kcontract lint policy.bpf.o --manifest contracts/"},
    {"diff",
     "Compares the BPF-facing ABI of two kernels: kfuncs, struct_ops types and the kernel types "
     "their prototypes reach. Each change is classified for the program it affects (a kfunc's "
     "caller, a struct_ops implementer) as breaking, needs review or compatible, with the "
     "reason.\n"
     "\n"
     "The report gives one summary line per interface kind, then the breaking changes, those "
     "that need review (warnings), and the compatible ones. The kernel's own self-test kfuncs "
     "(bpf_kfunc_call_test*, module bpf_testmod) and interfaces a manifest marks internal are "
     "grouped apart and not counted unless --include-internal is given. Differences the two "
     "kernels' configs explain (a module built in one and not in the other, arrays sized by "
     "NR_CPUS or another numeric option) are labelled with the options and grouped apart. "
     "With contracts, a breaking change to a stable interface is an error (exit bit 8).",
     "    kcontract diff --kernel /boot/vmlinuz-6.1.0-50-amd64 --kernel /boot/vmlinuz-6.12.111+deb12-amd64"},
    {"probe",
     "For every interface the contracts name (installed manifests, --manifest, and the "
     "stability tags in the kernel's own BTF), computes its signature in this kernel and looks "
     "it up among the recorded revisions. The table lists the interfaces this kernel has, "
     "then one line counting those it lacks (--all lists them too). Exit bit 4 when a "
     "withdrawn interface is still present or a present one is unrecorded.",
     "    kcontract probe\n"
     "    kcontract probe --kernel linux-image-6.12.deb --all --json"},
    {"manifest",
     "Signatures in manifests are generated from BTF, never typed. init writes a manifest for "
     "the kfuncs and struct_ops types whose names match the globs, recording the kernel by its "
     "release and the sha256 of its BTF; update appends a revision to every interface whose "
     "signature in that kernel is not yet recorded, inserting text and never rewriting any; "
     "check reports every mistake as file:line:col. The format is described in "
     "/usr/share/doc/kcontract/STABILITY.md.",
     "    kcontract manifest init --kernel running --match 'bpf_thp*' -o bpf-thp.toml\n"
     "    kcontract manifest update --kernel linux-image-6.18.deb bpf-thp.toml\n"
     "    kcontract manifest check manifests/*.toml"},
};

}  // namespace

const CommandText* FindCommandText(std::string_view command) {
  for (const CommandText& text : kTexts) {
    if (command == text.command) return &text;
  }
  return nullptr;
}

const char* const kExitStatusText =
    "The same bits for every command; they combine.\n"
    "\n"
    "    0  all well\n"
    "    1  tool error: unreadable or malformed input, I/O\n"
    "    2  usage error\n"
    "    4  changes or warnings found\n"
    "    8  incompatible, or a contract violated";

const char* const kFilesText =
    "/usr/share/kcontract/manifests/*.toml: the contracts installed with kcontract, read by "
    "every command unless --no-default-manifests is given. A kcontract outside /usr reads "
    "<prefix>/share/kcontract/manifests beside its executable.";

const char* const kEnvironmentText =
    "KCONTRACT_MANIFEST_DIR: read the installed manifests from this directory instead.";

}  // namespace kcontract::cli
