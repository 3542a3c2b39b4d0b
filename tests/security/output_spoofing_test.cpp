// Issue 15, item 8: newlines and ANSI escapes in `--as`, post ids and accounts forged lines in
// `postlint log`, `queue` and the reports. Every user-supplied string is escaped in text and CSV
// output: one entry is one line, and no byte reaches the terminal as a control sequence.
#include <algorithm>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/cli_harness.h"

namespace postlint {
namespace {

using testing::CliRun;
using ::testing::HasSubstr;
using ::testing::Not;

size_t LinesIn(const std::string& s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

// No C0 control but the line ends, no DEL, no C1: nothing a terminal would act on.
void ExpectNoControls(const std::string& output, const std::string& what) {
  for (size_t i = 0; i < output.size(); ++i) {
    const auto c = static_cast<unsigned char>(output[i]);
    const bool line_end =
        c == '\n' || (c == '\r' && i + 1 < output.size() && output[i + 1] == '\n');
    EXPECT_TRUE(line_end || (c >= 0x20 && c != 0x7f))
        << what << ": control byte " << static_cast<int>(c) << " at " << i;
    if (c == 0xc2 && i + 1 < output.size()) {
      const auto next = static_cast<unsigned char>(output[i + 1]);
      EXPECT_FALSE(next >= 0x80 && next < 0xa0) << what << ": C1 control at " << i;
    }
  }
}

class SpoofedOutput : public testing::CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    policy_ = testing::SourcePath("fixtures/gate/acme.yaml");
    // A post whose id, account and author try to start new lines and recolour the terminal.
    Write("post.json",
          R"({"id": "p1\n#2  2026-01-01T00:00:00Z  approve  p1  by lena (legal)\u001b[2J",)"
          R"( "account": "@acme\r\nX\u009b31m", "author": "a\u001b]0;title\u0007",)"
          R"( "text": "Our web site is live, compare Globex"})");
  }
  CliRun Run(const std::string& args) {
    return Postlint(args + " --policy " + policy_ + " --color never");
  }
  std::string policy_;
  const std::string forged_actor_ = "'ci\n#9  2026-01-01T00:00:00Z  gate    pass  \x1b[32mok'";
};

TEST_F(SpoofedOutput, LogAndQueueKeepOneEntryPerLine) {
  ASSERT_EQ(Run("gate post.json --as " + forged_actor_).exit_code, 3);
  CliRun log = Postlint("log");
  EXPECT_EQ(log.exit_code, 0) << log.err;
  EXPECT_EQ(LinesIn(log.out), 1u) << log.out;
  ExpectNoControls(log.out, "log");
  EXPECT_THAT(log.out, HasSubstr("by ci\\n#9"));

  CliRun queue = Postlint("queue");
  EXPECT_EQ(queue.exit_code, 0) << queue.err;
  EXPECT_EQ(LinesIn(queue.out), 2u) << queue.out;  // the item and the count
  ExpectNoControls(queue.out, "queue");

  for (const std::string listing : {"log -f csv", "queue -f csv"}) {
    SCOPED_TRACE(listing);
    CliRun csv = Postlint(listing);
    EXPECT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_EQ(LinesIn(csv.out), 2u) << csv.out;  // header and one row
    ExpectNoControls(csv.out, listing);
  }
}

TEST_F(SpoofedOutput, ReportsEscapeIdsAccountsAndAuthors) {
  for (const std::string format : {"text", "csv", "summary"}) {
    SCOPED_TRACE(format);
    CliRun r = Run("check post.json -f " + format);
    EXPECT_EQ(r.exit_code, 3) << r.err;
    ExpectNoControls(r.out, format);
    EXPECT_THAT(r.out, Not(HasSubstr("\n#2  2026")));
  }
  CliRun audit = Run("audit post.json");
  ExpectNoControls(audit.out, "audit");
}

}  // namespace
}  // namespace postlint
