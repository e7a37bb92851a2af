#include "abi/gate/gate_inputs.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>

#include "absl/strings/str_format.h"
#include "btfdiff/base/file_bytes.h"
#include "btfdiff/source/deb_package.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;

class InputCollector {
 public:
  explicit InputCollector(const DebReadLimits& limits) : limits_(limits) {}

  void ReadInput(const std::string& path) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec) return Bad(path, ec.message());
    if (fs::is_directory(status)) return Walk(path);
    ReadFile(path, /*given=*/true);
  }

  GateInputs Finish() {
    GateInputs inputs;
    std::vector<size_t> order;
    for (Found& found : found_) {
      std::sort(found.names.begin(), found.names.end());
      found.names.erase(std::unique(found.names.begin(), found.names.end()), found.names.end());
    }
    // Rows by name: objects and unreadable inputs together.
    struct Entry {
      std::string name;
      size_t found = 0;
      const GateRow* bad = nullptr;
    };
    std::vector<Entry> entries;
    for (size_t i = 0; i < found_.size(); ++i) entries.push_back({found_[i].names.front(), i});
    for (const GateRow& row : bad_) entries.push_back({row.name, 0, &row});
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) { return a.name < b.name; });
    for (const Entry& entry : entries) {
      if (entry.bad != nullptr) {
        inputs.rows.push_back(*entry.bad);
        inputs.objects.push_back(nullptr);
        continue;
      }
      Found& found = found_[entry.found];
      GateRow row;
      row.name = found.names.front();
      row.names = found.names;
      row.sha256 = found.object->sha256;
      inputs.rows.push_back(std::move(row));
      inputs.objects.push_back(std::move(found.object));
    }
    return inputs;
  }

 private:
  struct Found {
    std::vector<std::string> names;
    std::unique_ptr<BpfObject> object;
  };

  void Bad(const std::string& name, std::string reason) {
    GateRow row;
    row.name = name;
    row.names = {name};
    row.error = std::move(reason);
    bad_.push_back(std::move(row));
  }

  void Add(std::vector<std::unique_ptr<BpfObject>> objects) {
    for (auto& object : objects) {
      auto [it, inserted] = by_sha_.try_emplace(object->sha256, found_.size());
      if (inserted) {
        found_.push_back({{object->path}, std::move(object)});
      } else {
        found_[it->second].names.push_back(object->path);
      }
    }
  }

  // Whatever names lead to one file, it is read once.
  bool FirstVisit(const std::string& path) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(path, ec);
    return seen_.insert(ec ? path : canonical.string()).second;
  }

  void ReadFile(const std::string& path, bool given) {
    if (!FirstVisit(path)) return;
    absl::StatusOr<FileBytes> file = FileBytes::Open(path);
    if (!file.ok()) return Bad(path, OneLineReason(file.status(), path));
    if (IsDebPackage(file->bytes())) return ReadPackage(path, file->bytes());
    Read(path, file->bytes(), given);
  }

  // `given`: named on the command line, where a file with no BPF object is
  // a mistake; in a directory or package it is just another file.
  void Read(const std::string& name, ByteView bytes, bool given) {
    absl::StatusOr<std::vector<std::unique_ptr<BpfObject>>> objects =
        ReadBpfObjectsFromBytes(bytes, name);
    if (objects.ok()) return Add(std::move(*objects));
    if (!given && absl::IsNotFound(objects.status())) return;
    Bad(name, OneLineReason(objects.status(), name));
  }

  void ReadPackage(const std::string& path, ByteView bytes) {
    absl::StatusOr<std::vector<PackageFile>> files =
        ReadDebFiles(bytes, path, [](std::string_view) { return true; }, limits_);
    if (!files.ok()) return Bad(path, OneLineReason(files.status(), path));
    for (const PackageFile& file : *files) {
      Read(absl::StrFormat("%s:%s", path, file.path), *file.contents, /*given=*/false);
    }
  }

  // Recursively, in name order; directory symlinks are not followed (no
  // loops), file symlinks are, to files read once.
  void Walk(const std::string& directory) {
    std::vector<std::string> files;
    std::error_code ec;
    fs::recursive_directory_iterator it(directory, fs::directory_options::none, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      std::error_code type_ec;
      if (it->is_regular_file(type_ec)) files.push_back(it->path().string());
    }
    if (ec) Bad(directory, ec.message());
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) ReadFile(file, /*given=*/false);
  }

  const DebReadLimits limits_;
  std::map<std::string, size_t> by_sha_;
  std::vector<Found> found_;
  std::vector<GateRow> bad_;
  std::set<std::string> seen_;
};

}  // namespace

std::string OneLineReason(const absl::Status& status, std::string_view name) {
  std::string message(status.message());
  if (message.size() > name.size() + 2 && message.compare(0, name.size(), name) == 0 &&
      message.compare(name.size(), 2, ": ") == 0) {
    message.erase(0, name.size() + 2);
  }
  std::replace(message.begin(), message.end(), '\n', ' ');
  return message;
}

GateInputs ReadGateInputs(const std::vector<std::string>& paths, const DebReadLimits& limits) {
  InputCollector collector(limits);
  for (const std::string& path : paths) collector.ReadInput(path);
  return collector.Finish();
}

void KeepShard(const GateShard& shard, GateInputs* inputs) {
  if (shard.count <= 1) return;
  GateInputs kept;
  for (size_t i = 0; i < inputs->rows.size(); ++i) {
    if (static_cast<int>(i % shard.count) != shard.index - 1) continue;
    kept.rows.push_back(std::move(inputs->rows[i]));
    kept.objects.push_back(std::move(inputs->objects[i]));
  }
  *inputs = std::move(kept);
}

}  // namespace kcontract
