// The oracle's private mount namespace, in which /sys/kernel/btf/vmlinux and
// the kernel config are a foreign kernel's (tests/oracle/README.md, "Seeing
// the target kernel"). Every libbpf release the tests build looks there: the
// vmlinux BTF at /sys/kernel/btf/vmlinux, the config at
// /boot/config-$(uname -r), else /proc/config.gz (checked in 1.3.0, 1.5.0 and
// 1.7.0 as in 1.1.2).
#include "tests/oracle/kernel_namespace.h"

#include <errno.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iterator>

namespace kc_oracle {

namespace {

bool BindOver(const std::string& src, const std::string& dst, NamespaceResult* r) {
  if (mount(src.c_str(), dst.c_str(), nullptr, MS_BIND, nullptr) != 0) {
    r->why_not = "bind mount of " + src + " over " + dst + ": " + strerror(errno);
    return false;
  }
  r->mounts.push_back(dst);
  return true;
}

}  // namespace

NamespaceResult EnterKernelNamespace(const std::string& btf, const std::string& config) {
  NamespaceResult r;
  if (unshare(CLONE_NEWNS) != 0) {
    r.why_not = std::string("unshare(CLONE_NEWNS): ") + strerror(errno);
    return r;
  }
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    r.why_not = std::string("making / private: ") + strerror(errno);
    return r;
  }
  if (access(kSysVmlinux, F_OK) != 0) {
    r.why_not = std::string(kSysVmlinux) + " does not exist on this kernel";
    return r;
  }
  if (!BindOver(btf, kSysVmlinux, &r)) return r;
  if (!config.empty()) {
    // libbpf 1.1.2 reads /boot/config-$(uname -r), else /proc/config.gz
    // (gzopen reads uncompressed files too). Cover whichever exists; when
    // neither does, give /boot a private tmpfs holding the config.
    struct utsname uts;
    uname(&uts);
    std::string boot_config = std::string("/boot/config-") + uts.release;
    bool covered = false;
    if (access(boot_config.c_str(), F_OK) == 0) {
      if (!BindOver(config, boot_config, &r)) return r;
      covered = true;
    }
    if (access("/proc/config.gz", F_OK) == 0) {
      if (!BindOver(config, "/proc/config.gz", &r)) return r;
      covered = true;
    }
    if (!covered) {
      std::ifstream in(config, std::ios::binary);
      if (!in) {
        r.why_not = "cannot read " + config;
        return r;
      }
      std::string text(std::istreambuf_iterator<char>(in), {});
      mkdir("/boot", 0755);
      if (mount("tmpfs", "/boot", "tmpfs", 0, "size=16m") != 0) {
        r.why_not = std::string("tmpfs on /boot: ") + strerror(errno);
        return r;
      }
      r.mounts.push_back("/boot (tmpfs)");
      std::ofstream out(boot_config, std::ios::binary);
      out << text;
      if (!out) {
        r.why_not = "cannot write " + boot_config;
        return r;
      }
    }
  }
  // Check that the running process now really sees the kernel's BTF.
  struct stat a, b;
  if (stat(btf.c_str(), &a) != 0 || stat(kSysVmlinux, &b) != 0 ||
      a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
    r.why_not = "bind mount did not take effect";
    return r;
  }
  r.ok = true;
  return r;
}

}  // namespace kc_oracle
