// Keeps the detector table (src/rules/support/detectors/detector_table.cpp) consistent with
// itself and with its documentation: policies select detectors by the names on the docs page,
// so a row the page does not list cannot be found by users, and a listed name that is not a
// row is a policy error for whoever copies it.
#include "rules/support/detectors/detector_table.h"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <re2/re2.h>

#include "support/rule_harness.h"

namespace postlint {
namespace {

using detectors::Detector;
using detectors::Detectors;

// The names in the first column of the "What it catches" table of docs/rules/detector.md.
std::set<std::string> DocumentedDetectors() {
  std::ifstream in(testing::SourcePath("docs/rules/detector.md"));
  std::stringstream page;
  page << in.rdbuf();
  const std::string text = page.str();
  const size_t from = text.find("## What it catches");
  const size_t to = text.find("\n## ", from + 1);
  std::set<std::string> names;
  if (from == std::string::npos)
    return names;
  std::istringstream section(text.substr(from, to - from));
  const std::regex row(R"(^\| `([a-z0-9_]+)` \|)");
  std::smatch m;
  for (std::string line; std::getline(section, line);) {
    if (std::regex_search(line, m, row))
      names.insert(m[1]);
  }
  return names;
}

TEST(DetectorTable, RowsAreWellFormed) {
  EXPECT_TRUE(detectors::RowsAreWellFormed());
}

TEST(DetectorTable, EveryRowIsDocumentedAndEveryDocumentedNameIsARow) {
  const std::set<std::string> documented = DocumentedDetectors();
  ASSERT_FALSE(documented.empty()) << "no detector table found in docs/rules/detector.md";
  std::set<std::string> rows;
  for (const Detector& d : Detectors())
    rows.emplace(d.name);
  for (const auto& name : rows)
    EXPECT_TRUE(documented.count(name)) << "detector '" << name << "' is not in the docs' table";
  for (const auto& name : documented)
    EXPECT_TRUE(rows.count(name)) << "the docs list '" << name << "', which is not a detector";
}

TEST(DetectorTable, NamesAreSnakeCaseAndFindable) {
  for (const Detector& d : Detectors()) {
    const std::string name(d.name);
    EXPECT_TRUE(std::regex_match(name, std::regex("[a-z][a-z0-9]*(_[a-z0-9]+)*"))) << name;
    EXPECT_FALSE(d.label.empty()) << name;
    EXPECT_EQ(detectors::DetectorIndex(d.name), detectors::IndexOf(d)) << name;
  }
  EXPECT_EQ(detectors::DetectorIndex("no_such_detector"), -1);
}

// The rule skips a pattern that does not compile, so a typo would silently disable a
// detector; and a recognizer sees at most three capture groups.
TEST(DetectorTable, EveryPatternCompiles) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(32 << 20);
  for (const Detector& d : Detectors()) {
    for (const std::string_view pattern : d.patterns) {
      if (pattern.empty())
        continue;
      const RE2 re(re2::StringPiece(pattern.data(), pattern.size()), options);
      EXPECT_TRUE(re.ok()) << d.name << ": " << re.error();
      EXPECT_GE(re.NumberOfCapturingGroups(), 1) << d.name;
      EXPECT_LE(re.NumberOfCapturingGroups(), 3) << d.name;
    }
  }
}

// The rule accepts every row's name in its `detectors` option.
TEST(DetectorTable, EveryDetectorCanBeSelectedAlone) {
  for (const Detector& d : Detectors()) {
    const std::string options = "detectors: [" + std::string(d.name) + "]";
    EXPECT_TRUE(testing::CompileRule("detector", options)) << options;
  }
}

}  // namespace
}  // namespace postlint
