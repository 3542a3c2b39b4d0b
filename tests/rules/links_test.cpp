// Offline checks of the links rule (no network: every policy here sets `live: false`). The
// live checks, against servers on 127.0.0.1, are in links_live_test.cpp.
#include <gtest/gtest.h>

#include "links/address.h"
#include "links/domains.h"
#include "links/url.h"
#include "support/rule_harness.h"

namespace postlint {
namespace {

using testing::Covered;
using testing::RunRule;

std::vector<Finding> Offline(const std::string& options, const std::string& text,
                             std::vector<std::string> networks = {}) {
  return RunRule("links", "live: false\n" + options, text, std::move(networks));
}

std::vector<Finding> OfType(const std::vector<Finding>& all, const std::string& type) {
  std::vector<Finding> out;
  for (const auto& f : all) {
    if (f.type == type)
      out.push_back(f);
  }
  return out;
}

TEST(LinksUrl, ParsesAndNormalises) {
  std::string error;
  auto u = links::ParseUrl("HTTPS://Acme.COM:443/Launch?utm_source=x#top", &error);
  ASSERT_TRUE(u) << error;
  EXPECT_EQ(u->Normalized(), "https://acme.com/Launch?utm_source=x");
  EXPECT_EQ(u->Display(), "acme.com/Launch?utm_source=x");
  auto schemeless = links::ParseUrl("acme.com", &error);
  ASSERT_TRUE(schemeless);
  EXPECT_EQ(schemeless->Normalized(), "http://acme.com/");
  EXPECT_EQ(schemeless->written_scheme, "");
  auto idn = links::ParseUrl("https://bücher.de/x", &error);
  ASSERT_TRUE(idn);
  EXPECT_EQ(idn->ascii_host, "xn--bcher-kva.de");
  EXPECT_FALSE(links::ParseUrl("http://[fe80::1/x", &error));
  EXPECT_FALSE(links::ParseUrl("http://acme.com:99999/", &error));
}

TEST(LinksUrl, RemovesParamsKeepingTheRest) {
  EXPECT_EQ(links::RemoveParams("https://a.com/x?utm_source=x&fbclid=1#f", {"fbclid"}),
            "https://a.com/x?utm_source=x#f");
  EXPECT_EQ(links::RemoveParams("https://a.com/x?gclid=1", {"gclid"}), "https://a.com/x");
}

TEST(LinksAddress, SpecialPurposeRangesAndSpellings) {
  auto ip = [](const char* s) { return *links::ParseIpLoose(s); };
  EXPECT_EQ(links::SpecialPurpose(ip("2130706433")), "loopback");
  EXPECT_EQ(links::SpecialPurpose(ip("0x7f.1")), "loopback");
  EXPECT_EQ(links::SpecialPurpose(ip("017700000001")), "loopback");
  EXPECT_EQ(links::SpecialPurpose(ip("169.254.169.254")), "cloud metadata");
  EXPECT_EQ(links::SpecialPurpose(ip("::ffff:127.0.0.1")), "IPv4-mapped loopback");
  EXPECT_EQ(links::SpecialPurpose(ip("::ffff:a9fe:a9fe")), "IPv4-mapped cloud metadata");
  EXPECT_EQ(links::SpecialPurpose(ip("fd00::1")), "unique-local");
  EXPECT_EQ(links::SpecialPurpose(ip("ff02::1")), "multicast");
  EXPECT_EQ(links::SpecialPurpose(ip("100.100.100.200")),
            "shared address space (carrier-grade NAT)");
  EXPECT_EQ(links::SpecialPurpose(ip("2002:7f00:1::")), "IPv4-mapped loopback");
  EXPECT_EQ(links::SpecialPurpose(ip("93.184.216.34")), "");
  EXPECT_EQ(links::SpecialPurpose(ip("2606:4700::1111")), "");
  EXPECT_FALSE(links::ParseIpLoose("cafe.be"));
  links::AddressPolicy allow({*links::ParseRange("127.0.0.0/8")});
  EXPECT_TRUE(allow.Allows(ip("127.0.0.1"), nullptr));
  EXPECT_TRUE(allow.Allows(ip("::ffff:127.0.0.1"), nullptr));
  std::string why;
  EXPECT_FALSE(allow.Allows(ip("10.1.2.3"), &why));
  EXPECT_EQ(why, "10.1.2.3 (private)");
}

TEST(LinksDomains, RegistrableDomainsAndSkeletons) {
  EXPECT_EQ(links::RegistrableDomain("www.bbc.co.uk"), "bbc.co.uk");
  EXPECT_TRUE(links::IsPublicSuffix("co.uk"));
  EXPECT_EQ(links::Skeleton("\xD0\xB0"
                            "cme.com"),
            links::Skeleton("acme.com"));
  EXPECT_TRUE(links::DomainMatches("go.acme.com", "acme.com"));
  EXPECT_FALSE(links::DomainMatches("notacme.com", "acme.com"));
  const links::DomainSet set({"acme.com", "bit.ly"});
  EXPECT_TRUE(set.Matches("acme.com"));
  EXPECT_TRUE(set.Matches("go.eu.acme.com"));
  EXPECT_TRUE(set.Matches("bit.ly"));
  EXPECT_FALSE(set.Matches("notacme.com"));
  EXPECT_FALSE(set.Matches("acme.com.evil.example"));
  EXPECT_FALSE(set.Matches("ly"));
  EXPECT_FALSE(links::DomainSet().Matches("acme.com"));
  EXPECT_FALSE(links::ShippedShorteners().empty());
}

TEST(LinksRule, LeavesGoodLinksAlone) {
  EXPECT_TRUE(Offline("", "Launch day! https://acme.com/launch and acme.com/blog").empty());
  EXPECT_TRUE(Offline("", "No links here, just words.").empty());
}

TEST(LinksRule, SyntaxErrorsFromARealParser) {
  const std::string text = "See http://[fe80::1/x today";
  auto f = OfType(Offline("", text), "syntax");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Covered(text, f[0]), "http://[fe80::1/x");
  EXPECT_NE(f[0].message.find("is not a valid URL"), std::string::npos) << f[0].message;
}

TEST(LinksRule, SchemesAndHttps) {
  auto f = Offline("", "Files at ftp://files.acme.com/x");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "scheme");
  EXPECT_EQ(f[0].message, "'ftp:' links are not allowed (allowed: http, https)");
  const std::string text = "Read http://acme.com/x now";
  auto h = Offline("require_https: true", text);
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].type, "https");
  EXPECT_EQ(h[0].fix, "https://acme.com/x");
  EXPECT_TRUE(Offline("", text).empty());
}

TEST(LinksRule, UserinfoIsMaskedAndRemoved) {
  auto f = Offline("", "Docs https://bob:hunter2@acme.com/x");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "userinfo");
  EXPECT_EQ(f[0].excerpt, "https://***@acme.com/x");
  EXPECT_EQ(f[0].fix, "https://acme.com/x");
}

TEST(LinksRule, InternalHostsAndAddresses) {
  for (const std::string url :
       {"http://10.0.0.5/admin", "http://intranet/wiki", "https://jira.corp/x",
        "http://localhost:8080/", "http://2130706433/", "http://0x7f.1/",
        "http://[::ffff:127.0.0.1]/", "http://169.254.169.254/latest/meta-data/",
        "https://wiki.acme-int.com/x"}) {
    SCOPED_TRACE(url);
    const std::string text = "Link: " + url + " ok";
    auto f = OfType(Offline("internal_zones: [acme-int.com]", text), "internal");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(Covered(text, f[0]), url);
  }
  auto spelled = Offline("", "http://0x7f.1/");
  ASSERT_EQ(spelled.size(), 1u);
  EXPECT_EQ(spelled[0].message,
            "link to an internal address: 127.0.0.1 is loopback (0x7f.1 is 127.0.0.1 spelled "
            "differently)");
  auto pub = Offline("", "http://93.184.216.34/x");
  ASSERT_EQ(pub.size(), 1u);
  EXPECT_EQ(pub[0].type, "ip");
  EXPECT_TRUE(Offline("allow_hosts: [intranet]", "http://intranet/wiki").empty());
}

TEST(LinksRule, AllowedAndDeniedDomainsOnRegistrableDomain) {
  auto denied =
      Offline("deny_domains: [evil.co.uk]", "https://www.evil.co.uk/x https://co.uk.ok.com");
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].type, "domain");
  auto allowed =
      Offline("allow_domains: [acme.com]", "https://blog.acme.com/x https://other.com/y");
  ASSERT_EQ(allowed.size(), 1u);
  EXPECT_EQ(allowed[0].message, "other.com is not an allowed domain");
  const std::string errors = testing::RuleErrors("links", "deny_domains: [co.uk]");
  EXPECT_NE(errors.find("'co.uk' is a public suffix"), std::string::npos) << errors;
}

TEST(LinksRule, LookalikesOfTheBrand) {
  const std::string text =
      "Log in at https://\xD0\xB0"
      "cme.com/login";
  auto f = Offline("brand_domains: [acme.com]", text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "lookalike");
  EXPECT_NE(f[0].message.find("looks like acme.com"), std::string::npos) << f[0].message;
  EXPECT_NE(f[0].message.find("xn--"), std::string::npos) << f[0].message;
  EXPECT_TRUE(Offline("brand_domains: [acme.com]", "https://www.acme.com/login").empty());
  EXPECT_EQ(OfType(Offline("brand_domains: [amazon.com]", "https://arnazon.com/deal"), "lookalike")
                .size(),
            1u);
}

TEST(LinksRule, ShortenersFromTheShippedList) {
  auto f = Offline("", "New: https://bit.ly/3xYz and buff.ly/abc");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].type, "shortener");
  EXPECT_EQ(f[0].message,
            "bit.ly is a URL shortener: it hides where the link goes; link to the destination");
  EXPECT_TRUE(Offline("own_shorteners: [bit.ly]", "https://bit.ly/3xYz").empty());
  EXPECT_TRUE(Offline("shorteners: allow", "https://bit.ly/3xYz").empty());
  EXPECT_EQ(Offline("shortener_domains: [go.acme.com]", "https://go.acme.com/x").size(), 1u);
}

TEST(LinksRule, ClickIdsWithAFixThatStripsThem) {
  const std::string text = "https://acme.com/x?utm_source=x&fbclid=IwAR3&gclid=9";
  auto f = Offline("", text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "click_id");
  EXPECT_EQ(f[0].message, "'fbclid', 'gclid' are click IDs copied from a browser; remove them");
  EXPECT_EQ(f[0].fix, "https://acme.com/x?utm_source=x");
}

TEST(LinksRule, UtmRequiredAndValuesPerNetwork) {
  const std::string opts =
      "utm_required: [utm_source, utm_medium, utm_campaign]\n"
      "utm_values: {utm_source: {x: [x], linkedin: [linkedin]}, utm_medium: [social]}";
  auto missing = Offline(opts, "https://acme.com/x?utm_source=x", {"x"});
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].message, "link is missing utm_medium, utm_campaign");
  const std::string full = "https://acme.com/x?utm_source=x&utm_medium=social&utm_campaign=l";
  EXPECT_TRUE(Offline(opts, full, {"x"}).empty());
  auto wrong = Offline(opts, full, {"linkedin"});
  ASSERT_EQ(wrong.size(), 1u);
  EXPECT_EQ(wrong[0].message, "utm_source=x is not allowed on linkedin (allowed: linkedin)");
  // UTM rules apply to the listed domains only, when listed.
  EXPECT_TRUE(Offline(opts + "\nutm_domains: [acme.com]", "https://other.com/", {"x"}).empty());
}

TEST(LinksRule, MaxLinksPerNetwork) {
  const std::string text = "https://acme.com/a https://acme.com/b";
  auto f = Offline("max_links: {x: 1, linkedin: 3}", text, {"x", "linkedin"});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "max_links");
  EXPECT_EQ(f[0].network, "x");
  EXPECT_EQ(f[0].message, "2 links; at most 1 on x");
}

TEST(LinksRule, ReportSelectsFindingTypes) {
  const std::string text = "https://bit.ly/x?fbclid=1";
  EXPECT_EQ(Offline("", text).size(), 2u);
  auto f = Offline("report: [click_id]", text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "click_id");
  const std::string errors = testing::RuleErrors("links", "report: [brokn]");
  EXPECT_NE(errors.find("did you mean 'broken'"), std::string::npos) << errors;
}

TEST(LinksRule, BadOptionsAreErrors) {
  EXPECT_NE(testing::RuleErrors("links", "allow_ranges: [10.0.0.0/33]").find("CIDR"),
            std::string::npos);
  EXPECT_NE(testing::RuleErrors("links", "resolve: {a.com: nope}").find("not an IP address"),
            std::string::npos);
}

}  // namespace
}  // namespace postlint
