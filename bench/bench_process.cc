#include "bench/bench_process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>

extern char** environ;

namespace kcontract::bench {

namespace {

// Runs one program and waits for it, here.
Run SpawnAndWait(std::vector<std::string> argv) {
  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  Run run;
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return run;
  int status = 0;
  struct rusage usage {};
  if (wait4(pid, &status, 0, &usage) != pid) return run;
  run.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
               .count();
  run.rss_mib = usage.ru_maxrss / 1024.0;  // KiB on Linux
  run.ok = WIFEXITED(status);
  run.code = run.ok ? WEXITSTATUS(status) : -1;
  return run;
}

bool ReadAll(int fd, void* data, size_t n) {
  auto* p = static_cast<char*>(data);
  while (n > 0) {
    ssize_t got = read(fd, p, n);
    if (got <= 0) return false;
    p += got;
    n -= got;
  }
  return true;
}

bool WriteAll(int fd, const void* data, size_t n) {
  const auto* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t put = write(fd, p, n);
    if (put <= 0) return false;
    p += put;
    n -= put;
  }
  return true;
}

// The programs run from a launcher process forked when the benchmark
// starts, while it is small. Linux keeps a process's peak RSS across
// execve, and a spawned child starts on its parent's memory (posix_spawn
// shares it until the exec, fork copies it): spawned from a benchmark that
// has loaded kernels itself, every program's peak RSS would read as at
// least the benchmark's (135 MiB where `check` against 50 snapshots peaks
// at 21 MiB).
class Launcher {
 public:
  Launcher() {
    int request[2], reply[2];
    if (pipe(request) != 0 || pipe(reply) != 0) return;
    pid_t pid = fork();
    if (pid == 0) {
      close(request[1]);
      close(reply[0]);
      Serve(request[0], reply[1]);
      _exit(0);
    }
    close(request[0]);
    close(reply[1]);
    if (pid < 0) return;
    to_ = request[1];
    from_ = reply[0];
  }

  // Runs `argv` in the launcher; false when the launcher is gone.
  bool Run(const std::vector<std::string>& argv, bench::Run* run) {
    if (to_ < 0) return false;
    std::string message;
    uint32_t count = argv.size();
    message.append(reinterpret_cast<const char*>(&count), sizeof(count));
    for (const std::string& arg : argv) {
      uint32_t size = arg.size();
      message.append(reinterpret_cast<const char*>(&size), sizeof(size));
      message += arg;
    }
    return WriteAll(to_, message.data(), message.size()) && ReadAll(from_, run, sizeof(*run));
  }

 private:
  static void Serve(int in, int out) {
    for (;;) {
      uint32_t count = 0;
      if (!ReadAll(in, &count, sizeof(count))) return;
      std::vector<std::string> argv(count);
      for (std::string& arg : argv) {
        uint32_t size = 0;
        if (!ReadAll(in, &size, sizeof(size))) return;
        arg.resize(size);
        if (!ReadAll(in, arg.data(), size)) return;
      }
      bench::Run run = SpawnAndWait(std::move(argv));
      if (!WriteAll(out, &run, sizeof(run))) return;
    }
  }

  int to_ = -1;
  int from_ = -1;
};

Launcher& TheLauncher() {
  static Launcher launcher;
  return launcher;
}

// Made before main(), while the benchmark is small.
[[maybe_unused]] const bool kLauncherStarted = (TheLauncher(), true);

}  // namespace

Run RunProcess(std::vector<std::string> argv) {
  Run run;
  if (TheLauncher().Run(argv, &run)) return run;
  return SpawnAndWait(std::move(argv));
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

double Min(const std::vector<double>& v) {
  return v.empty() ? 0 : *std::min_element(v.begin(), v.end());
}

}  // namespace kcontract::bench
