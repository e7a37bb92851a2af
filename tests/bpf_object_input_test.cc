// The BPF object reader on what is not a plain object file: objects
// embedded in other files (libbpf skeletons), and bad input: missing,
// truncated, corrupt or foreign files, and every byte flipped in turn.
#include "abi/object/bpf_object.h"

#include <elf.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "abi/report/object_report.h"
#include "btfdiff/base/elf_image.h"
#include "tests/bpf_object_support.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::FindMap;
using testing::FindProgram;
using testing::Junk;
using testing::ObjectPath;
using testing::PutLe32;
using testing::Quote;
using testing::ReadFileOrDie;
using testing::ReadMutated;
using testing::RunCommand;
using testing::ScratchDir;
using testing::SectionRange;
using testing::WriteFileOrDie;

// ---- embedded objects --------------------------------------------------------

TEST(BpfObjectEmbedded, ObjectsInsideOtherBytesAreFoundAtTheirOffsets) {
  Bytes all = ReadFileOrDie(ObjectPath("show_all"));
  Bytes quirks = ReadFileOrDie(ObjectPath("show_quirks"));
  // A decoy: an x86-64 ELF header with nothing behind it.
  Bytes decoy(64, 0);
  std::memcpy(decoy.data(), "\x7f" "ELF\x02\x01\x01", 7);
  decoy[18] = 62;  // EM_X86_64
  Bytes file = Junk(1001, 1);
  file.insert(file.end(), decoy.begin(), decoy.end());
  size_t first = file.size();
  file.insert(file.end(), all.begin(), all.end());
  Bytes middle = Junk(333, 2);
  file.insert(file.end(), middle.begin(), middle.end());
  size_t second = file.size();
  file.insert(file.end(), quirks.begin(), quirks.end());
  Bytes tail = Junk(77, 3);
  file.insert(file.end(), tail.begin(), tail.end());

  std::vector<EmbeddedRange> ranges = FindEmbeddedBpfObjects(file);
  ASSERT_EQ(ranges.size(), 2u);
  EXPECT_EQ(ranges[0].offset, first);
  EXPECT_EQ(ranges[0].size, all.size());
  EXPECT_EQ(ranges[1].offset, second);
  EXPECT_EQ(ranges[1].size, quirks.size());

  fs::path path = ScratchDir("BpfObjectEmbedded.Offsets") / "blob.bin";
  WriteFileOrDie(path, file);
  auto objects = ReadBpfObjects(path.string());
  ASSERT_TRUE(objects.ok()) << objects.status();
  ASSERT_EQ(objects->size(), 2u);
  char expected[64];
  std::snprintf(expected, sizeof(expected), "@0x%zx", first);
  EXPECT_EQ((*objects)[0]->path, path.string() + expected);
  EXPECT_NE(FindProgram(*(*objects)[0], "on_switch"), nullptr);
  EXPECT_NE(FindMap(*(*objects)[1], "kc_link"), nullptr);
}

TEST(BpfObjectEmbedded, LibbpfSkeletonExecutableCarriesItsObject) {
#ifndef KCONTRACT_SKELETON_EXE
  GTEST_SKIP() << "bpftool not found at configure time: no skeleton executable";
#else
  Bytes exe = ReadFileOrDie(KCONTRACT_SKELETON_EXE);
  Bytes object = ReadFileOrDie(ObjectPath("show_all"));
  std::vector<EmbeddedRange> ranges = FindEmbeddedBpfObjects(exe);
  ASSERT_EQ(ranges.size(), 1u);
  EXPECT_TRUE(std::equal(object.begin(), object.end(), exe.begin() + ranges[0].offset,
                         exe.begin() + ranges[0].offset + ranges[0].size));
  auto objects = ReadBpfObjects(KCONTRACT_SKELETON_EXE);
  ASSERT_TRUE(objects.ok()) << objects.status();
  ASSERT_EQ(objects->size(), 1u);
  EXPECT_EQ((*objects)[0]->programs.size(), 4u);
  EXPECT_EQ((*objects)[0]->externs.size(), 5u);
#endif
}

// ---- bad input ----------------------------------------------------------------

TEST(BpfObjectBadInput, FileWithoutAnyObjectIsAnError) {
  fs::path path = ScratchDir("BpfObjectBadInput.NoObject") / "notes.txt";
  std::string text = "just text, \x7f" "ELF but not really\n";
  WriteFileOrDie(path, ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  auto objects = ReadBpfObjects(path.string());
  ASSERT_FALSE(objects.ok());
  EXPECT_EQ(objects.status().message(),
            path.string() + ": no BPF object found (not an EM_BPF ELF, and none embedded)");
}

TEST(BpfObjectBadInput, NonBpfElfWithoutObjectsSaysWhatItIs) {
  auto objects = ReadBpfObjects(KCONTRACT_CLI);
  ASSERT_FALSE(objects.ok());
  std::string message(objects.status().message());
  EXPECT_NE(message.find(std::string(KCONTRACT_CLI) + ": no BPF object found ("), std::string::npos)
      << message;
  EXPECT_NE(message.find("ELF"), std::string::npos) << message;
  EXPECT_NE(message.find("not EM_BPF, and none embedded"), std::string::npos) << message;
}

TEST(BpfObjectBadInput, MissingFileIsAnError) {
  auto objects = ReadBpfObjects("/nonexistent/kc.o");
  ASSERT_FALSE(objects.ok());
  EXPECT_NE(objects.status().message().find("/nonexistent/kc.o"), std::string::npos);
}

TEST(BpfObjectBadInput, TruncatedObjectNamesTheCut) {
  Bytes bytes = ReadFileOrDie(ObjectPath("show_all"));
  Bytes half(bytes.begin(), bytes.begin() + bytes.size() / 2);
  auto object = ReadMutated(half);
  ASSERT_FALSE(object.ok());
  EXPECT_NE(object.status().message().find("mutated.o: malformed BPF object: truncated ELF"),
            std::string::npos)
      << object.status();
  Bytes tiny(bytes.begin(), bytes.begin() + 40);
  object = ReadMutated(tiny);
  ASSERT_FALSE(object.ok());
  EXPECT_NE(object.status().message().find("shorter than the 64-byte ELF header"),
            std::string::npos)
      << object.status();
  // Every cut fails cleanly (the sanitizer build checks the reads).
  for (size_t size = 0; size < bytes.size(); size += 61) {
    Bytes cut(bytes.begin(), bytes.begin() + size);
    EXPECT_FALSE(ReadMutated(cut).ok()) << size;
  }
}

TEST(BpfObjectBadInput, CorruptBtfExtHeaderIsNamed) {
  Bytes bytes = ReadFileOrDie(ObjectPath("show_all"));
  // A plain variable, not a structured binding: clang 14 (the fuzz build)
  // cannot capture those in the lambdas below.
  const size_t ext = SectionRange(bytes, ".BTF.ext").first;
  struct Case {
    const char* what;
    std::function<void(Bytes&)> corrupt;
    const char* expected;
  };
  std::vector<Case> cases = {
      {"magic", [&](Bytes& b) { b[ext] ^= 0xff; }, "malformed .BTF.ext: bad magic"},
      {"version", [&](Bytes& b) { b[ext + 2] = 7; }, "unsupported version 7"},
      {"flags", [&](Bytes& b) { b[ext + 3] = 1; }, "unsupported flags"},
      {"hdr_len", [&](Bytes& b) { PutLe32(b, ext + 4, 0x10000); }, "header length 65536 exceeds"},
      {"short hdr_len", [&](Bytes& b) { PutLe32(b, ext + 4, 8); }, "shorter than the minimum"},
      {"core_relo_len", [&](Bytes& b) { PutLe32(b, ext + 28, 0x7fffffff); },
       "core_relo (offset"},
      {"func_info_off", [&](Bytes& b) { PutLe32(b, ext + 8, 2); }, "not 4-byte aligned"},
  };
  for (const Case& c : cases) {
    Bytes copy = bytes;
    c.corrupt(copy);
    auto object = ReadMutated(copy);
    ASSERT_FALSE(object.ok()) << c.what;
    std::string message(object.status().message());
    EXPECT_EQ(message.rfind("mutated.o: malformed .BTF.ext: ", 0), 0u) << message;
    EXPECT_NE(message.find(c.expected), std::string::npos) << c.what << ": " << message;
  }
}

TEST(BpfObjectBadInput, CorruptCoreRelocationRecordIsNamed) {
  Bytes bytes = ReadFileOrDie(ObjectPath("show_all"));
  auto [ext, ext_size] = SectionRange(bytes, ".BTF.ext");
  uint32_t hdr_len, core_off;
  std::memcpy(&hdr_len, bytes.data() + ext + 4, 4);
  std::memcpy(&core_off, bytes.data() + ext + 24, 4);
  size_t table = ext + hdr_len + core_off;
  // {u32 rec_size} {u32 sec_name_off, u32 num_info} {insn_off, type_id, access, kind}
  size_t first_record = table + 4 + 8;

  Bytes bad_type = bytes;
  PutLe32(bad_type, first_record + 4, 0xffffff);
  auto object = ReadMutated(bad_type);
  ASSERT_FALSE(object.ok());
  EXPECT_NE(object.status().message().find("names type [16777215]"), std::string::npos)
      << object.status();

  Bytes bad_access = bytes;
  // Point the access string at the first name of the string table: a
  // type or member name, not "0:1".
  PutLe32(bad_access, first_record + 8, 1);
  object = ReadMutated(bad_access);
  ASSERT_FALSE(object.ok());
  EXPECT_NE(object.status().message().find("CO-RE relocation"), std::string::npos)
      << object.status();

  Bytes bad_offset = bytes;
  PutLe32(bad_offset, first_record, 0x100000);
  object = ReadMutated(bad_offset);
  ASSERT_FALSE(object.ok());
  EXPECT_NE(object.status().message().find("lies outside section"), std::string::npos)
      << object.status();

  Bytes bad_kind = bytes;
  PutLe32(bad_kind, first_record + 12, 99);
  object = ReadMutated(bad_kind);
  ASSERT_FALSE(object.ok());
  EXPECT_NE(object.status().message().find("unknown kind 99"), std::string::npos)
      << object.status();

  Bytes zero_records = bytes;
  PutLe32(zero_records, table + 8, 0);
  object = ReadMutated(zero_records);
  ASSERT_FALSE(object.ok());
  EXPECT_NE(object.status().message().find("has no records"), std::string::npos)
      << object.status();
}

TEST(BpfObjectBadInput, ZeroedBtfMagicIsNamed) {
  Bytes bytes = ReadFileOrDie(ObjectPath("show_all"));
  auto [btf, btf_size] = SectionRange(bytes, ".BTF");
  bytes[btf] = 0;
  bytes[btf + 1] = 0;
  auto object = ReadMutated(bytes);
  ASSERT_FALSE(object.ok());
  EXPECT_NE(object.status().message().find("mutated.o: section .BTF: malformed BTF"),
            std::string::npos)
      << object.status();
}

TEST(BpfObjectBadInput, NonBpfAndNonRelocatableElfAreRefused) {
  Bytes bytes = ReadFileOrDie(ObjectPath("show_all"));
  Bytes x86 = bytes;
  x86[18] = 62;  // EM_X86_64
  x86[19] = 0;
  auto object = ReadMutated(x86);
  ASSERT_FALSE(object.ok());
  EXPECT_EQ(object.status().message(),
            "mutated.o: not a BPF object: an ELF relocatable object for x86-64");
  Bytes exec = bytes;
  exec[16] = ET_EXEC;
  object = ReadMutated(exec);
  ASSERT_FALSE(object.ok());
  EXPECT_NE(object.status().message().find("not a relocatable object"), std::string::npos);
}

TEST(BpfObjectBadInput, WrongElfVersionIsRefusedAsLibelfRefusesIt) {
  Bytes bytes = ReadFileOrDie(ObjectPath("show_all"));
  bytes[EI_VERSION] = 2;
  auto object = ReadMutated(bytes);
  ASSERT_FALSE(object.ok());
  EXPECT_EQ(object.status().message(),
            "mutated.o: malformed BPF object: ELF version 2 (expected 1)");
}

TEST(BpfObjectBadInput, BigEndianObjectIsReadAsBpfNotRefusedAsForeign) {
  REQUIRE_TOOL("clang");
  fs::path dir = ScratchDir("BpfObjectBadInput.BigEndian");
  std::string source = "int kc_value = 7;\n";
  WriteFileOrDie(dir / "x.c",
                 ByteView(reinterpret_cast<const uint8_t*>(source.data()), source.size()));
  auto built = RunCommand("clang -target bpfeb -O2 -c " + Quote(dir / "x.c") + " -o " +
                          Quote(dir / "x.o"));
  ASSERT_EQ(built.exit_code, 0) << built.err;
  Bytes bytes = ReadFileOrDie(dir / "x.o");
  // libelf decodes the header in the file's byte order: EM_BPF, not 0xf700.
  std::optional<ElfHeader> header = ReadElfHeader(bytes);
  ASSERT_TRUE(header.has_value());
  EXPECT_TRUE(header->big_endian());
  EXPECT_EQ(header->machine, EM_BPF);
  EXPECT_EQ(header->type, ET_REL);
  auto elf = ElfImage::Open(bytes, "x.o", {.all_sections_in_file = true});
  ASSERT_TRUE(elf.ok()) << elf.status();
  EXPECT_TRUE((*elf)->header().big_endian());
  auto symbols = (*elf)->Symbols();
  ASSERT_TRUE(symbols.ok()) << symbols.status();
  auto value = std::find_if(symbols->begin(), symbols->end(),
                            [](const ElfSymbol& s) { return s.name == "kc_value"; });
  ASSERT_NE(value, symbols->end());
  EXPECT_EQ(value->size, 4u);
  EXPECT_EQ(value->type, STT_OBJECT);
  EXPECT_EQ(value->binding, STB_GLOBAL);
  // Read as the BPF object it is, which libbpf refuses for its byte order
  // (abi/libbpf/open_rules.h): nothing of it in that byte order is read.
  auto object = ReadBpfObject(bytes, "x.o");
  ASSERT_TRUE(object.ok()) << object.status();
  EXPECT_TRUE((*object)->big_endian);
  EXPECT_EQ((*object)->btf, nullptr);
  EXPECT_TRUE((*object)->programs.empty());
  ASSERT_EQ((*object)->warnings.size(), 1u);
  EXPECT_NE((*object)->warnings[0].find("big-endian BPF object"), std::string::npos);
}

TEST(BpfObjectBadInput, FlippedBytesNeverCrash) {
  // Every byte of each object flipped in turn: each read returns an object
  // or an error naming the input (ASan/UBSan builds check the reads).
  for (const char* name : {"show_all", "show_quirks"}) {
    Bytes bytes = ReadFileOrDie(ObjectPath(name));
    size_t failures = 0;
    for (size_t i = 0; i < bytes.size(); ++i) {
      Bytes copy = bytes;
      copy[i] ^= 0xa5;
      auto object = ReadMutated(copy);
      if (!object.ok()) {
        ++failures;
        EXPECT_EQ(object.status().message().rfind("mutated.o", 0), 0u) << object.status();
      } else if ((*object)->btf) {
        std::vector<std::unique_ptr<BpfObject>> one;
        one.push_back(std::move(*object));
        EXPECT_FALSE(RenderObjects(one, OutputFormat::kJson).empty());
        std::string text = RenderObjects(one, OutputFormat::kText);
        EXPECT_EQ(text.rfind("object mutated.o: ", 0), 0u);
      }
    }
    EXPECT_GT(failures, 0u) << name;
  }
}

}  // namespace
}  // namespace kcontract
