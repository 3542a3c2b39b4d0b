// Throughput of analysis and rules on a generated corpus (../shared/bench/gen_posts.py).
//
//   bench/run.sh                 # generates the corpus, builds, runs, prints posts/second
//   POSTLINT_BENCH_CORPUS=posts.jsonl build/bench/postlint_bench
//
// Each benchmark first runs once and checks its result against a second untimed run (same
// finding count, non-empty corpus) so a broken build cannot report a fast, wrong number.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <benchmark/benchmark.h>

#include "analysis/analyzed_post.h"
#include "engine/engine.h"
#include "io/post_reader.h"

namespace postlint {
namespace {

const std::vector<Post>& Corpus() {
  static const std::vector<Post> posts = [] {
    const char* env = std::getenv("POSTLINT_BENCH_CORPUS");
    const std::string path = env ? env : "bench-corpus.jsonl";
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::vector<Post> out;
    ParsePosts(buffer.str(), path, InputFormat::kJsonl, [&](InputRecord&& r) {
      if (auto* p = std::get_if<Post>(&r))
        out.push_back(std::move(*p));
    });
    if (out.empty()) {
      std::cerr << "no posts in " << path
                << "; generate a corpus with bench/run.sh or set POSTLINT_BENCH_CORPUS\n";
    }
    return out;
  }();
  return posts;
}

size_t TotalBytes() {
  size_t n = 0;
  for (const auto& p : Corpus())
    n += p.text.size();
  return n;
}

std::shared_ptr<const Engine> EngineFor(const std::string& policy_path) {
  Diagnostics diags;
  auto engine = CompilePolicyFile(policy_path, diags);
  if (!engine)
    std::cerr << diags.ToString();
  return engine;
}

// Benchmarks measure checking, never the network: live link checks answer from the cache.
const CheckOptions& Offline() {
  static const CheckOptions options = [] {
    CheckOptions o;
    o.offline = true;
    return o;
  }();
  return options;
}

size_t CountFindings(const Engine& engine) {
  size_t n = 0;
  for (const auto& p : Corpus())
    n += engine.Check(p, Offline()).findings.size();
  return n;
}

void RunEngine(benchmark::State& state, const std::string& policy) {
  auto engine = EngineFor(policy);
  if (!engine || Corpus().empty()) {
    state.SkipWithError("no engine or no corpus");
    return;
  }
  const size_t expected = CountFindings(*engine);
  if (CountFindings(*engine) != expected) {
    state.SkipWithError("results differ between runs");
    return;
  }
  for (auto _ : state) {
    size_t findings = 0;
    for (const auto& p : Corpus())
      findings += engine->Check(p, Offline()).findings.size();
    benchmark::DoNotOptimize(findings);
  }
  state.counters["findings"] = static_cast<double>(expected);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * Corpus().size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
}

std::string Root(const std::string& rel) {
  return std::string(POSTLINT_SOURCE_ROOT) + "/" + rel;
}

void BM_AnalyzeAllViews(benchmark::State& state) {
  if (Corpus().empty()) {
    state.SkipWithError("no corpus");
    return;
  }
  for (auto _ : state) {
    uint64_t sink = 0;
    for (const auto& p : Corpus()) {
      AnalyzedPost a(p);
      sink += a.entities().size() + a.Length(LengthUnit::kXWeighted) +
              a.Length(LengthUnit::kGraphemes) + a.folded().text().size() +
              a.word_boundaries().size();
    }
    benchmark::DoNotOptimize(sink);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * Corpus().size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
}
BENCHMARK(BM_AnalyzeAllViews)->Unit(benchmark::kMillisecond);

void BM_DefaultPolicy(benchmark::State& state) {
  RunEngine(state, Root("rules/default.yaml"));
}
BENCHMARK(BM_DefaultPolicy)->Unit(benchmark::kMillisecond);

void BM_NetworkRulesOnly(benchmark::State& state) {
  RunEngine(state, Root("bench/policies/network-rules.yaml"));
}
BENCHMARK(BM_NetworkRulesOnly)->Unit(benchmark::kMillisecond);

void BM_TermsRule(benchmark::State& state) {
  RunEngine(state, Root("bench/policies/terms.yaml"));
}
BENCHMARK(BM_TermsRule)->Unit(benchmark::kMillisecond);

// The shipped profanity pack alone: two lexicon rules (strong and mild) over the en, it, lv and
// hr lists, every evasion undone.
void BM_ProfanityPack(benchmark::State& state) {
  RunEngine(state, Root("rules/profanity.yaml"));
}
BENCHMARK(BM_ProfanityPack)->Unit(benchmark::kMillisecond);

// The shipped confidential-data pack: six detector rules (secrets, payment and identity
// numbers, contact details, internal network, placeholders), each running every detector.
void BM_DetectorPack(benchmark::State& state) {
  RunEngine(state, Root("rules/confidential.yaml"));
}
BENCHMARK(BM_DetectorPack)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace postlint

BENCHMARK_MAIN();
