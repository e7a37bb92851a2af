// .BTF_ids set8 decoding (btfdiff/inventory/btf_ids.h) on synthetic section
// bytes: records of {u32 cnt, u32 flags} then cnt pairs {u32 btf_id, u32
// kf_flags}, whose ids are the FUNCs of tests/models/btf_ids_funcs.c
// (compiled by clang). Both readers: by the __BTF_ID__set8__<name> symbols
// a module keeps, and by shape in a stripped vmlinux's section.
#include "btfdiff/inventory/btf_ids.h"

#include <bpf/btf.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

using ::kcontract::testing::ModelBtf;
using ::kcontract::testing::TypeNamed;

const KernelVersion k61{6, 1, 0};    // set8 header flags 0
const KernelVersion k612{6, 12, 0};  // BTF_SET8_KFUNCS in the header

using Pairs = std::vector<std::pair<uint32_t, uint32_t>>;  // {btf_id, kf_flags}

// Section bytes written word by word, little-endian.
class SectionBytes {
 public:
  void Word(uint32_t value) {
    for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<uint8_t>(value >> (8 * i)));
  }
  // A record with cnt = pairs.size(); returns its offset.
  uint64_t Set8(uint32_t set_flags, const Pairs& pairs) {
    return Set8WithCount(static_cast<uint32_t>(pairs.size()), set_flags, pairs);
  }
  uint64_t Set8WithCount(uint32_t count, uint32_t set_flags, const Pairs& pairs) {
    const uint64_t offset = bytes_.size();
    Word(count);
    Word(set_flags);
    for (const auto& [id, flags] : pairs) {
      Word(id);
      Word(flags);
    }
    return offset;
  }
  const Bytes& bytes() const { return bytes_; }

 private:
  Bytes bytes_;
};

class BtfIdsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { btf_ = ModelBtf("btf_ids_funcs").release(); }
  static void TearDownTestSuite() { delete btf_; }

  static uint32_t Func(std::string_view name) {
    return TypeNamed(*btf_, name, BTF_KIND_FUNC).value;
  }
  // a, b, c, d in ascending id order, as resolve_btfids sorts them.
  static std::vector<uint32_t> SortedFuncs() {
    std::vector<uint32_t> ids = {Func("kc_kfunc_a"), Func("kc_kfunc_b"), Func("kc_kfunc_c"),
                                 Func("kc_kfunc_d")};
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  static uint32_t NotAFunc() { return TypeNamed(*btf_, "kc_not_a_func", BTF_KIND_VAR).value; }

  // A flag bit `version` knows, and one it does not.
  static uint32_t KnownFlag(KernelVersion version) {
    const uint32_t mask = KnownKfFlagMask(version);
    return mask & -mask;
  }
  static uint32_t UnknownFlag(KernelVersion version) {
    const uint32_t unknown = ~KnownKfFlagMask(version);
    return unknown & -unknown;
  }

  static ElfSection Section(const SectionBytes& bytes, uint64_t address = 0) {
    ElfSection section;
    section.data = bytes.bytes();
    section.address = address;
    section.index = 7;
    return section;
  }
  static ElfSymbol Symbol(const std::string& name, uint64_t value, uint32_t section = 7) {
    ElfSymbol symbol;
    symbol.name = name;
    symbol.value = value;
    symbol.section_index = section;
    return symbol;
  }

  static const Btf* btf_;
};

const Btf* BtfIdsTest::btf_ = nullptr;

Pairs EntriesOf(const Set8Record& record) {
  Pairs out;
  for (const Set8Entry& entry : record.entries) out.push_back({entry.id.value, entry.flags});
  return out;
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

// --- by symbol ---------------------------------------------------------------

TEST_F(BtfIdsTest, ASymbolNamesTheSetAndItsRecordIsReadWhole) {
  SectionBytes bytes;
  bytes.Word(0xdeadbeef);  // something before the record
  const uint32_t a = Func("kc_kfunc_a"), b = Func("kc_kfunc_b"), c = Func("kc_kfunc_c");
  // Any order and any flag bits: with a symbol the record needs no guessing.
  const Pairs pairs = {{c, 0x5}, {a, 0x80000000u}, {b, 0}};
  const uint64_t offset = bytes.Set8(0x1, pairs);
  std::vector<std::string> warnings;
  std::vector<Set8Record> records = ReadSet8BySymbols(
      Section(bytes), {Symbol("__BTF_ID__set8__kc_set", offset)}, *btf_, &warnings);
  EXPECT_TRUE(warnings.empty()) << Joined(warnings);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].name, "kc_set");
  EXPECT_EQ(records[0].offset, offset);
  EXPECT_EQ(records[0].set_flags, 0x1u);
  EXPECT_EQ(EntriesOf(records[0]), pairs);
}

TEST_F(BtfIdsTest, SymbolValuesAreAddressesWhenTheSectionHasOne) {
  SectionBytes bytes;
  bytes.Word(0);
  const uint64_t offset = bytes.Set8(0, {{Func("kc_kfunc_a"), 1}});
  const uint64_t address = 0xffffffff82000000ull;
  std::vector<std::string> warnings;
  std::vector<Set8Record> records =
      ReadSet8BySymbols(Section(bytes, address),
                        {Symbol("__BTF_ID__set8__kc_set", address + offset)}, *btf_, &warnings);
  ASSERT_EQ(records.size(), 1u) << Joined(warnings);
  EXPECT_EQ(records[0].offset, offset);
}

TEST_F(BtfIdsTest, OnlySet8SymbolsOfTheSectionAreRead) {
  SectionBytes bytes;
  const uint64_t offset = bytes.Set8(0, {{Func("kc_kfunc_a"), 1}});
  std::vector<std::string> warnings;
  std::vector<Set8Record> records = ReadSet8BySymbols(
      Section(bytes),
      {Symbol("__BTF_ID__set8__other_section", offset, /*section=*/8),
       Symbol("__BTF_ID__set__not_set8", offset), Symbol("__BTF_ID__func__kc_kfunc_a__1", 8)},
      *btf_, &warnings);
  EXPECT_TRUE(records.empty());
  EXPECT_TRUE(warnings.empty()) << Joined(warnings);
}

TEST_F(BtfIdsTest, UnresolvedIdsAreSkippedAndANamedSetOfNoneIsReported) {
  SectionBytes bytes;
  const uint64_t some = bytes.Set8(0, {{0, 1}, {Func("kc_kfunc_b"), 2}, {0, 4}});
  const uint64_t none = bytes.Set8(0, {{0, 1}, {0, 2}});
  std::vector<std::string> warnings;
  std::vector<Set8Record> records = ReadSet8BySymbols(
      Section(bytes),
      {Symbol("__BTF_ID__set8__some", some), Symbol("__BTF_ID__set8__none", none)}, *btf_,
      &warnings);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(EntriesOf(records[0]), (Pairs{{Func("kc_kfunc_b"), 2}}));
  EXPECT_EQ(Joined(warnings),
            "set8 none at .BTF_ids+0x" + absl::StrFormat("%x", none) +
                " skipped: no resolved ids\n");
}

TEST_F(BtfIdsTest, ARecordRunningPastTheSectionIsSkippedWithAWarning) {
  SectionBytes bytes;
  const uint64_t whole = bytes.Set8(0, {{Func("kc_kfunc_a"), 1}});
  // cnt 3 with two pairs' room left: the section was cut.
  const uint64_t cut = bytes.Set8WithCount(3, 0, {{Func("kc_kfunc_b"), 1}, {Func("kc_kfunc_c"), 1}});
  bytes.Word(0);  // half a header
  const uint64_t header = bytes.bytes().size() - 4;
  std::vector<std::string> warnings;
  std::vector<Set8Record> records = ReadSet8BySymbols(
      Section(bytes),
      {Symbol("__BTF_ID__set8__whole", whole), Symbol("__BTF_ID__set8__cut", cut),
       Symbol("__BTF_ID__set8__header", header)},
      *btf_, &warnings);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].name, "whole");
  ASSERT_EQ(warnings.size(), 2u) << Joined(warnings);
  EXPECT_EQ(warnings[0], absl::StrFormat("set8 cut at .BTF_ids+0x%x skipped: count 3 does not "
                                         "fit the section", cut));
  EXPECT_EQ(warnings[1], absl::StrFormat("set8 header at .BTF_ids+0x%x skipped: header runs "
                                         "past the section", header));
}

TEST_F(BtfIdsTest, AnIdThatIsNoFunctionSkipsTheRecord) {
  SectionBytes bytes;
  const uint64_t offset = bytes.Set8(0, {{Func("kc_kfunc_a"), 1}, {NotAFunc(), 1}});
  std::vector<std::string> warnings;
  std::vector<Set8Record> records = ReadSet8BySymbols(
      Section(bytes), {Symbol("__BTF_ID__set8__kc_set", offset)}, *btf_, &warnings);
  EXPECT_TRUE(records.empty());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find(absl::StrFormat("entry 1: type [%u] is not a function", NotAFunc())),
            std::string::npos)
      << warnings[0];
}

// --- by shape ----------------------------------------------------------------

TEST_F(BtfIdsTest, AScanFindsARecordAmongOtherWordsAndCountsItsEntries) {
  const std::vector<uint32_t> ids = SortedFuncs();
  const uint32_t flag = KnownFlag(k612);
  SectionBytes bytes;
  bytes.Word(2);  // a BTF_SET of two ids: cnt, then ids
  bytes.Word(ids[0]);
  bytes.Word(ids[1]);
  const uint64_t offset = bytes.Set8(kBtfSet8Kfuncs, {{ids[0], flag}, {ids[2], 0}, {ids[3], flag}});
  bytes.Word(ids[3]);  // a BTF_ID_LIST entry
  std::vector<Set8Record> records = ScanSet8Records(bytes.bytes(), *btf_, k612);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].offset, offset);
  EXPECT_EQ(records[0].name, "");
  EXPECT_EQ(records[0].set_flags, kBtfSet8Kfuncs);
  EXPECT_EQ(EntriesOf(records[0]), (Pairs{{ids[0], flag}, {ids[2], 0}, {ids[3], flag}}));
}

TEST_F(BtfIdsTest, AScanFindsAdjacentRecordsAndNoneInsideOne) {
  const std::vector<uint32_t> ids = SortedFuncs();
  SectionBytes bytes;
  const uint64_t first = bytes.Set8(0, {{ids[0], 0}, {ids[1], 0}});
  const uint64_t second = bytes.Set8(0, {{ids[2], 0}, {ids[3], 0}});
  std::vector<Set8Record> records = ScanSet8Records(bytes.bytes(), *btf_, k61);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].offset, first);
  EXPECT_EQ(records[1].offset, second);
}

TEST_F(BtfIdsTest, AScanWantsTheKfuncsSetFlagFrom69AndNoFlagBefore) {
  const std::vector<uint32_t> ids = SortedFuncs();
  SectionBytes flagged;
  flagged.Set8(kBtfSet8Kfuncs, {{ids[0], 0}, {ids[1], 0}});
  SectionBytes plain;
  plain.Set8(0, {{ids[0], 0}, {ids[1], 0}});
  EXPECT_EQ(ScanSet8Records(flagged.bytes(), *btf_, k612).size(), 1u);
  EXPECT_EQ(ScanSet8Records(plain.bytes(), *btf_, k612).size(), 0u)
      << "a set8 without BTF_SET8_KFUNCS holds no kfuncs on 6.9 and later";
  EXPECT_EQ(ScanSet8Records(plain.bytes(), *btf_, k61).size(), 1u);
  EXPECT_EQ(ScanSet8Records(flagged.bytes(), *btf_, k61).size(), 0u)
      << "6.1's set8 header flags are always 0";
}

TEST_F(BtfIdsTest, AScanRefusesFlagBitsTheReleaseDoesNotDefine) {
  const std::vector<uint32_t> ids = SortedFuncs();
  for (KernelVersion version : {k61, k612}) {
    SCOPED_TRACE(version.minor);
    const uint32_t set_flags = Set8HasKfuncsFlag(version) ? kBtfSet8Kfuncs : 0;
    SectionBytes known;
    known.Set8(set_flags, {{ids[0], KnownFlag(version)}, {ids[1], 0}});
    SectionBytes unknown;
    unknown.Set8(set_flags, {{ids[0], KnownFlag(version)}, {ids[1], UnknownFlag(version)}});
    EXPECT_EQ(ScanSet8Records(known.bytes(), *btf_, version).size(), 1u);
    EXPECT_EQ(ScanSet8Records(unknown.bytes(), *btf_, version).size(), 0u);
  }
}

TEST_F(BtfIdsTest, AScanWantsIdsInAscendingOrderOfFunctions) {
  const std::vector<uint32_t> ids = SortedFuncs();
  SectionBytes descending;
  descending.Set8(0, {{ids[1], 0}, {ids[0], 0}});
  SectionBytes repeated;
  repeated.Set8(0, {{ids[1], 0}, {ids[1], 0}});
  SectionBytes not_func;
  not_func.Set8(0, {{ids[0], 0}, {NotAFunc(), 0}});
  SectionBytes with_unresolved;  // zeros are functions the build left out
  with_unresolved.Set8(0, {{ids[1], 0}, {0, 0}, {ids[2], 0}});
  EXPECT_TRUE(ScanSet8Records(descending.bytes(), *btf_, k61).empty());
  EXPECT_TRUE(ScanSet8Records(repeated.bytes(), *btf_, k61).empty());
  EXPECT_TRUE(ScanSet8Records(not_func.bytes(), *btf_, k61).empty());
  std::vector<Set8Record> records = ScanSet8Records(with_unresolved.bytes(), *btf_, k61);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(EntriesOf(records[0]), (Pairs{{ids[1], 0}, {ids[2], 0}}));
}

TEST_F(BtfIdsTest, AScanSkipsARecordCutByTheSectionsEnd) {
  const std::vector<uint32_t> ids = SortedFuncs();
  SectionBytes bytes;
  bytes.Set8WithCount(3, 0, {{ids[0], 0}, {ids[1], 0}});
  EXPECT_TRUE(ScanSet8Records(bytes.bytes(), *btf_, k61).empty());
  // The same record whole is found: the cut alone made the difference.
  SectionBytes whole;
  whole.Set8WithCount(3, 0, {{ids[0], 0}, {ids[1], 0}, {ids[2], 0}});
  EXPECT_EQ(ScanSet8Records(whole.bytes(), *btf_, k61).size(), 1u);
}

TEST_F(BtfIdsTest, AScanOfASectionTooShortForARecordFindsNone) {
  SectionBytes bytes;
  bytes.Word(1);
  bytes.Word(0);
  bytes.Word(SortedFuncs()[0]);  // the pair's flags word is missing
  EXPECT_TRUE(ScanSet8Records(bytes.bytes(), *btf_, k61).empty());
  EXPECT_TRUE(ScanSet8Records(ByteView(), *btf_, k61).empty());
}

}  // namespace
}  // namespace kcontract
