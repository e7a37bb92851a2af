// The libbpf releases kcontract models (abi/libbpf/libbpf_version.h): how a
// version is written and compared, which libbpf this process runs with, and
// the one table of rule differences.
#include "abi/libbpf/libbpf_version.h"

#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

namespace kcontract {
namespace {

LibbpfVersion Parsed(std::string_view text) {
  absl::StatusOr<LibbpfVersion> version = ParseLibbpfVersion(text);
  EXPECT_TRUE(version.ok()) << text << ": " << version.status();
  return version.value_or(LibbpfVersion{});
}

TEST(LibbpfVersion, ParsesMinorAndPatchReleases) {
  EXPECT_EQ(Parsed("1.3").ToString(), "1.3");
  EXPECT_EQ(Parsed("1.3.0").ToString(), "1.3.0");
  EXPECT_EQ(Parsed("v1.5").ToString(), "1.5");
  EXPECT_EQ(Parsed("1.1").ToString(), "1.1");
  EXPECT_EQ(Parsed("1.7.12").ToString(), "1.7.12");
}

TEST(LibbpfVersion, RefusesAnythingElseSayingWhatItTakes) {
  for (std::string_view bad : {"", "1", "1.", "1.x", "one.two", "1.3.0.1", "1.3-rc1", " 1.3",
                               "1.3 ", "-1.3", "1.99999"}) {
    absl::StatusOr<LibbpfVersion> version = ParseLibbpfVersion(bad);
    ASSERT_FALSE(version.ok()) << bad;
    EXPECT_NE(version.status().message().find("MAJOR.MINOR"), std::string::npos)
        << version.status();
  }
  for (std::string_view outside : {"1.0", "1.8", "0.8", "2.0", "1.0.1"}) {
    absl::StatusOr<LibbpfVersion> version = ParseLibbpfVersion(outside);
    ASSERT_FALSE(version.ok()) << outside;
    EXPECT_NE(version.status().message().find("models the rules of libbpf 1.1 to 1.7"),
              std::string::npos)
        << version.status();
  }
}

TEST(LibbpfVersion, ComparesMinorReleasesOnly) {
  EXPECT_LT(Parsed("1.1.2"), Parsed("1.2"));
  EXPECT_LT(Parsed("1.2"), Parsed("1.3.0"));
  EXPECT_EQ(Parsed("1.3"), Parsed("1.3.0"));
  EXPECT_EQ(Parsed("1.1.0"), Parsed("1.1.2"));
  EXPECT_GT(Parsed("1.7"), Parsed("1.6.9"));
}

TEST(LibbpfVersion, RunningIsTheLibraryThisProcessLinks) {
  LibbpfVersion running = RunningLibbpfVersion();
  EXPECT_EQ(running.major, static_cast<int>(libbpf_major_version()));
  EXPECT_EQ(running.minor, static_cast<int>(libbpf_minor_version()));
  // libbpf_version_string() is "v1.1": the patch release only the shared
  // library's name gives (Debian 12: libbpf.so.1.1.2).
  EXPECT_EQ(std::string(libbpf_version_string()),
            "v" + std::to_string(running.major) + "." + std::to_string(running.minor));
  EXPECT_EQ(LinkedLibbpf().version.ToString(), running.ToString());
  EXPECT_EQ(LinkedLibbpf().Describe(), running.ToString() + " (linked)");
}

TEST(LibbpfVersion, DescribesWhoChoseTheRelease) {
  EXPECT_EQ(OptionLibbpf(Parsed("1.5")).Describe(), "1.5 (--libbpf)");
  LibbpfChoice profile{Parsed("1.3.0"), LibbpfChoice::Basis::kProfile, "tools.toml:3:1"};
  EXPECT_EQ(profile.Describe(), "1.3.0 (load profile tools.toml:3:1)");
  // A linked release kcontract does not model is judged by the nearest one.
  LibbpfChoice newer{LibbpfVersion{1, 9, 0}, LibbpfChoice::Basis::kLinked, ""};
  EXPECT_EQ(newer.rules(), Parsed("1.7"));
  EXPECT_NE(newer.Describe().find("judged by the rules of 1.7"), std::string::npos);
  LibbpfChoice older{LibbpfVersion{1, 0, 1}, LibbpfChoice::Basis::kLinked, ""};
  EXPECT_EQ(older.rules(), Parsed("1.1"));
}

TEST(LibbpfRules, OneRowPerFeatureOldestFirstEachWithItsSource) {
  std::set<std::string_view> names;
  LibbpfVersion previous = kOldestModelledLibbpf;
  for (const LibbpfRule& rule : LibbpfRules()) {
    EXPECT_EQ(&RuleOf(rule.feature), &rule) << rule.name;
    EXPECT_TRUE(names.insert(rule.name).second) << "two rows named " << rule.name;
    // Every row is a difference from 1.1, the oldest release modelled.
    EXPECT_GT(rule.since, kOldestModelledLibbpf) << rule.name;
    EXPECT_LE(rule.since, kNewestModelledLibbpf) << rule.name;
    EXPECT_GE(rule.since, previous) << rule.name << ": rows are in release order";
    previous = rule.since;
    EXPECT_FALSE(rule.what.empty()) << rule.name;
    // The upstream commit subject, its author and when it was posted.
    EXPECT_NE(rule.upstream.find("libbpf: "), std::string_view::npos) << rule.name;
    EXPECT_NE(rule.upstream.find(", 20"), std::string_view::npos) << rule.name;
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(LibbpfFeature::kCount));
}

TEST(LibbpfRules, TheReleasesTheIssueNames) {
  auto since = [](LibbpfFeature f) { return RuleOf(f).since.ToString(); };
  EXPECT_EQ(since(LibbpfFeature::kWeakKfuncCallPoisoned), "1.2");
  EXPECT_EQ(since(LibbpfFeature::kKfuncAddressInModule), "1.2");
  EXPECT_EQ(since(LibbpfFeature::kStructOpsLinkSection), "1.2");
  EXPECT_EQ(since(LibbpfFeature::kKfuncFlavour), "1.3");
  EXPECT_EQ(since(LibbpfFeature::kWeakKfuncIncompatibleUnresolved), "1.3");
  EXPECT_EQ(since(LibbpfFeature::kStructOpsZeroMemberSkipped), "1.4");
  EXPECT_EQ(since(LibbpfFeature::kStructOpsTypeFlavour), "1.4");
  EXPECT_EQ(since(LibbpfFeature::kOptionalStructOpsSection), "1.4");
  EXPECT_EQ(since(LibbpfFeature::kStructOpsAutocreate), "1.4");
  EXPECT_EQ(since(LibbpfFeature::kObjectPrepare), "1.6");
}

TEST(LibbpfRules, HasIsTheRowsRelease) {
  EXPECT_FALSE(Has(Parsed("1.1.2"), LibbpfFeature::kKfuncFlavour));
  EXPECT_FALSE(Has(Parsed("1.2"), LibbpfFeature::kKfuncFlavour));
  EXPECT_TRUE(Has(Parsed("1.3.0"), LibbpfFeature::kKfuncFlavour));
  EXPECT_TRUE(Has(Parsed("1.7"), LibbpfFeature::kKfuncFlavour));
  EXPECT_FALSE(Has(Parsed("1.5"), LibbpfFeature::kObjectPrepare));
  EXPECT_TRUE(Has(Parsed("1.6"), LibbpfFeature::kObjectPrepare));
}

}  // namespace
}  // namespace kcontract
