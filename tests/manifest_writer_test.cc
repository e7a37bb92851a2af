// The manifest writer: `manifest init` renders what a kernel has, `manifest
// update` only ever inserts the revisions a kernel brings. Checked on the
// model kernels (always built) and on the real Debian 6.1 and 6.12 kernels
// in ../shared, whose prototype changes are cross-checked with bpftool.
#include "abi/manifest/manifest_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "abi/manifest/kernel_interfaces.h"
#include "abi/manifest/manifest_reader.h"
#include "abi/toml/toml_text.h"
#include "absl/strings/str_format.h"
#include "btfdiff/base/sha256.h"
#include "btfdiff/base/text.h"
#include "btfdiff/inventory/kfunc_inventory.h"
#include "btfdiff/inventory/struct_ops_inventory.h"
#include "btfdiff/source/kernel_source.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using ::kcontract::testing::ModelKernelPath;
using ::kcontract::testing::SharedKernelDir;

std::string Message(const absl::Status& status) { return std::string(status.message()); }

std::unique_ptr<KernelBtf> Load(const std::string& source) {
  absl::StatusOr<std::unique_ptr<KernelBtf>> kernel = LoadKernel(source);
  EXPECT_TRUE(kernel.ok()) << kernel.status();
  return kernel.ok() ? std::move(*kernel) : nullptr;
}

Contract ParseOrFail(const std::string& text, const std::string& path = "m.toml") {
  ManifestReadResult read = ParseManifest(text, path, ContractOrigin::kGiven);
  std::string diagnostics;
  for (const Diagnostic& d : read.diagnostics) diagnostics += FormatDiagnosticLine(d) + "\n";
  EXPECT_TRUE(read.ok()) << diagnostics << text;
  return read.ok() ? *read.contract : Contract{};
}

const Interface* Find(const Contract& contract, InterfaceKind kind, const std::string& name) {
  for (const Interface& interface : contract.interfaces) {
    if (interface.kind == kind && interface.name == name) return &interface;
  }
  return nullptr;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  for (std::string_view line : SplitView(text, '\n')) lines.emplace_back(line);
  return lines;
}

// A line update may write: its [[interface.revision]] blocks and the blank
// lines between them.
bool IsRevisionBlockLine(const std::string& line) {
  for (std::string_view prefix : {"[[interface.revision]]", "name = \"", "first_seen = \"",
                                  "signature = [", "  \""}) {
    if (line.rfind(prefix, 0) == 0) return true;
  }
  return line.empty() || line == "]";
}

// True when every line of `original` is in `updated`, in order, and every
// other line of `updated` belongs to an added revision: an insertion-only
// edit that added revisions and nothing else.
bool IsInsertionOnly(const std::string& original, const std::string& updated) {
  std::vector<std::string> a = Lines(original);
  std::vector<std::string> b = Lines(updated);
  size_t j = 0;
  for (const std::string& line : a) {
    while (j < b.size() && b[j] != line) {
      if (!IsRevisionBlockLine(b[j])) return false;
      ++j;
    }
    if (j == b.size()) return false;
    ++j;
  }
  for (; j < b.size(); ++j) {
    if (!IsRevisionBlockLine(b[j])) return false;
  }
  return true;
}

std::string ManifestWith(const std::string& interfaces) {
  return "format_version = 1\n\n[contract]\nname = \"t\"\n" + interfaces;
}

// --- TOML text --------------------------------------------------------------

TEST(Sha256, KnownDigests) {
  // FIPS 180-4 examples, and a message spanning two blocks' padding.
  auto hex = [](std::string_view text) {
    return Sha256Hex(ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  };
  EXPECT_EQ(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hex(std::string(1000, 'a')),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

TEST(TomlText, StringsRoundTripThroughTheReader) {
  const std::vector<std::string> values = {
      "plain",
      "quote \" and backslash \\ and both \\\"",
      "tab\tnewline\ncarriage\rform\fbackspace\b",
      "control \x01\x1f and DEL \x7f",
      "unicode: \xc3\xa9 \xe2\x86\x92 \xf0\x9f\x90\xa7",
      "looks like TOML: \"\"\" ''' [[interface]] # not a comment",
  };
  for (const std::string& value : values) {
    SCOPED_TRACE(value);
    ASSERT_TRUE(IsValidUtf8(value));
    std::string text = "format_version = 1\n[contract]\nname = \"t\"\nnotes = " +
                       TomlString(value) + "\n[[interface]]\nname = \"a\"\nkind = \"kfunc\"\n";
    Contract contract = ParseOrFail(text);
    EXPECT_EQ(contract.notes, value);
    std::string array = "format_version = 1\n[contract]\nname = \"t\"\n" +
                        TomlStringArrayLines("links", {value, value}) +
                        "[[interface]]\nname = \"a\"\nkind = \"kfunc\"\n";
    ManifestReadResult read = ParseManifest(array, "m.toml", ContractOrigin::kGiven);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read.contract->links, (std::vector<std::string>{value, value}));
  }
}

TEST(TomlText, MalformedUtf8IsFoundAndNeverWritten) {
  EXPECT_EQ(FirstInvalidUtf8("ok \xc3\xa9"), std::string_view::npos);
  EXPECT_EQ(FirstInvalidUtf8("ab\xff"), 2u);
  EXPECT_EQ(FirstInvalidUtf8("a\xc0\x80"), 1u);          // overlong NUL
  EXPECT_EQ(FirstInvalidUtf8("a\xed\xa0\x80"), 1u);      // a surrogate
  EXPECT_EQ(FirstInvalidUtf8("a\xf4\x90\x80\x80"), 1u);  // above U+10FFFF
  EXPECT_EQ(FirstInvalidUtf8("abc\xe2\x86"), 3u);        // truncated
  std::string quoted = TomlString("a\xff");
  EXPECT_TRUE(IsValidUtf8(quoted));
  EXPECT_EQ(quoted, "\"a\\uFFFD\"");
}

// --- init on model kernels -------------------------------------------------

class ModelKernels : public ::testing::Test {
 protected:
  static const KernelBtf& Kernel(const std::string& name) {
    auto& slot = (*kernels_)[name];
    if (slot == nullptr) slot = Load(ModelKernelPath(name));
    return *slot;
  }
  static Signature Table(const KernelBtf& kernel, const std::string& name) {
    for (const StructOpsType& type : CollectStructOps(kernel)) {
      if (type.name == name) return StructOpsSignature(*kernel.vmlinux, type.id);
    }
    return {};
  }
  static inline std::map<std::string, std::unique_ptr<KernelBtf>>* kernels_ =
      new std::map<std::string, std::unique_ptr<KernelBtf>>();
};

TEST_F(ModelKernels, InitWritesEveryMatchingInterfaceInKindThenNameOrder) {
  const KernelBtf& kernel = Kernel("thp_rfc_v4");
  ManifestInitOptions options;
  options.contract_name = "bpf-thp";
  options.match = {"bpf_*"};
  options.stability = Stability::kExperimental;
  options.revision = "rfc-v4";
  absl::StatusOr<std::string> text = RenderNewManifest(kernel, options);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(text->rfind("# Generated by `kcontract manifest init` from the kernel thp_rfc_v4.btf",
                        0),
            0u)
      << *text;
  // The kernel by release and the digest of its BTF, never by the path it
  // was read at (issue 16).
  std::string digest = Sha256Hex(kernel.vmlinux->RawData());
  EXPECT_NE(text->find("# (release unknown, vmlinux BTF sha256 " + digest + "),\n"),
            std::string::npos)
      << *text;
  EXPECT_EQ(text->find(kernel.source), std::string::npos) << *text;
  EXPECT_EQ(text->find(KCONTRACT_BINARY_DIR), std::string::npos) << *text;
  Contract contract = ParseOrFail(*text);
  EXPECT_EQ(contract.name, "bpf-thp");
  std::vector<std::pair<InterfaceKind, std::string>> order;
  for (const Interface& interface : contract.interfaces) {
    order.emplace_back(interface.kind, interface.name);
    EXPECT_EQ(interface.stability, Stability::kExperimental) << interface.name;
    ASSERT_EQ(interface.revisions.size(), 1u) << interface.name;
    EXPECT_EQ(interface.revisions[0].name, "rfc-v4");
    EXPECT_EQ(interface.revisions[0].first_seen, "thp_rfc_v4.btf");
  }
  // Every kfunc and struct_ops type of the model whose name starts "bpf_".
  std::vector<std::pair<InterfaceKind, std::string>> expected;
  for (const Kfunc& kfunc : CollectKfuncs(kernel).kfuncs) {
    if (kfunc.name.rfind("bpf_", 0) == 0) expected.emplace_back(InterfaceKind::kKfunc, kfunc.name);
  }
  for (const StructOpsType& type : CollectStructOps(kernel)) {
    if (type.name.rfind("bpf_", 0) == 0) expected.emplace_back(InterfaceKind::kStructOps, type.name);
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(order, expected);
  ASSERT_GE(order.size(), 4u);  // three kfuncs and the table
  const Interface* ops = Find(contract, InterfaceKind::kStructOps, "bpf_thp_ops");
  ASSERT_NE(ops, nullptr);
  EXPECT_EQ(ops->revisions[0].signature, Table(kernel, "bpf_thp_ops"));
}

TEST_F(ModelKernels, InitWithoutALevelWritesOnlyAHintForTheOwner) {
  ManifestInitOptions options;
  options.contract_name = "t";
  options.match = {"bpf_thp_ops"};
  absl::StatusOr<std::string> text = RenderNewManifest(Kernel("thp_v9"), options);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_TRUE(Contains(*text, "\n# stability = \"experimental\"  # stable | experimental | "
                              "deprecated | withdrawn: set by the owner\n"))
      << *text;
  EXPECT_FALSE(Contains(*text, "\nstability =")) << *text;
  Contract contract = ParseOrFail(*text);
  ASSERT_EQ(contract.interfaces.size(), 1u);
  EXPECT_FALSE(contract.interfaces[0].stability.has_value());
  // The revision is named after the kernel when --revision is not given.
  EXPECT_EQ(contract.interfaces[0].revisions[0].name, RevisionNameOf(Kernel("thp_v9")));
  // A typedef'd callback is written as the prototype it stands for.
  EXPECT_EQ(contract.interfaces[0].revisions[0].signature,
            Signature{"int (*thp_get_order)(struct vm_area_struct *, enum tva_type, unsigned long)"});
}

TEST_F(ModelKernels, InitRefusesWhatItCannotWriteHonestly) {
  ManifestInitOptions options;
  options.contract_name = "t";
  options.match = {"bpf_thp_ops", "no_such_*"};
  absl::StatusOr<std::string> unmatched = RenderNewManifest(Kernel("thp_v9"), options);
  ASSERT_FALSE(unmatched.ok());
  EXPECT_TRUE(Contains(Message(unmatched.status()), "'no_such_*'")) << unmatched.status();

  options.match = {"bpf_thp_ops"};
  options.stability = Stability::kDeprecated;
  absl::StatusOr<std::string> deprecated = RenderNewManifest(Kernel("thp_v9"), options);
  ASSERT_FALSE(deprecated.ok());
  EXPECT_TRUE(Contains(Message(deprecated.status()), "'remove'")) << deprecated.status();

  options.stability.reset();
  options.contract_name = "has spaces";
  absl::StatusOr<std::string> bad_name = RenderNewManifest(Kernel("thp_v9"), options);
  ASSERT_FALSE(bad_name.ok());
  EXPECT_TRUE(Contains(Message(bad_name.status()), "contract's name")) << bad_name.status();

  options.contract_name = "t";
  options.match.clear();
  EXPECT_FALSE(RenderNewManifest(Kernel("thp_v9"), options).ok());
}

// --- update on model kernels ------------------------------------------------

std::string RenderOrDie(const KernelBtf& kernel, const std::vector<std::string>& match,
                        const std::string& revision) {
  ManifestInitOptions options;
  options.contract_name = "t";
  options.match = match;
  options.revision = revision;
  absl::StatusOr<std::string> text = RenderNewManifest(kernel, options);
  EXPECT_TRUE(text.ok()) << text.status();
  return text.ok() ? *text : "";
}

TEST_F(ModelKernels, UpdateAppendsARevisionInsideTheInterfaceBlockAndNothingElse) {
  // A person's manifest: comments, a hand-written field, an interface the
  // kernel lacks, odd but valid spacing.
  std::string original = ManifestWith(R"toml(
# The table, as the RFC had it.
[[interface]]
name    = "bpf_thp_ops"   # spaced by hand
kind = "struct_ops"
notes = """
Written by a person.
[[interface]] is not a header inside a string.
"""

[[interface.revision]]
name = "rfc-v4"
signature = [
  "int (*get_suggested_order)(struct mm_struct *, unsigned long, int)",
]
# A comment that leads up to the next header.

[[interface]]
name = "bpf_mm_get_task"
kind = "kfunc"
stability = "experimental"
)toml");
  ManifestUpdateOptions options;
  options.revision = "v9";
  absl::StatusOr<ManifestUpdate> update =
      UpdateManifestText(original, "thp.toml", Kernel("thp_v9"), options);
  ASSERT_TRUE(update.ok()) << update.status();
  EXPECT_TRUE(update->changed());
  EXPECT_TRUE(IsInsertionOnly(original, update->text)) << update->text;
  ASSERT_EQ(update->entries.size(), 2u);
  EXPECT_EQ(update->entries[0].outcome, UpdateOutcome::kRevisionAdded);
  EXPECT_EQ(update->entries[0].revision, "v9");
  EXPECT_EQ(update->entries[1].outcome, UpdateOutcome::kAbsent);

  // The new block sits right after the last revision, before the comment
  // that leads to the next header.
  size_t added = update->text.find("name = \"v9\"");
  size_t comment = update->text.find("# A comment that leads");
  size_t last_revision = update->text.find("  \"int (*get_suggested_order)");
  ASSERT_NE(added, std::string::npos);
  EXPECT_LT(last_revision, added);
  EXPECT_LT(added, comment);

  Contract contract = ParseOrFail(update->text);
  const Interface* ops = Find(contract, InterfaceKind::kStructOps, "bpf_thp_ops");
  ASSERT_NE(ops, nullptr);
  ASSERT_EQ(ops->revisions.size(), 2u);
  EXPECT_EQ(ops->revisions[1].name, "v9");
  EXPECT_EQ(ops->revisions[1].first_seen, "thp_v9.btf");
  EXPECT_EQ(ops->revisions[1].signature, Table(Kernel("thp_v9"), "bpf_thp_ops"));
  EXPECT_EQ(ops->notes, "Written by a person.\n[[interface]] is not a header inside a string.\n");
  EXPECT_NE(Find(contract, InterfaceKind::kKfunc, "bpf_mm_get_task"), nullptr)
      << "an interface the kernel lacks is kept";

  // Again with the same kernel: nothing to add, not a byte changed.
  absl::StatusOr<ManifestUpdate> again =
      UpdateManifestText(update->text, "thp.toml", Kernel("thp_v9"), options);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->changed());
  EXPECT_EQ(again->text, update->text);
  EXPECT_EQ(again->entries[0].outcome, UpdateOutcome::kRecorded);
  EXPECT_EQ(again->entries[0].revision, "v9");
}

TEST_F(ModelKernels, UpdateOfAFileWithoutAFinalNewlineStillOnlyInserts) {
  std::string original = ManifestWith(
      "[[interface]]\nname = \"bpf_thp_ops\"\nkind = \"struct_ops\"  # no newline after this");
  absl::StatusOr<ManifestUpdate> update =
      UpdateManifestText(original, "t.toml", Kernel("thp_v9"), {});
  ASSERT_TRUE(update.ok()) << update.status();
  EXPECT_EQ(update->text.substr(0, original.size()), original);
  Contract contract = ParseOrFail(update->text);
  ASSERT_EQ(contract.interfaces.size(), 1u);
  EXPECT_EQ(contract.interfaces[0].revisions.size(), 1u);
}

TEST_F(ModelKernels, UpdateAddsNewInterfacesOnlyWhenAsked) {
  std::string original = RenderOrDie(Kernel("sched_ext_6_12"), {"scx_bpf_dispatch"}, "6.12");
  ManifestUpdateOptions options;
  options.revision = "6.13";
  options.match = {"scx_bpf_d*"};
  absl::StatusOr<ManifestUpdate> plain =
      UpdateManifestText(original, "s.toml", Kernel("sched_ext_6_13"), options);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_FALSE(plain->changed()) << "the 6.13 renames are new names, not new revisions";

  options.add_new = true;
  absl::StatusOr<ManifestUpdate> added =
      UpdateManifestText(original, "s.toml", Kernel("sched_ext_6_13"), options);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->text.substr(0, original.size()), original);
  std::set<std::string> names;
  for (const UpdateEntry& entry : added->entries) {
    if (entry.outcome == UpdateOutcome::kInterfaceAdded) names.insert(entry.name);
  }
  EXPECT_EQ(names, (std::set<std::string>{"scx_bpf_dispatch_vtime", "scx_bpf_dsq_insert",
                                          "scx_bpf_dsq_insert_vtime", "scx_bpf_dsq_move_to_local"}));
  Contract contract = ParseOrFail(added->text);
  const Interface* insert = Find(contract, InterfaceKind::kKfunc, "scx_bpf_dsq_insert");
  ASSERT_NE(insert, nullptr);
  EXPECT_EQ(insert->revisions[0].name, "6.13");
  EXPECT_FALSE(insert->stability.has_value());

  options.match.clear();
  EXPECT_FALSE(UpdateManifestText(original, "s.toml", Kernel("sched_ext_6_13"), options).ok())
      << "--add-new without --match";
}

TEST_F(ModelKernels, UpdateLooksOnlyAtTheInterfacesItIsAskedAbout) {
  std::string original = ManifestWith(
      "[[interface]]\nname = \"bpf_thp_ops\"\nkind = \"struct_ops\"\n"
      "[[interface]]\nname = \"bpf_mm_get_task\"\nkind = \"kfunc\"\n");
  ManifestUpdateOptions options;
  options.match = {"bpf_mm_*"};
  absl::StatusOr<ManifestUpdate> update =
      UpdateManifestText(original, "t.toml", Kernel("thp_rfc_v4"), options);
  ASSERT_TRUE(update.ok()) << update.status();
  EXPECT_EQ(update->entries[0].outcome, UpdateOutcome::kNotSelected);
  EXPECT_EQ(update->entries[1].outcome, UpdateOutcome::kRevisionAdded);
  Contract contract = ParseOrFail(update->text);
  EXPECT_TRUE(contract.interfaces[0].revisions.empty());
  EXPECT_EQ(contract.interfaces[1].revisions.size(), 1u);
}

TEST_F(ModelKernels, UpdateRefusesInlineRevisionsNamingTheirLine) {
  std::string original = ManifestWith(
      "[[interface]]\n"                                                           // 5
      "name = \"bpf_thp_ops\"\n"                                                  // 6
      "kind = \"struct_ops\"\n"                                                   // 7
      "revision = [\n"                                                            // 8
      "  { name = \"rfc-v4\", signature = [\"int (*get_suggested_order)(void)\"] },\n"  // 9
      "]\n");
  absl::StatusOr<ManifestUpdate> update =
      UpdateManifestText(original, "inline.toml", Kernel("thp_v9"), {});
  ASSERT_FALSE(update.ok());
  EXPECT_TRUE(Contains(Message(update.status()), "inline.toml:9:")) << update.status();
  EXPECT_TRUE(Contains(Message(update.status()), "inline")) << update.status();
  EXPECT_TRUE(Contains(Message(update.status()), "[[interface.revision]]")) << update.status();

  // An inline interface table cannot be appended to either.
  std::string inline_table = "format_version = 1\n"
                             "interface = [{ name = \"bpf_thp_ops\", kind = \"struct_ops\" }]\n"
                             "[contract]\nname = \"t\"\n";
  absl::StatusOr<ManifestUpdate> table =
      UpdateManifestText(inline_table, "inline.toml", Kernel("thp_v9"), {});
  ASSERT_FALSE(table.ok());
  EXPECT_TRUE(Contains(Message(table.status()), "inline.toml:2:")) << table.status();
}

TEST_F(ModelKernels, UpdateNeverReusesARevisionNameForAnotherSignature) {
  std::string original = RenderOrDie(Kernel("thp_rfc_v4"), {"bpf_thp_ops"}, "next");
  ManifestUpdateOptions options;
  options.revision = "next";
  absl::StatusOr<ManifestUpdate> update =
      UpdateManifestText(original, "t.toml", Kernel("thp_v9"), options);
  ASSERT_FALSE(update.ok());
  EXPECT_TRUE(Contains(Message(update.status()), "revision 'next'")) << update.status();
  EXPECT_TRUE(Contains(Message(update.status()), "--revision")) << update.status();
  EXPECT_TRUE(Contains(Message(update.status()), "t.toml:")) << update.status();
}

TEST_F(ModelKernels, UpdateRefusesAManifestWithErrors) {
  absl::StatusOr<ManifestUpdate> update = UpdateManifestText(
      ManifestWith("[[interface]]\nname = \"a\"\nkind = \"kfunk\"\n"), "bad.toml",
      Kernel("thp_v9"), {});
  ASSERT_FALSE(update.ok());
  EXPECT_TRUE(Contains(Message(update.status()), "bad.toml:7:8: error: unknown kind"))
      << update.status();
}

// One manifest read once and updated from several kernels, each from its
// own inventory, gives what UpdateManifestText gives for each kernel.
TEST_F(ModelKernels, AManifestReadOnceUpdatesFromEachKernelAsUpdateManifestText) {
  const std::string original = ManifestWith(R"toml(
[[interface]]
name = "bpf_thp_ops"
kind = "struct_ops"

[[interface.revision]]
name = "rfc-v4"
signature = [
  "int (*get_suggested_order)(struct mm_struct *, unsigned long, int)",
]

[[interface]]
name = "bpf_mm_get_task"
kind = "kfunc"
)toml");
  absl::StatusOr<ManifestForUpdate> manifest = ReadManifestForUpdate(original, "t.toml");
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  ManifestUpdateOptions options;
  options.match = {"bpf_*"};
  options.add_new = true;
  size_t changed = 0;
  for (const char* name : {"thp_rfc_v4", "thp_v9", "thp_rfc_v10", "thp_none"}) {
    LazyInventory inventory(Kernel(name));
    absl::StatusOr<ManifestUpdate> once = UpdateManifest(*manifest, inventory, options);
    absl::StatusOr<ManifestUpdate> whole =
        UpdateManifestText(original, "t.toml", Kernel(name), options);
    ASSERT_TRUE(once.ok()) << name << ": " << once.status();
    ASSERT_TRUE(whole.ok()) << name << ": " << whole.status();
    EXPECT_EQ(once->text, whole->text) << name;
    EXPECT_EQ(once->kernel, whole->kernel) << name;
    EXPECT_EQ(once->entries.size(), whole->entries.size()) << name;
    changed += once->changed();
  }
  EXPECT_GE(changed, 2u);  // the test compares updates that add something
  absl::StatusOr<ManifestForUpdate> bad = ReadManifestForUpdate(
      ManifestWith("[[interface]]\nname = \"a\"\nkind = \"kfunk\"\n"), "bad.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(Contains(Message(bad.status()), "bad.toml:7:8: error: unknown kind"))
      << bad.status();
}

// --- the real kernels ------------------------------------------------------

class RealKernels : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(SharedKernelDir("debian-6.1.0-50-amd64")) ||
        !fs::exists(SharedKernelDir("debian-6.12.111-amd64"))) {
      return;
    }
    k61_ = Load(SharedKernelDir("debian-6.1.0-50-amd64").string()).release();
    k612_ = Load(SharedKernelDir("debian-6.12.111-amd64").string()).release();
  }
  void SetUp() override {
    KC_REQUIRE_PATH(SharedKernelDir("debian-6.1.0-50-amd64"));
    KC_REQUIRE_PATH(SharedKernelDir("debian-6.12.111-amd64"));
    ASSERT_NE(k61_, nullptr);
    ASSERT_NE(k612_, nullptr);
  }

  static std::string Init61() {
    ManifestInitOptions options;
    options.contract_name = "kernel-kfuncs";
    options.match = {"*"};
    absl::StatusOr<std::string> text = RenderNewManifest(*k61_, options);
    EXPECT_TRUE(text.ok()) << text.status();
    return text.ok() ? *text : "";
  }

  // A FUNC's parameter names in a bpftool raw dump, for every FUNC of that
  // name (6.1's BTF repeats static names); sorted and unique.
  static std::set<std::vector<std::string>> BpftoolParamNames(const std::string& dump,
                                                               const std::string& func) {
    std::vector<std::string> lines = Lines(dump);
    std::map<std::string, size_t> line_of_id;  // "[123]" -> line index
    for (size_t i = 0; i < lines.size(); ++i) {
      if (!lines[i].empty() && lines[i][0] == '[') {
        line_of_id[lines[i].substr(0, lines[i].find(']') + 1)] = i;
      }
    }
    std::set<std::vector<std::string>> out;
    std::string needle = "FUNC '" + func + "' type_id=";
    for (const std::string& line : lines) {
      size_t at = line.find(needle);
      if (at == std::string::npos) continue;
      std::string id = line.substr(at + needle.size());
      id = "[" + id.substr(0, id.find(' ')) + "]";
      auto proto = line_of_id.find(id);
      if (proto == line_of_id.end()) continue;
      std::vector<std::string> names;
      for (size_t i = proto->second + 1; i < lines.size() && lines[i].rfind("\t'", 0) == 0; ++i) {
        names.push_back(lines[i].substr(2, lines[i].find('\'', 2) - 2));
      }
      out.insert(names);
    }
    return out;
  }

  // bpftool's view of a kfunc's parameters in one kernel (vmlinux or module).
  static std::set<std::vector<std::string>> ParamsByBpftool(const KernelBtf& kernel,
                                                            const std::string& func,
                                                            const std::string& module) {
    fs::path dir = testing::ProcessScratch("manifest_writer_test");
    fs::path base = dir / (kernel.release + ".vmlinux.btf");
    testing::WriteFileOrDie(base, kernel.vmlinux->RawData());
    fs::path file = base;
    if (!module.empty()) {
      const ModuleBtf* found = kernel.FindModule(module);
      EXPECT_NE(found, nullptr) << module;
      if (found == nullptr) return {};
      file = dir / (kernel.release + "." + module + ".btf");
      testing::WriteFileOrDie(file, found->btf->RawData());
    }
    std::string dump, error;
    EXPECT_TRUE(testing::RunToText(testing::BpftoolDumpCommand(base) + " format raw", &dump,
                                   &error))
        << error;
    if (!module.empty()) {
      // A module's FUNC may use a FUNC_PROTO of its base: the split dump
      // lists the module's own types only, so both dumps are searched.
      std::string module_dump;
      EXPECT_TRUE(testing::RunToText(testing::BpftoolDumpCommand(file, base) + " format raw",
                                     &module_dump, &error))
          << error;
      dump += module_dump;
    }
    return BpftoolParamNames(dump, func);
  }

  static inline KernelBtf* k61_ = nullptr;
  static inline KernelBtf* k612_ = nullptr;
};

TEST_F(RealKernels, InitOn61RecordsWhatKernelKfuncsShows) {
  Contract contract = ParseOrFail(Init61(), "kernel-kfuncs.toml");
  testing::CommandResult cli = testing::RunCli(
      "--json kernel kfuncs --kernel " +
      testing::ShellQuote(SharedKernelDir("debian-6.1.0-50-amd64").string()));
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  nlohmann::json kfuncs = nlohmann::json::parse(cli.out)["kfuncs"];
  ASSERT_TRUE(kfuncs.is_array()) << cli.out.substr(0, 500);
  ASSERT_GE(kfuncs.size(), 40u);
  std::set<std::string> shown;
  for (const nlohmann::json& kfunc : kfuncs) {
    std::string name = kfunc["name"];
    shown.insert(name);
    const Interface* entry = Find(contract, InterfaceKind::kKfunc, name);
    ASSERT_NE(entry, nullptr) << name;
    ASSERT_EQ(entry->revisions.size(), 1u) << name;
    EXPECT_EQ(entry->revisions[0].signature, Signature{kfunc["proto"].get<std::string>()}) << name;
    EXPECT_EQ(entry->revisions[0].name, "6.1.0-50-amd64");
    EXPECT_EQ(entry->module, kfunc["module"].is_null() ? "" : kfunc["module"].get<std::string>());
    EXPECT_FALSE(entry->stability.has_value()) << "no --stability: no level";
  }
  size_t kfunc_entries = std::count_if(
      contract.interfaces.begin(), contract.interfaces.end(),
      [](const Interface& i) { return i.kind == InterfaceKind::kKfunc; });
  EXPECT_EQ(kfunc_entries, shown.size());

  // The struct_ops types as `kernel struct-ops` shows them.
  testing::CommandResult ops_cli = testing::RunCli(
      "--json kernel struct-ops --kernel " +
      testing::ShellQuote(SharedKernelDir("debian-6.1.0-50-amd64").string()));
  ASSERT_EQ(ops_cli.exit_code, 0) << ops_cli.err;
  nlohmann::json types = nlohmann::json::parse(ops_cli.out)["struct_ops"];
  ASSERT_TRUE(types.is_array()) << ops_cli.out.substr(0, 500);
  ASSERT_FALSE(types.empty());
  for (const nlohmann::json& type : types) {
    const Interface* entry = Find(contract, InterfaceKind::kStructOps, type["name"]);
    ASSERT_NE(entry, nullptr) << type["name"];
    Signature shown_members;
    for (const nlohmann::json& member : type["members"]) shown_members.push_back(member["declaration"]);
    EXPECT_EQ(entry->revisions[0].signature, shown_members) << type["name"];
  }
}

TEST_F(RealKernels, UpdateTo612AddsRevisionsExactlyWherePrototypesChanged) {
  std::string generated = Init61();
  // A person's additions: a comment and a field on one interface.
  std::string marker = "name = \"bpf_verify_pkcs7_signature\"\nkind = \"kfunc\"\n";
  size_t at = generated.find(marker);
  ASSERT_NE(at, std::string::npos);
  std::string original = generated;
  original.insert(at + marker.size(), "notes = \"signed BPF programs\"  # added by hand\n");
  original.insert(at, "# Reviewed by a person.\n");

  ManifestUpdateOptions options;
  absl::StatusOr<ManifestUpdate> update =
      UpdateManifestText(original, "kernel-kfuncs.toml", *k612_, options);
  ASSERT_TRUE(update.ok()) << update.status();
  EXPECT_TRUE(IsInsertionOnly(original, update->text));
  EXPECT_EQ(update->kernel, "6.12.111+deb12-amd64");

  // Which kfuncs changed, from the two kernels' inventories directly.
  std::map<std::string, std::string> proto61, proto612;
  for (const Kfunc& k : CollectKfuncs(*k61_).kfuncs) proto61[k.name] = k.proto;
  for (const Kfunc& k : CollectKfuncs(*k612_).kfuncs) proto612[k.name] = k.proto;
  std::set<std::string> changed, added, absent;
  for (const auto& [name, proto] : proto61) {
    auto it = proto612.find(name);
    if (it == proto612.end()) {
      absent.insert(name);
    } else if (it->second != proto) {
      changed.insert(name);
    }
  }
  for (const UpdateEntry& entry : update->entries) {
    if (entry.kind != InterfaceKind::kKfunc) continue;
    if (entry.outcome == UpdateOutcome::kRevisionAdded) added.insert(entry.name);
    if (entry.outcome == UpdateOutcome::kAbsent) {
      EXPECT_TRUE(absent.count(entry.name)) << entry.name;
    }
  }
  EXPECT_EQ(added, changed);
  EXPECT_TRUE(changed.count("bbr_main"));
  EXPECT_TRUE(changed.count("bpf_verify_pkcs7_signature"));
  EXPECT_FALSE(absent.empty());

  Contract contract = ParseOrFail(update->text, "kernel-kfuncs.toml");
  const Interface* pkcs7 = Find(contract, InterfaceKind::kKfunc, "bpf_verify_pkcs7_signature");
  ASSERT_NE(pkcs7, nullptr);
  EXPECT_EQ(pkcs7->notes, "signed BPF programs");
  ASSERT_EQ(pkcs7->revisions.size(), 2u);
  EXPECT_EQ(pkcs7->revisions[1].name, "6.12.111+deb12-amd64");
  for (const std::string& name : absent) {
    EXPECT_NE(Find(contract, InterfaceKind::kKfunc, name), nullptr) << name << " was deleted";
  }

  // Idempotent: 6.12 again adds nothing and changes no byte.
  absl::StatusOr<ManifestUpdate> again =
      UpdateManifestText(update->text, "kernel-kfuncs.toml", *k612_, options);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->changed());
  EXPECT_EQ(again->text, update->text);
}

// bpftool, reading the same BTF on its own, sees the parameters change
// where the manifest records a new revision, and the manifest's
// signatures name exactly those parameters.
TEST_F(RealKernels, TheRecordedPrototypeChangesAreWhatBpftoolReads) {
  ASSERT_TRUE(testing::HaveTool("bpftool") || fs::exists("/usr/sbin/bpftool"));
  absl::StatusOr<ManifestUpdate> update =
      UpdateManifestText(Init61(), "kernel-kfuncs.toml", *k612_, {});
  ASSERT_TRUE(update.ok()) << update.status();
  Contract contract = ParseOrFail(update->text, "kernel-kfuncs.toml");
  struct Case {
    std::string kfunc;
    std::string module;
    bool changes;
  };
  for (const Case& c : {Case{"bbr_main", "tcp_bbr", true},
                        Case{"bpf_verify_pkcs7_signature", "", true},
                        Case{"tcp_reno_ssthresh", "", false}}) {
    SCOPED_TRACE(c.kfunc);
    std::set<std::vector<std::string>> old_params = ParamsByBpftool(*k61_, c.kfunc, c.module);
    std::set<std::vector<std::string>> new_params = ParamsByBpftool(*k612_, c.kfunc, c.module);
    ASSERT_EQ(old_params.size(), 1u);
    ASSERT_EQ(new_params.size(), 1u);
    EXPECT_EQ(old_params != new_params, c.changes);
    const Interface* entry = Find(contract, InterfaceKind::kKfunc, c.kfunc);
    ASSERT_NE(entry, nullptr);
    ASSERT_EQ(entry->revisions.size(), c.changes ? 2u : 1u);
    std::vector<std::set<std::vector<std::string>>> params = {old_params, new_params};
    for (size_t r = 0; r < entry->revisions.size(); ++r) {
      const std::string& prototype = entry->revisions[r].signature.at(0);
      std::string expected_names = Join(*params[r].begin(), ",");
      // The parameter names in the recorded prototype, in order.
      std::vector<std::string> names;
      std::string args = prototype.substr(prototype.find('(') + 1);
      args = args.substr(0, args.rfind(')'));
      for (std::string_view arg : SplitView(args, ',')) {
        std::string_view trimmed = StripWhitespace(arg);
        size_t start = trimmed.find_last_of(" *");
        names.emplace_back(trimmed.substr(start + 1));
      }
      EXPECT_EQ(Join(names, ","), expected_names) << prototype;
    }
  }
}

}  // namespace
}  // namespace kcontract
