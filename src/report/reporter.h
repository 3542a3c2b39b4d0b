// Reporters format results; they never re-run rules or re-read posts. One reporter per output
// format, chosen by name. Results arrive in input order; reporters may stream.
//
//   auto reporter = MakeReporter("jsonl", std::cout, {});
//   reporter->Begin(policy_info);
//   for (...) reporter->Add(result);
//   reporter->End(summary);
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/post_result.h"

namespace postlint {

struct ReporterOptions {
  bool color = false;         // ANSI colour (the CLI turns it on only for a TTY)
  bool show_passing = false;  // text: also list posts that passed without findings
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void Begin(const PolicyInfo& policy) = 0;
  virtual void Add(const PostResult& result) = 0;
  virtual void End(const RunSummary& summary) = 0;
};

// Names accepted by MakeReporter, for --help and error messages.
const std::vector<std::string>& ReporterNames();

// Returns nullptr when `format` is not one of ReporterNames(). `out` must outlive the reporter.
std::unique_ptr<Reporter> MakeReporter(std::string_view format, std::ostream& out,
                                       const ReporterOptions& options);

}  // namespace postlint
