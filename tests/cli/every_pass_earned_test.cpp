// Every pass is earned (issue 12): no command answers "pass" (exit 0) for something it never
// read or could not check. Each test runs the real binary the way a new user would.
#include <filesystem>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/cli_harness.h"

namespace postlint {
namespace {

using testing::CliRun;
using testing::CliTest;
using ::testing::HasSubstr;
using ::testing::Not;

std::string LongText() {
  std::string text;
  while (text.size() < 310)
    text += "Launch day at Acme! ";
  return text;
}

// --- options never swallow the paths after them -----------------------------------------------

TEST_F(CliTest, NetworkOptionsNeverSwallowThePathsAfterThem) {
  Write("long.txt", LongText() + "\n");
  for (const std::string& args :
       {std::string("--network x,bluesky long.txt"), std::string("-n x long.txt"),
        std::string("--network x --network bluesky long.txt"),
        std::string("--network=x,bluesky long.txt"), std::string("long.txt --network x")}) {
    CliRun r = Postlint("check --color never --policy " + DefaultPolicy() + " " + args);
    EXPECT_EQ(r.exit_code, 1) << args << "\n" << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("long.txt:1:281: error length: Too long for X")) << args;
    EXPECT_THAT(r.out, Not(HasSubstr("<stdin>"))) << args;
  }
}

TEST_F(CliTest, GateRecordsTheDraftItWasGivenNotStandardInput) {
  Write("long.txt", LongText() + "\n");
  CliRun r = Postlint("gate -n x --as ana --policy " + DefaultPolicy() + " long.txt");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  CliRun log = Postlint("log --format json");
  ASSERT_EQ(log.exit_code, 0) << log.err;
  const auto entries = nlohmann::json::parse(log.out);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0]["post_id"], "long.txt");
  EXPECT_EQ(entries[0]["verdict"], "fail");
}

TEST_F(CliTest, AuditReadsEveryPostAfterANetworkOption) {
  std::string jsonl;
  for (int i = 0; i < 50; ++i)
    jsonl += "{\"id\": \"p" + std::to_string(i) + "\", \"text\": \"Post number " +
             std::to_string(i) + "\"}\n";
  Write("posts.jsonl", jsonl);
  CliRun r =
      Postlint("audit -n x --format summary-json --policy " + DefaultPolicy() + " posts.jsonl");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["posts"], 50) << r.out;
}

TEST_F(CliTest, MistypedOptionsAndCommandsGetASuggestion) {
  Write("d.txt", "Hello\n");
  CliRun r = Postlint("check --netwrok x d.txt");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown option '--netwrok' (did you mean '--network'?)"));
  r = Postlint("chek d.txt");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown command 'chek' (did you mean 'check'?)"));
  r = Postlint("audit --sinse 2026-01-01 d.txt");
  EXPECT_THAT(r.err, HasSubstr("did you mean '--since'?"));
  r = Postlint("policy valdate");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("did you mean 'validate'?"));
}

TEST_F(CliTest, EachCommandsHelpListsOnlyTheExitCodesItReturns) {
  CliRun check = Postlint("check --help");
  EXPECT_THAT(check.out, HasSubstr("3  at least one post needs review"));
  EXPECT_THAT(check.out, Not(HasSubstr("4  the gate refused")));
  CliRun approve = Postlint("approve --help");
  EXPECT_THAT(approve.out, HasSubstr("4  the gate refused"));
  EXPECT_THAT(approve.out, Not(HasSubstr("3  at least one post needs review")));
  CliRun verify = Postlint("log verify --help");
  EXPECT_THAT(verify.out, HasSubstr("1  the chain is broken"));
}

// --- networks and post fields are a closed vocabulary -------------------------------------------

TEST_F(CliTest, AnUnknownNetworkIsAnErrorWithASuggestionWhereverItIsWritten) {
  Write("d.txt", "Hello\n");
  CliRun flag = Postlint("check --network linkdin --policy " + DefaultPolicy() + " d.txt");
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_THAT(flag.err, HasSubstr("unknown network 'linkdin' (did you mean 'linkedin'?)"));

  Write("fm.md", "---\nnetworks: [x, linkdn]\n---\nHello\n");
  CliRun front = Postlint("check --color never --policy " + DefaultPolicy() + " fm.md");
  EXPECT_EQ(front.exit_code, 2);
  EXPECT_THAT(front.out, HasSubstr("unknown network 'linkdn' (did you mean 'linkedin'?)"));
  EXPECT_THAT(front.out, HasSubstr("fm.md:4"));  // where the body starts

  Write("p.jsonl",
        "{\"text\": \"ok\", \"network\": \"x\"}\n{\"text\": \"Hi\", \"network\": "
        "\"linkdin\"}\n");
  CliRun jsonl = Postlint("check --color never --policy " + DefaultPolicy() + " p.jsonl");
  EXPECT_EQ(jsonl.exit_code, 2);
  EXPECT_THAT(jsonl.out, HasSubstr("p.jsonl:2"));
  EXPECT_THAT(jsonl.out, HasSubstr("did you mean 'linkedin'?"));
  EXPECT_THAT(jsonl.out, HasSubstr("1 passed"));  // the batch went on

  const std::string policy = Write("bad.yaml",
                                   "name: t\nextends: [networks]\ndefault_networks: [twiter]\n"
                                   "rules:\n  - {id: a, kind: terms, banned: [x], "
                                   "when: {network: linkdin}}\n");
  CliRun validate = Postlint("policy validate " + policy);
  EXPECT_EQ(validate.exit_code, 2);
  EXPECT_THAT(validate.err, HasSubstr("bad.yaml:3:20: error: in 'default_networks': unknown "
                                      "network 'twiter' (did you mean 'twitter' (x)?)"));
  EXPECT_THAT(validate.err, HasSubstr("bad.yaml:5:"));
}

TEST_F(CliTest, AMistypedPostFieldIsAnErrorNotADisclosureSwitchedOff) {
  Write("fm.md", "---\nnetwork: x\nsponosred: true\n---\nLove my new blender!\n");
  CliRun front = Postlint("check --color never --policy " + DefaultPolicy() + " fm.md");
  EXPECT_EQ(front.exit_code, 2) << front.out;
  EXPECT_THAT(front.out, HasSubstr("fm.md:3"));
  EXPECT_THAT(front.out, HasSubstr("unknown field 'sponosred' (did you mean 'sponsored'?)"));

  Write("p.json", "{\"text\": \"Love my new blender!\", \"sponsord\": true}");
  CliRun json = Postlint("check --color never --policy " + DefaultPolicy() + " p.json");
  EXPECT_EQ(json.exit_code, 2);
  EXPECT_THAT(json.out, HasSubstr("did you mean 'sponsored'?"));
}

TEST_F(CliTest, SponsoredReadsTheSameInFrontMatterAndJson) {
  Write("fm.md", "---\nnetwork: x\nsponsored: yes\n---\nLove my new blender!\n");
  Write("p.json",
        "{\"network\": \"x\", \"sponsored\": \"yes\", \"text\": \"Love my new blender!\"}");
  for (const char* file : {"fm.md", "p.json"}) {
    CliRun r = Postlint("check --color never --policy " + DefaultPolicy() + " " + file);
    EXPECT_EQ(r.exit_code, 1) << file << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("sponsored-disclosure")) << file;
  }
}

// --- no network, no silence ---------------------------------------------------------------------

TEST_F(CliTest, APlainDraftIsCheckedAgainstTheDefaultNetworks) {
  Write("plain.txt", LongText() + "\n");
  CliRun r = Postlint("check --color never --policy " + DefaultPolicy() + " plain.txt");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_THAT(r.out, HasSubstr("Too long for X"));
  CliRun inspect = Postlint("inspect --policy " + DefaultPolicy() + " plain.txt");
  EXPECT_EQ(nlohmann::json::parse(inspect.out)[0]["lengths"]["x"]["fits"], false);
}

TEST_F(CliTest, APolicyWithoutDefaultNetworksSaysOnEveryPostThatNoneWasChecked) {
  const std::string policy =
      Write("p.yaml", "name: t\nextends: [networks]\nrules:\n  - {id: length, kind: length}\n");
  Write("plain.txt", LongText() + "\n");
  Write("s.csv", "text,author\n" + LongText() + ",ana\nShort one,bo\n");
  CliRun r = Postlint("check --color never --policy " + policy + " plain.txt s.csv");
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  size_t count = 0;
  for (size_t at = 0; (at = r.out.find("Not checked against any network", at)) != std::string::npos;
       ++at)
    ++count;
  EXPECT_EQ(count, 3u) << r.out;
}

// --- empty is an error --------------------------------------------------------------------------

TEST_F(CliTest, NothingToCheckIsNeverAPass) {
  std::filesystem::create_directories(dir_ / "empty");
  Write("pictures/cover.png", "PNG");
  Write("blank.txt", "");
  Write("only-front-matter.md", "---\nnetwork: x\n---\n");
  Write("blank.jsonl", "\n\n");
  struct Case {
    std::string args, stdin_text, says;
  };
  for (const Case& c :
       {Case{"check empty", "", "empty: no posts found"},
        Case{"check pictures", "", "pictures: no posts found"},
        Case{"check blank.txt", "", "the post is empty"},
        Case{"check only-front-matter.md", "", "the post is empty"},
        Case{"check -", "", "the post is empty"}, Case{"check", "  \n", "the post is empty"},
        Case{"check blank.jsonl", "", "nothing was checked"},
        Case{"audit empty", "", "no posts found"}, Case{"inspect empty", "", "no posts found"},
        Case{"gate --as ana empty", "", "no posts found"}}) {
    CliRun r = Postlint(c.args + " --policy " + DefaultPolicy(), c.stdin_text);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.out << r.err;
    EXPECT_THAT(r.out + r.err, HasSubstr(c.says)) << c.args;
  }
}

TEST_F(CliTest, DateRangesThatCannotHoldAPostAreErrors) {
  Write("p.jsonl", "{\"text\": \"Hi\", \"created_at\": \"2024-05-01T10:00:00Z\"}\n");
  for (const std::string& range :
       {std::string("--since 2024-13-01"), std::string("--until 2024-02-30"),
        std::string("--since 2024-06-01 --until 2024-01-01")}) {
    CliRun r = Postlint("audit " + range + " --policy " + DefaultPolicy() + " p.jsonl");
    EXPECT_EQ(r.exit_code, 2) << range << r.err;
  }
  CliRun none = Postlint("audit --since 2025-01-01 --policy " + DefaultPolicy() + " p.jsonl");
  EXPECT_EQ(none.exit_code, 2) << none.out << none.err;
  EXPECT_THAT(none.err, HasSubstr("nothing was checked"));
  EXPECT_THAT(none.err, HasSubstr("2025-01-01"));
}

// --- the default policy covers the mission ------------------------------------------------------

TEST_F(CliTest, TheDefaultPolicyCatchesCardsPhonesAndUndisclosedAds) {
  Write("card.txt", "Pay with 4929 3875 1264 5582 today\n");
  Write("phone.txt", "Call our CEO on his mobile +39 347 218 4590 tonight\n");
  Write("ad.md", "---\nnetwork: instagram\nsponsored: true\n---\nLove my new Blendr 500!\n");
  CliRun card = Postlint("check --color never --policy " + DefaultPolicy() + " card.txt");
  EXPECT_EQ(card.exit_code, 1) << card.out;
  EXPECT_THAT(card.out, Not(HasSubstr("4929 3875 1264 5582")));
  EXPECT_NE(Postlint("check --policy " + DefaultPolicy() + " phone.txt").exit_code, 0);
  CliRun ad = Postlint("check --color never --policy " + DefaultPolicy() + " ad.md");
  EXPECT_EQ(ad.exit_code, 1) << ad.out;
  EXPECT_THAT(ad.out, HasSubstr("disclosure"));
}

TEST_F(CliTest, OfflineLinksAreUnverifiableAndTheRunSaysSoOnce) {
  Write("a.txt", "Read more at https://acme.example/blog and https://acme.example/shop\n");
  Write("b.txt", "And https://acme.example/faq\n");
  CliRun r = Postlint("check --offline --color never --policy " + DefaultPolicy() + " a.txt b.txt");
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("Could not verify link"));
  EXPECT_THAT(r.out, Not(HasSubstr("Broken link")));
  size_t notes = 0;
  for (size_t at = 0; (at = r.err.find("live link checks skipped", at)) != std::string::npos; ++at)
    ++notes;
  EXPECT_EQ(notes, 1u) << r.err;
}

// --- input sniffing ------------------------------------------------------------------------------

TEST_F(CliTest, PlainTextOnStandardInputThatStartsWithABracketIsAPost) {
  for (const char* text : {"[Video] Our new campaign is live", "{Draft} Our blender is here"}) {
    CliRun r = Postlint("check --color never --network linkedin --policy " + DefaultPolicy(), text);
    EXPECT_EQ(r.exit_code, 0) << text << "\n" << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("1 post checked")) << text;
  }
  CliRun broken = Postlint("check --policy " + DefaultPolicy(), "{\"text\": \"hi\",}");
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_THAT(broken.out, HasSubstr("invalid JSON"));
}

TEST_F(CliTest, CsvDateOrderIsDecidedOncePerFile) {
  Write("s.csv", "text,date\nFirst post,04/03/2026\nSecond post,25/03/2026\n");
  // Read day first, as the 25/03 row settles it: the first post is on 4 March, not 3 April.
  CliRun r = Postlint(
      "audit --format jsonl --since 2026-03-04 --until 2026-03-04 --network x "
      "--policy " +
      DefaultPolicy() + " s.csv");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"id\":\"s.csv:2\""));
  Write("a.csv", "text,date\nFirst post,04/03/2026\n");
  CliRun ambiguous =
      Postlint("audit --format jsonl --network x --policy " + DefaultPolicy() + " a.csv");
  EXPECT_THAT(ambiguous.err, HasSubstr("a.csv:2: warning:"));
  EXPECT_THAT(ambiguous.err, HasSubstr("--date-order"));
  CliRun chosen = Postlint(
      "audit --format jsonl --date-order dmy --since 2026-03-04 --until 2026-03-04 --network x "
      "--policy " +
      DefaultPolicy() + " a.csv");
  EXPECT_EQ(chosen.exit_code, 0) << chosen.err;
  EXPECT_THAT(chosen.err, Not(HasSubstr("warning")));
}

}  // namespace
}  // namespace postlint

namespace postlint {
namespace {

// On a machine with no network, live link checks find no DNS answer for any host: the links
// are unverifiable ("offline"), never broken. The machine without a network is a network
// namespace of its own (unshare -n: only a loopback that is down).
TEST_F(CliTest, WithoutANetworkTheDefaultPolicyFindsNoBrokenLinksInTheSamples) {
  if (std::system("unshare -n true > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "unshare -n is not permitted here";
  const std::string out = (dir_ / "out.jsonl").string();
  const std::string err = (dir_ / "err.txt").string();
  const std::string cmd = "cd '" + testing::SourcePath("") +
                          "' && POSTLINT_OFFLINE= " + "POSTLINT_CACHE_DIR='" +
                          (dir_ / "cache").string() + "' unshare -n '" + POSTLINT_BINARY +
                          "' check --format jsonl --policy rules/default.yaml " +
                          "fixtures/drafts > '" + out + "' 2> '" + err + "'";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status)) << cmd;
  EXPECT_NE(WEXITSTATUS(status), 2) << Slurp(err);
  const std::string report = Slurp(out);
  EXPECT_THAT(report, Not(HasSubstr("\"type\":\"broken\"")));
  EXPECT_THAT(report, HasSubstr("\"type\":\"unverifiable\""));
  EXPECT_THAT(report, HasSubstr("offline"));
}

}  // namespace
}  // namespace postlint

namespace postlint {
namespace {

// One clock (issue 13): POSTLINT_NOW moves every "now" in postlint, the embargo detector's
// "today" included, so a test or a replay of a past day sees what postlint saw then.
TEST_F(CliTest, PostlintNowMovesTheEmbargoAndTheGate) {
  const std::string policy =
      Write("p.yaml",
            "name: t\nrules:\n  - id: launch\n    kind: detector\n    level: error\n"
            "    detectors: [embargo]\n    embargo: [{terms: [Kestrel], until: 2026-12-01}]\n");
  Write("d.txt", "Kestrel is here\n");
  env_ = "POSTLINT_NOW=2026-11-30T12:00:00Z";
  EXPECT_EQ(Postlint("check --policy " + policy + " d.txt").exit_code, 1);
  env_ = "POSTLINT_NOW=2026-12-01T00:00:01Z";
  EXPECT_EQ(Postlint("check --policy " + policy + " d.txt").exit_code, 0);
  // The gate's clock: a waiver's expiry is counted from POSTLINT_NOW.
  const std::string gate_policy = testing::SourcePath("fixtures/gate/acme.yaml");
  Write("w.md", "Our web site is live\n");
  env_ = "POSTLINT_NOW=2026-11-30T12:00:00Z";
  ASSERT_EQ(Postlint("gate w.md --as ci --policy " + gate_policy).exit_code, 3);
  ASSERT_EQ(Postlint("waive spelling w.md --role editor --as bob --reason ok --for 1d --policy " +
                     gate_policy)
                .exit_code,
            0);
  EXPECT_EQ(Postlint("check w.md --policy " + gate_policy).exit_code, 0);
  env_ = "POSTLINT_NOW=2026-12-02T12:00:00Z";  // the waiver expired a day ago
  EXPECT_EQ(Postlint("check w.md --policy " + gate_policy).exit_code, 3);
}

}  // namespace
}  // namespace postlint
