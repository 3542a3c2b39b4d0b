// Issue 15: hostile policies. YAML aliases are capped before a tree is used (policies, front
// matter, policy tests, word lists); `extends` reads only shipped packs, the extending file's
// own directory and the policy path, each file once; files, patterns and their programs are
// capped. An error names the file, line and column and never shows another file's contents.
#include "policy/policy_limits.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <variant>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/yaml_limits.h"
#include "engine/engine.h"
#include "policy/policy.h"
#include "support/reader_harness.h"

namespace postlint {
// Named, not anonymous: unity builds put several test files in one translation unit.
namespace policy_limits_test {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

class Dir {
 public:
  Dir() {
    std::string pattern = (fs::temp_directory_path() / "postlint-policy-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~Dir() { fs::remove_all(path_); }
  Dir(const Dir&) = delete;
  Dir& operator=(const Dir&) = delete;
  std::string Write(const std::string& name, const std::string& content) const {
    const fs::path p = fs::path(path_) / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  std::string operator/(const std::string& name) const { return (fs::path(path_) / name).string(); }

 private:
  std::string path_;
};

// Nine levels of nine aliases: 9^9 strings in 10 lines.
std::string BillionLaughs(const std::string& indent = "") {
  std::string yaml = indent + "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 9; ++i) {
    yaml += indent + "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int j = 0; j < 9; ++j)
      yaml += (j ? ", *l" : "*l") + std::to_string(i - 1);
    yaml += "]\n";
  }
  return yaml;
}

std::string Load(const std::string& path, const PolicyLoadOptions& options = {}) {
  Diagnostics diags;
  CompileOptions compile;
  compile.load = options;
  const auto engine = CompilePolicyFile(path, diags, compile);
  return engine ? "" : diags.ToString();
}

TEST(YamlLimits, CountsAliasesAndExpandedNodes) {
  EXPECT_FALSE(CheckYamlLimits(YAML::Load("a: &x [1, 2]\nb: *x\nc: *x\n")));
  YamlLimits tight;
  tight.max_aliases = 1;
  auto problem = CheckYamlLimits(YAML::Load("a: &x [1, 2]\nb: *x\nc: *x\n"), tight);
  ASSERT_TRUE(problem);
  EXPECT_THAT(problem->message, HasSubstr("more than 1 aliases"));
  tight = YamlLimits{};
  tight.max_nodes = 10;
  problem = CheckYamlLimits(YAML::Load("a: &x [1, 2, 3]\nb: *x\nc: *x\n"), tight);
  ASSERT_TRUE(problem);
  EXPECT_THAT(problem->message, HasSubstr("more than 10 nodes"));
  // An alias inside its own anchor never ends: refused, not walked for ever.
  EXPECT_TRUE(CheckYamlLimits(YAML::Load("&a [*a]")));
}

TEST(YamlLimits, BillionLaughsPolicyIsRefusedQuickly) {
  const auto start = std::chrono::steady_clock::now();
  Diagnostics diags;
  const auto engine = CompilePolicyString(
      "name: lol\n" + BillionLaughs() + "rules:\n  - {id: lol, kind: terms, banned: *l8}\n",
      "lol.yaml", diags);
  EXPECT_EQ(engine, nullptr);
  EXPECT_THAT(diags.ToString(), HasSubstr("lol.yaml:"));
  EXPECT_THAT(diags.ToString(), HasSubstr("expands to more than 200,000 nodes"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(YamlLimits, ThousandAliasesAreTheMost) {
  std::string yaml = "name: t\nx: &x a\ny: [";
  for (int i = 0; i < 1001; ++i)
    yaml += i ? ", *x" : "*x";
  Diagnostics diags;
  EXPECT_EQ(CompilePolicyString(yaml + "]\n", "t.yaml", diags), nullptr);
  EXPECT_THAT(diags.ToString(),
              HasSubstr("t.yaml:2:4: error: the YAML uses more than 1,000 aliases"));
}

TEST(YamlLimits, FrontMatterBombIsOneReadError) {
  const auto records =
      testing::Parse("---\nlabels:\n" + BillionLaughs("  ") + "---\nHello\n", "lol.md");
  ASSERT_EQ(records.size(), 1u);
  const auto& error = std::get<ReadError>(records[0]);
  EXPECT_THAT(error.message, HasSubstr("front matter: the YAML expands to more than 200,000"));
  EXPECT_GT(error.line, 1u);
}

TEST(ExtendsRoots, FilesOutsideTheAllowedDirectoriesAreNeverRead) {
  Dir dir;
  dir.Write("private/keys.yaml", "SECRET-TOKEN-f00d: 1\n");
  dir.Write("team/link.yaml", "");
  fs::remove(dir / "team/link.yaml");
  fs::create_symlink(dir / "private/keys.yaml", dir / "team/link.yaml");
  const std::string policy = dir.Write(
      "team/p.yaml",
      "name: p\nextends:\n  - /etc/shadow\n  - ../private/keys.yaml\n  - link.yaml\n  - " +
          (dir / "private/keys.yaml") + "\n");
  const std::string errors = Load(policy);
  EXPECT_THAT(errors, HasSubstr("p.yaml:3:5: error: policy '/etc/shadow' is outside the "
                                "directories 'extends' may read"));
  EXPECT_THAT(errors, HasSubstr("p.yaml:4:5: error: policy '../private/keys.yaml' is outside"));
  EXPECT_THAT(errors, HasSubstr("p.yaml:5:5: error: policy 'link.yaml' is outside"))
      << "a symbolic link is followed before the check";
  EXPECT_THAT(errors, HasSubstr("p.yaml:6:5: error: policy '" + (dir / "private/keys.yaml")));
  EXPECT_THAT(errors, HasSubstr("$POSTLINT_POLICY_PATH (--policy-path)"));
  EXPECT_THAT(errors, Not(HasSubstr("SECRET-TOKEN")));
  EXPECT_THAT(errors, Not(HasSubstr("/etc/shadow:")));
}

TEST(ExtendsRoots, OwnDirectoryPolicyPathAndShippedPacks) {
  Dir dir;
  dir.Write("team/sub/base.yaml", "name: base\nextends: [networks]\n");
  dir.Write("shared/acme-base.yaml", "name: acme-base\n");
  dir.Write("shared/lists/common.yaml", "name: common\n");
  const std::string policy =
      dir.Write("team/p.yaml", "name: p\nextends: [sub/base.yaml, acme-base, lists/common.yaml]\n");
  // Without the policy path, the shared files are not found.
  EXPECT_THAT(Load(policy), HasSubstr("cannot find policy 'acme-base' to extend"));
  PolicyLoadOptions options;
  options.policy_path = {dir / "shared"};
  EXPECT_EQ(Load(policy, options), "");
  Diagnostics diags;
  const auto loaded = LoadPolicyFile(policy, diags, options);
  ASSERT_TRUE(loaded) << diags.ToString();
  ASSERT_EQ(loaded->files.size(), 5u);
  EXPECT_THAT(loaded->files[0], HasSubstr("networks.yaml"));
  EXPECT_EQ(loaded->files[4], policy);
  // Names and paths of the policy path, absolute ones too.
  const std::string absolute =
      dir.Write("team/q.yaml", "name: q\nextends: ['" + (dir / "shared/acme-base.yaml") + "']\n");
  EXPECT_THAT(Load(absolute), HasSubstr("is outside"));
  EXPECT_EQ(Load(absolute, options), "");
}

TEST(ExtendsRoots, OnlyPolicyFilesMayBeExtended) {
  Dir dir;
  dir.Write("team/notes.txt", "password: hunter2\n");
  const std::string policy = dir.Write("team/p.yaml", "name: p\nextends: [./notes.txt]\n");
  const std::string errors = Load(policy);
  EXPECT_THAT(errors, HasSubstr("p.yaml:2:11: error: cannot extend './notes.txt': 'extends' "
                                "names shipped packs and policy files ending in .yaml or .yml"));
  EXPECT_THAT(errors, Not(HasSubstr("hunter2")));
}

TEST(ExtendsRoots, DevicesAreNotPolicies) {
  Dir dir;
  // A .yaml name in the policy's directory that is a device: refused without reading it.
  const std::string link = dir / "team/zero.yaml";
  fs::create_directories(dir / "team");
  fs::create_symlink("/dev/zero", link);
  const std::string policy = dir.Write("team/p.yaml", "name: p\nextends: [zero.yaml]\n");
  EXPECT_THAT(Load(policy), HasSubstr("is outside")) << "/dev is no allowed directory";
  std::string content;
  std::string error;
  EXPECT_FALSE(ReadPolicyFile("/dev/zero", &content, &error));
  EXPECT_THAT(error, HasSubstr("not a regular file"));
}

TEST(ExtendsLimits, EachFileLoadsOnceSoAFanOutStaysLinear) {
  Dir dir;
  constexpr int kFiles = 14;
  std::string root = "name: root\nextends: [";
  for (int i = 1; i <= kFiles; ++i) {
    std::string later;
    for (int j = i + 1; j <= kFiles; ++j)
      later += (later.empty() ? "" : ", ") + ("f" + std::to_string(j) + ".yaml");
    dir.Write("f" + std::to_string(i) + ".yaml",
              "name: f" + std::to_string(i) + "\nextends: [" + later + "]\nrules:\n  - {id: r" +
                  std::to_string(i) + ", kind: terms, banned: [w" + std::to_string(i) + "]}\n");
    root += (i > 1 ? ", f" : "f") + std::to_string(i) + ".yaml";
  }
  const std::string policy = dir.Write("root.yaml", root + "]\n");
  const auto start = std::chrono::steady_clock::now();
  Diagnostics diags;
  const auto loaded = LoadPolicyFile(policy, diags);
  ASSERT_TRUE(loaded) << diags.ToString();
  EXPECT_TRUE(diags.empty()) << diags.ToString();
  EXPECT_EQ(loaded->files.size(), static_cast<size_t>(kFiles + 1)) << "not 2^14 loads";
  EXPECT_EQ(loaded->rules.size(), static_cast<size_t>(kFiles));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  // A diamond: base is loaded once, before both sides.
  dir.Write("d/base.yaml", "name: base\nrules:\n  - {id: b, kind: terms, banned: [x]}\n");
  dir.Write("d/left.yaml", "name: left\nextends: [base.yaml]\n");
  dir.Write("d/right.yaml",
            "name: right\nextends: [base.yaml]\nrules:\n  - {id: b, level: error}\n");
  const auto diamond =
      LoadPolicyFile(dir.Write("d/top.yaml", "extends: [left.yaml, right.yaml]\n"), diags);
  ASSERT_TRUE(diamond);
  EXPECT_EQ(diamond->files.size(), 4u);
  ASSERT_EQ(diamond->rules.size(), 1u);
  EXPECT_EQ(diamond->rules[0].level, Level::kError) << "base is not loaded again after right";
}

TEST(ExtendsLimits, AtMost64FilesAnd16Deep) {
  Dir dir;
  std::string wide = "name: wide\nextends: [";
  for (int i = 0; i < 70; ++i) {
    dir.Write("w/f" + std::to_string(i) + ".yaml", "name: f\n");
    wide += (i ? ", f" : "f") + std::to_string(i) + ".yaml";
  }
  EXPECT_THAT(Load(dir.Write("w/wide.yaml", wide + "]\n")),
              HasSubstr("policy loads more than 64 files through 'extends'"));
  for (int i = 0; i < 20; ++i) {
    dir.Write("c/c" + std::to_string(i) + ".yaml",
              "name: c\nextends: [c" + std::to_string(i + 1) + ".yaml]\n");
  }
  dir.Write("c/c20.yaml", "name: end\n");
  EXPECT_THAT(Load(dir / "c/c0.yaml"), HasSubstr("chain is deeper than 16 files"));
}

TEST(PolicyLimits, FileSizeIsCapped) {
  Dir dir;
  const std::string big = dir.Write("big.yaml", "name: big\n# " + std::string(9 << 20, 'x') + "\n");
  EXPECT_THAT(Load(big), HasSubstr("big.yaml: error: policy file is 9.0 MiB; a policy file may "
                                   "be at most 8 MiB"));
  Diagnostics diags;
  EXPECT_FALSE(
      LoadPolicyString("name: big\n# " + std::string(9 << 20, 'x') + "\n", "s.yaml", diags));
  EXPECT_THAT(diags.ToString(), HasSubstr("a policy may be at most 8 MiB"));
}

TEST(PolicyLimits, PatternsAreCappedAndNeverEchoedWhole) {
  std::string words;
  for (int i = 0; words.size() < (3u << 20); ++i)
    words += (i ? "|w" : "w") + std::to_string(i) + "x";
  Diagnostics diags;
  auto engine = CompilePolicyString(
      "name: big\nrules:\n  - id: big\n    kind: pattern\n    patterns:\n      - '" + words + "'\n",
      "big.yaml", diags);
  EXPECT_EQ(engine, nullptr);
  const std::string text = diags.ToString();
  EXPECT_THAT(text, HasSubstr("big.yaml:6:9: error: rule 'big': this pattern is 3"));
  EXPECT_THAT(text, HasSubstr("MiB; a pattern may be at most 64 KiB"));
  EXPECT_LT(text.size(), 1000u) << "the pattern is not shown";

  // Each under 64 KiB, 1 MiB in all.
  std::string yaml = "name: many\nrules:\n";
  const std::string chunk(60 << 10, 'a');
  for (int i = 0; i < 18; ++i)
    yaml += "  - {id: p" + std::to_string(i) + ", kind: pattern, patterns: ['" + chunk + "']}\n";
  diags = Diagnostics();
  EXPECT_EQ(CompilePolicyString(yaml, "many.yaml", diags), nullptr);
  EXPECT_THAT(diags.ToString(), HasSubstr("many.yaml:20:41: error: rule 'p17': the policy's "
                                          "patterns add up to more than 1 MiB"));
  EXPECT_EQ(diags.size(), 1u) << diags.ToString();
}

TEST(PolicyLimits, PatternProgramSizeIsCapped) {
  Diagnostics diags;
  // Small to write, large to run: 200 copies of the class of every letter.
  auto engine = CompilePolicyString(
      "name: p\nrules:\n  - {id: big, kind: pattern, patterns: ['\\pL{200}', '\\pL{20}']}\n",
      "p.yaml", diags);
  EXPECT_EQ(engine, nullptr);
  EXPECT_THAT(diags.ToString(),
              HasSubstr("p.yaml:3:41: error: rule 'big': pattern '\\pL{200}' compiles to "));
  EXPECT_THAT(diags.ToString(), HasSubstr("RE2 instructions; a pattern may compile to at most "
                                          "100000"));
  EXPECT_EQ(diags.size(), 1u) << diags.ToString();
}

}  // namespace policy_limits_test
}  // namespace postlint
