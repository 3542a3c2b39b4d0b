// Issue 15, item 1: a host that smuggles another name past the allow list. With `allow_hosts`
// trusting a host H, "http://localhost%00.H/" passed the allow list (it ends in ".H") while
// libcurl, reading the decoded host up to the NUL, connected to localhost. Hosts are now parsed
// strictly and the checker fetches only what libcurl reads as the same host. Every test runs
// against a server on 127.0.0.1 that counts requests: nothing may reach it.
#include <filesystem>
#include <stdlib.h>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "links/checker.h"
#include "links/url.h"
#include "rules/links_test_server.h"
#include "support/rule_harness.h"

namespace postlint {
namespace {

using testing::MakePost;
using testing::RunRule;
using testing::TestServer;

// The spellings of "an internal address dressed as an allowed host", for host H and port P.
std::vector<std::string> SmuggledHostUrls(const std::string& allowed, int port) {
  const std::string p = ":" + std::to_string(port);
  return {
      "http://localhost%00." + allowed + p + "/",
      "http://localhost%2500." + allowed + p + "/",
      "http://127.0.0.1%00." + allowed + p + "/",
      "http://127.0.0.1%2500." + allowed + p + "/",
      "http://0x7f.1%00." + allowed + p + "/",
      "http://localhost%0a." + allowed + p + "/",
      "http://localhost%2e" + allowed + p + "/",
      "http://%6c%6f%63%61%6c%68%6f%73%74" + p + "/",
      "http://localhost%" + p + "/",
  };
}

TEST(SecurityLinkHosts, ParserRefusesHostsThatSpellAnotherHost) {
  for (const auto& url : SmuggledHostUrls("ok.postlint-test.com", 8080)) {
    SCOPED_TRACE(url);
    std::string error;
    EXPECT_FALSE(links::ParseUrl(url, &error).has_value());
    EXPECT_FALSE(error.empty());
    // The message never carries the raw control byte.
    for (const char c : error)
      EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20) << error;
  }
  std::string error;
  EXPECT_FALSE(links::ParseUrl("http://[v7.localhost]/", &error).has_value());
  EXPECT_FALSE(links::ParseUrl("http://[::1%2500]/", &error).has_value());
}

TEST(SecurityLinkHosts, ParserKeepsRealHostsIncludingIdnAndUnderscores) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"https://münchen.de/x", "xn--mnchen-3ya.de"},
      {"https://m%C3%BCnchen.de/x", "xn--mnchen-3ya.de"},
      {"https://_dmarc.acme.com/", "_dmarc.acme.com"},
      {"https://Acme.COM./launch", "acme.com"},
      {"http://[2001:db8::1]:8080/", "2001:db8::1"},
      {"acme.com/a%00b", "acme.com"},  // percent-encoding in the path is the path's business
  };
  for (const auto& [text, host] : cases) {
    SCOPED_TRACE(text);
    std::string error;
    const auto url = links::ParseUrl(text, &error);
    ASSERT_TRUE(url.has_value()) << error;
    EXPECT_EQ(url->ascii_host, host);
    // The host libcurl reads in the URL postlint fetches is the host it judged.
    EXPECT_EQ(links::HostCurlConnectsTo(url->Normalized()), url->ascii_host);
    EXPECT_TRUE(links::CurlReadsSameHost(*url));
  }
}

class SecurityLinkHostsLive : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/postlint-ssrf-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    cache_dir_ = dir;
    setenv("POSTLINT_CACHE_DIR", dir, 1);
  }
  void TearDown() override {
    unsetenv("POSTLINT_CACHE_DIR");
    std::error_code ec;
    std::filesystem::remove_all(cache_dir_, ec);
  }
  std::string cache_dir_;
};

// The policy trusts one host name (so a test can reach the server through it), and nothing
// else internal.
const std::string kTrustingPolicy =
    "timeout_ms: 500\nconnect_timeout_ms: 500\nretry_wait_ms: 20\nretries: 0\n"
    "host_interval_ms: 0\nallow_hosts: [ok.postlint-test.com]\n"
    "resolve: {ok.postlint-test.com: 127.0.0.1}\n";

TEST_F(SecurityLinkHostsLive, SmuggledHostsInAPostAreFindingsAndNeverFetched) {
  TestServer server([](const TestServer::Request&) { return TestServer::Response{200}; });
  for (const auto& url : SmuggledHostUrls("ok.postlint-test.com", server.port())) {
    SCOPED_TRACE(url);
    const auto findings = RunRule("links", kTrustingPolicy, MakePost("Read " + url));
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].type, "syntax");
  }
  EXPECT_EQ(server.requests(), 0);
}

TEST_F(SecurityLinkHostsLive, SmuggledHostsInARedirectAreRefusedBeforeConnecting) {
  int port = 0;
  TestServer server([&](const TestServer::Request& r) {
    if (r.path.rfind("/to/", 0) == 0) {
      const size_t which = std::stoul(r.path.substr(4));
      return TestServer::Response{
          302, {{"Location", SmuggledHostUrls("ok.postlint-test.com", port).at(which)}}, ""};
    }
    return TestServer::Response{200};
  });
  port = server.port();
  const size_t count = SmuggledHostUrls("ok.postlint-test.com", port).size();
  for (size_t i = 0; i < count; ++i) {
    SCOPED_TRACE(i);
    const auto findings =
        RunRule("links", kTrustingPolicy,
                MakePost("Read " + server.Url("/to/" + std::to_string(i), "ok.postlint-test.com")));
    // Refused as an invalid URL, or (where libcurl's redirect resolution decoded the host to a
    // real name) judged as that name: never fetched either way.
    ASSERT_EQ(findings.size(), 1u);
  }
  // Only the redirecting page itself was requested, once per case; never "/" on localhost.
  EXPECT_EQ(server.requests(), static_cast<int>(count));
  for (const auto& path : server.paths())
    EXPECT_EQ(path.rfind("/to/", 0), 0u) << path;
}

}  // namespace
}  // namespace postlint
