// Live checks of the links rule against HTTP servers on 127.0.0.1 (links_test_server.h). Never
// touches the internet: test hosts are mapped to 127.0.0.1 with the `resolve` option, and the
// results cache lives in a temporary directory (POSTLINT_CACHE_DIR).
#include <chrono>
#include <filesystem>
#include <sstream>
#include <stdlib.h>
#include <thread>

#include <gtest/gtest.h>

#include "links/checker.h"
#include "rules/links_test_server.h"
#include "support/rule_harness.h"

namespace postlint {
namespace {

using Clock = std::chrono::steady_clock;
using testing::Covered;
using testing::MakePost;
using testing::RunRule;
using testing::TestServer;

// A policy for tests: short timeouts and waits, loopback allowed, no spacing.
const std::string kBase =
    "timeout_ms: 300\nconnect_timeout_ms: 300\nretry_wait_ms: 20\n"
    "host_interval_ms: 0\nhost_concurrency: 8\n";
const std::string kLoopback = kBase +
                              "allow_ranges: [127.0.0.0/8]\n"
                              "resolve: {s.postlint-test.com: 127.0.0.1}\n"
                              "shortener_domains: [s.postlint-test.com]\n";

class LinksLive : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/postlint-links-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    cache_dir_ = dir;
    setenv("POSTLINT_CACHE_DIR", dir, 1);
  }
  void TearDown() override {
    unsetenv("POSTLINT_CACHE_DIR");
    std::error_code ec;
    std::filesystem::remove_all(cache_dir_, ec);
  }
  // The test policy with `extra` options; an option in `extra` replaces the base one (a policy
  // may not repeat a key).
  std::vector<Finding> Run(const std::string& text, const std::string& extra = "",
                           const CheckOptions& check = {}) {
    std::string options;
    std::istringstream base(kLoopback + "retries: 2\n");
    for (std::string line; std::getline(base, line);) {
      const std::string key = line.substr(0, line.find(':') + 1);
      if (("\n" + extra).find("\n" + key) == std::string::npos)
        options += line + "\n";
    }
    return RunRule("links", options + extra, MakePost(text), check);
  }
  std::string cache_dir_;
};

TestServer::Response Redirect(int status, const std::string& to) {
  return {status, {{"Location", to}}, ""};
}

// Routes shared by most tests.
TestServer::Response Routes(const TestServer::Request& r) {
  const std::string& p = r.path;
  if (p == "/ok" || p == "/landing" || p.rfind("/page/", 0) == 0)
    return {200};
  if (p == "/gone")
    return {410};
  if (p == "/r1")
    return Redirect(301, "/r2");
  if (p == "/r2")
    return Redirect(302, "/ok");
  if (p == "/c1")
    return Redirect(301, "/c2");
  if (p == "/c2")
    return Redirect(302, "/nope");
  if (p == "/abc")
    return Redirect(301, "/landing");
  if (p == "/loop-a")
    return Redirect(302, "/loop-b");
  if (p == "/loop-b")
    return Redirect(302, "/loop-a");
  if (p == "/slow")
    return {200, {}, "late", 2000};
  if (p == "/endless")
    return {200, {}, "", 0, true};
  if (p.rfind("/campaign", 0) == 0)
    return Redirect(301, "/landing");
  if (p == "/always-503")
    return {503};
  return {404};
}

TEST_F(LinksLive, Ok200HasNoFinding) {
  TestServer server(Routes);
  EXPECT_TRUE(Run("Launch: " + server.Url("/ok")).empty());
  EXPECT_EQ(server.requests(), 1);
}

TEST_F(LinksLive, NotFound404AndGone410AreBroken) {
  TestServer server(Routes);
  const std::string url = server.Url("/missing");
  const std::string text = "See " + url + " today";
  auto f = Run(text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "broken");
  EXPECT_EQ(f[0].level, Level::kError);  // default mapping, whatever the rule's level
  EXPECT_EQ(Covered(text, f[0]), url);
  EXPECT_EQ(f[0].message,
            "Broken link: 127.0.0.1:" + std::to_string(server.port()) + "/missing → 404 Not Found");
  auto gone = Run(server.Url("/gone"));
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].type, "broken");
  EXPECT_NE(gone[0].message.find("410 Gone"), std::string::npos);
}

TEST_F(LinksLive, PolicySetsTheLevelOfEachOutcome) {
  TestServer server(Routes);
  auto broken = Run(server.Url("/missing"), "broken_level: rule");
  ASSERT_EQ(broken.size(), 1u);
  EXPECT_EQ(broken[0].level, Level::kWarning);  // the rule's own level in the harness
  auto unverifiable = Run(server.Url("/always-503"), "unverifiable_level: info\nretries: 0");
  ASSERT_EQ(unverifiable.size(), 1u);
  EXPECT_EQ(unverifiable[0].level, Level::kInfo);
}

TEST_F(LinksLive, ChecksOverTheRequestBudgetAreReportedPending) {
  TestServer server(Routes);
  std::string options = kLoopback;
  options.replace(options.find("timeout_ms: 300"), 15, "timeout_ms: 5000");
  auto engine = testing::CompileRule("links", options);
  ASSERT_TRUE(engine);
  // /slow answers after 2 s: a pending finding proves the check stopped waiting at the budget.
  CheckOptions budget;
  budget.live_deadline = Clock::now() + std::chrono::milliseconds(1000);
  auto f = engine->Check(MakePost(server.Url("/slow") + " " + server.Url("/ok")), budget).findings;
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "pending");
  EXPECT_EQ(f[0].level, Level::kInfo);
}

TEST_F(LinksLive, StrictModeIgnoresPolicyAllowances) {
  TestServer server(Routes);
  Diagnostics diags;
  CompileOptions strict;
  strict.strict_addresses = true;
  auto engine = CompilePolicyString(
      "name: t\nrules:\n  - id: under-test\n    kind: links\n"
      "    allow_ranges: [127.0.0.0/8]\n    timeout_ms: 300\n",
      "strict.yaml", diags, strict);
  ASSERT_TRUE(engine) << diags.ToString();
  auto f = engine->Check(MakePost(server.Url("/ok"))).findings;
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(server.requests(), 0);  // the loopback allowance of the test policy was ignored
}

TEST_F(LinksLive, RedirectChainEndingIn200IsFine) {
  TestServer server(Routes);
  EXPECT_TRUE(Run(server.Url("/r1")).empty());
  EXPECT_EQ(server.paths(), (std::vector<std::string>{"/r1", "/r2", "/ok"}));
}

TEST_F(LinksLive, RedirectChainEndingIn404ShowsTheChain) {
  TestServer server(Routes);
  auto f = Run(server.Url("/c1"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "broken");
  const std::string h = "127.0.0.1:" + std::to_string(server.port());
  EXPECT_EQ(f[0].message,
            "Broken link: " + h + "/c1 → " + h + "/c2 → " + h + "/nope → 404 Not Found");
}

TEST_F(LinksLive, ShortenerIsExpandedWithHeadAndChecked) {
  TestServer server(Routes);
  auto f = Run(server.Url("/abc", "s.postlint-test.com"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "shortener");
  EXPECT_EQ(server.paths(), (std::vector<std::string>{"/abc", "/landing"}));
  // A shortener hiding a dead page.
  TestServer dead([](const TestServer::Request& r) {
    if (r.path == "/x")
      return r.method == "HEAD" ? Redirect(301, "/launch") : TestServer::Response{500};
    return TestServer::Response{404};
  });
  auto b = Run(dead.Url("/x", "s.postlint-test.com"), "report: [broken]");
  ASSERT_EQ(b.size(), 1u);
  const std::string port = std::to_string(dead.port());
  EXPECT_EQ(b[0].message, "Broken link: s.postlint-test.com:" + port +
                              "/x → s.postlint-test.com:" + port + "/launch → 404 Not Found");
}

TEST_F(LinksLive, RedirectLoopIsBroken) {
  TestServer server(Routes);
  auto f = Run(server.Url("/loop-a"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "broken");
  EXPECT_NE(f[0].message.find("redirect loop"), std::string::npos) << f[0].message;
  EXPECT_EQ(server.requests(), 2);
}

TEST_F(LinksLive, TooManyRedirects) {
  TestServer server([](const TestServer::Request& r) {
    const int n = std::stoi(r.path.substr(1));
    return Redirect(302, "/" + std::to_string(n + 1));
  });
  auto f = Run(server.Url("/0"), "max_redirects: 3");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("more than 3 redirects"), std::string::npos) << f[0].message;
  EXPECT_EQ(server.requests(), 4);
}

TEST_F(LinksLive, TooManyRequestsWithRetryAfterThen200) {
  std::atomic<int> calls{0};
  TestServer server([&](const TestServer::Request&) {
    return calls++ == 0 ? TestServer::Response{429, {{"Retry-After", "1"}}, ""}
                        : TestServer::Response{200};
  });
  const auto start = Clock::now();
  EXPECT_TRUE(Run(server.Url("/limited")).empty());
  EXPECT_EQ(server.requests(), 2);
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(950));  // waited as asked
}

TEST_F(LinksLive, RetryAfterBeyondTheCapIsUnverifiable) {
  TestServer server([](const TestServer::Request&) {
    return TestServer::Response{429, {{"Retry-After", "3600"}}, ""};
  });
  auto f = Run(server.Url("/limited"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "unverifiable");
  EXPECT_NE(f[0].message.find("429 Too Many Requests"), std::string::npos) << f[0].message;
  EXPECT_EQ(server.requests(), 1);
}

TEST_F(LinksLive, ServiceUnavailableThen200) {
  std::atomic<int> calls{0};
  TestServer server([&](const TestServer::Request&) {
    return calls++ == 0 ? TestServer::Response{503} : TestServer::Response{200};
  });
  EXPECT_TRUE(Run(server.Url("/flaky")).empty());
  EXPECT_EQ(server.requests(), 2);
}

TEST_F(LinksLive, TransientFailuresAreRetriedThenUnverifiableAndNeverCached) {
  TestServer server(Routes);
  auto f = Run(server.Url("/always-503"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "unverifiable");
  EXPECT_EQ(f[0].level, Level::kWarning);
  EXPECT_EQ(f[0].message, "Could not verify link: 127.0.0.1:" + std::to_string(server.port()) +
                              "/always-503 → 503 Service Unavailable (3 attempts)");
  EXPECT_EQ(server.requests(), 3);
  Run(server.Url("/always-503"));
  EXPECT_EQ(server.requests(), 6);  // not cached
}

TEST_F(LinksLive, SlowResponseHitsTheTimeout) {
  TestServer server(Routes);
  const auto start = Clock::now();
  auto f = Run(server.Url("/slow"), "retries: 1");  // 2 attempts of 300 ms
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "unverifiable");
  EXPECT_NE(f[0].message.find("timed out after 300 ms, 2 attempts"), std::string::npos)
      << f[0].message;
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(1500));
}

TEST_F(LinksLive, EndlessBodyStopsAtTheCap) {
  TestServer server(Routes);
  const auto start = Clock::now();
  EXPECT_TRUE(Run(server.Url("/endless"), "max_body_bytes: 4096").empty());
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(300));
}

TEST_F(LinksLive, RedirectThatDropsUtmParameters) {
  TestServer server(Routes);
  const std::string url = server.Url("/campaign?utm_source=x&utm_medium=social&utm_campaign=l");
  auto f = Run("Launch " + url);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "utm_dropped");
  EXPECT_NE(f[0].message.find("the redirect drops utm_source, utm_medium, utm_campaign"),
            std::string::npos)
      << f[0].message;
}

TEST_F(LinksLive, RedirectsIntoLoopbackOrMetadataAreRefused) {
  TestServer server([&](const TestServer::Request& r) {
    if (r.path == "/to-loopback")
      return Redirect(302, "http://127.0.0.1:1/secret");
    if (r.path == "/to-metadata")
      return Redirect(302, "http://169.254.169.254/latest/meta-data/");
    if (r.path == "/to-mapped")
      return Redirect(302, "http://[::ffff:127.0.0.1]:1/");
    return TestServer::Response{200};
  });
  // The policy trusts this one host name (mapped to 127.0.0.1), not loopback addresses.
  const std::string opts = kBase +
                           "allow_hosts: [ok.postlint-test.com]\n"
                           "resolve: {ok.postlint-test.com: 127.0.0.1}\n";
  auto loopback = RunRule("links", opts, server.Url("/to-loopback", "ok.postlint-test.com"));
  ASSERT_EQ(loopback.size(), 1u);
  EXPECT_EQ(loopback[0].type, "unsafe");
  EXPECT_NE(loopback[0].message.find("redirect refused: 127.0.0.1 (loopback); not fetched"),
            std::string::npos)
      << loopback[0].message;
  auto metadata = RunRule("links", opts, server.Url("/to-metadata", "ok.postlint-test.com"));
  ASSERT_EQ(metadata.size(), 1u);
  EXPECT_EQ(metadata[0].type, "unsafe");
  EXPECT_NE(metadata[0].message.find("169.254.169.254 (cloud metadata)"), std::string::npos)
      << metadata[0].message;
  auto mapped = RunRule("links", opts, server.Url("/to-mapped", "ok.postlint-test.com"));
  ASSERT_EQ(mapped.size(), 1u);
  EXPECT_EQ(mapped[0].type, "unsafe");
  EXPECT_EQ(server.paths(),
            (std::vector<std::string>{"/to-loopback", "/to-metadata", "/to-mapped"}));
}

TEST_F(LinksLive, NameResolvingToLoopbackIsRefusedAtTheSocket) {
  TestServer server(Routes);
  // DNS says 127.0.0.1 (rebinding): only the socket-level check can see it.
  auto f = RunRule("links", kBase + "resolve: {rebind.postlint-test.com: 127.0.0.1}",
                   server.Url("/ok", "rebind.postlint-test.com"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "unsafe");
  EXPECT_NE(f[0].message.find("rebind.postlint-test.com resolves to 127.0.0.1 (loopback)"),
            std::string::npos)
      << f[0].message;
  EXPECT_EQ(server.requests(), 0);
}

TEST_F(LinksLive, IpSpellingsAreRefusedByDefaultAndNeverRequested) {
  TestServer server(Routes);
  const std::string port = std::to_string(server.port());
  const std::vector<std::string> urls = {"http://2130706433:" + port + "/",
                                         "http://0x7f.1:" + port + "/",
                                         "http://[::ffff:127.0.0.1]:" + port + "/"};
  // The rule with the default policy: internal-address findings, nothing fetched.
  for (const auto& url : urls) {
    SCOPED_TRACE(url);
    auto f = RunRule("links", "", "Try " + url);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].type, "internal");
  }
  // The checker itself (defence in depth): refused before connecting.
  links::CheckerConfig config;
  config.cache = false;
  links::LinkChecker checker(config);
  for (const auto& url : urls) {
    std::string error;
    const links::Observation o = checker.Check(url).get();
    EXPECT_EQ(o.outcome, links::Outcome::kBlocked) << url;
    EXPECT_NE(o.error.find("loopback"), std::string::npos) << o.error;
  }
  EXPECT_EQ(server.requests(), 0);
}

TEST_F(LinksLive, BatchChecksEachUrlOnceAndCachesBetweenRuns) {
  TestServer server(Routes);
  std::vector<std::string> texts;
  for (int i = 0; i < 2000; ++i)
    texts.push_back("Post " + std::to_string(i) + ": " +
                    server.Url("/page/" + std::to_string(i % 500)));
  auto run = [&] {
    std::string options = kLoopback;
    options.replace(options.find("timeout_ms: 300"), 15, "timeout_ms: 5000");
    auto engine = testing::CompileRule("links", options);
    ASSERT_TRUE(engine);
    std::atomic<size_t> next{0};
    std::atomic<size_t> findings{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < 8; ++t) {
      workers.emplace_back([&] {
        for (size_t i; (i = next++) < texts.size();)
          findings += engine->Check(MakePost(texts[i])).findings.size();
      });
    }
    for (auto& w : workers)
      w.join();
    EXPECT_EQ(findings.load(), 0u);
  };
  run();
  EXPECT_EQ(server.requests(), 500);
  run();  // a new run (new engine): everything from the cache
  EXPECT_EQ(server.requests(), 500);
}

TEST_F(LinksLive, OfflineModeAnswersFromTheCacheOnly) {
  TestServer server(Routes);
  Run(server.Url("/missing"));
  EXPECT_EQ(server.requests(), 1);
  CheckOptions offline;
  offline.offline = true;
  auto cached = Run(server.Url("/missing"), "", offline);
  ASSERT_EQ(cached.size(), 1u);
  EXPECT_EQ(cached[0].type, "broken");
  EXPECT_NE(cached[0].message.find("(cached)"), std::string::npos);
  // A link nobody checked is never passed in silence: it is unverifiable, and says why.
  auto unseen = Run(server.Url("/never-seen"), "", offline);
  ASSERT_EQ(unseen.size(), 1u);
  EXPECT_EQ(unseen[0].type, "unverifiable");
  EXPECT_EQ(unseen[0].level, Level::kWarning);
  EXPECT_NE(unseen[0].message.find("offline"), std::string::npos) << unseen[0].message;
  EXPECT_EQ(server.requests(), 1);
}

TEST_F(LinksLive, OfflineWithoutACacheReportsEveryLinkUnverifiable) {
  TestServer server(Routes);
  CheckOptions offline;
  offline.offline = true;
  auto f = Run(server.Url("/ok"), "cache: false", offline);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "unverifiable");
  EXPECT_EQ(server.requests(), 0);
}

TEST_F(LinksLive, PolicyTestsSkipLiveChecksWithoutAFinding) {
  TestServer server(Routes);
  CheckOptions no_live;
  no_live.live_checks = false;
  EXPECT_TRUE(Run(server.Url("/missing"), "", no_live).empty());
  EXPECT_EQ(server.requests(), 0);
}

}  // namespace
}  // namespace postlint
