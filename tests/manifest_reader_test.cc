// The manifest reader: a valid manifest gives back every field it holds,
// and each kind of mistake is reported at its exact file:line:col. The bad
// manifests are files under tests/manifests/bad/, one mistake each, whose
// leading "# expect: LINE:COL: message fragment" comments say what the
// reader must report; this test reads the expectations from the files.
#include "abi/manifest/manifest_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "btfdiff/base/text.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;

fs::path BadManifestDir() {
  return fs::path(KCONTRACT_SOURCE_DIR) / "tests" / "manifests" / "bad";
}

std::string ReadText(const fs::path& path) {
  Bytes bytes = testing::ReadFileOrDie(path);
  return std::string(bytes.begin(), bytes.end());
}

std::vector<const Diagnostic*> Errors(const ManifestReadResult& result) {
  std::vector<const Diagnostic*> errors;
  for (const Diagnostic& d : result.diagnostics) {
    if (d.severity == Severity::kError) errors.push_back(&d);
  }
  return errors;
}

std::vector<const Diagnostic*> Warnings(const ManifestReadResult& result) {
  std::vector<const Diagnostic*> warnings;
  for (const Diagnostic& d : result.diagnostics) {
    if (d.severity != Severity::kError) warnings.push_back(&d);
  }
  return warnings;
}

std::string Dump(const ManifestReadResult& result) {
  std::string out;
  for (const Diagnostic& d : result.diagnostics) out += FormatDiagnosticLine(d) + "\n";
  return out;
}

// --- a valid manifest -----------------------------------------------------

constexpr std::string_view kValid = R"toml(# A contract with every key.
format_version = 1

[contract]
name = "bpf-thp"
owner = "mm (THP)"
notes = "Experiments only."
links = ["https://lore.kernel.org/linux-mm/a", "https://lore.kernel.org/linux-mm/b"]

[[interface]]
name = "bpf_thp_ops"
kind = "struct_ops"
stability = "experimental"
opt_in = "bpf_thp"
since = "6.20"
notes = """
It IS going away."""
links = ["https://lore.kernel.org/linux-mm/c"]

[[interface.revision]]
name = "rfc-v4"
first_seen = "thp_rfc_v4.btf"
signature = [
  "int (*get_suggested_order)(struct mm_struct *, unsigned long, int)",
]

[[interface.revision]]
name = "v9"
first_seen = "thp_v9.btf"
signature = [
  "int (*thp_get_order)(struct vm_area_struct *, enum tva_type, unsigned long)",
]

[[interface]]
name = "scx_bpf_dispatch"
kind = "kfunc"
stability = "deprecated"
since = "6.13"
remove = "6.17"
use = "scx_bpf_dsq_insert"

[[interface]]
name = "bpf_skb_ct_lookup"
kind = "kfunc"
module = "nf_conntrack"

[[interface]]
name = "tcp_congestion_ops.cong_control"
kind = "struct_ops_member"
stability = "stable"

[[interface]]
name = "struct task_struct"
kind = "kernel_type"
stability = "withdrawn"
remove = "7.1"
)toml";

TEST(ManifestReader, AValidManifestGivesBackEveryField) {
  ManifestReadResult result = ParseManifest(kValid, "valid.toml", ContractOrigin::kGiven);
  ASSERT_TRUE(result.ok()) << Dump(result);
  EXPECT_TRUE(result.diagnostics.empty()) << Dump(result);
  const Contract& c = *result.contract;
  EXPECT_EQ(c.name, "bpf-thp");
  EXPECT_EQ(c.owner, "mm (THP)");
  EXPECT_EQ(c.notes, "Experiments only.");
  EXPECT_EQ(c.links, (std::vector<std::string>{"https://lore.kernel.org/linux-mm/a",
                                               "https://lore.kernel.org/linux-mm/b"}));
  EXPECT_EQ(c.path, "valid.toml");
  EXPECT_EQ(c.origin, ContractOrigin::kGiven);
  ASSERT_EQ(c.interfaces.size(), 5u);

  const Interface& ops = c.interfaces[0];
  EXPECT_EQ(ops.name, "bpf_thp_ops");
  EXPECT_EQ(ops.kind, InterfaceKind::kStructOps);
  EXPECT_EQ(ops.stability, Stability::kExperimental);
  EXPECT_EQ(ops.opt_in, "bpf_thp");
  EXPECT_EQ(ops.OptInToken(), "bpf_thp");
  EXPECT_EQ(ops.since, "6.20");
  EXPECT_EQ(ops.notes, "It IS going away.");  // a newline right after """ is trimmed
  EXPECT_EQ(ops.links, std::vector<std::string>{"https://lore.kernel.org/linux-mm/c"});
  EXPECT_EQ(ops.contract, "bpf-thp");
  EXPECT_EQ(FormatLocation(ops.location), "valid.toml:10:1");
  ASSERT_EQ(ops.revisions.size(), 2u);
  EXPECT_EQ(ops.revisions[0].name, "rfc-v4");
  EXPECT_EQ(ops.revisions[0].first_seen, "thp_rfc_v4.btf");
  EXPECT_EQ(ops.revisions[0].signature,
            Signature{"int (*get_suggested_order)(struct mm_struct *, unsigned long, int)"});
  EXPECT_EQ(FormatLocation(ops.revisions[0].location), "valid.toml:20:1");
  EXPECT_EQ(ops.revisions[1].name, "v9");
  EXPECT_EQ(FormatLocation(ops.revisions[1].location), "valid.toml:27:1");
  EXPECT_EQ(ops.FindRevision(ops.revisions[1].signature), &ops.revisions[1]);

  const Interface& dispatch = c.interfaces[1];
  EXPECT_EQ(dispatch.kind, InterfaceKind::kKfunc);
  EXPECT_EQ(dispatch.stability, Stability::kDeprecated);
  EXPECT_EQ(dispatch.remove, "6.17");
  EXPECT_EQ(dispatch.replacement, "scx_bpf_dsq_insert");
  EXPECT_EQ(dispatch.OptInToken(), "scx_bpf_dispatch");  // no opt_in: its name

  const Interface& lookup = c.interfaces[2];
  EXPECT_EQ(lookup.module, "nf_conntrack");
  EXPECT_FALSE(lookup.stability.has_value()) << "no level written: no promise";

  EXPECT_EQ(c.interfaces[3].kind, InterfaceKind::kStructOpsMember);
  EXPECT_EQ(c.interfaces[3].stability, Stability::kStable);
  EXPECT_EQ(c.interfaces[4].kind, InterfaceKind::kKernelType);
  EXPECT_EQ(c.interfaces[4].name, "struct task_struct");
  EXPECT_EQ(c.interfaces[4].stability, Stability::kWithdrawn);
}

// --- each kind of mistake, from tests/manifests/bad/ -----------------------

struct Expectation {
  int line = 0;
  int column = 0;
  std::string fragment;
};

// The file's leading "# expect: L:C: fragment" lines.
std::vector<Expectation> ReadExpectations(const std::string& text) {
  std::vector<Expectation> out;
  for (std::string_view line : SplitView(text, '\n')) {
    constexpr std::string_view kPrefix = "# expect: ";
    if (line.substr(0, kPrefix.size()) != kPrefix) break;
    std::string_view rest = line.substr(kPrefix.size());
    std::vector<std::string_view> parts = SplitView(rest, ':');
    if (parts.size() < 3) break;
    Expectation e;
    e.line = std::stoi(std::string(parts[0]));
    e.column = std::stoi(std::string(parts[1]));
    size_t fragment_at = parts[0].size() + parts[1].size() + 2;
    e.fragment = std::string(StripWhitespace(rest.substr(fragment_at)));
    out.push_back(e);
  }
  return out;
}

std::vector<fs::path> BadManifests() {
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(BadManifestDir())) {
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(ManifestReader, EveryKindOfMistakeIsReportedAtItsFileLineAndColumn) {
  std::vector<fs::path> files = BadManifests();
  // So that an emptied directory cannot pass.
  ASSERT_GE(files.size(), 25u) << BadManifestDir();
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    std::vector<Expectation> expected = ReadExpectations(ReadText(file));
    ASSERT_FALSE(expected.empty()) << "no '# expect: L:C: fragment' line";
    ManifestReadResult result = ReadManifest(file.string(), ContractOrigin::kGiven);
    EXPECT_FALSE(result.ok()) << "a manifest with an error gives no contract";
    std::vector<const Diagnostic*> errors = Errors(result);
    // One mistake, one error: no cascade of follow-on errors.
    EXPECT_EQ(errors.size(), expected.size()) << Dump(result);
    for (const Expectation& e : expected) {
      bool found = std::any_of(errors.begin(), errors.end(), [&](const Diagnostic* d) {
        return d->location.line == e.line && d->location.column == e.column &&
               Contains(d->message, e.fragment);
      });
      EXPECT_TRUE(found) << "expected " << e.line << ":" << e.column << ": " << e.fragment
                         << "\ngot:\n"
                         << Dump(result);
    }
    for (const Diagnostic* d : errors) {
      EXPECT_EQ(d->location.file, file.string());
      std::string prefix = absl::StrFormat("%s:%d:%d: error: ", file.string(), d->location.line,
                                           d->location.column);
      EXPECT_EQ(FormatDiagnosticLine(*d).rfind(prefix, 0), 0u) << FormatDiagnosticLine(*d);
    }
  }
}

TEST(ManifestReader, AllMistakesAreReportedInOnePassInLineOrder) {
  std::string text =
      "format_version = 1\n[contract]\nname = \"x\"\n"
      "[[interface]]\nname = \"a\"\nkind = \"kfunk\"\n"         // 6:8
      "[[interface]]\nname = \"b\"\nkind = \"kfunc\"\nstability = \"beta\"\n"  // 10:13
      "[[interface]]\nname = \"c\"\nkind = \"kfunc\"\nsince = 6\n";  // 14:9
  ManifestReadResult result = ParseManifest(text, "m.toml", ContractOrigin::kGiven);
  std::vector<const Diagnostic*> errors = Errors(result);
  ASSERT_EQ(errors.size(), 3u) << Dump(result);
  EXPECT_EQ(FormatLocation(errors[0]->location), "m.toml:6:8");
  EXPECT_EQ(FormatLocation(errors[1]->location), "m.toml:10:13");
  EXPECT_EQ(FormatLocation(errors[2]->location), "m.toml:14:9");
}

TEST(ManifestReader, AZeroByteFileSaysWhatIsMissing) {
  ManifestReadResult result = ParseManifest("", "empty.toml", ContractOrigin::kGiven);
  EXPECT_FALSE(result.ok());
  std::vector<const Diagnostic*> errors = Errors(result);
  ASSERT_EQ(errors.size(), 2u) << Dump(result);
  EXPECT_TRUE(Contains(errors[0]->message, "format_version") ||
              Contains(errors[1]->message, "format_version"))
      << Dump(result);
}

TEST(ManifestReader, AHugeFileIsRefusedBeforeParsing) {
  fs::path huge = testing::ProcessScratch("manifest_reader_test") / "huge.toml";
  // A valid start, then comments past the 16 MiB bound.
  std::string text = "format_version = 1\n";
  std::string comment = "# " + std::string(1022, 'x') + "\n";
  while (text.size() <= (16u << 20)) text += comment;
  testing::WriteFileOrDie(huge, ByteView(reinterpret_cast<const uint8_t*>(text.data()),
                                         text.size()));
  ManifestReadResult result = ReadManifest(huge.string(), ContractOrigin::kGiven);
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.diagnostics.size(), 1u) << Dump(result);
  const Diagnostic& d = result.diagnostics[0];
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_EQ(d.location.file, huge.string());
  EXPECT_TRUE(Contains(d.message, "limit")) << d.message;
  EXPECT_EQ(FormatDiagnosticLine(d).rfind(huge.string() + ": error: ", 0), 0u) << FormatDiagnosticLine(d);
}

TEST(ManifestReader, AMissingFileIsAnErrorNamingIt) {
  ManifestReadResult result = ReadManifest("/nonexistent/x.toml", ContractOrigin::kGiven);
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(Errors(result).size(), 1u);
  EXPECT_TRUE(Contains(FormatDiagnosticLine(result.diagnostics[0]), "/nonexistent/x.toml"));
}

// --- warnings leave the manifest usable -----------------------------------

ManifestReadResult ParseInterface(const std::string& body) {
  std::string text = "format_version = 1\n[contract]\nname = \"x\"\n[[interface]]\n" + body;
  return ParseManifest(text, "w.toml", ContractOrigin::kGiven);
}

TEST(ManifestReader, ANonHttpLinkIsAWarningNotAnError) {
  ManifestReadResult result =
      ParseInterface("name = \"a\"\nkind = \"kfunc\"\nlinks = [\"lore: somewhere\"]\n");
  EXPECT_TRUE(result.ok()) << Dump(result);
  ASSERT_EQ(Warnings(result).size(), 1u) << Dump(result);
  EXPECT_TRUE(Contains(Warnings(result)[0]->message, "not an http(s) URL"));
  EXPECT_EQ(FormatLocation(Warnings(result)[0]->location), "w.toml:7:9");
}

TEST(ManifestReader, DeprecatedWithoutAReplacementIsAWarning) {
  ManifestReadResult result = ParseInterface(
      "name = \"a\"\nkind = \"kfunc\"\nstability = \"deprecated\"\nremove = \"7.1\"\n");
  EXPECT_TRUE(result.ok()) << Dump(result);
  ASSERT_EQ(Warnings(result).size(), 1u) << Dump(result);
  EXPECT_TRUE(Contains(Warnings(result)[0]->message, "'use'"));
}

TEST(ManifestReader, AnOptInOnAStableInterfaceIsAWarning) {
  ManifestReadResult result = ParseInterface(
      "name = \"a\"\nkind = \"kfunc\"\nstability = \"stable\"\nopt_in = \"a\"\n");
  EXPECT_TRUE(result.ok()) << Dump(result);
  ASSERT_EQ(Warnings(result).size(), 1u) << Dump(result);
  EXPECT_TRUE(Contains(Warnings(result)[0]->message, "only matters for an experimental"));
}

TEST(ManifestReader, InternalIsABoolean) {
  ManifestReadResult marked =
      ParseInterface("name = \"bpf_debug_dump\"\nkind = \"kfunc\"\ninternal = true\n");
  ASSERT_TRUE(marked.ok()) << Dump(marked);
  ASSERT_TRUE(marked.contract.has_value());
  EXPECT_TRUE(marked.contract->interfaces.at(0).internal);
  ManifestReadResult unmarked = ParseInterface("name = \"a\"\nkind = \"kfunc\"\n");
  ASSERT_TRUE(unmarked.ok()) << Dump(unmarked);
  EXPECT_FALSE(unmarked.contract->interfaces.at(0).internal);
  ManifestReadResult wrong =
      ParseInterface("name = \"a\"\nkind = \"kfunc\"\ninternal = \"yes\"\n");
  ASSERT_EQ(Errors(wrong).size(), 1u) << Dump(wrong);
  EXPECT_TRUE(Contains(Errors(wrong)[0]->message, "'internal' is true or false, not a string"))
      << Dump(wrong);
  EXPECT_EQ(FormatLocation(Errors(wrong)[0]->location), "w.toml:7:12");
}

// A hook NACKed before it merged was never in a release: withdrawn with no
// 'remove' is what such a manifest says, and is no mistake.
TEST(ManifestReader, WithdrawnWithoutAReleaseIsClean) {
  ManifestReadResult result =
      ParseInterface("name = \"bpf_mthp_ops\"\nkind = \"struct_ops\"\nstability = \"withdrawn\"\n");
  EXPECT_TRUE(result.ok()) << Dump(result);
  EXPECT_TRUE(result.diagnostics.empty()) << Dump(result);
}

TEST(ManifestReader, AManifestWithoutInterfacesIsUsableWithAWarning) {
  ManifestReadResult result =
      ParseManifest("format_version = 1\n[contract]\nname = \"x\"\n", "n.toml",
                    ContractOrigin::kGiven);
  EXPECT_TRUE(result.ok()) << Dump(result);
  ASSERT_EQ(Warnings(result).size(), 1u) << Dump(result);
  EXPECT_TRUE(Contains(Warnings(result)[0]->message, "no [[interface]]"));
}

}  // namespace
}  // namespace kcontract
