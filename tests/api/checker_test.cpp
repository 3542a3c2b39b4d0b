#include "postlint/checker.h"

#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "postlint/postlint.h"
#include "support/rule_harness.h"

namespace postlint {
namespace {

TEST(CppApi, ChecksPostsAndReportsPositions) {
  std::string errors;
  auto checker = api::Checker::FromFile(testing::SourcePath("rules/default.yaml"), &errors);
  ASSERT_NE(checker, nullptr) << errors;
  api::Post post;
  post.text = "😀 Send an e-mail TODO";
  post.networks = {"x"};
  const api::Report r = checker->Check(post);
  EXPECT_EQ(r.verdict, api::Verdict::kFail);
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].rule, "spelling");
  EXPECT_EQ(r.findings[0].start, 10u);  // code points: emoji is one
  EXPECT_EQ(r.findings[0].utf16_start, 11u);
  EXPECT_EQ(r.findings[0].fix.value_or(""), "email");
  EXPECT_EQ(nlohmann::json::parse(r.json)["verdict"], "fail");
  EXPECT_EQ(checker->policy_name(), "postlint-default");
}

TEST(CppApi, BadPolicyAndBadPostAreValuesNotExceptions) {
  std::string errors;
  EXPECT_EQ(api::Checker::FromYaml("rules: [{id: a, kind: nope}]", "p.yaml", &errors), nullptr);
  EXPECT_NE(errors.find("p.yaml:1:"), std::string::npos) << errors;
  auto checker = api::Checker::FromYaml("name: x\n", "p.yaml", &errors);
  ASSERT_NE(checker, nullptr);
  EXPECT_EQ(checker->CheckJson("{not json").verdict, api::Verdict::kError);
  const api::Report missing = checker->CheckJson(R"({"txt": "hi"})");
  EXPECT_EQ(missing.verdict, api::Verdict::kError);
  EXPECT_NE(missing.json.find("text"), std::string::npos) << missing.json;
}

TEST(CppApi, OneCheckerSharedByThreads) {
  std::string errors;
  auto checker = api::Checker::FromFile(testing::SourcePath("rules/default.yaml"), &errors);
  ASSERT_NE(checker, nullptr);
  std::vector<std::thread> threads;
  std::atomic<int> fails{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (checker->CheckJson(R"({"text": "TBD soon", "network": "x"})").verdict ==
            api::Verdict::kFail) {
          ++fails;
        }
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(fails.load(), 800);
}

TEST(CApi, RoundTripAndNullSafety) {
  char* error = nullptr;
  EXPECT_EQ(postlint_checker_new_from_yaml("rules: 3", "p.yaml", &error), nullptr);
  ASSERT_NE(error, nullptr);
  EXPECT_NE(std::string(error).find("p.yaml:1:8"), std::string::npos) << error;
  postlint_string_free(error);
  postlint_checker* c = postlint_checker_new_from_yaml(
      "rules:\n  - {id: no-x, kind: terms, level: error, banned: [x]}\n", "p.yaml", &error);
  ASSERT_NE(c, nullptr);
  int verdict = -1;
  char* report = postlint_check_json(c, R"({"text": "x marks"})", &verdict);
  EXPECT_EQ(verdict, POSTLINT_FAIL);
  EXPECT_EQ(nlohmann::json::parse(report)["findings"][0]["rule"], "no-x");
  postlint_string_free(report);
  report = postlint_check_json(c, nullptr, &verdict);
  EXPECT_EQ(verdict, POSTLINT_ERROR);
  postlint_string_free(report);
  char* policy = postlint_policy_json(c);
  EXPECT_EQ(nlohmann::json::parse(policy)["sha256"].get<std::string>().size(), 64u);
  postlint_string_free(policy);
  postlint_checker_free(c);
  postlint_checker_free(nullptr);
  EXPECT_STRNE(postlint_version(), "");
}

}  // namespace
}  // namespace postlint
