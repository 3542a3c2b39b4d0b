// Live link-check throughput: N distinct URLs (default 10,000) against a local HTTP server on
// 127.0.0.1, checked through the engine by many worker threads, as `postlint audit` would.
// Prints URLs checked per second and the peak resident memory of the process (which includes
// the in-process test server). Standalone (not Google Benchmark), so bench/CMakeLists.txt adds
// it explicitly.
//
//   build/bench/links_bench [urls=10000] [workers=64] [host_concurrency=32]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "core/diagnostics.h"
#include "engine/engine.h"
#include "rules/links_test_server.h"

int main(int argc, char** argv) {
  using postlint::testing::TestServer;
  const int urls = argc > 1 ? std::atoi(argv[1]) : 10000;
  const int workers = argc > 2 ? std::atoi(argv[2]) : 64;
  const int host_concurrency = argc > 3 ? std::atoi(argv[3]) : 32;

  char dir[] = "/tmp/postlint-links-bench-XXXXXX";
  if (!mkdtemp(dir))
    return 2;
  setenv("POSTLINT_CACHE_DIR", dir, 1);
  unsetenv("POSTLINT_OFFLINE");

  TestServer server([](const TestServer::Request&) { return TestServer::Response{200}; });
  const std::string policy =
      "name: links-bench\nrules:\n  - id: links\n    kind: links\n"
      "    allow_ranges: [127.0.0.0/8]\n    host_interval_ms: 0\n    concurrency: 64\n"
      "    host_concurrency: " +
      std::to_string(host_concurrency) + "\n    timeout_ms: 5000\n";
  postlint::Diagnostics diags;
  auto engine = postlint::CompilePolicyString(policy, "bench.yaml", diags);
  if (!engine) {
    std::fprintf(stderr, "%s\n", diags.ToString().c_str());
    return 2;
  }
  std::vector<std::string> texts;
  texts.reserve(static_cast<size_t>(urls));
  for (int i = 0; i < urls; ++i)
    texts.push_back("Post " + std::to_string(i) + " " + server.Url("/p/" + std::to_string(i)));

  std::atomic<size_t> next{0};
  std::atomic<size_t> findings{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int w = 0; w < workers; ++w) {
    pool.emplace_back([&] {
      for (size_t i; (i = next++) < texts.size();) {
        postlint::Post post;
        post.id = std::to_string(i);
        post.text = texts[i];
        findings += engine->Check(std::move(post)).findings.size();
      }
    });
  }
  for (auto& t : pool)
    t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("links_bench: %d distinct URLs, %d workers, host_concurrency %d\n", urls, workers,
              host_concurrency);
  std::printf("  requests seen by server: %d, findings: %zu\n", server.requests(), findings.load());
  std::printf("  wall time: %.2f s, URLs checked per second: %.0f\n", seconds, urls / seconds);
  std::printf("  peak RSS: %.1f MiB (whole process, server included)\n",
              static_cast<double>(usage.ru_maxrss) / 1024.0);
  engine.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return findings.load() == 0 && server.requests() == urls ? 0 : 1;
}
