#include "cli/common.h"

#include <filesystem>
#include <iostream>
#include <unistd.h>

#include "core/networks.h"

namespace postlint::cli {

std::shared_ptr<const Engine> LoadEngine(const std::string& explicit_policy) {
  const std::string path = explicit_policy.empty()
                               ? DiscoverPolicyPath(std::filesystem::current_path().string())
                               : explicit_policy;
  Diagnostics diags;
  auto engine = CompilePolicyFile(path, diags);
  if (!engine) {
    std::cerr << diags.ToString();
    std::cerr << "postlint: policy " << path << " has " << diags.size() << " problem"
              << (diags.size() == 1 ? "" : "s") << "; nothing was checked\n";
  }
  return engine;
}

bool ForEachRecord(const std::vector<std::string>& paths, const std::string& input_format,
                   const std::function<void(InputRecord&&)>& emit) {
  const auto format = ParseInputFormat(input_format);
  if (!format) {
    std::cerr << "postlint: unknown --input-format '" << input_format
              << "'; expected auto, text, json or jsonl\n";
    return false;
  }
  bool ok = true;
  std::vector<std::string> inputs = paths;
  if (inputs.empty()) {
    inputs.push_back("-");
    if (isatty(STDIN_FILENO)) {
      std::cerr << "postlint: reading a post from standard input (end with Ctrl-D); "
                   "pass file or directory paths to check drafts\n";
    }
  }
  std::vector<std::string> missing;
  const std::vector<std::string> files = ExpandInputPaths(inputs, &missing);
  for (const auto& m : missing) {
    std::cerr << "postlint: " << m << ": no such file or directory\n";
    ok = false;
  }
  for (const auto& file : files) {
    ReadPosts(file, *format, [&](InputRecord&& record) {
      if (std::holds_alternative<ReadError>(record))
        ok = false;
      emit(std::move(record));
    });
  }
  return ok;
}

int ExitCodeFor(const RunSummary& summary, bool inputs_ok) {
  auto count = [&](Verdict v) {
    const auto it = summary.verdicts.find(v);
    return it == summary.verdicts.end() ? uint64_t{0} : it->second;
  };
  if (!inputs_ok || count(Verdict::kError) > 0)
    return kExitError;
  if (count(Verdict::kFail) > 0)
    return kExitFail;
  return count(Verdict::kReview) > 0 ? kExitReview : kExitPass;
}

std::vector<std::string> ParseNetworkList(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    size_t start = 0;
    while (start <= v.size()) {
      const size_t comma = v.find(',', start);
      const std::string item =
          v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!item.empty())
        out.push_back(CanonicalNetworkName(item));
      if (comma == std::string::npos)
        break;
      start = comma + 1;
    }
  }
  return out;
}

}  // namespace postlint::cli
