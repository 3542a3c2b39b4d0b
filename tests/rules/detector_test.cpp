#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "report/reporter.h"
#include "rules/support/detectors/validators.h"
#include "support/rule_harness.h"

namespace postlint {
namespace {

using testing::Covered;
using testing::MakePost;
using testing::RunRule;
namespace det = detectors;

// Detector types found in `text` by a rule with `options` (default: all detectors).
std::vector<std::string> Types(const std::string& text, const std::string& options = "") {
  std::vector<std::string> out;
  for (const auto& f : RunRule("detector", options, text))
    out.push_back(f.type);
  return out;
}

std::vector<std::string> One(const std::string& type) {
  return {type};
}

// Every finding's message, excerpt and fix must be free of `secret`.
void ExpectNoLeak(const std::vector<Finding>& findings, const std::string& secret) {
  for (const auto& f : findings) {
    EXPECT_EQ(f.message.find(secret), std::string::npos) << f.message;
    EXPECT_EQ(f.excerpt.find(secret), std::string::npos) << f.excerpt;
    EXPECT_FALSE(f.fix.has_value());
  }
}

// --- validators --------------------------------------------------------------------------------

TEST(DetectorValidators, Luhn) {
  EXPECT_TRUE(det::LuhnValid("4111111111111111"));
  EXPECT_TRUE(det::LuhnValid("79927398713"));
  EXPECT_FALSE(det::LuhnValid("4111111111111112"));
  EXPECT_FALSE(det::LuhnValid(""));
  EXPECT_FALSE(det::LuhnValid("4111-1111"));
}

TEST(DetectorValidators, CardNetworks) {
  EXPECT_EQ(det::CardNetwork("4526018159083012"), "visa");
  EXPECT_EQ(det::CardNetwork("5291703423667126"), "mastercard");
  EXPECT_EQ(det::CardNetwork("2221176031372151"), "mastercard");
  EXPECT_EQ(det::CardNetwork("379010928159013"), "amex");
  EXPECT_EQ(det::CardNetwork("6011777412154723"), "discover");
  EXPECT_EQ(det::CardNetwork("357265167612223"), "");  // IMEI shape: 15 digits starting 35
  EXPECT_EQ(det::CardNetwork("9112345678901234"), "");
  EXPECT_EQ(det::CardNetwork("1234567812345670"), "");
  EXPECT_TRUE(det::IsTestCardNumber("4242424242424242"));
  EXPECT_FALSE(det::IsTestCardNumber("4526018159083012"));
}

TEST(DetectorValidators, Iban) {
  EXPECT_TRUE(det::IbanValid("IT60X0542811101000000123456"));
  EXPECT_TRUE(det::IbanValid("DE89370400440532013000"));
  EXPECT_TRUE(det::IbanValid("GB82WEST12345698765432"));
  EXPECT_TRUE(det::IbanValid("LV92HABA0551020304050"));
  EXPECT_TRUE(det::IbanValid("HR1210010051863000160"));
  EXPECT_FALSE(det::IbanValid("IT61X0542811101000000123456"));  // check digits
  EXPECT_FALSE(det::IbanValid("DE8937040044053201300"));        // length
  EXPECT_FALSE(det::IbanValid("RF18539007547034"));             // creditor reference
  EXPECT_EQ(det::Mod97("RF18539007547034"), 1);                 // ... which passes mod-97
  EXPECT_EQ(det::IbanLength("IT"), 27);
  EXPECT_EQ(det::IbanLength("RF"), 0);
}

TEST(DetectorValidators, NationalIdentifiers) {
  EXPECT_TRUE(det::OibValid("20018263304"));
  EXPECT_TRUE(det::OibValid("33392005961"));
  EXPECT_FALSE(det::OibValid("20018263305"));
  EXPECT_TRUE(det::ItFiscalCodeValid("RSSMRA85T10A562S"));
  EXPECT_TRUE(det::ItFiscalCodeValid("BNCGNN72C41F205E"));
  EXPECT_FALSE(det::ItFiscalCodeValid("BNCGNN72C41F205A"));
  EXPECT_FALSE(det::ItFiscalCodeValid("BNCGNN72Z41F205E"));  // month letter
  EXPECT_TRUE(det::LvPersonalCodeValid("16117519997"));
  EXPECT_FALSE(det::LvPersonalCodeValid("16117519998"));
  EXPECT_TRUE(det::LvPersonalCodeValid("32137519997"));   // 2017 codes: no checksum
  EXPECT_FALSE(det::LvPersonalCodeValid("31027519990"));  // 31 February
  EXPECT_TRUE(det::UsSsnValid("219099990"));
  EXPECT_FALSE(det::UsSsnValid("666123456"));
  EXPECT_FALSE(det::UsSsnValid("900123456"));
  EXPECT_FALSE(det::UsSsnValid("123004567"));
  EXPECT_FALSE(det::UsSsnValid("123450000"));
  EXPECT_TRUE(det::IsSampleSsn("078051120"));
}

TEST(DetectorValidators, GithubChecksumAndEntropy) {
  EXPECT_EQ(det::Crc32("123456789"), 0xCBF43926u);
  EXPECT_TRUE(det::GithubTokenChecksumValid("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"));
  EXPECT_FALSE(det::GithubTokenChecksumValid("ghp_KFSufrdZSlB5er8bOfZqfM2oeq3hDavJA76r"));
  EXPECT_DOUBLE_EQ(det::ShannonEntropy("aaaa"), 0.0);
  EXPECT_DOUBLE_EQ(det::ShannonEntropy("abcd"), 2.0);
  EXPECT_DOUBLE_EQ(det::ShannonEntropy("žžšš"), 1.0);  // per code point, not per byte
}

TEST(DetectorValidators, Placeholders) {
  for (const char* p : {"AKIAIOSFODNN7EXAMPLE", "xxxxxxxxxxxx", "********", "<YOUR_TOKEN>",
                        "${API_KEY}", "{{secret}}", "your-token-here", "changeme", "REDACTED",
                        "sk_live_...", "abcdefghij", "1234567890", "%PASSWORD%"}) {
    EXPECT_TRUE(det::LooksLikePlaceholder(p)) << p;
  }
  for (const char* p : {"Gr4nit0!Lago", "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", "Sphere2024!"})
    EXPECT_FALSE(det::LooksLikePlaceholder(p)) << p;
  EXPECT_TRUE(det::IsReservedDomain("example.com"));
  EXPECT_TRUE(det::IsReservedDomain("mail.example.org"));
  EXPECT_TRUE(det::IsReservedDomain("shop.test"));
  EXPECT_FALSE(det::IsReservedDomain("myexample.com"));
}

TEST(DetectorValidators, Masking) {
  EXPECT_EQ(det::MaskMiddle("4111 1111 1111 1111", 4, 4), "4111 •••• •••• 1111");
  EXPECT_EQ(det::MaskMiddle("AKIAIOSFODNN7EXAMPLE", 4, 4), "AKIA••••••••••••MPLE");
  EXPECT_EQ(det::MaskMiddle("abc", 4, 4), "•••");  // too short to show anything
  const std::string long_mask = det::MaskMiddle(std::string(100, 'a'), 2, 2);
  EXPECT_LT(long_mask.size(), 70u);
}

TEST(DetectorValidators, NormalisationMapsBack) {
  const std::string text = "４１１１\u00a0１１１１\u2011x\u200b!";
  const MappedText n = det::NormalizeForDetectors(text);
  EXPECT_EQ(n.text(), "4111 1111-x!");
  EXPECT_EQ(n.ToOriginalBegin(5), text.find("１１１１"));
  EXPECT_EQ(n.ToOriginalEnd(9), text.find("\u2011"));
  EXPECT_TRUE(det::NormalizeForDetectors("plain").is_identity());
  EXPECT_EQ(det::NormalizeForDetectors("٤١١١").text(), "4111");  // Arabic-Indic digits
}

TEST(DetectorValidators, IsoDates) {
  EXPECT_EQ(det::ParseIsoDate("2025-03-26T10:00:00Z"), 20250326);
  EXPECT_FALSE(det::ParseIsoDate("2025-02-30").has_value());
  EXPECT_FALSE(det::ParseIsoDate("26.03.2025").has_value());
}

// --- credit_card -------------------------------------------------------------------------------

TEST(DetectorCreditCard, CatchesCardsAsPeopleWriteThem) {
  for (const std::string text : {
           "Customer sent 4526 0181 5908 3012 in a DM 😬",
           "Carta di credito: 4661-3186-0913-9090 scadenza 09/27",
           "Mana karte 4960308246281940 – lūdzu atmaksājiet",
           "Broj kartice 5291.7034.2366.7126 hvala 💳",
           "Paid with ５４６８ ４２６８ ４６５６ ３２１２ yesterday",
           "Amex 3790 109281 59013 declined",
           "card\u00a05223\u00a03079\u00a02440\u00a02687 refund",
           "my card: 4821 9935\n1819 0934 thx",
           "Mastercard 2221 1760 3137 2151",
           "Refund sent to card 4526 0181 5908 3012",  // "ref" is a context word, "refund" not
           "Il cliente ordinò con la carta 4661 3186 0913 9090",
       }) {
    EXPECT_EQ(Types(text), One("credit_card")) << text;
  }
}

TEST(DetectorCreditCard, MasksAndPointsAtWhatWasTyped) {
  const std::string text = "Pay ４５２６ ０１８１ ５９０８ ３０１２ now";
  auto f = RunRule("detector", "detectors: [credit_card]", text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].excerpt, "4526 •••• •••• 3012");
  EXPECT_EQ(Covered(text, f[0]), "４５２６ ０１８１ ５９０８ ３０１２");
  EXPECT_EQ(f[0].type, "credit_card");
  EXPECT_EQ(f[0].message,
            "Credit card number (Visa, Luhn-valid) is personal or confidential data: 4526 •••• "
            "•••• 3012");
  ExpectNoLeak(f, "4526018159083012");
  ExpectNoLeak(f, "0181 5908");
}

TEST(DetectorCreditCard, LeavesLookAlikesAlone) {
  for (const std::string text : {
           "Card-like 4526 0181 5908 3013 fails Luhn",
           "Your parcel 4803852808414853253888 is on its way 📦",  // first 16 digits pass Luhn
           "Tracking 4803 8528 0841 4853 2538 88",
           "IMEI 357265167612223",
           "Luhn-valid IMEI: 860297299752882",
           "Order 4786579754323199 shipped 🚚",
           "Ordine n. 4487 5749 1186 2520 spedito",
           "Narudžba 4760189555979718 je poslana",
           "Pasūtījums 4147104974650752 ir nosūtīts",
           "#4526018159083012 trending",
           "ISBN 978-0-306-40615-7",
           "Ticket #4532015112830366 closed",
           "Price 4526.01 € and 8159.08 €",
           "Use 4242 4242 4242 4242 in the sandbox",  // a test card: placeholder
           "v4526.0181.5908.3012",
       }) {
    EXPECT_TRUE(Types(text).empty()) << text;
  }
}

// --- iban ----------------------------------------------------------------------------------------

TEST(DetectorIban, CatchesPrintedAndCompactForms) {
  for (const std::string text : {
           "Bonifico su IBAN IT60 X054 2811 1010 0000 0123 456 grazie 🙏",
           "IBAN: IT47A0306909606100000063321",
           "Ziedojumi: LV92 HABA 0551 0203 0405 0",
           "Uplate na HR12 1001 0051 8630 0016 0, hvala!",
           "Überweisung an DE89 3704 0044 0532 0130 00",
           "Pay to GB82WEST12345698765432.",
       }) {
    EXPECT_EQ(Types(text), One("iban")) << text;
  }
  auto f = RunRule("detector", "", "IBAN IT60 X054 2811 1010 0000 0123 456");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].excerpt, "IT60 •••• •••• •••• •••• •••3 456");
}

TEST(DetectorIban, LeavesLookAlikesAlone) {
  for (const std::string text : {
           "Riferimento RF18539007547034 per la fattura",  // creditor reference, mod-97 valid
           "IT61X0542811101000000123456 has a wrong check",
           "Code IT60X0542811101000000123456GRAZIE",
           "SWIFT HABALV22",
       }) {
    EXPECT_TRUE(Types(text).empty()) << text;
  }
}

// --- email -------------------------------------------------------------------------------------

TEST(DetectorEmail, CatchesAddressesAndHonoursTheAllowlist) {
  EXPECT_EQ(Types("Write to maria.rossi@gmail.com 📧"), One("email"));
  EXPECT_EQ(Types("Kontakts: janis.berzins@inbox.lv"), One("email"));
  EXPECT_EQ(Types("Pišite na ivana.horvat@net.hr"), One("email"));
  auto f = RunRule("detector", "", "Write to maria.rossi@gmail.com");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].excerpt, "m••••.•••••@gmail.com");
  const std::string allow = "allow: [press@acme.com, '@support.acme.com']";
  EXPECT_TRUE(Types("Press: press@acme.com", allow).empty());
  EXPECT_TRUE(Types("Help: anna@support.acme.com", allow).empty());
  EXPECT_EQ(Types("CEO: ceo@acme.com", allow), One("email"));
}

TEST(DetectorEmail, LeavesHandlesFilesAndExamplesAlone) {
  for (const std::string text :
       {"Follow @anna@mastodon.social 🐘", "logo@2x.png", "git@github.com:acme/app.git",
        "someone@example.com", "user@shop.test"}) {
    EXPECT_TRUE(Types(text).empty()) << text;
  }
}

// --- phone -------------------------------------------------------------------------------------

TEST(DetectorPhone, CatchesValidNumbersInEveryLanguage) {
  for (const std::string text : {
           "Chiama il 345 678 9012 per info",
           "Call me: +1 415-867-5309 tonight",
           "Zvanite +385 91 234 5678 📞",
           "Tālrunis +371 2612 3456",
           "tel. 020 7946 0321",
           "WhatsApp: ＋３８５ ９８ ７６５ ４３２１",
           "Mob: 0039 333 123 4567",
       }) {
    EXPECT_EQ(Types(text), One("phone")) << text;
  }
  auto f = RunRule("detector", "", "Zvanite +385 91 234 5678");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].excerpt, "+385 •• ••• ••78");
  ExpectNoLeak(f, "912345678");
}

TEST(DetectorPhone, LeavesDatesLotsAndFictionalNumbersAlone) {
  for (const std::string text : {
           "Event on 26.03.2025 in Riga", "Lot 0612345678 recalled", "Ref 3912345678",
           "Call (415) 555-0123 — the movie number", "Prices from € 1.299.000",
           "https://shop.example/orders/0612345678", "Datum: 2025-03-26, vrijeme 10:30",
           "We served 1 234 567 customers", "Lotto 333 123 4567 richiamato",
           "0612345678",  // a bare digit run with nothing saying it is a number to call
       }) {
    EXPECT_TRUE(Types(text).empty()) << text;
  }
}

TEST(DetectorPhone, AllowlistAndRegions) {
  EXPECT_TRUE(Types("Hotline: +39 02 1234 5678", "allow: ['+39 02 1234 5678']").empty());
  EXPECT_TRUE(Types("Hotline: 02 1234 5678", "allow: ['+39 02 1234 5678']\nregions: [IT]").empty());
  EXPECT_EQ(Types("Zvani 01 4567 890", "regions: [HR]"), One("phone"));
  EXPECT_TRUE(Types("Zvani 01 4567 890", "regions: [US]").empty());
  EXPECT_NE(testing::RuleErrors("detector", "regions: [XX]").find("unknown region 'XX'"),
            std::string::npos);
}

// --- us_ssn, national identifiers
// ------------------------------------------------------------------

TEST(DetectorUsSsn, CatchesValidNumbers) {
  EXPECT_EQ(Types("My SSN is 219-09-9990 pls fix"), One("us_ssn"));
  EXPECT_EQ(Types("SSN: 536 22 1234"), One("us_ssn"));
  EXPECT_EQ(Types("social security 536221234 😱"), One("us_ssn"));
  auto f = RunRule("detector", "", "SSN 219-09-9990");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].excerpt, "•••-••-9990");
}

TEST(DetectorUsSsn, LeavesImpossibleAndSampleNumbersAlone) {
  for (const std::string text :
       {"SSN 666-12-3456", "SSN 900-12-3456", "SSN 123-00-4567", "SSN 123-45-0000",
        "Sample 123-45-6789", "code 536221234", "Card 078-05-1120"}) {
    EXPECT_TRUE(Types(text).empty()) << text;
  }
}

TEST(DetectorNationalIds, ItalianFiscalCode) {
  EXPECT_EQ(Types("Il mio codice fiscale è BNCGNN72C41F205E"), One("it_fiscal_code"));
  EXPECT_EQ(Types("cf: frrmrc65m12h501u 🧾"), One("it_fiscal_code"));
  EXPECT_TRUE(Types("Codice BNCGNN72C41F205A non valido").empty());
  EXPECT_TRUE(Types("Esempio RSSMRA85T10A562S dalla guida").empty());  // the textbook example
  auto f = RunRule("detector", "", "CF BNCGNN72C41F205E");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].excerpt, "••••••••••••••5E");
}

TEST(DetectorNationalIds, CroatianOib) {
  EXPECT_EQ(Types("Moj OIB je 20018263304"), One("hr_oib"));
  EXPECT_EQ(Types("OIB: ２００１８２６３３０４ 🇭🇷"), One("hr_oib"));
  EXPECT_TRUE(Types("Broj 20018263304 bez konteksta").empty());
  EXPECT_TRUE(Types("OIB 20018263305 nije valjan").empty());
}

TEST(DetectorNationalIds, LatvianPersonalCode) {
  EXPECT_EQ(Types("Personas kods 161175-19997 🙈"), One("lv_personal_code"));
  EXPECT_EQ(Types("p.k. 16117519997"), One("lv_personal_code"));
  EXPECT_EQ(Types("personas kods 321234-56789"), One("lv_personal_code"));
  EXPECT_TRUE(Types("Kods 161175-19998 nav derīgs").empty());
  EXPECT_TRUE(Types("Pasūtījuma nr. 161175-19997").empty());
  EXPECT_TRUE(Types("Reference 321234-56789").empty());  // 2017 codes need context
}

// --- ip_address, internal_host
// ----------------------------------------------------------------------

TEST(DetectorIp, ReportsInternalAddresses) {
  EXPECT_EQ(Types("Our VPN gateway is 10.12.0.7"), One("ip_address"));
  EXPECT_EQ(Types("DB at 192.168.1.44 is down"), One("ip_address"));
  EXPECT_EQ(Types("ping fe80::1ff:fe23:4567:890a"), One("ip_address"));
  EXPECT_EQ(Types("localhost ::1 and 127.0.0.1").size(), 2u);
  auto f = RunRule("detector", "", "gateway 10.12.0.7");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].excerpt, "10.••.•.•");
  EXPECT_NE(f[0].message.find("internal: private range"), std::string::npos);
}

TEST(DetectorIp, LeavesVersionsDocumentationAndPublicAlone) {
  for (const std::string text :
       {"Version 10.0.0.1 released 🚀", "Docs use 192.0.2.15", "and 2001:db8::1",
        "Cloudflare DNS 1.1.1.1", "v1.2.3.4", "Meeting 10:30:45", "10.0.0.1.5"}) {
    EXPECT_TRUE(Types(text).empty()) << text;
  }
  EXPECT_EQ(Types("Cloudflare DNS 1.1.1.1", "public_ips: true"), One("ip_address"));
}

TEST(DetectorInternalHost, DefaultAndPolicyDomains) {
  EXPECT_EQ(Types("See wiki.internal for the runbook"), One("internal_host"));
  const std::string opts = "internal_domains: [corp.acme.com, '*.internal']";
  const std::string text = "Logs: https://jenkins.corp.acme.com/job/release are red";
  auto f = RunRule("detector", opts, text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Covered(text, f[0]), "https://jenkins.corp.acme.com/job/release");
  EXPECT_EQ(f[0].excerpt, "https://•••••••.corp.acme.com/…");
  EXPECT_TRUE(Types("Visit https://www.acme.com/careers", opts).empty());
  EXPECT_TRUE(Types("acme.com buys corp.io", opts).empty());
  EXPECT_NE(testing::RuleErrors("detector", "internal_domains: ['a b']").find("invalid domain"),
            std::string::npos);
}

// --- secrets
// ---------------------------------------------------------------------------------------

struct SecretCase {
  std::string text;
  std::string type;
  std::string secret;
};

TEST(DetectorSecrets, CatchesEveryKindAndNeverEchoesIt) {
  const std::vector<SecretCase> cases = {
      {"oops pasted AKIAY6SPSC3LKR2AQXV9 here", "aws_access_key", "AKIAY6SPSC3LKR2AQXV9"},
      {"chiave AWS ASIABCIXGY29DB8P5QA3 😅", "aws_access_key", "ASIABCIXGY29DB8P5QA3"},
      {"aws_secret_access_key = ili8GjHEAD6+Wj9KfzjsQGMrb9h/ImB/LK777pzN", "aws_secret_key",
       "ili8GjHEAD6+Wj9KfzjsQGMrb9h/ImB/LK777pzN"},
      {"token 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 expires", "github_token",
       "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"},
      {"github_pat_NicHTp8hkqdlm7tOtHWnsC_"
       "GRlrwZbqcabUGJmGEp7CgQ0PBQFI14zGtSnovm14TUOizwd1iaeOV4qBkdf",
       "github_token",
       "github_pat_NicHTp8hkqdlm7tOtHWnsC_"
       "GRlrwZbqcabUGJmGEp7CgQ0PBQFI14zGtSnovm14TUOizwd1iaeOV4qBkdf"},
      {"GitLab: glpat-v81RKMGHZEM9YpvujA-C", "gitlab_token", "glpat-v81RKMGHZEM9YpvujA-C"},
      {"Bot xoxb-067970168773-1322817180023-K6cPTt9iOqHOBSWhgetH8Lmy 🤖", "slack_token",
       "xoxb-067970168773-1322817180023-K6cPTt9iOqHOBSWhgetH8Lmy"},
      {"Alerts: https://hooks.slack.com/services/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",
       "slack_webhook", "PcEJIukB4geqNfngAFTCloiA"},
      {"stripe sk_live_RxlNtencYFJEeAgYzQJjOIfP", "stripe_key", "sk_live_RxlNtencYFJEeAgYzQJjOIfP"},
      {"chiave sk_test_JjPZ6zfKN7xVGkjwskHk7egy per i test", "stripe_key",
       "sk_test_JjPZ6zfKN7xVGkjwskHk7egy"},
      {"maps AIzauCZz8xBfZuXTptFyfePpX6N1NF2XV54wca_", "google_api_key",
       "AIzauCZz8xBfZuXTptFyfePpX6N1NF2XV54wca_"},
      {"openai sk-proj-UQk4DwgLGNOaeCtL31UgT3BlbkFJq_DfcgaTMnTC0MrAU8ur", "openai_api_key",
       "sk-proj-UQk4DwgLGNOaeCtL31UgT3BlbkFJq_DfcgaTMnTC0MrAU8ur"},
      {"OPENAI_API_KEY=sk-y2BV6DfVPClogqoPchv5V7S82qTdrOJRBRY6HqsP795nf4Ga", "openai_api_key",
       "sk-y2BV6DfVPClogqoPchv5V7S82qTdrOJRBRY6HqsP795nf4Ga"},
      {"postgres://admin:Tr0ub4dor3x@db.acme.io:5432/app", "url_credentials", "Tr0ub4dor3x"},
      {"-----BEGIN RSA PRIVATE "
       "KEY-----\nq8TDIWG2x9aJTFMP9+2kUtMXhkPrSbbAjLGmsDx5StAZvlMz/Bk4opH1Dr8/"
       "h97s\n-----END RSA PRIVATE KEY-----",
       "private_key", "q8TDIWG2x9aJTFMP9"},
      {"Bearer "
       "eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9."
       "eyJzdWIiOiAidV9LNmtqY2IiLCAicm9sZSI6ICJhZG1pbiIsICJleHAiOiAxNzY3MjI1NjAwfQ."
       "onuSsddfrfifiUziXnFAAoeelK9mqmALOR2HcSGKgVP",
       "jwt", "onuSsddfrfifiUziXnFAAoeelK9mqmALOR2HcSGKgVP"},
      {"password: Gr4nit0!Lago", "password_assignment", "Gr4nit0!Lago"},
      {"La password è Estate2024! non dirla", "password_assignment", "Estate2024"},
      {"Lozinka je Zagreb#2023", "password_assignment", "Zagreb#2023"},
      {"wifi parole: Rīga2024kafija", "password_assignment", "Rīga2024kafija"},
      {"our deploy token is YtUtBrmgO6grn4yDcaz2YBSoGOsDbjqM keep it", "generic_secret",
       "YtUtBrmgO6grn4yDcaz2YBSoGOsDbjqM"},
  };
  for (const auto& c : cases) {
    auto f = RunRule("detector", "", c.text);
    ASSERT_EQ(f.size(), 1u) << c.text;
    EXPECT_EQ(f[0].type, c.type) << c.text;
    EXPECT_NE(f[0].excerpt.find("•"), std::string::npos) << c.text;
    ExpectNoLeak(f, c.secret);
  }
}

TEST(DetectorSecrets, MaskedExcerptsKeepPrefixAndSuffix) {
  auto f = RunRule("detector", "", "key AKIAY6SPSC3LKR2AQXV9");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].excerpt, "AKIA••••••••••••QXV9");
  auto p = RunRule("detector", "", "password: Gr4nit0!Lago");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].excerpt, "••••••••");
  EXPECT_EQ(Covered("password: Gr4nit0!Lago", p[0]), "Gr4nit0!Lago");
}

TEST(DetectorSecrets, PlaceholdersAndLookAlikesAreNotFindings) {
  for (const std::string text : {
           "Docs key AKIAIOSFODNN7EXAMPLE",
           "AKIAXXXXXXXXXXXXXXXX placeholder",
           "aws secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
           "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx in the README",
           "Not a token: ghp_KFSufrdZSlB5er8bOfZqfM2oeq3hDavJA76r",  // CRC32 does not match
           "SLACK_TOKEN=xoxb-your-token-here",
           "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",  // Slack's docs
           "SSN 123-45-6789 27 people",  // a sample SSN, and not a phone number either
           "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
           "Use sk_test_4eC39HqLyjWDarjtT1zdp7dc from Stripe's docs",
           "Set sk_live_... in env",
           "pk_live_51HqLyjWDarjtT1zdp7dcABCD is public",
           "Use AIza... from the console",
           "postgres://user:password@localhost/db",
           "https://user:pass@example.com",
           "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
           "-----BEGIN PUBLIC KEY-----",
           "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
           "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
           "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
           "Forgot your password? Reset it here",
           "password: ********",
           "Password: <your password>",
           "The password policy is: 12 characters",
           "Password: reset via the link",
           "username/password combination",
           "commit bade65c3b188cc102ddb8379c7ce65426f74bde9 fixes the key bug",
           "Request id 123e4567-e89b-12d3-a456-426614174000",
           "Key takeaways from #DevConf2025",
           "Monkey ReallyLongCamelCaseIdentifierName",
       }) {
    EXPECT_TRUE(Types(text).empty()) << text;
  }
}

TEST(DetectorSecrets, PlaceholdersOnlyRuleReportsThemAtInfo) {
  auto engine = testing::CompileRule("detector", "placeholders: only", "info");
  ASSERT_TRUE(engine);
  auto f =
      engine->Check(MakePost("Docs key AKIAIOSFODNN7EXAMPLE and 4242 4242 4242 4242")).findings;
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].type, "aws_access_key");
  EXPECT_EQ(f[0].level, Level::kInfo);
  EXPECT_EQ(f[0].excerpt, "AKIA••••••••••••MPLE");
  EXPECT_EQ(f[1].type, "credit_card");
  EXPECT_NE(f[0].message.find("documentation placeholder"), std::string::npos);
  // Real secrets are not this rule's business.
  EXPECT_TRUE(engine->Check(MakePost("key AKIAY6SPSC3LKR2AQXV9")).findings.empty());
  const std::string errors = testing::RuleErrors("detector", "placeholders: only");
  EXPECT_NE(errors.find("needs 'level: info'"), std::string::npos) << errors;
}

// --- embargo -------------------------------------------------------------------------------------

TEST(DetectorEmbargo, BeforeTheDateFailsAfterItPasses) {
  const std::string opts =
      "detectors: [embargo]\nembargo: [{terms: [Kestrel, 'Q3 revenue'], until: 2025-06-01}]";
  Post before = MakePost("Kestrel launches next week! 🚀");
  before.created_at = "2025-05-01T10:00:00Z";
  auto f = RunRule("detector", opts, before);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].type, "embargo");
  EXPECT_EQ(f[0].excerpt, "K••••••");
  EXPECT_EQ(f[0].message, "Embargoed until 2025-06-01: K••••••");
  Post after = before;
  after.created_at = "2025-06-01";
  EXPECT_TRUE(RunRule("detector", opts, after).empty());
  Post case_folded = MakePost("Il progetto KESTREL e la q3 REVENUE");
  case_folded.created_at = "2025-01-01";
  EXPECT_EQ(RunRule("detector", opts, case_folded).size(), 2u);
  Post word = MakePost("Kestrels are birds");
  word.created_at = "2025-01-01";
  EXPECT_TRUE(RunRule("detector", opts, word).empty());
  // No date on the post: today is used, and 2025-06-01 is in the past.
  EXPECT_TRUE(RunRule("detector", opts, MakePost("Kestrel is here")).empty());
  EXPECT_EQ(
      RunRule("detector", "detectors: [embargo]\nembargo: [{terms: Kestrel, until: 2999-01-01}]",
              MakePost("Kestrel is here"))
          .size(),
      1u);
}

TEST(DetectorEmbargo, BadEntriesAreErrors) {
  EXPECT_NE(
      testing::RuleErrors("detector", "embargo: [{terms: [x], until: soon}]").find("YYYY-MM-DD"),
      std::string::npos);
  EXPECT_NE(testing::RuleErrors("detector", "embargo: [{until: 2025-01-01}]").find("needs 'terms'"),
            std::string::npos);
  EXPECT_NE(testing::RuleErrors("detector", "embargo: [{terms: x, until: 2025-01-01, at: y}]")
                .find("unknown embargo key 'at'"),
            std::string::npos);
}

// --- options
// ---------------------------------------------------------------------------------------

TEST(DetectorOptions, SelectionAndErrors) {
  const std::string text = "Card 4526 0181 5908 3012, mail maria.rossi@gmail.com";
  EXPECT_EQ(Types(text).size(), 2u);
  EXPECT_EQ(Types(text, "detectors: [email]"), One("email"));
  const std::string errors = testing::RuleErrors("detector", "detectors: [credit_cards]");
  EXPECT_NE(errors.find("unknown detector 'credit_cards' (did you mean 'credit_card'?)"),
            std::string::npos)
      << errors;
  EXPECT_NE(testing::RuleErrors("detector", "min_entropy: lots").find("min_entropy"),
            std::string::npos);
}

TEST(DetectorOptions, AllowExactValues) {
  EXPECT_TRUE(
      Types("IBAN IT60 X054 2811 1010 0000 0123 456", "allow: [IT60X0542811101000000123456]")
          .empty());
  EXPECT_TRUE(Types("Card 4526 0181 5908 3012", "allow: ['4526-0181-5908-3012']").empty());
  // Secrets cannot be allowed: they carry no allowlist key.
  EXPECT_EQ(Types("key AKIAY6SPSC3LKR2AQXV9", "allow: [AKIAY6SPSC3LKR2AQXV9]"),
            One("aws_access_key"));
}

TEST(DetectorOptions, UnselectedDetectorsStillClaimTheirDigits) {
  // The card's digits are not re-read as a phone number by a phone-only rule.
  EXPECT_TRUE(Types("tel 4526 0181 5908 3012", "detectors: [phone]").empty());
}

// --- corpus: precision and recall ----------------------------------------------------------------

struct CorpusPost {
  Post post;
  std::vector<std::string> expected;
  std::vector<std::string> secrets;
};

std::vector<CorpusPost> LoadCorpus() {
  std::ifstream in(testing::SourcePath("fixtures/detector/corpus.jsonl"));
  std::vector<CorpusPost> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    const auto j = nlohmann::json::parse(line);
    CorpusPost c;
    c.post = MakePost(j.at("text").get<std::string>());
    c.post.id = j.at("id").get<std::string>();
    c.post.source = "corpus.jsonl";
    c.post.source_line = static_cast<uint32_t>(out.size() + 1);
    c.post.created_at = j.value("created_at", "");
    c.expected = j.at("expected").get<std::vector<std::string>>();
    c.secrets = j.value("secrets", std::vector<std::string>{});
    out.push_back(std::move(c));
  }
  return out;
}

const char* const kCorpusPolicy = R"(
name: corpus
rules:
  - id: confidential
    kind: detector
    level: error
    allow: [press@postlint.dev, support@postlint.dev, '+39 02 1234 5678']
    internal_domains: [corp.acme.com, '*.internal']
    embargo:
      - {terms: [Kestrel], until: 2025-06-01}
)";

std::shared_ptr<const Engine> CorpusEngine() {
  Diagnostics diags;
  auto engine = CompilePolicyString(kCorpusPolicy, "corpus.yaml", diags);
  EXPECT_TRUE(engine) << diags.ToString();
  return engine;
}

TEST(DetectorCorpus, PrecisionAndRecallPerDetector) {
  const auto corpus = LoadCorpus();
  ASSERT_GE(corpus.size(), 150u);
  const auto negatives = std::count_if(corpus.begin(), corpus.end(),
                                       [](const CorpusPost& c) { return c.expected.empty(); });
  EXPECT_GE(static_cast<size_t>(negatives) * 2, corpus.size());
  auto engine = CorpusEngine();
  ASSERT_TRUE(engine);
  struct Counts {
    int tp = 0, fp = 0, fn = 0;
  };
  std::map<std::string, Counts> per;
  Counts all;
  for (const auto& c : corpus) {
    std::multiset<std::string> expected(c.expected.begin(), c.expected.end());
    std::multiset<std::string> found;
    for (const auto& f : engine->Check(c.post).findings)
      found.insert(f.type);
    std::set<std::string> types(expected.begin(), expected.end());
    types.insert(found.begin(), found.end());
    for (const auto& t : types) {
      const int e = static_cast<int>(expected.count(t));
      const int g = static_cast<int>(found.count(t));
      const int tp = std::min(e, g);
      per[t].tp += tp;
      per[t].fp += g - tp;
      per[t].fn += e - tp;
      all.tp += tp;
      all.fp += g - tp;
      all.fn += e - tp;
      if (g != e) {
        std::cout << "  " << c.post.id << ": " << t << " expected " << e << ", found " << g << "\n";
      }
    }
  }
  auto ratio = [](int a, int b) { return b == 0 ? 1.0 : static_cast<double>(a) / b; };
  std::cout << "detector             precision  recall  (tp/fp/fn)\n";
  for (const auto& [t, n] : per) {
    std::printf("%-20s %9.3f %7.3f  (%d/%d/%d)\n", t.c_str(), ratio(n.tp, n.tp + n.fp),
                ratio(n.tp, n.tp + n.fn), n.tp, n.fp, n.fn);
  }
  const double precision = ratio(all.tp, all.tp + all.fp);
  const double recall = ratio(all.tp, all.tp + all.fn);
  std::printf("%-20s %9.3f %7.3f  (%d/%d/%d) over %zu posts, %ld negatives\n", "overall", precision,
              recall, all.tp, all.fp, all.fn, corpus.size(), static_cast<long>(negatives));
  EXPECT_GE(precision, 0.95);
  EXPECT_GE(recall, 0.95);
}

// --- redaction: no report format carries a detected value
// ------------------------------------------

std::vector<std::string> Variants(const std::string& secret) {
  std::vector<std::string> v = {secret};
  std::string compact;
  for (const char c : secret) {
    if (c != ' ' && c != '-' && c != '.' && c != '\n')
      compact.push_back(c);
  }
  v.push_back(compact);
  // Fullwidth digits folded to ASCII, as the detectors see them.
  const MappedText folded = detectors::NormalizeForDetectors(compact);
  v.push_back(folded.text());
  return v;
}

TEST(DetectorRedaction, NoReportFormatContainsASecret) {
  const auto corpus = LoadCorpus();
  auto engine = CorpusEngine();
  ASSERT_TRUE(engine);
  std::vector<PostResult> results;
  std::vector<std::string> secrets;
  for (const auto& c : corpus) {
    if (c.secrets.empty())
      continue;
    PostResult r = engine->Check(c.post);
    // Only values the detectors found can be masked; the corpus test counts the misses.
    if (r.findings.size() < c.expected.size())
      continue;
    for (const auto& s : c.secrets) {
      for (auto& v : Variants(s)) {
        if (v.size() >= 6)
          secrets.push_back(v);
      }
    }
    results.push_back(std::move(r));
  }
  ASSERT_GE(results.size(), 60u);
  for (const auto& format : ReporterNames()) {
    for (const bool color : {false, true}) {
      SCOPED_TRACE(format + (color ? " (color)" : ""));
      std::ostringstream out;
      auto reporter = MakeReporter(format, out, {color, true});
      ASSERT_TRUE(reporter);
      RunSummary summary;
      reporter->Begin(engine->info());
      for (const auto& r : results) {
        reporter->Add(r);
        summary.Add(r);
      }
      reporter->End(summary);
      const std::string bytes = out.str();
      ASSERT_FALSE(bytes.empty());
      if (format == "text" || format == "json" || format == "jsonl") {
        EXPECT_NE(bytes.find("\u2022"), std::string::npos);
      }
      for (const auto& s : secrets)
        EXPECT_EQ(bytes.find(s), std::string::npos) << "leaked: " << s;
    }
  }
}

}  // namespace
}  // namespace postlint
