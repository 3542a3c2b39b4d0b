// Runs rules the way the product does: policy YAML -> compiled engine -> findings. Rule tests
// go through the registry by kind id, so they also exercise option parsing and registration.
//
//   auto f = RunRule("terms", "banned: [damn]", "Well, damn.");
//   ASSERT_EQ(f.size(), 1u);
//   EXPECT_EQ(Excerpt(f[0]), "damn");
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/post.h"
#include "engine/engine.h"

namespace postlint::testing {

// Path of a file in the source tree.
std::string SourcePath(const std::string& relative);

// A post with `text` aimed at `networks` (none by default).
Post MakePost(const std::string& text, std::vector<std::string> networks = {});

// Compiles a policy that extends the shipped network limits and holds one rule of `kind` with
// the given options (YAML mapping body, flow or block style). Fails the test on problems.
std::shared_ptr<const Engine> CompileRule(const std::string& kind, const std::string& options_yaml,
                                          const std::string& level = "warning");

// Checks `post` with a one-rule policy and returns the rule's findings (not the engine's own).
std::vector<Finding> RunRule(const std::string& kind, const std::string& options_yaml,
                             const Post& post, const CheckOptions& check = {});
std::vector<Finding> RunRule(const std::string& kind, const std::string& options_yaml,
                             const std::string& text, std::vector<std::string> networks = {});

// Compiles a one-rule policy expecting failure; returns the diagnostics as text.
std::string RuleErrors(const std::string& kind, const std::string& options_yaml);

// The text of the post at a finding's range.
std::string Covered(const Post& post, const Finding& f);
std::string Covered(const std::string& text, const Finding& f);

}  // namespace postlint::testing
