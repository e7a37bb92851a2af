// Hostile input through the kcontract binary (issue 14): what the fuzz
// targets (tests/fuzz/) and hand-made files found, each reproducer fed
// through the CLI (TOML: hostile_toml_test.cc; packages:
// hostile_deb_test.cc). Bad input gets one line on stderr naming the file and
// what is wrong, exit 1, in bounded time; special files are refused without
// blocking unless a pipe is given on purpose ('-').
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <elf.h>
#include <linux/bpf.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <chrono>
#include <climits>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "tests/hostile_cli.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::ReadFileOrDie;
using testing::RunCommand;
using testing::ScratchDir;
using testing::SharedKernelDir;
using testing::ShellQuote;
using testing::WriteFileOrDie;

using hostile::Cli;
using hostile::ExpectOneLineError;
using hostile::kMiB;
using hostile::Q;

// Raw BTF made with libbpf: `build` adds types to an empty BTF.
template <typename Build>
Bytes MakeBtf(Build build) {
  struct btf* btf = btf__new_empty();
  build(btf);
  uint32_t size = 0;
  const auto* raw = static_cast<const uint8_t*>(btf__raw_data(btf, &size));
  Bytes bytes(raw, raw + size);
  btf__free(btf);
  return bytes;
}

// Byte offset of type `id` (1-based) in raw BTF whose types before it are
// `sizes` bytes each.
size_t TypeOffset(const Bytes& btf, const std::vector<size_t>& sizes, uint32_t id) {
  uint32_t hdr_len, type_off;
  std::memcpy(&hdr_len, btf.data() + 4, 4);
  std::memcpy(&type_off, btf.data() + 8, 4);
  size_t at = hdr_len + type_off;
  for (uint32_t i = 1; i < id; ++i) at += sizes[i - 1];
  return at;
}
void Put32(Bytes& bytes, size_t at, uint32_t value) { std::memcpy(bytes.data() + at, &value, 4); }

// ---- BTF ----------------------------------------------------------------

// A stability tag on "parameter" INT_MAX of a kfunc: the component index
// overflowed when printed ("parameter -2147483648"). The kernel refuses a
// decl tag naming no member or parameter, and so does kcontract now.
TEST(HostileBtf, DeclTagComponentIndexNamingNoParameterIsMalformed) {
  const fs::path dir = ScratchDir("HostileBtf_DeclTag");
  for (int component : {INT_MAX, 1, -2}) {
    Bytes btf = MakeBtf([component](struct btf* b) {
      int int_id = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
      int proto = btf__add_func_proto(b, int_id);
      btf__add_func_param(b, "x", int_id);
      int func = btf__add_func(b, "bpf_tagged", BTF_FUNC_GLOBAL, proto);
      // libbpf refuses to add an index below -1: patched in below.
      ASSERT_EQ(btf__add_decl_tag(b, "kcontract:stable", func, std::max(component, -1)), 4);
    });
    // int 16 bytes, prototype 12 + 8, func 12; the tag's index follows its
    // 12-byte btf_type.
    Put32(btf, TypeOffset(btf, {16, 20, 12}, 4) + 12, static_cast<uint32_t>(component));
    const fs::path file = dir / ("tag" + std::to_string(component) + ".btf");
    WriteFileOrDie(file, btf);
    const std::string what = component < -1
                                 ? "component index -2 is invalid"
                                 : "component index " + std::to_string(component) +
                                       " names no parameter (the target has 1)";
    for (const char* command : {"kernel show", "probe --no-default-manifests"}) {
      SCOPED_TRACE(command);
      CommandResult r = Cli(std::string(command) + " --kernel " + Q(file));
      ExpectOneLineError(r, file, "malformed BTF: type [4] DECL_TAG kcontract:stable: " + what);
      EXPECT_EQ(r.err.find("-2147483648"), std::string::npos) << r.err;
    }
  }
}

// A kfunc whose FUNC has no name (found by fuzz_btf): it was listed as
// "int (int x);", and manifest init wrote "name = ''", which its own read
// back refused. The kernel refuses an unnamed FUNC (btf_func_check_meta),
// and so does kcontract now, whether the offset is 0 or the end of another
// string.
TEST(HostileBtf, UnnamedFunctionIsMalformed) {
  const fs::path dir = ScratchDir("HostileBtf_UnnamedFunc");
  for (uint32_t name_off : {0u, 4u}) {  // 4: the NUL that ends "int"
    Bytes btf = MakeBtf([](struct btf* b) {
      int int_id = btf__add_int(b, "int", 4, BTF_INT_SIGNED);  // "int" at offset 1
      int proto = btf__add_func_proto(b, int_id);
      btf__add_func_param(b, "x", int_id);
      int func = btf__add_func(b, "bpf_kc_unnamed", BTF_FUNC_GLOBAL, proto);
      ASSERT_EQ(btf__add_decl_tag(b, "bpf_kfunc", func, -1), 4);
    });
    Put32(btf, TypeOffset(btf, {16, 20}, 3), name_off);
    const fs::path file = dir / ("func" + std::to_string(name_off) + ".btf");
    WriteFileOrDie(file, btf);
    for (const char* command : {"kernel kfuncs", "manifest init --match '*' --name t"}) {
      SCOPED_TRACE(std::string(command) + " name_off " + std::to_string(name_off));
      ExpectOneLineError(Cli(std::string(command) + " --kernel " + Q(file)), file,
                         "malformed BTF: type [3] FUNC: it has no name");
    }
  }
}

// `listing` of `file` shows `shown`; manifest init of it refuses with
// `error` alone, writing nothing.
void ExpectListedButNotWritten(const fs::path& file, const std::string& listing,
                               const std::string& shown, const std::string& error) {
  CommandResult listed = Cli(listing + " --kernel " + Q(file));
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find(shown), std::string::npos) << listed.out;
  CommandResult init = Cli("manifest init --match '*' --name t --kernel " + Q(file));
  EXPECT_EQ(init.exit_code, 1) << init.err;
  EXPECT_EQ(init.out, "");
  EXPECT_EQ(init.err, "kcontract: error: " + error + "\n");
}

// BTF may name a function what C cannot (libbpf does not ask); a manifest
// names interfaces as C does, so manifest init says which name it cannot
// write rather than write a manifest that does not read back.
TEST(HostileBtf, KfuncNamedAsCCannotIsNotWrittenToAManifest) {
  const fs::path file = ScratchDir("HostileBtf_KfuncName") / "dash.btf";
  WriteFileOrDie(file, MakeBtf([](struct btf* b) {
                   int int_id = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
                   int proto = btf__add_func_proto(b, int_id);
                   int func = btf__add_func(b, "bpf-kc", BTF_FUNC_GLOBAL, proto);
                   btf__add_decl_tag(b, "bpf_kfunc", func, -1);
                 }));
  ExpectListedButNotWritten(file, "kernel kfuncs", "bpf-kc",
                            "kfunc bpf-kc: a manifest cannot name it: 'bpf-kc' is not a C "
                            "identifier");
}

// A struct_ops member with no name whose type has none either (the kernel
// allows both; found by fuzz_btf) renders as no declaration: manifest init
// wrote an empty signature line, which its own read back refused. It now
// says which line it cannot write.
TEST(HostileBtf, NamelessMemberOfANamelessTypeIsNotWrittenToAManifest) {
  Bytes btf = MakeBtf([](struct btf* b) {
    int int_id = btf__add_int(b, "int", 4, BTF_INT_SIGNED);     // [1] 16 bytes
    int nameless = btf__add_int(b, "x", 4, BTF_INT_SIGNED);     // [2] 16 bytes, unnamed below
    int table = btf__add_struct(b, "kc_ops", 8);                // [3]
    btf__add_field(b, "f", int_id, 0, 0);
    btf__add_field(b, nullptr, nameless, 32, 0);
    btf__add_struct(b, "bpf_struct_ops_kc_ops", 8);
    btf__add_field(b, "data", table, 0, 0);
  });
  Put32(btf, TypeOffset(btf, {16}, 2), 0);
  const fs::path file = ScratchDir("HostileBtf_NamelessMember") / "ops.btf";
  WriteFileOrDie(file, btf);
  ExpectListedButNotWritten(file, "kernel struct-ops", "struct kc_ops {",
                            "struct_ops kc_ops: line 2 of its signature in this kernel's BTF "
                            "declares nothing (a nameless member or parameter of a nameless "
                            "type)");
  // Nor as a new revision of a manifest that has the type.
  const fs::path manifest = file.parent_path() / "kc.toml";
  const std::string text =
      "format_version = 1\n[contract]\nname = \"kc\"\n[[interface]]\nname = \"kc_ops\"\n"
      "kind = \"struct_ops\"\n[[interface.revision]]\nname = \"v1\"\nsignature = [\"int f\"]\n";
  WriteFileOrDie(manifest, Bytes(text.begin(), text.end()));
  CommandResult update = Cli("manifest update --kernel " + Q(file) + " " + Q(manifest));
  EXPECT_EQ(update.exit_code, 1) << update.err;
  EXPECT_EQ(update.err,
            "kcontract: error: struct_ops kc_ops: cannot record its revision in ops.btf: line 2 "
            "of its signature in this kernel's BTF declares nothing (a nameless member or "
            "parameter of a nameless type)\n");
}

// libbpf 1.1.2 reads a name at an out-of-range offset as no name; the
// kernel and libbpf >= 1.3 refuse such BTF, and so does kcontract.
TEST(HostileBtf, OutOfRangeOffsetsAndIdsAreMalformed) {
  const fs::path dir = ScratchDir("HostileBtf_Offsets");
  auto make = [] {
    return MakeBtf([](struct btf* b) {
      int int_id = btf__add_int(b, "int", 4, BTF_INT_SIGNED);  // [1] 16 bytes
      btf__add_struct(b, "s", 4);                              // [2] 12 + 12 bytes
      btf__add_field(b, "m", int_id, 0, 0);
      btf__add_ptr(b, 2);                                      // [3] 12 bytes
    });
  };
  const std::vector<size_t> sizes = {16, 24, 12};
  struct Case {
    const char* name;
    size_t type_id;
    size_t field;  // byte offset in the type
    uint32_t value;
    std::string what;
  };
  const Case cases[] = {
      {"type_name", 2, 0, 0x7fff0000u,
       "type [2] STRUCT: name offset 2147418112 is outside the string section"},
      {"member_name", 2, 12, 0x10000u,
       "type [2] STRUCT s: member 0: name offset 65536 is outside the string section"},
      {"member_type", 2, 16, 99, "type [2] STRUCT s: member 0 refers to type id 99, beyond the "
                                 "last type (3)"},
      {"pointer_target", 3, 8, 0xffffffffu, "type [3] PTR: it refers to type id 4294967295"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Bytes btf = make();
    Put32(btf, TypeOffset(btf, sizes, c.type_id) + c.field, c.value);
    const fs::path file = dir / (std::string(c.name) + ".btf");
    WriteFileOrDie(file, btf);
    ExpectOneLineError(Cli("kernel show --kernel " + Q(file)), file, "malformed BTF: " + c.what);
  }
}

// A struct holding itself by value has no size; the kernel refuses it
// ("Loop detected"), and walks that follow values would not end.
TEST(HostileBtf, TypeHoldingItselfByValueIsMalformed) {
  const fs::path dir = ScratchDir("HostileBtf_Cycle");
  Bytes btf = MakeBtf([](struct btf* b) {
    int int_id = btf__add_int(b, "int", 4, BTF_INT_SIGNED);  // [1]
    btf__add_struct(b, "loop", 8);                           // [2]
    btf__add_field(b, "x", int_id, 0, 0);
    btf__add_field(b, "again", 3, 32, 0);
    btf__add_typedef(b, "loop_t", 2);                        // [3]
  });
  const fs::path file = dir / "cycle.btf";
  WriteFileOrDie(file, btf);
  ExpectOneLineError(Cli("kernel show --kernel " + Q(file)), file,
                     "contains itself (through members, array elements, typedefs or modifiers");
}

// On a BTF as large as a kernel's the type checks and the cycle search run
// side by side (btfdiff/model/btf_validate.cc): the answer is still the
// lowest bad type, and a cycle only when no type is bad.
TEST(HostileBtf, ALargeBtfGetsTheSameAnswerAsASmallOne) {
  const fs::path dir = ScratchDir("HostileBtf_Large");
  constexpr int kPadding = 20000;  // above the size that gets a second thread
  auto make = [](bool bad_member) {
    Bytes btf = MakeBtf([](struct btf* b) {
      int int_id = btf__add_int(b, "int", 4, BTF_INT_SIGNED);  // [1]
      btf__add_struct(b, "loop", 8);                           // [2] a cycle, early
      btf__add_field(b, "x", int_id, 0, 0);
      btf__add_field(b, "again", 3, 32, 0);
      btf__add_typedef(b, "loop_t", 2);                        // [3]
      for (int i = 0; i < kPadding; ++i) btf__add_ptr(b, int_id);
      btf__add_struct(b, "late", 4);                           // [kPadding + 4]
      btf__add_field(b, "m", int_id, 0, 0);
    });
    // The last member's type id is the last type section word but one.
    uint32_t hdr_len, type_off, type_len;
    std::memcpy(&hdr_len, btf.data() + 4, 4);
    std::memcpy(&type_off, btf.data() + 8, 4);
    std::memcpy(&type_len, btf.data() + 12, 4);
    if (bad_member) Put32(btf, hdr_len + type_off + type_len - 8, 999999);
    return btf;
  };
  const fs::path both = dir / "both.btf";
  WriteFileOrDie(both, make(/*bad_member=*/true));
  ExpectOneLineError(Cli("kernel show --kernel " + Q(both)), both,
                     "malformed BTF: type [" + std::to_string(kPadding + 4) +
                         "] STRUCT late: member 0 refers to type id 999999, beyond the last type (" +
                         std::to_string(kPadding + 4) + ")");
  const fs::path cycle = dir / "cycle.btf";
  WriteFileOrDie(cycle, make(/*bad_member=*/false));
  ExpectOneLineError(Cli("kernel show --kernel " + Q(cycle)), cycle,
                     "malformed BTF: type [2] STRUCT loop: contains itself");
}

// A kfunc whose prototype takes four pointers to its own prototype: every
// level of the C declaration rendered each parameter again, 4^16 times
// within the depth limit.
TEST(HostileBtf, SelfReferentialPrototypeRendersInBoundedTime) {
  const fs::path dir = ScratchDir("HostileBtf_Prototype");
  Bytes btf = MakeBtf([](struct btf* b) {
    int int_id = btf__add_int(b, "int", 4, BTF_INT_SIGNED);  // [1]
    int proto = btf__add_func_proto(b, int_id);              // [2]
    for (const char* name : {"a", "b", "c", "d"}) btf__add_func_param(b, name, 3);
    btf__add_ptr(b, proto);                                  // [3]
    int func = btf__add_func(b, "bpf_fanout", BTF_FUNC_GLOBAL, proto);
    btf__add_decl_tag(b, "bpf_kfunc", func, -1);
  });
  const fs::path file = dir / "fanout.btf";
  WriteFileOrDie(file, btf);
  const auto start = std::chrono::steady_clock::now();
  CommandResult r = Cli("kernel kfuncs --kernel " + Q(file), 60);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("bpf_fanout"), std::string::npos) << r.out.substr(0, 2000);
  EXPECT_NE(r.out.find("/* too large */"), std::string::npos) << r.out.substr(0, 2000);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 10);
}

// ---- special files --------------------------------------------------------

// A FIFO, a socket or a device as an input is refused at once (a FIFO used
// to block forever waiting for a writer), whatever the command.
TEST(SpecialFiles, FifoSocketAndDeviceAreRefusedWithoutBlocking) {
  const fs::path dir = ScratchDir("SpecialFiles_Refused");
  const fs::path fifo = dir / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0);
  const fs::path socket_path = dir / "socket";
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, socket_path.c_str(), sizeof(address.sun_path) - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0)
      << socket_path;
  const std::string model = testing::ModelKernelPath("thp_v9");
  const fs::path module = SharedKernelDir("debian-6.1.0-50-amd64") / "modules/tcp_dctcp.ko";
  KC_REQUIRE_PATH(module);
  struct Case {
    fs::path file;
    std::string what;
  };
  for (const Case& c : {Case{fifo, "a FIFO (named pipe), not a regular file: refused"},
                        Case{socket_path, "a socket, not a regular file: refused"},
                        Case{"/dev/zero", "a character device, not a regular file: refused"}}) {
    for (const std::string& args :
         {"kernel show --kernel " + Q(c.file), "object show " + Q(c.file),
          "manifest check " + Q(c.file),
          "probe --no-default-manifests --kernel " + Q(model) + " --manifest " + Q(c.file),
          "kernel show --kernel " + Q(module) + " --base " + Q(c.file)}) {
      SCOPED_TRACE(args);
      CommandResult r = Cli(args, 20);
      EXPECT_NE(r.exit_code, 137) << "blocked: killed by the timeout";
      // manifest check reports on stdout as a located diagnostic
      // ("FILE: error: ..."), the others on stderr ("FILE: ...").
      const std::string said = r.out + r.err;
      EXPECT_TRUE(said.find(c.file.string() + ": " + c.what) != std::string::npos ||
                  said.find(c.file.string() + ": error: " + c.what) != std::string::npos)
          << r.out << r.err;
      EXPECT_EQ(r.err.find("Sanitizer"), std::string::npos) << r.err;
    }
    // The commands that fail on their first bad input say it in one line.
    ExpectOneLineError(Cli("kernel show --kernel " + Q(c.file), 20), c.file, c.what);
  }
  close(fd);
}

// A pipe given on purpose: '-' is standard input, and /dev/stdin and a
// shell's process substitution (/dev/fd/N) name a pipe the caller made.
TEST(SpecialFiles, PipeGivenOnPurposeIsRead) {
  const std::string model = testing::ModelKernelPath("thp_v9");
  const std::string object = std::string(KCONTRACT_OBJECT_DIR) + "/show_all.o";
  const std::string cli = ShellQuote(KCONTRACT_CLI);
  for (const std::string& command :
       {"cat " + ShellQuote(model) + " | " + cli + " kernel show --kernel -",
        "cat " + ShellQuote(model) + " | " + cli + " kernel show --kernel /dev/stdin",
        "bash -c " + ShellQuote(cli + " kernel show --kernel <(cat " + ShellQuote(model) + ")"),
        "cat " + ShellQuote(object) + " | " + cli + " object show -",
        "cat " + ShellQuote(object) + " | " + cli + " lint --no-default-manifests -"}) {
    SCOPED_TRACE(command);
    CommandResult r = RunCommand("timeout -s KILL 60 " + command);
    EXPECT_EQ(r.exit_code & 3, 0) << r.err;  // warnings and findings may set 4 and 8
    EXPECT_FALSE(r.out.empty());
  }
}

// One unreadable entry in a kernel directory is a warning naming it; the
// rest of the directory is still read.
TEST(SpecialFiles, UnreadableEntryInKernelDirectoryIsAWarning) {
  const fs::path dir = ScratchDir("SpecialFiles_Directory") / "kernel";
  fs::create_directories(dir);
  fs::copy_file(testing::ModelKernelPath("thp_v9"), dir / "vmlinux.btf");
  ASSERT_EQ(mkfifo((dir / "fifo").c_str(), 0644), 0);
  fs::create_symlink("loop", dir / "loop");          // ELOOP when followed
  fs::create_symlink("nowhere", dir / "dangling");
  bool unreadable_file = false;
  if (geteuid() != 0) {  // root reads a file whatever its permissions
    WriteFileOrDie(dir / "config-6.18", Bytes(16, 'x'));
    fs::permissions(dir / "config-6.18", fs::perms::none);
    unreadable_file = true;
  }
  CommandResult r = Cli("kernel show --kernel " + Q(dir), 20);
  EXPECT_EQ(r.exit_code, 4) << r.err;  // warnings, and the kernel read
  EXPECT_NE(r.out.find("struct_ops:  1"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("warning: " + (dir / "fifo").string() +
                       ": skipped: not a regular file (a FIFO, socket or device)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("warning: " + (dir / "loop").string() + ": skipped: cannot stat"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("warning: " + (dir / "dangling").string() +
                       ": skipped: a dangling symbolic link"),
            std::string::npos)
      << r.err;
  if (unreadable_file) {
    EXPECT_NE(r.err.find((dir / "config-6.18").string() + ": cannot open"), std::string::npos)
        << r.err;
  }
}

// ---- truncated ELF ----------------------------------------------------------

// `bytes` with its section header table moved to right after the ELF
// header (every section's bytes shifted behind it), as some linkers lay
// files out: cutting such a file keeps the table and cuts the sections.
Bytes SectionTableFirst(const Bytes& bytes) {
  Elf64_Ehdr ehdr;
  std::memcpy(&ehdr, bytes.data(), sizeof(ehdr));
  const size_t table_size = size_t{ehdr.e_shnum} * sizeof(Elf64_Shdr);
  std::vector<Elf64_Shdr> sections(ehdr.e_shnum);
  std::memcpy(sections.data(), bytes.data() + ehdr.e_shoff, table_size);
  Bytes out(bytes.begin(), bytes.begin() + sizeof(ehdr));
  out.resize(sizeof(ehdr) + table_size);
  out.insert(out.end(), bytes.begin() + sizeof(ehdr), bytes.end());
  for (Elf64_Shdr& s : sections) {
    if (s.sh_type != SHT_NOBITS && s.sh_type != SHT_NULL) s.sh_offset += table_size;
  }
  ehdr.e_shoff = sizeof(ehdr);
  std::memcpy(out.data(), &ehdr, sizeof(ehdr));
  std::memcpy(out.data() + sizeof(ehdr), sections.data(), table_size);
  return out;
}

// A cut vmlinux or module is named as cut, at which byte, never as a file
// without a .BTF section.
TEST(TruncatedElf, CutModuleIsReportedAsTruncatedAtItsSize) {
  const fs::path kernel = SharedKernelDir("debian-6.1.0-50-amd64");
  KC_REQUIRE_PATH(kernel);
  const fs::path dir = ScratchDir("TruncatedElf_Module");
  const Bytes module = ReadFileOrDie(kernel / "modules/tcp_dctcp.ko");
  const std::string base =
      " --base " + Q(kernel / "vmlinuz-6.1.0-50-amd64");

  const fs::path cut = dir / "cut.ko";
  WriteFileOrDie(cut, Bytes(module.begin(), module.begin() + 14000));
  ExpectOneLineError(Cli("kernel show --kernel " + Q(cut) + base), cut,
                     "truncated ELF: cut at byte 14000: section header table");

  // The table first: a cut inside .BTF leaves the table whole.
  const Bytes relaid = SectionTableFirst(module);
  const fs::path whole = dir / "relaid.ko";
  WriteFileOrDie(whole, relaid);
  CommandResult ok = Cli("kernel show --kernel " + Q(whole) + base);
  ASSERT_EQ(ok.exit_code & 3, 0) << ok.err;
  const fs::path cut_btf = dir / "relaid-cut.ko";
  const size_t at = relaid.size() - 8000;  // inside .BTF, before the name table
  WriteFileOrDie(cut_btf, Bytes(relaid.begin(), relaid.begin() + at));
  CommandResult r = Cli("kernel show --kernel " + Q(cut_btf) + base);
  ExpectOneLineError(r, cut_btf, "truncated ELF: cut at byte " + std::to_string(at));
  EXPECT_EQ(r.err.find("no .BTF section"), std::string::npos) << r.err;
}

// A vmlinux (an ELF executable with .BTF, linked here from a model
// kernel's BTF) cut anywhere is named as cut, never as lacking .BTF.
TEST(TruncatedElf, CutVmlinuxIsReportedAsTruncatedAtItsSize) {
  if (!testing::HaveTool("objcopy") || !testing::HaveTool("ld")) GTEST_SKIP() << "no binutils";
  const fs::path dir = ScratchDir("TruncatedElf_Vmlinux");
  const fs::path btf = dir / "vmlinux.btf";
  fs::copy_file(testing::ModelKernelPath("thp_v9"), btf, fs::copy_options::overwrite_existing);
  const fs::path vmlinux = dir / "vmlinux";
  CommandResult made = RunCommand(
      "cd " + Q(dir) + " && objcopy -I binary -O elf64-x86-64 -B i386:x86-64 --rename-section "
      ".data=.BTF,alloc,load,readonly,data,contents vmlinux.btf btf.o && ld -o vmlinux btf.o "
      "2>/dev/null");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  ASSERT_EQ(Cli("kernel show --kernel " + Q(vmlinux)).exit_code & 3, 0);
  const Bytes whole = ReadFileOrDie(vmlinux);
  for (size_t at : {size_t{40}, size_t{100}, whole.size() / 2, whole.size() - 1}) {
    SCOPED_TRACE(at);
    const fs::path cut = dir / ("cut" + std::to_string(at));
    WriteFileOrDie(cut, Bytes(whole.begin(), whole.begin() + at));
    CommandResult r = Cli("kernel show --kernel " + Q(cut));
    ExpectOneLineError(r, cut, "truncated ELF: cut at byte " + std::to_string(at));
    EXPECT_EQ(r.err.find("no .BTF section"), std::string::npos) << r.err;
  }
}

// ---- limits -------------------------------------------------------------------

TEST(Limits, MoreEmbeddedObjectsThanAFileMayHoldAreRefused) {
  const fs::path dir = ScratchDir("Limits_Embedded");
  const Bytes object = ReadFileOrDie(std::string(KCONTRACT_OBJECT_DIR) + "/show_nobtf.o");
  Bytes file = {'h', 'o', 's', 't'};
  for (int i = 0; i < 257; ++i) file.insert(file.end(), object.begin(), object.end());
  const fs::path path = dir / "many";
  WriteFileOrDie(path, file);
  ExpectOneLineError(Cli("object show " + Q(path)), path,
                     "257 embedded BPF objects, more than the 256 one file may hold");
}

// 16384 EM_BPF headers, each pointing at one table of 16384 section headers
// that no object's can be (every section lies outside the file): read per
// candidate, that was 268 million section headers.
TEST(Limits, SearchForEmbeddedObjectsTakesLinearTime) {
  const fs::path dir = ScratchDir("Limits_EmbeddedSearch");
  constexpr size_t kTable = 1 << 20;
  constexpr uint16_t kSections = 16384;
  Bytes file(kTable + kSections * sizeof(Elf64_Shdr), 0);
  // From byte 64 on: the file itself is no ELF file, only holds headers.
  for (size_t at = 64; at + sizeof(Elf64_Ehdr) <= kTable; at += sizeof(Elf64_Ehdr)) {
    Elf64_Ehdr h{};
    std::memcpy(h.e_ident, ELFMAG, SELFMAG);
    h.e_ident[EI_CLASS] = ELFCLASS64;
    h.e_ident[EI_DATA] = ELFDATA2LSB;
    h.e_ident[EI_VERSION] = EV_CURRENT;
    h.e_type = ET_REL;
    h.e_machine = EM_BPF;
    h.e_version = EV_CURRENT;
    h.e_shoff = kTable - at;
    h.e_ehsize = sizeof(Elf64_Ehdr);
    h.e_shentsize = sizeof(Elf64_Shdr);
    h.e_shnum = kSections;
    h.e_shstrndx = 1;
    std::memcpy(file.data() + at, &h, sizeof(h));
  }
  for (size_t i = 1; i < kSections; ++i) {
    Elf64_Shdr s{};
    s.sh_type = SHT_PROGBITS;
    s.sh_offset = 1ull << 40;
    s.sh_size = 1;
    std::memcpy(file.data() + kTable + i * sizeof(Elf64_Shdr), &s, sizeof(s));
  }
  const fs::path path = dir / "headers";
  WriteFileOrDie(path, file);
  const auto start = std::chrono::steady_clock::now();
  CommandResult r = Cli("object show " + Q(path));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ExpectOneLineError(r, path, "the search for embedded BPF objects met more ELF headers");
  EXPECT_LT(seconds, 10);
}

TEST(Limits, MoreRelocationsThanAnObjectMayCarryAreRefused) {
  const fs::path dir = ScratchDir("Limits_Relocations");
  Bytes object = ReadFileOrDie(std::string(KCONTRACT_OBJECT_DIR) + "/show_all.o");
  Elf64_Ehdr ehdr;
  std::memcpy(&ehdr, object.data(), sizeof(ehdr));
  // The first relocation section now points at 1,000,001 zero entries
  // (symbol 0, type 0) appended to the file.
  bool patched = false;
  const size_t appended = (object.size() + 7) / 8 * 8;
  for (size_t i = 0; i < ehdr.e_shnum && !patched; ++i) {
    Elf64_Shdr s;
    const size_t at = ehdr.e_shoff + i * sizeof(Elf64_Shdr);
    std::memcpy(&s, object.data() + at, sizeof(s));
    if (s.sh_type != SHT_REL) continue;
    s.sh_offset = appended;
    s.sh_size = 1'000'001 * sizeof(Elf64_Rel);
    std::memcpy(object.data() + at, &s, sizeof(s));
    patched = true;
  }
  ASSERT_TRUE(patched);
  object.resize(appended + 1'000'001 * sizeof(Elf64_Rel), 0);
  const fs::path path = dir / "relocations.o";
  WriteFileOrDie(path, object);
  ExpectOneLineError(Cli("object show " + Q(path)), path, "more than 1000000 relocations");
}

// ---- BPF objects ----------------------------------------------------------------

// The byte offset of the header of section `name` in an ELF object the
// tests built (trusted: no bounds checks), or 0 when it has none.
size_t SectionHeaderOffset(const Bytes& object, const char* name) {
  Elf64_Ehdr ehdr;
  std::memcpy(&ehdr, object.data(), sizeof(ehdr));
  Elf64_Shdr names;
  std::memcpy(&names, object.data() + ehdr.e_shoff + ehdr.e_shstrndx * sizeof(Elf64_Shdr),
              sizeof(names));
  for (size_t i = 0; i < ehdr.e_shnum; ++i) {
    Elf64_Shdr sh;
    const size_t at = ehdr.e_shoff + i * sizeof(Elf64_Shdr);
    std::memcpy(&sh, object.data() + at, sizeof(sh));
    if (std::strcmp(reinterpret_cast<const char*>(object.data()) + names.sh_offset + sh.sh_name,
                    name) == 0) {
      return at;
    }
  }
  return 0;
}

// A license section without bytes (SHT_NOBITS): memchr on a null pointer
// (main fixed it; UBSan in `scripts/test.sh --sanitize` sees a relapse).
TEST(HostileObject, LicenseSectionWithoutBytesIsRead) {
  const fs::path dir = ScratchDir("HostileObject_License");
  Bytes object = ReadFileOrDie(std::string(KCONTRACT_OBJECT_DIR) + "/show_all.o");
  const size_t license = SectionHeaderOffset(object, "license");
  ASSERT_NE(license, 0u);
  Elf64_Shdr sh;
  std::memcpy(&sh, object.data() + license, sizeof(sh));
  sh.sh_type = SHT_NOBITS;
  std::memcpy(object.data() + license, &sh, sizeof(sh));
  const fs::path path = dir / "nobits_license.o";
  WriteFileOrDie(path, object);
  for (const std::string& args : {"object show " + Q(path),
                                  "lint --no-default-manifests " + Q(path),
                                  "check --kernel " +
                                      ShellQuote(testing::ModelKernelPath("thp_v9")) + " " +
                                      Q(path)}) {
    SCOPED_TRACE(args);
    CommandResult r = Cli(args);
    EXPECT_LT(r.exit_code, 128) << r.err;
    EXPECT_EQ(r.exit_code & 1, 0) << r.err;
    EXPECT_EQ(r.err.find("runtime error"), std::string::npos) << r.err;
  }
}

// A conditional jump naming r11 (found by fuzz_object): the register fields
// are four bits, and the reach analysis indexed its register file past r10.
// The verifier rejects such an instruction where it reaches it ("R11 is
// invalid"), so the path ends there and the check says the load fails at
// the verifier; the weak kfunc called behind the jump is not reached.
TEST(HostileObject, JumpNamingARegisterPastR10FailsAtTheVerifier) {
  const fs::path dir = ScratchDir("HostileObject_R11");
  const std::string original = std::string(KCONTRACT_CORPUS_DIR) + "/kfunc_weak_guarded.bpf.o";
  Bytes object = ReadFileOrDie(original);
  const size_t syscall = SectionHeaderOffset(object, "syscall");
  ASSERT_NE(syscall, 0u);
  Elf64_Shdr sh;
  std::memcpy(&sh, object.data() + syscall, sizeof(sh));
  bool patched = false;
  for (size_t at = sh.sh_offset; at + 8 <= sh.sh_offset + sh.sh_size && !patched; at += 8) {
    const uint8_t code = object[at];
    const uint8_t op = code & 0xf0;
    if (((code & 0x07) == BPF_JMP || (code & 0x07) == BPF_JMP32) && op != BPF_JA &&
        op != BPF_CALL && op != BPF_EXIT) {
      object[at + 1] = static_cast<uint8_t>((object[at + 1] & 0xf0) | 11);  // dst_reg
      patched = true;
    }
  }
  ASSERT_TRUE(patched);
  const fs::path path = dir / "jump_r11.o";
  WriteFileOrDie(path, object);
  // The model kernel has no bpf_task_from_vpid: its calls are watched too.
  CommandResult r = Cli("check --kernel " + ShellQuote(testing::ModelKernelPath("thp_v9")) + " " +
                        Q(path));
  EXPECT_LT(r.exit_code, 128) << "crashed: " << r.err;
  EXPECT_EQ(r.exit_code & 1, 0) << r.err;
  EXPECT_EQ(r.exit_code & 8, 8) << r.out;
  EXPECT_EQ(r.err.find("runtime error"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find(": error: [insn-register] weak_guarded: instruction 4 of section syscall "
                       "names register r11; BPF has r0 to r10, and the verifier rejects the "
                       "program where it reaches such an instruction (\"R11 is invalid\"); the "
                       "verifier reaches it at "),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("bpf_task_from_vpid: optional (weak) kfunc is not in"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("the verifier never reaches it"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fails at verifier"), std::string::npos) << r.out;

  // The real verifier, where this machine lets a test load programs: the
  // original loads, the patched one does not.
  auto load = [](const std::string& file) {
    struct bpf_object* obj = bpf_object__open_file(file.c_str(), nullptr);
    if (obj == nullptr) return -errno;
    const int err = bpf_object__load(obj);
    bpf_object__close(obj);
    return err;
  };
  const int original_load = load(original);
  if (original_load == -EPERM || original_load == -EACCES) {
    GTEST_SKIP() << "loading BPF programs is not permitted here (" << original_load
                 << "): the real verifier's answer is not compared";
  }
  ASSERT_EQ(original_load, 0) << "the unpatched object does not load on this kernel";
  EXPECT_EQ(load(path.string()), -EINVAL);
  CommandResult running = Cli("check --kernel /sys/kernel/btf/vmlinux " + Q(path));
  EXPECT_NE(running.out.find("fails at verifier"), std::string::npos) << running.out;
}

}  // namespace
}  // namespace kcontract
