// Test cases that live beside a policy, so teams change a policy the way they change code.
//
// acme.yaml's tests are in acme.tests.yaml:
//
//   tests:
//     - name: profanity is blocked
//       post: {text: "What the f*ck", network: x}     # any post fields; or `text:` alone
//       verdict: fail                                 # pass | review | fail
//       expect: [no-profanity]                        # rule ids that must fire
//       forbid: [spelling]                            # rule ids that must not fire
//       review_by: [editor]                           # roles it waits for (any order; [] none)
//
// RunPolicyTests() checks every case with the compiled policy and reports each mismatch.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "engine/engine.h"

namespace postlint {

struct PolicyTestCase {
  std::string name;
  std::string file;
  uint32_t line = 0;
  Post post;
  std::optional<Verdict> verdict;
  std::vector<std::string> expect;
  std::vector<std::string> forbid;
  // Roles the post must wait for at the gate (gate/gate.h), in any order; unset: not checked.
  std::optional<std::vector<std::string>> review_by;
};

struct PolicyTestOutcome {
  const PolicyTestCase* test = nullptr;
  bool passed = true;
  std::vector<std::string> expected;  // diff lines: what the test wanted ("-")
  std::vector<std::string> actual;    // what happened ("+")
};

// The tests file of `policy_path`: "<dir>/<stem>.tests.yaml" (empty when there is none).
std::string PolicyTestsPath(const std::string& policy_path);

// Loads test cases; problems (bad YAML, unknown keys, bad post fields, rule ids the policy
// does not have) go to `diags` with file:line:col.
std::vector<PolicyTestCase> LoadPolicyTests(const std::string& path, const Engine& engine,
                                            Diagnostics& diags);

std::vector<PolicyTestOutcome> RunPolicyTests(const Engine& engine,
                                              const std::vector<PolicyTestCase>& tests);

}  // namespace postlint
