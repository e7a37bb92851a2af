// Seeds for fuzz_snapshot: a snapshot of each kernel source given, and one
// made here that fills every field of the format (a module with split BTF,
// .BTF_ids set8 records with their symbols in vmlinux and the module, a
// config, warnings, the modules searched). Each is written three times: as
// the file (mode byte 0), as the file with its BTF stored uncompressed (mode
// byte 2), and as its contents laid out plainly (mode byte 1: u32 metadata
// size, the metadata, the BTF stream), the forms the target reads.
//
//   make_snapshot_seeds OUT BASE_BTF SPLIT_BTF SOURCE...
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <zstd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "btfdiff/base/file_bytes.h"
#include "btfdiff/snapshot/snapshot.h"
#include "btfdiff/snapshot/snapshot_format.h"
#include "btfdiff/source/kernel_source.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
namespace sf = snapshot_format;

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "make_snapshot_seeds: %s\n", message.c_str());
  std::exit(1);
}

Bytes ReadAll(const std::string& path) {
  absl::StatusOr<FileBytes> file = FileBytes::Open(path);
  if (!file.ok()) Die(std::string(file.status().message()));
  return Bytes(file->bytes().begin(), file->bytes().end());
}

void Write(const fs::path& path, uint8_t mode, ByteView bytes) {
  std::ofstream out(path, std::ios::binary);
  out.put(static_cast<char>(mode));
  out.write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (!out) Die("cannot write " + path.string());
}

// The plain layout of the snapshot `file`: every section decompressed.
Bytes Plain(ByteView file) {
  const uint32_t count = *ReadLe<uint32_t>(file, 12);
  Bytes metadata, stream;
  for (uint32_t i = 0; i < count; ++i) {
    const uint64_t entry = sf::kHeaderSize + uint64_t{i} * sf::kSectionEntrySize;
    const uint16_t type = *ReadLe<uint16_t>(file, entry);
    const uint64_t offset = *ReadLe<uint64_t>(file, entry + 8);
    const uint64_t stored = *ReadLe<uint64_t>(file, entry + 16);
    Bytes raw(*ReadLe<uint64_t>(file, entry + 24));
    if (*ReadLe<uint16_t>(file, entry + 2) == sf::kStored) Die("Plain() takes zstd snapshots");
    const size_t n = ZSTD_decompress(raw.data(), raw.size(), file.data() + offset, stored);
    if (ZSTD_isError(n) || n != raw.size()) Die("cannot decompress a section");
    Bytes& to = type == sf::kMetadata ? metadata : stream;
    to.insert(to.end(), raw.begin(), raw.end());
  }
  Bytes out(4);
  const uint32_t size = static_cast<uint32_t>(metadata.size());
  std::memcpy(out.data(), &size, 4);
  out.insert(out.end(), metadata.begin(), metadata.end());
  out.insert(out.end(), stream.begin(), stream.end());
  return out;
}

void WriteSeeds(const fs::path& out, const std::string& name, const SnapshotContents& contents) {
  SnapshotWriteOptions options;
  options.jobs = 1;
  const Bytes file = EncodeSnapshot(contents, options);
  Write(out / (name + ".kcsnap"), 0, file);
  Write(out / (name + ".plain"), 1, Plain(file));
  options.compression = SnapshotCompression::kNone;
  Write(out / (name + ".stored.kcsnap"), 2, EncodeSnapshot(contents, options));
}

// A .BTF_ids section with one set8 record of the FUNC ids of `btf` (at most
// four, from `first_id` on) and the symbols a kernel has for it.
BtfIdsSection MadeBtfIds(const struct btf* btf, uint32_t first_id, uint32_t set_flags) {
  std::vector<uint32_t> funcs;
  for (uint32_t id = first_id; id < btf__type_cnt(btf) && funcs.size() < 4; ++id) {
    if (btf_is_func(btf__type_by_id(btf, id))) funcs.push_back(id);
  }
  BtfIdsSection ids;
  auto word = [&ids](uint32_t v) {
    for (int i = 0; i < 4; ++i) ids.data.push_back(static_cast<uint8_t>(v >> (8 * i)));
  };
  word(0);  // something before the record
  const uint64_t record = ids.data.size();
  word(static_cast<uint32_t>(funcs.size()));
  word(set_flags);
  ids.symbols.push_back(ElfSymbol{"__BTF_ID__set8__fuzz_kfunc_set", record,
                                  8 + 8 * funcs.size(), 3, 0, 1, 0});
  for (size_t i = 0; i < funcs.size(); ++i) {
    const char* name = btf__name_by_offset(btf, btf__type_by_id(btf, funcs[i])->name_off);
    ids.symbols.push_back(ElfSymbol{"__BTF_ID__func__" + std::string(name) + "__" +
                                        std::to_string(i),
                                    ids.data.size(), 4, 3, 0, 1, 0});
    word(funcs[i]);
    word(i == 0 ? 0x1 : i == 1 ? 0x2 | 0x10 : 0);  // KF_ACQUIRE; KF_RELEASE | KF_TRUSTED_ARGS
  }
  ids.index = 3;
  return ids;
}

void WriteMadeSeeds(const fs::path& out, const std::string& base_path,
                    const std::string& split_path) {
  const Bytes base = ReadAll(base_path);
  const Bytes split = ReadAll(split_path);
  struct btf* base_btf = btf__new(base.data(), base.size());
  struct btf* split_btf = btf__parse_raw_split(split_path.c_str(), base_btf);
  if (libbpf_get_error(base_btf) || libbpf_get_error(split_btf)) Die("libbpf cannot read BTF");
  const BtfIdsSection vmlinux_ids = MadeBtfIds(base_btf, 1, 0x1);
  const BtfIdsSection module_ids = MadeBtfIds(split_btf, btf__type_cnt(base_btf), 0x1);
  KernelConfig config = {{"CONFIG_BPF", "y"}, {"CONFIG_DEBUG_INFO_BTF_MODULES", "y"},
                         {"CONFIG_LOCALVERSION", "\"-fuzz\""}};
  SnapshotContents c;
  c.origin = KernelOrigin{SourceKind::kDebPackage, "linux-image-6.18.44-fuzz_1_amd64.deb",
                          std::string(64, 'f')};
  c.release = "6.18.44-fuzz";
  c.config = &config;
  c.warnings = {"linux-image-6.18.44-fuzz_1_amd64.deb:lib/modules/6.18.44-fuzz/x.ko: no .BTF"};
  c.vmlinux_btf = base;
  c.vmlinux_btf_ids = &vmlinux_ids;
  c.modules.push_back(SnapshotModule{"fuzz_mod", "lib/modules/6.18.44-fuzz/kernel/fuzz_mod.ko",
                                     "6.18.44-fuzz SMP preempt mod_unload", split, &module_ids});
  WriteSeeds(out, "made-deb", c);
  c.origin = KernelOrigin{SourceKind::kDirectory, "kernel-dir", std::string(64, '0')};
  c.module_search = ModuleSearch{{"fuzz_mod", "x"}};
  c.config = nullptr;
  WriteSeeds(out, "made-dir", c);
  btf__free(split_btf);
  btf__free(base_btf);
}

}  // namespace
}  // namespace kcontract

int main(int argc, char** argv) {
  using namespace kcontract;
  if (argc < 4) Die("usage: make_snapshot_seeds OUT BASE_BTF SPLIT_BTF SOURCE...");
  const fs::path out = argv[1];
  fs::create_directories(out);
  WriteMadeSeeds(out, argv[2], argv[3]);
  for (int i = 4; i < argc; ++i) {
    KernelLoadOptions options;
    options.jobs = 1;
    absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(argv[i], options);
    if (!kernel.ok()) Die(std::string(kernel.status().message()));
    absl::StatusOr<KernelOrigin> origin = OriginOf(**kernel, argv[i]);
    if (!origin.ok()) Die(std::string(origin.status().message()));
    WriteSeeds(out, fs::path(argv[i]).filename().string(), ContentsOf(**kernel, *origin));
  }
  return 0;
}
