#include "tests/oracle/oracle_table.h"

#include <elf.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/test_support.h"

extern char** environ;

namespace kcontract::oracle {
namespace fs = std::filesystem;

namespace {

// FNV-1a, 64 bits: a cache key, not a security boundary.
class Fnv64 {
 public:
  void Add(const void* data, size_t n) {
    auto p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < n; ++i) {
      h_ ^= p[i];
      h_ *= 0x100000001b3ULL;
    }
  }
  void Add(const std::string& s) { Add(s.data(), s.size() + 1); }
  std::string Hex() const {
    std::ostringstream out;
    out << std::hex << std::setw(16) << std::setfill('0') << h_;
    return out.str();
  }

 private:
  uint64_t h_ = 0xcbf29ce484222325ULL;
};

// Hash of a file's contents (with its size), "" when unreadable.
std::string HashFile(const fs::path& path) {
  if (path.empty()) return "-";
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  Fnv64 h;
  std::vector<char> buf(1 << 16);
  uint64_t size = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    std::streamsize n = in.gcount();
    if (n <= 0) break;
    h.Add(buf.data(), static_cast<size_t>(n));
    size += static_cast<uint64_t>(n);
  }
  h.Add(&size, sizeof(size));
  return h.Hex();
}

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

fs::path DefaultCacheDir() { return fs::path(KCONTRACT_BINARY_DIR) / "oracle_cache"; }

bool WriteAtomically(const fs::path& path, const std::string& text) {
  fs::path tmp = path;
  tmp += ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) return false;
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  return !ec;
}

std::string RunningRelease() {
  struct utsname uts;
  if (uname(&uts) != 0) return "";
  return uts.release;
}

// KC_LIBBPF_ORACLES: "1.3=<exe>|1.5=<exe>|...", as tests/CMakeLists.txt
// writes it.
std::map<std::string, std::string> VersionOracles() {
  std::map<std::string, std::string> oracles;
  std::istringstream in(KC_LIBBPF_ORACLES);
  std::string item;
  while (std::getline(in, item, '|')) {
    auto eq = item.find('=');
    if (eq != std::string::npos) oracles[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return oracles;
}

struct Job {
  size_t index;  // into the results
  std::vector<std::string> argv;
  fs::path out, err;
  fs::path cache_file;
  pid_t pid = -1;
};

OracleResult ParseResult(const std::string& line, OracleResult base) {
  OracleResult r = std::move(base);
  r.json = line;
  nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("class")) {
    r.ok = false;
    r.error = "unparseable oracle output: " + line.substr(0, 200);
    return r;
  }
  r.ok = true;
  r.cls = j.value("class", "");
  r.load = j.value("load", "");
  r.verifier = j.value("verifier", "");
  r.poisoned = j.value("poisoned", 0);
  r.kfunc_poisoned = j.value("kfunc_poisoned", 0);
  r.libbpf = j.value("libbpf", "");
  r.prepare = j.value("prepare", "n/a");
  r.mode = j.value("mode", "");
  r.extern_basis = j.value("extern_basis", "");
  if (j.contains("detail"))
    for (const auto& d : j["detail"]) r.detail.push_back(d.get<std::string>());
  if (j.contains("relos")) {
    for (const auto& x : j["relos"]) {
      OracleRelo relo;
      relo.prog = x.value("prog", "");
      relo.index = x.value("relo", 0);
      relo.kind = x.value("kind", "");
      relo.spec = x.value("spec", "");
      relo.result = x.value("result", "");
      r.relos.push_back(std::move(relo));
    }
  }
  return r;
}

pid_t Spawn(const Job& job) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, job.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, job.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> argv;
  for (const auto& a : job.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

}  // namespace

std::vector<OracleResult> RunOracle(const std::vector<fs::path>& objects,
                                    const std::vector<OracleKernel>& kernels,
                                    const OracleOptions& options, OracleStats* stats) {
  OracleStats local_stats;
  if (!stats) stats = &local_stats;
  const fs::path cache_dir = options.cache_dir.empty() ? DefaultCacheDir() : options.cache_dir;
  const fs::path results_dir = cache_dir / "results";
  const fs::path scratch_dir = cache_dir / "scratch";
  fs::create_directories(results_dir);
  fs::create_directories(scratch_dir);

  std::string oracle_exe = KC_LIBBPF_ORACLE;
  if (!options.libbpf.empty()) {
    auto oracles = VersionOracles();
    auto it = oracles.find(options.libbpf);
    oracle_exe = it == oracles.end() ? "(no oracle for libbpf " + options.libbpf + ")" : it->second;
  }
  const std::string oracle_hash = HashFile(oracle_exe);
  std::map<fs::path, std::string> hashes;  // of objects, BTF and configs
  auto hash_of = [&](const fs::path& p) -> const std::string& {
    auto it = hashes.find(p);
    if (it == hashes.end()) it = hashes.emplace(p, HashFile(p)).first;
    return it->second;
  };
  std::string running_key;  // the running kernel's identity, if used
  for (const auto& k : kernels) {
    if (k.running && running_key.empty())
      running_key = RunningRelease() + "/" + HashFile("/sys/kernel/btf/vmlinux") + "/" +
                    HashFile("/proc/config.gz");
  }

  std::vector<OracleResult> results;
  std::deque<Job> pending;
  for (const auto& object : objects) {
    for (const auto& kernel : kernels) {
      OracleResult base;
      base.object = object.filename().string();
      base.kernel = kernel.name;
      const size_t index = results.size();
      results.push_back(base);

      Fnv64 key;
      key.Add("kc_libbpf_oracle v1");
      key.Add("libbpf=" + options.libbpf);
      key.Add(oracle_hash);
      key.Add(hash_of(object));
      key.Add(kernel.name);
      key.Add(kernel.running ? running_key : hash_of(kernel.btf) + "/" + hash_of(kernel.config));
      key.Add(options.use_namespace ? "ns" : "no-ns");
      for (const std::string& arg : options.extra_args) key.Add(arg);
      const fs::path cache_file = results_dir / (key.Hex() + ".json");

      if (options.use_cache && fs::exists(cache_file)) {
        std::string line = Slurp(cache_file);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
        OracleResult cached = ParseResult(line, base);
        if (cached.ok) {
          results[index] = std::move(cached);
          ++stats->cached;
          continue;
        }
      }
      Job job;
      job.index = index;
      job.argv = {oracle_exe, "--object", object.string(), "--kernel", kernel.name};
      if (kernel.running) {
        job.argv.push_back("--running");
      } else {
        job.argv.insert(job.argv.end(), {"--btf", kernel.btf.string()});
        if (!kernel.config.empty()) job.argv.insert(job.argv.end(), {"--config", kernel.config.string()});
      }
      if (!options.use_namespace) job.argv.push_back("--no-namespace");
      job.argv.insert(job.argv.end(), options.extra_args.begin(), options.extra_args.end());
      // Per process: two test binaries may run the same pair at once.
      const std::string scratch_name = key.Hex() + "." + std::to_string(getpid());
      job.out = scratch_dir / (scratch_name + ".out");
      job.err = scratch_dir / (scratch_name + ".err");
      job.cache_file = cache_file;
      pending.push_back(std::move(job));
    }
  }

  std::vector<Job> running_jobs;
  const size_t max_jobs = static_cast<size_t>(std::max(1, options.jobs));
  auto finish = [&](Job& job, int status) {
    OracleResult& r = results[job.index];
    std::string out = Slurp(job.out);
    std::string err = Slurp(job.err);
    std::error_code ec;
    fs::remove(job.out, ec);
    fs::remove(job.err, ec);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::string line = out.substr(0, out.find('\n'));
    if (code != 0 || line.empty()) {
      r.ok = false;
      r.error = "kc_libbpf_oracle exited " + std::to_string(code) + ": " + err.substr(0, 400);
      return;
    }
    r = ParseResult(line, r);
    if (r.ok && options.use_cache) WriteAtomically(job.cache_file, line + "\n");
    ++stats->ran;
  };
  while (!pending.empty() || !running_jobs.empty()) {
    while (!pending.empty() && running_jobs.size() < max_jobs) {
      Job job = std::move(pending.front());
      pending.pop_front();
      job.pid = Spawn(job);
      if (job.pid < 0) {
        results[job.index].ok = false;
        results[job.index].error = "cannot run " + oracle_exe;
        continue;
      }
      running_jobs.push_back(std::move(job));
    }
    if (running_jobs.empty()) continue;
    int status = 0;
    pid_t done = waitpid(-1, &status, 0);
    if (done < 0) {
      if (errno == EINTR) continue;
      for (auto& job : running_jobs) {
        results[job.index].ok = false;
        results[job.index].error = "waitpid failed";
      }
      break;
    }
    auto it = std::find_if(running_jobs.begin(), running_jobs.end(),
                           [&](const Job& j) { return j.pid == done; });
    if (it == running_jobs.end()) continue;  // not ours
    finish(*it, status);
    running_jobs.erase(it);
  }
  return results;
}

std::vector<std::string> OracleLibbpfVersions(std::string* why_not) {
  std::vector<std::string> versions;
  std::string why = KC_LIBBPF_ORACLES_MISSING;
  std::replace(why.begin(), why.end(), '|', ';');
  for (const auto& [version, exe] : VersionOracles()) {
    if (fs::exists(exe)) {
      versions.push_back(version);
    } else {
      why += std::string(why.empty() ? "" : "; ") + version + ": " + exe +
             " is not built (it is built for libbpf_versions_oracle_test)";
    }
  }
  // "1.10" after "1.9": by minor number.
  std::sort(versions.begin(), versions.end(), [](const std::string& a, const std::string& b) {
    return std::stoi(a.substr(a.find('.') + 1)) < std::stoi(b.substr(b.find('.') + 1));
  });
  if (why_not) *why_not = why;
  return versions;
}

std::vector<OracleKernel> SharedOracleKernels(std::string* why_not) {
  auto fail = [&](const std::string& why) {
    if (why_not) *why_not = why;
    return std::vector<OracleKernel>{};
  };
  if (geteuid() != 0)
    return fail("the libbpf oracle needs root (a private mount namespace and BPF loads)");
  if (!fs::exists("/sys/kernel/btf/vmlinux"))
    return fail("the running kernel has no /sys/kernel/btf/vmlinux");
  const fs::path shared = fs::path(KCONTRACT_SHARED_DIR) / "kernels";
  const fs::path d61 = shared / "debian-6.1.0-50-amd64";
  const fs::path d612 = shared / "debian-6.12.111-amd64";
  const fs::path d618 = shared / "host-6.18.44";
  for (const auto& d : {d61, d612, d618})
    if (!fs::exists(d)) return fail("needs " + d.string() + " (../shared beside the checkout)");

  auto find_file = [](const fs::path& dir, const std::string& prefix) -> fs::path {
    std::vector<fs::path> found;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file() && e.path().filename().string().rfind(prefix, 0) == 0)
        found.push_back(e.path());
    std::sort(found.begin(), found.end());
    return found.empty() ? fs::path() : found.front();
  };

  const fs::path kernel_cache = DefaultCacheDir() / "kernels";
  fs::create_directories(kernel_cache);
  std::vector<OracleKernel> kernels;
  for (const auto& [name, dir] : {std::pair{std::string("6.1"), d61}, std::pair{std::string("6.12"), d612}}) {
    fs::path image = find_file(dir, "vmlinuz-");
    fs::path config = find_file(dir, "config-");
    if (image.empty()) return fail("no vmlinuz-* in " + dir.string());
    const std::string h = HashFile(image);
    fs::path btf = kernel_cache / (name + "-" + h + ".btf");
    if (!fs::exists(btf)) {
      auto r = kcontract::testing::RunCli("btf extract --kernel '" + dir.string() + "' -o '" +
                                          btf.string() + "'");
      if (r.exit_code != 0 || !fs::exists(btf))
        return fail("kcontract btf extract --kernel " + dir.string() + " failed: " + r.err);
    }
    kernels.push_back({name, btf, config, false});
  }
  fs::path btf618 = d618 / "vmlinux.btf";
  if (!fs::exists(btf618)) return fail("needs " + btf618.string());
  kernels.push_back({"6.18", btf618, find_file(d618, "config-"), false});
  kernels.push_back({"running", {}, {}, true});
  return kernels;
}

std::vector<CorpusEntry> LoadCorpus() {
  std::vector<CorpusEntry> corpus;
  std::ifstream list(KC_CORPUS_LIST);
  std::string line;
  static const std::regex expect_re(R"(\*\s*Expect:\s*(.*))");
  static const std::regex expect_load_re(R"(\*\s*Expect-load:\s*(.*))");
  static const std::regex expect_verdict_re(R"(\*\s*Expect-verdict:\s*(.*))");
  static const std::regex expect_libbpf_re(R"(\*\s*Expect-libbpf-(\d+\.\d+):\s*(.*))");
  static const std::regex expect_load_libbpf_re(R"(\*\s*Expect-load-libbpf-(\d+\.\d+):\s*(.*))");
  auto parse_pairs = [](const std::string& text) {
    std::map<std::string, std::string> m;
    std::istringstream in(text);
    std::string pair;
    while (in >> pair) {
      auto eq = pair.find('=');
      if (eq != std::string::npos) m[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
    return m;
  };
  while (std::getline(list, line)) {
    std::istringstream fields(line);
    CorpusEntry e;
    std::string object, source;
    if (!std::getline(fields, e.name, '\t') || !std::getline(fields, object, '\t') ||
        !std::getline(fields, source, '\t'))
      continue;
    e.object = object;
    e.source = source;
    std::istringstream src(Slurp(e.source));
    std::string s;
    std::smatch m;
    while (std::getline(src, s)) {
      if (std::regex_search(s, m, expect_libbpf_re)) e.expect_libbpf[m[1]] = parse_pairs(m[2]);
      else if (std::regex_search(s, m, expect_load_libbpf_re))
        e.expect_load_libbpf[m[1]] = parse_pairs(m[2]);
      else if (std::regex_search(s, m, expect_load_re)) e.expect_load = parse_pairs(m[1]);
      else if (std::regex_search(s, m, expect_verdict_re)) e.expect_verdict = parse_pairs(m[1]);
      else if (std::regex_search(s, m, expect_re)) e.expect = parse_pairs(m[1]);
      if (s.find("*/") != std::string::npos) break;  // only the header comment
    }
    corpus.push_back(std::move(e));
  }
  std::sort(corpus.begin(), corpus.end(),
            [](const CorpusEntry& a, const CorpusEntry& b) { return a.name < b.name; });
  return corpus;
}

namespace {

int MinorOf(const std::string& version) {
  auto dot = version.find('.');
  return dot == std::string::npos ? 0 : std::atoi(version.c_str() + dot + 1);
}

// The newest line at or below `version` that names `kernel`, else 1.1.2's.
std::string Inherited(const std::map<std::string, std::map<std::string, std::string>>& lines,
                      const std::map<std::string, std::string>& base, const std::string& version,
                      const std::string& kernel) {
  int best = -1;
  std::string found;
  for (const auto& [line_version, pairs] : lines) {
    int minor = MinorOf(line_version);
    auto it = pairs.find(kernel);
    if (minor <= MinorOf(version) && minor > best && it != pairs.end()) {
      best = minor;
      found = it->second;
    }
  }
  if (best >= 0) return found;
  auto it = base.find(kernel);
  return it == base.end() ? "" : it->second;
}

}  // namespace

std::string ExpectedClass(const CorpusEntry& entry, const std::string& version,
                          const std::string& kernel) {
  return Inherited(entry.expect_libbpf, entry.expect, version, kernel);
}

std::string ExpectedLoad(const CorpusEntry& entry, const std::string& version,
                         const std::string& kernel) {
  return Inherited(entry.expect_load_libbpf, entry.expect_load, version, kernel);
}

std::vector<fs::path> ObjectPaths(const std::vector<CorpusEntry>& corpus) {
  std::vector<fs::path> paths;
  for (const auto& e : corpus) paths.push_back(e.object);
  return paths;
}

std::vector<uint32_t> CoreReloKinds(const fs::path& object) {
  std::vector<uint32_t> kinds;
  std::string buf = Slurp(object);
  auto read = [&](size_t off, auto* out) {
    if (off > buf.size() || buf.size() - off < sizeof(*out)) return false;
    std::memcpy(out, buf.data() + off, sizeof(*out));
    return true;
  };
  Elf64_Ehdr eh;
  if (!read(0, &eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
      eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shentsize != sizeof(Elf64_Shdr))
    return kinds;
  std::vector<Elf64_Shdr> sh(eh.e_shnum);
  for (size_t i = 0; i < sh.size(); ++i)
    if (!read(eh.e_shoff + i * sizeof(Elf64_Shdr), &sh[i])) return kinds;
  if (eh.e_shstrndx >= sh.size()) return kinds;
  for (const auto& s : sh) {
    size_t name = sh[eh.e_shstrndx].sh_offset + s.sh_name;
    if (name >= buf.size() || std::strncmp(buf.data() + name, ".BTF.ext", buf.size() - name) != 0)
      continue;
    const size_t base = s.sh_offset;
    uint32_t hdr_len = 0, core_off = 0, core_len = 0, rec_size = 0;
    if (!read(base + 4, &hdr_len) || hdr_len < 32 || !read(base + 24, &core_off) ||
        !read(base + 28, &core_len))
      return kinds;
    size_t pos = base + hdr_len + core_off;
    const size_t end = pos + core_len;
    if (core_len < 4 || end > base + s.sh_size || !read(pos, &rec_size) || rec_size < 16)
      return kinds;
    pos += 4;
    while (pos + 8 <= end) {
      uint32_t num = 0;
      read(pos + 4, &num);
      pos += 8;
      for (uint32_t i = 0; i < num && pos + rec_size <= end; ++i, pos += rec_size) {
        uint32_t kind = 0;
        read(pos + 12, &kind);
        kinds.push_back(kind);
      }
    }
  }
  return kinds;
}

std::string FormatTable(const std::vector<OracleResult>& results,
                        const std::vector<OracleKernel>& kernels) {
  size_t width = 6;
  for (const auto& r : results) width = std::max(width, r.object.size());
  std::ostringstream out;
  out << std::left << std::setw(static_cast<int>(width)) << "object";
  for (const auto& k : kernels) out << " | " << std::setw(k.running ? 40 : 21) << k.name;
  out << "\n";
  for (size_t i = 0; i < results.size(); i += kernels.size()) {
    out << std::setw(static_cast<int>(width)) << results[i].object;
    for (size_t k = 0; k < kernels.size() && i + k < results.size(); ++k) {
      const OracleResult& r = results[i + k];
      std::string cell = r.ok ? r.cls : "ERROR";
      if (r.ok && kernels[k].running) cell += " / " + r.load;
      out << " | " << std::setw(kernels[k].running ? 40 : 21) << cell;
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace kcontract::oracle
