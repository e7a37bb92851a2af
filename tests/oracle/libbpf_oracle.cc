// kc_libbpf_oracle: runs the real libbpf (the system's 1.1.2) on one BPF
// object against one kernel's BTF and classifies what libbpf did, from its
// own log, into one line of JSON. It is the ground truth the pre-load check
// (`kcontract ... check`) is tested against; see tests/oracle/README.md.
// The same source is built against upstream 1.3.0, 1.5.0 and 1.7.0, linked
// statically (kc_libbpf_oracle_1_3, _1_5, _1_7): where those releases differ
// in what they do or print, the code says which release does what.
//
//   kc_libbpf_oracle --object OBJ --kernel NAME --btf FILE [--config FILE]
//   kc_libbpf_oracle --object OBJ --kernel NAME --running
//     [--no-namespace] [--log FILE]
//     [--autoload-off PROG]... [--attach PROG=TARGET]...
//     [--rodata VAR=VALUE]... [--max-entries MAP=N]...
//
// --autoload-off, --attach, --rodata and --max-entries do what a loader does
// between open and load (bpf_program__set_autoload(prog, false),
// bpf_program__set_attach_target(prog, 0, TARGET), a skeleton's
// `skel->rodata->VAR = VALUE` through bpf_map__set_initial_value,
// bpf_map__set_max_entries), as a load profile says it; a set_attach_target
// that fails (a target the kernel lacks) is the class attach_target_missing.
//
// A foreign kernel (--btf): libbpf 1.1.2 uses btf_custom_path only for CO-RE;
// kfunc and typed ksym externs, tp_btf/fentry targets and struct_ops types
// are always looked up in /sys/kernel/btf/vmlinux, and kconfig externs in
// /boot/config-$(uname -r) or /proc/config.gz. So, as root, the oracle first
// enters a private mount namespace and bind-mounts the kernel's BTF over
// /sys/kernel/btf/vmlinux and its config over the system config: then every
// lookup libbpf makes sees that kernel. The kernel's verifier cannot judge
// a load whose verification depends on kernel BTF ids (they are the other
// kernel's), so for a foreign kernel the class stops at "got past
// relocation". Programs whose verification does not depend on the target's
// BTF (kprobe, tracepoint, socket filter, syscall, XDP, tc, ...), in an
// object without kfunc or ksym externs, are still judged: libbpf loads the
// programs it relocated for the foreign kernel into the running one, and the
// verifier's answer is reported as "verifier". Struct_ops maps are not
// created for a foreign kernel (libbpf 1.1.2 creates maps before it
// relocates, and the running kernel would refuse the foreign value type).
//
// libbpf computes LINUX_KERNEL_VERSION from uname()'s release. For a
// foreign kernel the oracle answers uname() itself with the release its
// config names ("# Linux/x86 6.1.176 Kernel Configuration"), so a program
// choosing its path by kernel version is relocated as on that kernel. The
// definition below interposes on libc's for libbpf.so too.
//
// --running: no namespace, btf_custom_path = /sys/kernel/btf/vmlinux, and the
// real load result is reported too.
//
// Exit status: 0 when a result line was printed, 1 on a tool error, 2 usage.

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <bpf/libbpf_version.h>
#include <errno.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/oracle/foreign_stand_ins.h"
#include "tests/oracle/kernel_namespace.h"

namespace {

// Whether this libbpf checks a struct_ops map against the kernel even when
// it does not create it (before 1.4; see main()).
constexpr bool kChecksUncreatedStructOps = LIBBPF_MAJOR_VERSION == 1 && LIBBPF_MINOR_VERSION < 4;

// The release uname() reports once the oracle acts for a foreign kernel.
std::string g_foreign_release;

}  // namespace

// Under LeakSanitizer (the sanitizer CI run): libbpf 1.1.2 keeps the
// vmlinux BTF that bpf_program__set_attach_target loads, and never frees it
// when the object is closed without being loaded (the loader-refusal path
// here). That is libbpf's, not the oracle's: leave it out of the report.
// The upstream releases are linked statically (KC_ORACLE_STATIC_LIBBPF), so
// their frames are named by function, not by library.
extern "C" const char* __lsan_default_suppressions() {
#ifdef KC_ORACLE_STATIC_LIBBPF
  return "leak:libbpf_find_kernel_btf\nleak:bpf_program__set_attach_target\n";
#else
  return "leak:libbpf.so\n";
#endif
}

extern "C" int uname(struct utsname* buf) {
  if (syscall(SYS_uname, buf) != 0) return -1;
  if (!g_foreign_release.empty()) {
    std::strncpy(buf->release, g_foreign_release.c_str(), sizeof(buf->release) - 1);
    buf->release[sizeof(buf->release) - 1] = '\0';
  }
  return 0;
}


namespace {

// The release a kernel config's header names, "" when it names none.
std::string ReleaseOfConfig(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  for (int i = 0; i < 8 && std::getline(in, line); ++i) {
    static const std::regex header(R"(^# Linux/\S+ (\S+) Kernel Configuration$)");
    std::smatch m;
    if (std::regex_match(line, m, header)) return m[1];
  }
  return "";
}

struct LogLine {
  libbpf_print_level level;
  std::string text;  // without the "libbpf: " prefix, one line
};

std::string g_raw_log;          // everything libbpf printed, verbatim
std::vector<LogLine> g_lines;   // split into lines

int CapturePrint(enum libbpf_print_level level, const char* fmt, va_list args) {
  va_list copy;
  va_copy(copy, args);
  int n = vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  if (n < 0) return 0;
  std::string buf(static_cast<size_t>(n) + 1, '\0');
  vsnprintf(buf.data(), buf.size(), fmt, args);
  buf.resize(static_cast<size_t>(n));
  g_raw_log += buf;
  size_t start = 0;
  while (start < buf.size()) {
    size_t end = buf.find('\n', start);
    if (end == std::string::npos) end = buf.size();
    std::string line = buf.substr(start, end - start);
    if (line.rfind("libbpf: ", 0) == 0) line.erase(0, 8);
    if (!line.empty()) g_lines.push_back({level, line});
    start = end + 1;
  }
  return n;
}

bool Contains(const std::string& s, const char* needle) {
  return s.find(needle) != std::string::npos;
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), {});
  return true;
}

// --- classification ----------------------------------------------------------

// Messages of libbpf 1.1.2 (libbpf.c, relo_core.c), by the load stage that
// prints them; bpf_object__load runs the stages in this order and stops at
// the first failing one. Each is still printed, in these words, by 1.3.0,
// 1.5.0 and 1.7.0 (checked in their src/*.c); the newer releases' own
// messages are marked with the release that prints them.
// 1.5+ opens what 1.1.2 and 1.3 refuse to open (a big-endian object on this
// little-endian host) and refuses it as bpf_object__load starts, before any
// kernel-dependent stage: for the object, on every kernel, as before.
const char* const kLoadRefusesObject[] = {
    "loading non-native endianness is unsupported",
};
const char* const kExternFailed[] = {
    "extern (func ksym) '",  // not found / func_proto incompatible / fd index
    "extern (var ksym) '",   // not found in kernel BTF / incompatible types
    "(strong): not resolved",
    "failed to find BTF for extern",
    "extern (kcfg) '",       // value/type errors, unrecognized virtual extern
    "failed to open system Kconfig",
    "error parsing system Kconfig line",
    "error parsing in-memory Kconfig line",
    "failed to open in-memory Kconfig",
    "unrecognized extern",
    "extern (ksym) '",        // kallsyms: ambiguous resolution
    "failed to load vmlinux BTF",
    "Error loading vmlinux BTF",
};
const char* const kStructOpsFailed[] = {
    "struct_ops init_kern",
};
const char* const kMapCreateFailed[] = {
    "failed to create: ",
    "failed to create inner map",
};
const char* const kReloFailed[] = {
    "failed to perform CO-RE relocations",
    ": failed to relocate: ",
    ": failed to patch insn",
    ": failed to record relocation",
    ": target candidate search failed",
    "failed to parse target BTF",
    "field offset ambiguity",
    "relocation decision ambiguity",
    "failed to relocate data references",
    "failed to relocate calls",
};
const char* const kAttachMissing[] = {
    "failed to find kernel BTF type ID of",
    "no BTF-based attach target is specified",
};
// Printed when libbpf prepares a program for loading, before the kernel sees
// it, for reasons that depend on the object alone (its section names no
// program type; an freplace program names a function but no program holds
// it): the object as shipped never loads, on any kernel, so these count as
// refusing the object itself, "open_failed". libbpf does this after
// relocation, so a failure of an earlier stage is still the one reported.
// (A section naming no target at all is attach_target_missing, above.)
const char* const kPrepareFailed[] = {
    ": missing BPF prog type, check ELF section name",
    ": attach program FD is not set",
    // 1.5+: a struct_ops program no struct_ops map refers to (1.1.2 and 1.3
    // hand it to the kernel, which refuses it with ENOTSUPP).
    "program isn't referenced anywhere, did you forget to use it?",
};

bool MatchesAny(const std::string& line, const char* const* begin, const char* const* end) {
  for (auto p = begin; p != end; ++p)
    if (Contains(line, *p)) return true;
  return false;
}
#define MATCHES(line, table) MatchesAny(line, std::begin(table), std::end(table))

bool IsWeakInfo(const std::string& line) {
  return Contains(line, "(weak): not resolved") || Contains(line, "resolved to ") ||
         Contains(line, ": set to ");
}

struct Relo {
  std::string prog;
  int index = 0;
  std::string kind;    // libbpf's name: byte_off, type_matches, enumval_value...
  std::string spec;    // the local side: "[5] struct inode.i_state (0:0 @ offset 0)"
  std::string result;  // "off=144 mem_sz=4", "imm=0", "poisoned", "failed"
};

struct Result {
  std::string cls;
  std::string load = "n/a";
  // Foreign kernels: the verifier's answer on the relocated programs, or
  // "n/a: why" when it cannot be had.
  std::string verifier = "n/a";
  std::set<std::string> poisoned;  // "prog#relo"
  std::set<std::string> kfunc_poisoned;  // "prog#relo": 1.3+'s poisoned kfunc calls
  std::vector<std::string> detail;
  std::vector<Relo> relos;
};

// One entry per CO-RE relocation, from libbpf's debug lines:
//   prog 'p': relo #2: <byte_off> [10] struct inode.i_state (0:0 @ offset 0)
//   prog 'p': relo #2: patched insn #3 (LDX/ST/STX) off 0 -> 144
//   prog 'p': relo #2: substituting insn #3 w/ invalid insn
//   prog 'p': relo #2: failed to relocate: -22
std::vector<Relo> CollectRelos() {
  static const std::regex spec_re(R"(^prog '([^']+)': relo #(\d+): <([a-z0-9_]+)> (\[\d+\] .*)$)");
  static const std::regex patched_re(
      R"(^prog '([^']+)': relo #(\d+): patched insn #\d+ \([^)]*\) (imm64|imm|off|mem_sz) \d+ -> (\d+))");
  static const std::regex poison_re(R"(^prog '([^']+)': relo #(\d+): substituting insn)");
  static const std::regex failed_re(R"(^prog '([^']+)': relo #(\d+): failed to )");
  std::vector<Relo> relos;
  auto find = [&](const std::string& prog, int index) -> Relo* {
    for (auto& r : relos)
      if (r.prog == prog && r.index == index) return &r;
    return nullptr;
  };
  for (const LogLine& l : g_lines) {
    std::smatch m;
    const std::string& s = l.text;
    if (std::regex_search(s, m, spec_re)) {
      if (!find(m[1], std::stoi(m[2]))) relos.push_back({m[1], std::stoi(m[2]), m[3], m[4], ""});
    } else if (std::regex_search(s, m, patched_re)) {
      if (Relo* r = find(m[1], std::stoi(m[2]))) {
        std::string v = m[3].str() + "=" + m[4].str();
        if (r->result.find(v) == std::string::npos)
          r->result += (r->result.empty() ? "" : " ") + v;
      }
    } else if (std::regex_search(s, m, poison_re)) {
      if (Relo* r = find(m[1], std::stoi(m[2]))) r->result = "poisoned";
    } else if (std::regex_search(s, m, failed_re)) {
      if (Relo* r = find(m[1], std::stoi(m[2]))) r->result = "failed";
    }
  }
  return relos;
}

// The running kernel's answer to a load that got past relocation.
std::string LoadAnswer(int load_err, const std::vector<std::string>& verifier_tail) {
  if (load_err == 0) return "loaded";
  if (load_err == -EPERM) return "eperm";
  for (const auto& v : verifier_tail)
    if (Contains(v, "failed to resolve CO-RE relocation") || Contains(v, "unknown#195896080") ||
        // 1.3+ poisons calls of weak kfuncs it left unresolved, and says so.
        Contains(v, "is referenced but wasn't resolved"))
      return "poison_reached";
  return "verifier_rejected";
}

Result Classify(int load_err, bool running) {
  Result r;
  // CO-RE and map poisoning. Calls of unresolved weak kfuncs (1.3+: "poisoning
  // insn #N that calls kfunc") are counted apart: 1.1.2 leaves the same calls
  // at BTF id 0 without a word, and neither is a CO-RE outcome.
  static const std::regex poison_re(R"(prog '([^']+)': relo #(\d+): (substituting insn #\d+ w/ invalid insn|poisoning insn #\d+ that loads map))");
  static const std::regex kfunc_poison_re(R"(prog '([^']+)': relo #(\d+): poisoning insn #\d+ that calls kfunc)");
  bool in_verifier_log = false;
  std::vector<std::string> verifier_tail;
  std::string first_failure;
  for (const LogLine& l : g_lines) {
    const std::string& s = l.text;
    if (Contains(s, "-- BEGIN PROG LOAD LOG --")) {
      in_verifier_log = true;
      continue;
    }
    if (in_verifier_log) {
      if (Contains(s, "-- END PROG LOAD LOG --")) {
        in_verifier_log = false;
        std::string before = s.substr(0, s.find("-- END PROG LOAD LOG --"));
        if (!before.empty()) verifier_tail.push_back(before);
      } else {
        verifier_tail.push_back(s);
      }
      continue;
    }
    std::smatch m;
    if (std::regex_search(s, m, poison_re)) r.poisoned.insert(m[1].str() + "#" + m[2].str());
    if (std::regex_search(s, m, kfunc_poison_re))
      r.kfunc_poisoned.insert(m[1].str() + "#" + m[2].str());
    if (l.level != LIBBPF_WARN) continue;
    if (!first_failure.empty()) continue;
    if (MATCHES(s, kLoadRefusesObject)) first_failure = "open_failed";
    else if (MATCHES(s, kExternFailed) && !IsWeakInfo(s)) first_failure = "extern_failed";
    else if (MATCHES(s, kStructOpsFailed)) first_failure = "struct_ops_failed";
    else if (MATCHES(s, kMapCreateFailed)) first_failure = "map_create_failed";
    else if (MATCHES(s, kReloFailed)) first_failure = "relo_failed";
    else if (MATCHES(s, kAttachMissing)) first_failure = "attach_target_missing";
    else if (MATCHES(s, kPrepareFailed)) first_failure = "prepare_failed";
  }

  const bool got_past_relocation = load_err == 0 || first_failure.empty();
  if (!got_past_relocation) {
    r.cls = first_failure;
  } else {
    r.cls = r.poisoned.empty() ? "passed_relocation" : "poisoned";
  }

  if (running) {
    // libbpf stopped before the kernel saw the program, or the kernel's answer.
    r.load = got_past_relocation ? LoadAnswer(load_err, verifier_tail) : r.cls;
  } else {
    r.verifier = got_past_relocation ? LoadAnswer(load_err, verifier_tail) : r.cls;
  }

  // Key lines: libbpf's warnings (outside verifier logs), the debug lines
  // that explain poisoning and weak/absent externs, the verifier's last lines.
  in_verifier_log = false;
  for (const LogLine& l : g_lines) {
    const std::string& s = l.text;
    if (Contains(s, "-- BEGIN PROG LOAD LOG --")) { in_verifier_log = true; continue; }
    if (in_verifier_log) { if (Contains(s, "-- END PROG LOAD LOG --")) in_verifier_log = false; continue; }
    bool key = l.level == LIBBPF_WARN;
    if (!key) {
      key = Contains(s, "substituting insn") || Contains(s, "no matching targets found") ||
            Contains(s, "(weak): not resolved") || Contains(s, "poisoning insn") ||
            Contains(s, "skipped auto-creating") ||
            Contains(s, "skipping it as it's set to zero");  // 1.5+
    }
    if (!key) continue;
    if (Contains(s, "failed to load object")) continue;
    // On a foreign kernel the running kernel's refusal is the "verifier" answer.
    if (!running && (Contains(s, "BPF program load failed") || Contains(s, ": failed to load: ") ||
                     Contains(s, "permission error while running as root")))
      continue;
    if (r.detail.size() < 16) r.detail.push_back(s.size() > 300 ? s.substr(0, 300) + "..." : s);
  }
  r.relos = CollectRelos();
  if (!verifier_tail.empty()) {
    size_t from = verifier_tail.size() > 3 ? verifier_tail.size() - 3 : 0;
    for (size_t i = from; i < verifier_tail.size(); ++i)
      r.detail.push_back("verifier: " + verifier_tail[i].substr(0, 300));
  }
  return r;
}

// Whether the running kernel's verifier can judge the object's programs as
// relocated for a foreign kernel: "" when it can, else why not.
std::string ForeignVerifierBlocker(bpf_object* obj) {
  const btf* object_btf = bpf_object__btf(obj);
  if (object_btf != nullptr) {
    for (uint32_t id = 1; id < btf__type_cnt(object_btf); ++id) {
      const btf_type* t = btf__type_by_id(object_btf, id);
      if (!btf_is_datasec(t) || btf_vlen(t) == 0) continue;
      const char* name = btf__name_by_offset(object_btf, t->name_off);
      if (name != nullptr && strcmp(name, ".ksyms") == 0) {
        return "kfunc or ksym externs resolve to the foreign kernel's BTF ids";
      }
    }
  }
  bpf_program* prog;
  bpf_object__for_each_program(prog, obj) {
    if (!bpf_program__autoload(prog)) continue;
    switch (bpf_program__type(prog)) {
      case BPF_PROG_TYPE_KPROBE:
      case BPF_PROG_TYPE_TRACEPOINT:
      case BPF_PROG_TYPE_RAW_TRACEPOINT:
      case BPF_PROG_TYPE_PERF_EVENT:
      case BPF_PROG_TYPE_SOCKET_FILTER:
      case BPF_PROG_TYPE_SCHED_CLS:
      case BPF_PROG_TYPE_SCHED_ACT:
      case BPF_PROG_TYPE_XDP:
      case BPF_PROG_TYPE_SYSCALL:
      case BPF_PROG_TYPE_CGROUP_SKB:
        break;
      default:
        return std::string("program ") + bpf_program__name(prog) +
               " is verified against the kernel's own BTF (" +
               libbpf_bpf_prog_type_str(bpf_program__type(prog)) + ")";
    }
  }
  return "";
}

// What a skeleton's `skel->rodata->name = value` does: the variable's bytes
// in the .rodata map's initial value, little-endian, its own size. "" on
// success, else why not.
std::string SetRodata(bpf_object* obj, const std::string& name, unsigned long long value) {
  const btf* object_btf = bpf_object__btf(obj);
  if (object_btf == nullptr) return "the object has no BTF";
  int datasec = btf__find_by_name_kind(object_btf, ".rodata", BTF_KIND_DATASEC);
  if (datasec < 0) return "the object has no .rodata";
  const btf_type* t = btf__type_by_id(object_btf, datasec);
  const btf_var_secinfo* vars = btf_var_secinfos(t);
  for (int i = 0; i < btf_vlen(t); ++i) {
    const btf_type* var = btf__type_by_id(object_btf, vars[i].type);
    if (name != btf__name_by_offset(object_btf, var->name_off)) continue;
    bpf_map* map;
    bpf_object__for_each_map(map, obj) {
      std::string map_name = bpf_map__name(map);
      if (!bpf_map__is_internal(map) || map_name.size() < 7 ||
          map_name.compare(map_name.size() - 7, 7, ".rodata") != 0) {
        continue;
      }
      size_t size = 0;
      const void* initial = bpf_map__initial_value(map, &size);
      if (initial == nullptr || vars[i].offset + vars[i].size > size || vars[i].size > 8) {
        return "the variable does not fit the map";
      }
      std::vector<unsigned char> bytes(static_cast<const unsigned char*>(initial),
                                       static_cast<const unsigned char*>(initial) + size);
      std::memcpy(bytes.data() + vars[i].offset, &value, vars[i].size);  // little-endian host
      return bpf_map__set_initial_value(map, bytes.data(), size) == 0 ? ""
                                                                     : "set_initial_value failed";
    }
    return "no .rodata map";
  }
  return "no such variable";
}

void Usage() {
  std::cerr << "usage: kc_libbpf_oracle --object OBJ --kernel NAME (--btf FILE [--config FILE] | --running)\n"
               "                        [--no-namespace] [--log FILE]\n"
               "                        [--autoload-off PROG]... [--attach PROG=TARGET]...\n"
               "                        [--rodata VAR=VALUE]... [--max-entries MAP=N]...\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::string object, kernel, btf, config, log_path;
  bool running = false, use_namespace = true;
  std::vector<std::string> autoload_off;
  std::vector<std::pair<std::string, std::string>> attach;
  std::vector<std::pair<std::string, std::string>> rodata;
  std::vector<std::pair<std::string, std::string>> max_entries;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&](std::string* dst) {
      if (i + 1 >= argc) return false;
      *dst = argv[++i];
      return true;
    };
    bool ok = true;
    if (a == "--object") ok = next(&object);
    else if (a == "--kernel") ok = next(&kernel);
    else if (a == "--btf") ok = next(&btf);
    else if (a == "--config") ok = next(&config);
    else if (a == "--log") ok = next(&log_path);
    else if (a == "--running") running = true;
    else if (a == "--no-namespace") use_namespace = false;
    else if (a == "--autoload-off") ok = next(&autoload_off.emplace_back());
    else if (a == "--attach" || a == "--rodata" || a == "--max-entries") {
      std::string setting;
      ok = next(&setting) && setting.find('=') != std::string::npos;
      auto& into = a == "--attach" ? attach : a == "--rodata" ? rodata : max_entries;
      if (ok) into.emplace_back(setting.substr(0, setting.find('=')),
                                setting.substr(setting.find('=') + 1));
    }
    else ok = false;
    if (!ok) { Usage(); return 2; }
  }
  if (object.empty() || kernel.empty() || (running == !btf.empty())) { Usage(); return 2; }
  alarm(60);  // a hung load must not hang the test suite

  for (const std::string& f : {object, btf, config}) {
    if (!f.empty() && access(f.c_str(), R_OK) != 0) {
      std::cerr << "kc_libbpf_oracle: " << f << ": " << strerror(errno) << "\n";
      return 1;
    }
  }

  std::string prepare = "n/a";  // bpf_object__prepare's outcome, 1.6+
  std::string mode = running ? "running" : "custom_path_only";
  std::string extern_basis = running ? "running" : "running-kernel only";
  std::string namespace_note;
  std::string kconfig_text;
  if (!running) {
    if (use_namespace) {
      kc_oracle::NamespaceResult ns = kc_oracle::EnterKernelNamespace(btf, config);
      if (ns.ok) {
        mode = "namespace";
        extern_basis = "target";
      } else {
        namespace_note = ns.why_not;
      }
    } else {
      namespace_note = "disabled by --no-namespace";
    }
    if (!config.empty()) g_foreign_release = ReleaseOfConfig(config);
    // Without the namespace the config can still be given to libbpf; options
    // the target lacks then fall back to the running kernel's config.
    if (mode != "namespace" && !config.empty()) ReadFile(config, &kconfig_text);
  }

  libbpf_set_print(CapturePrint);
  const std::string custom = running ? std::string(kc_oracle::kSysVmlinux) : btf;
  bpf_object_open_opts opts;
  memset(&opts, 0, sizeof(opts));
  opts.sz = sizeof(opts);
  opts.btf_custom_path = custom.c_str();
  opts.kconfig = kconfig_text.empty() ? nullptr : kconfig_text.c_str();
  bpf_object* obj = bpf_object__open_file(object.c_str(), &opts);
  int err = 0;
  Result result;
  if (!obj) {
    err = -errno;
    result.cls = "open_failed";
    result.load = running ? "open_failed" : "n/a";
    // Whatever the kernel: libbpf refused the object before any kernel saw it.
    result.verifier = "open_failed";
    for (const LogLine& l : g_lines)
      if (l.level == LIBBPF_WARN && result.detail.size() < 16) result.detail.push_back(l.text);
  } else {
    // A foreign kernel's struct_ops map cannot be created in the running
    // kernel (its value type id is the other kernel's). Before 1.4 libbpf
    // checks struct_ops types and members whether or not it creates the map:
    // turn creation off. From 1.4 a map it does not create is not checked
    // either, nor are its programs loaded: leave creation as the object has
    // it and let the running kernel create an array instead (foreign_stand_ins.cc).
    if (!running) {
      if (kChecksUncreatedStructOps) {
        bpf_map* map;
        bpf_object__for_each_map(map, obj) {
          if (bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS) bpf_map__set_autocreate(map, false);
        }
      } else {
        kc_oracle::ForeignStandIns().struct_ops_maps = true;
      }
    }
    // The loader's changes, as a load profile states them.
    std::string loader_failure;
    for (const std::string& name : autoload_off) {
      bpf_program* prog = bpf_object__find_program_by_name(obj, name.c_str());
      if (prog == nullptr) {
        std::cerr << "kc_libbpf_oracle: " << object << " has no program " << name << "\n";
        return 1;
      }
      bpf_program__set_autoload(prog, false);
    }
    for (const auto& [name, target] : attach) {
      bpf_program* prog = bpf_object__find_program_by_name(obj, name.c_str());
      if (prog == nullptr) {
        std::cerr << "kc_libbpf_oracle: " << object << " has no program " << name << "\n";
        return 1;
      }
      int set = bpf_program__set_attach_target(prog, 0, target.c_str());
      if (set != 0 && loader_failure.empty()) {
        loader_failure = "bpf_program__set_attach_target(" + name + ", '" + target +
                         "'): " + strerror(-set);
      }
    }
    for (const auto& [name, value] : rodata) {
      std::string why = SetRodata(obj, name, std::stoull(value, nullptr, 0));
      if (!why.empty()) {
        std::cerr << "kc_libbpf_oracle: " << object << ": --rodata " << name << ": " << why << "\n";
        return 1;
      }
    }
    for (const auto& [name, value] : max_entries) {
      bpf_map* map = bpf_object__find_map_by_name(obj, name.c_str());
      if (map == nullptr ||
          bpf_map__set_max_entries(map, static_cast<__u32>(std::stoul(value, nullptr, 0))) != 0) {
        std::cerr << "kc_libbpf_oracle: " << object << ": cannot resize map " << name << "\n";
        return 1;
      }
    }
    std::string blocker = running ? "" : ForeignVerifierBlocker(obj);
    if (!blocker.empty()) {
      // The running kernel's answer on these programs would be "n/a": let
      // libbpf go on as if it had accepted them (foreign_stand_ins.cc).
      bpf_program* prog;
      bpf_object__for_each_program(prog, obj) {
        if (bpf_program__autoload(prog))
          kc_oracle::ForeignStandIns().programs.insert(
              std::string(bpf_program__name(prog)).substr(0, BPF_OBJ_NAME_LEN - 1));
      }
    }
    if (!loader_failure.empty()) {
      // The loader stops before bpf_object__load: its target is missing.
      err = -ESRCH;
      result.cls = "attach_target_missing";
      if (running) result.load = result.cls;
      else result.verifier = result.cls;
      result.detail.push_back(loader_failure);
    } else {
#if LIBBPF_MAJOR_VERSION > 1 || LIBBPF_MINOR_VERSION >= 6
      // 1.6+: a loader can prepare (everything up to loading programs) and
      // then load, as kcontract's loader helper does there; record whether
      // preparing alone succeeded. The classes come from the log as before.
      err = bpf_object__prepare(obj);
      prepare = err == 0 ? "ok" : "failed";
      if (err == 0) err = bpf_object__load(obj);
#else
      err = bpf_object__load(obj);
#endif
      result = Classify(err, running);
      for (const std::string& note : kc_oracle::StandInNotes()) result.detail.push_back(note);
    }
    bool judged_by_libbpf = result.verifier == result.cls;
    // A struct_ops program bound to no struct_ops type is refused by every
    // kernel: that refusal is the foreign kernel's answer too.
    bool judged_anywhere = !running && err != 0 && !judged_by_libbpf &&
                           !kc_oracle::UnboundStructOpsPrograms().empty();
    if (judged_anywhere) {
      result.verifier = "verifier_rejected";
      result.detail.push_back("oracle: struct_ops program '" +
                              kc_oracle::UnboundStructOpsPrograms().front() +
                              "' is bound to no struct_ops type, which every kernel refuses");
    }
    // Nothing loaded (1.4+ loads no program of a struct_ops map it does not
    // create): nothing any kernel verifies, so "loaded" holds everywhere.
    bool loaded_nothing = err == 0;
    bpf_program* loaded_prog;
    bpf_object__for_each_program(loaded_prog, obj) {
      if (bpf_program__fd(loaded_prog) >= 0) loaded_nothing = false;
    }
    if (!running && !blocker.empty() && !judged_by_libbpf && !judged_anywhere && !loaded_nothing)
      result.verifier = "n/a: " + blocker;
    bpf_object__close(obj);
  }

  if (!log_path.empty()) {
    std::ofstream out(log_path, std::ios::binary);
    out << g_raw_log;
  }

  std::string base = object;
  if (auto slash = base.rfind('/'); slash != std::string::npos) base.erase(0, slash + 1);
  nlohmann::ordered_json j;
  j["object"] = base;
  j["kernel"] = kernel;
  j["class"] = result.cls;
  j["load"] = result.load;
  j["verifier"] = running ? result.load : result.verifier;
  j["poisoned"] = result.poisoned.size();
  if (!result.kfunc_poisoned.empty()) j["kfunc_poisoned"] = result.kfunc_poisoned.size();
  j["mode"] = mode;
  j["extern_basis"] = extern_basis;
  if (!namespace_note.empty()) j["namespace_note"] = namespace_note;
  if (!g_foreign_release.empty()) j["release"] = g_foreign_release;
  if (!autoload_off.empty()) j["autoload_off"] = autoload_off;
  for (const auto& [key, settings] : {std::pair{"attach", &attach}, std::pair{"rodata", &rodata},
                                      std::pair{"max_entries", &max_entries}}) {
    if (settings->empty()) continue;
    nlohmann::ordered_json values;
    for (const auto& [name, value] : *settings) values[name] = value;
    j[key] = values;
  }
  j["libbpf"] = std::to_string(libbpf_major_version()) + "." + std::to_string(libbpf_minor_version());
  j["prepare"] = prepare;
  j["load_err"] = err;
  j["detail"] = result.detail;
  nlohmann::ordered_json relos = nlohmann::ordered_json::array();
  for (const auto& r : result.relos) {
    relos.push_back({{"prog", r.prog}, {"relo", r.index}, {"kind", r.kind}, {"spec", r.spec},
                     {"result", r.result}});
  }
  j["relos"] = relos;
  std::cout << j.dump() << "\n";
  return 0;
}
