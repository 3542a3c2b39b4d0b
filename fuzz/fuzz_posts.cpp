// Fuzzes the readers, the analysis and the reporters: bytes in every input format, each post
// checked with the shipped default policy and formatted by every reporter.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "engine/engine.h"
#include "io/post_reader.h"
#include "report/reporter.h"

namespace {

std::shared_ptr<const postlint::Engine> DefaultEngine() {
  static auto engine = [] {
    postlint::Diagnostics diags;
    return postlint::CompilePolicyFile(postlint::DataDir() + "/default.yaml", diags);
  }();
  return engine;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace postlint;
  const std::string content(reinterpret_cast<const char*>(data), size);
  auto engine = DefaultEngine();
  if (!engine)
    __builtin_trap();
  for (InputFormat format : {InputFormat::kText, InputFormat::kJson, InputFormat::kJsonl}) {
    std::ostringstream out;
    std::vector<std::unique_ptr<Reporter>> reporters;
    for (const auto& name : ReporterNames())
      reporters.push_back(MakeReporter(name, out, {}));
    RunSummary summary;
    for (auto& r : reporters)
      r->Begin(engine->info());
    CheckOptions check;
    check.fallback_networks = {"x", "bluesky"};
    check.offline = true;  // a fuzzer never goes on the network
    ParsePosts(content, "fuzz.input", format, [&](InputRecord&& record) {
      if (std::holds_alternative<ReadWarning>(record))
        return;
      PostResult result = std::holds_alternative<Post>(record)
                              ? engine->Check(std::get<Post>(std::move(record)), check)
                              : Engine::ErrorResult(std::get<ReadError>(record));
      for (const auto& f : result.findings) {
        if (f.range.end > result.post.text.size() || f.range.begin > f.range.end)
          __builtin_trap();
      }
      summary.Add(result);
      for (auto& r : reporters)
        r->Add(result);
    });
    for (auto& r : reporters)
      r->End(summary);
  }
  return 0;
}
