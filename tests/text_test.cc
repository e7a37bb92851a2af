// btfdiff/base/text: "did you mean" (ClosestMatch) against the plain
// Levenshtein distance it prunes with.
#include "btfdiff/base/text.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace kcontract {
namespace {

// What ClosestMatch promises, computed the slow way: the first candidate
// of least distance, if that distance is at most `max_distance`.
std::string_view ClosestByFullDistance(std::string_view name,
                                       const std::vector<std::string_view>& candidates,
                                       size_t max_distance) {
  std::string_view closest;
  size_t best = max_distance + 1;
  for (std::string_view candidate : candidates) {
    const size_t distance = EditDistance(name, candidate);
    if (distance < best) {
      best = distance;
      closest = candidate;
    }
  }
  return closest;
}

TEST(EditDistance, KnownDistances) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("bpf_thp_ops", "bpf_thp_opz"), 1u);
}

TEST(ClosestMatch, ChoosesAsTheFullDistanceWould) {
  std::mt19937 random(14);
  auto word = [&](size_t max_length) {
    std::string out(random() % (max_length + 1), 'a');
    for (char& c : out) c = static_cast<char>('a' + random() % 3);  // small alphabet: near misses
    return out;
  };
  size_t found = 0;
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::string> words;
    for (int i = 0; i < 12; ++i) words.push_back(word(10));
    std::vector<std::string_view> candidates(words.begin(), words.end());
    const std::string name = word(10);
    const size_t max_distance = random() % 5;
    const std::string_view expected = ClosestByFullDistance(name, candidates, max_distance);
    const std::string_view got = ClosestMatch(name, candidates, max_distance);
    ASSERT_EQ(got.data(), expected.data())
        << "'" << name << "' within " << max_distance << ": '" << got << "', not '" << expected
        << "'";
    found += !got.empty();
  }
  EXPECT_GT(found, 500u);  // the rounds found matches, not only "none"
}

TEST(ClosestMatch, NothingCloseEnoughIsNoMatch) {
  const std::vector<std::string_view> candidates = {"bpf_thp_ops", "sched_ext_ops"};
  EXPECT_EQ(ClosestMatch("bpf_thp_opz", candidates), "bpf_thp_ops");
  EXPECT_EQ(ClosestMatch("bpf_thp", candidates), "");  // 4 edits away
  EXPECT_EQ(ClosestMatch(std::string(100000, 'x'), candidates), "");
}

}  // namespace
}  // namespace kcontract
