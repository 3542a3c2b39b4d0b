// postlint C++ API: compile a policy once, check posts, read the report.
//
//   std::string errors;
//   auto checker = postlint::api::Checker::FromFile("postlint.yaml", &errors);
//   if (!checker) { std::cerr << errors; return 2; }
//   postlint::api::Post post;
//   post.text = "Our new Iphone case is here";
//   post.networks = {"x"};
//   postlint::api::Report r = checker->Check(post);
//   if (r.verdict == postlint::api::Verdict::kFail) ...
//   for (const auto& f : r.findings) std::cout << f.line << ":" << f.column << " " << f.message;
//
// A Checker is immutable and thread-safe: share one across threads. This header depends only
// on the standard library, so embedding postlint does not pull in its dependencies' headers.
#ifndef POSTLINT_CHECKER_H_
#define POSTLINT_CHECKER_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#define POSTLINT_API __attribute__((visibility("default")))

namespace postlint::api {

enum class Verdict { kPass = 0, kFail = 1, kError = 2, kReview = 3 };  // = CLI exit codes

struct Post {
  std::string id;
  std::string text;
  std::vector<std::string> networks;
  std::string account, author, created_at, lang;
  std::optional<bool> sponsored;
  std::vector<std::string> alt_texts;
  std::map<std::string, std::string> labels;
};

struct Finding {
  std::string rule, kind, level, message;
  std::string excerpt;                      // masked for sensitive matches
  unsigned start = 0, end = 0;              // code points into the text, end exclusive
  unsigned utf16_start = 0, utf16_end = 0;  // the same in UTF-16 units
  unsigned line = 1, column = 1;            // 1-based, column in code points
  std::optional<std::string> fix;
  std::string network, type;
  std::string waiver;  // set when a waiver accepted the finding: it no longer counts
};

struct Report {
  Verdict verdict = Verdict::kPass;
  std::vector<Finding> findings;
  std::string json;  // the same object as `postlint check --format jsonl`
};

// How a Checker checks, fixed when it is made.
struct Options {
  // The team's decision log (docs/gate.md): its waivers and approvals apply to every check, as
  // they do for `postlint check`, re-read whenever someone appends. Empty: none.
  std::string decision_log;
  // No network: live link checks answer from the cache only; links not in it are unverifiable.
  bool offline = false;
  // Networks for posts that name none (before the policy's default_networks).
  std::vector<std::string> networks;
};

class POSTLINT_API Checker {
 public:
  // Loads and compiles a policy; nullptr on failure with every problem in *errors (also a
  // decision log or a network in `options` that cannot be used).
  static std::unique_ptr<Checker> FromFile(const std::string& path, std::string* errors);
  static std::unique_ptr<Checker> FromFile(const std::string& path, const Options& options,
                                           std::string* errors);
  static std::unique_ptr<Checker> FromYaml(const std::string& yaml, const std::string& name,
                                           std::string* errors);
  static std::unique_ptr<Checker> FromYaml(const std::string& yaml, const std::string& name,
                                           const Options& options, std::string* errors);
  ~Checker();
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;

  Report Check(const Post& post) const;
  // Checks a post given as a JSON object; a post that cannot be read gives Verdict::kError.
  Report CheckJson(const std::string& post_json) const;

  std::string policy_name() const;
  std::string policy_version() const;
  std::string policy_sha256() const;

  struct Impl;

 private:
  explicit Checker(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace postlint::api

#endif  // POSTLINT_CHECKER_H_
