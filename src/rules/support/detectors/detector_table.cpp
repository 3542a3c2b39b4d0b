#include "rules/support/detectors/detector_table.h"

#include "rules/support/detectors/recognizers.h"
#include "rules/support/detectors/validators.h"

namespace postlint::detectors {
namespace {

// Priority order: secrets first (a validated key's digits are never a card or a phone), then
// numbers with checksums, identifiers that need context, contact and network details, and the
// phone scanner last, since almost any digit run could be a phone number somewhere.
constexpr Detector kDetectors[] = {
    {
        .name = "private_key",
        .label = "Private key",
        .category = Category::kSecret,
        .patterns = {R"(-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----)"},
        .recognize = RecognizePrivateKey,
        .mask = MaskKeyBlock,
        .is_placeholder = HasNoKeyBody,
    },
    {
        .name = "jwt",
        .label = "JSON Web Token",
        .category = Category::kSecret,
        .patterns = {R"(\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*))"},
        .recognize = RecognizeJwt,
        .validate = JwtValid,
        .mask = MaskJwt,
        .is_placeholder = IsSampleJwt,
    },
    {
        .name = "url_credentials",
        .label = "Password in a URL",
        .category = Category::kSecret,
        .patterns =
            {R"(\b[A-Za-z][A-Za-z0-9+.-]{1,15}://([^\s/:@]{1,64}):([^\s/@]{1,128})@([A-Za-z0-9][A-Za-z0-9.-]*))"},
        .recognize = RecognizeUrlCredentials,
        .mask = MaskUrlCredentials,
        .is_placeholder = LooksLikePlaceholder,
    },
    {
        .name = "slack_webhook",
        .label = "Slack webhook URL",
        .category = Category::kSecret,
        .patterns =
            {R"((https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+-]{20,}))"},
        .recognize = RecognizeSlackWebhook,
        .mask = MaskUrlPath,
        .is_placeholder = IsPlaceholderWebhookPath,
    },
    {
        .name = "aws_access_key",
        .label = "AWS access key id",
        .category = Category::kSecret,
        .patterns = {R"(\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b)"},
        .recognize = RecognizeToken,
        .mask = MaskPrefixAndLast4,
        .is_placeholder = LooksLikePlaceholder,
        .min_entropy = 2.5,
        .prefix = {.length = 4},
    },
    {
        .name = "aws_secret_key",
        .label = "AWS secret access key",
        .category = Category::kSecret,
        .patterns =
            {R"((?i:aws|amazon)[\w .-]{0,25}?(?i:secret|key)[\w .-]{0,20}?[\s:=\x60'"]{1,5}([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$))"},
        .recognize = RecognizeToken,
        .mask = MaskPrefixAndLast4,
        .is_placeholder = LooksLikePlaceholder,
        .min_entropy = 3.5,
    },
    {
        .name = "github_token",
        .label = "GitHub token",
        .category = Category::kSecret,
        .patterns = {R"(\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36})\b)",
                     R"(\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b)"},
        .recognize = RecognizeGithubToken,
        .validate = GithubTokenChecksumValid,
        .mask = MaskPrefixAndLast4,
        .is_placeholder = LooksLikePlaceholder,
        .min_entropy = 3.0,
        .prefix = {.length = 4},
    },
    {
        .name = "gitlab_token",
        .label = "GitLab token",
        .category = Category::kSecret,
        .patterns = {R"(\b(gl(?:pat|dt|rt|ptt|oas|cbt)-[A-Za-z0-9_-]{20,}))"},
        .recognize = RecognizeToken,
        .mask = MaskPrefixAndLast4,
        .is_placeholder = LooksLikePlaceholder,
        .min_entropy = 3.0,
        .prefix = {.through = '-'},
    },
    {
        .name = "slack_token",
        .label = "Slack token",
        .category = Category::kSecret,
        .patterns = {R"(\b(xox[abposr]-[0-9]{6,}-[A-Za-z0-9-]{8,}))",
                     R"(\b(xapp-[0-9]-[A-Z0-9]{6,}-[0-9]{6,}-[a-z0-9]{20,}))"},
        .recognize = RecognizeToken,
        .mask = MaskPrefixAndLast4,
        .is_placeholder = LooksLikePlaceholder,
        .min_entropy = 3.0,
        .prefix = {.through = '-'},
    },
    {
        .name = "stripe_key",
        .label = "Stripe secret key",
        .category = Category::kSecret,
        .patterns = {R"(\b((?:sk|rk)_(?:live|test)_(?:[A-Za-z0-9]{16,99}|\.\.\.|x{4,}|X{4,})))"},
        .recognize = RecognizeStripeKey,
        .mask = MaskPrefixAndLast4,
        .is_placeholder = LooksLikePlaceholder,
        .min_entropy = 3.0,
        .prefix = {.length = 8},
    },
    {
        .name = "google_api_key",
        .label = "Google API key",
        .category = Category::kSecret,
        .patterns = {R"(\b(AIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z_-]|$))"},
        .recognize = RecognizeToken,
        .mask = MaskPrefixAndLast4,
        .is_placeholder = LooksLikePlaceholder,
        .min_entropy = 3.0,
        .prefix = {.length = 4},
    },
    {
        .name = "openai_api_key",
        .label = "OpenAI API key",
        .category = Category::kSecret,
        .patterns =
            {R"(\b(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}))",
             R"(\b(sk-[A-Za-z0-9]{48})\b)", R"(\b(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}))"},
        .recognize = RecognizeToken,
        .mask = MaskPrefixAndLast4,
        .is_placeholder = LooksLikePlaceholder,
        .min_entropy = 3.0,
        .prefix = {.through = '-'},
    },
    {
        .name = "password_assignment",
        .label = "Password or key value",
        .category = Category::kSecret,
        .patterns =
            {R"((?i)(?:^|[^\pL\pN_])(password|passwort|kennwort|wachtwoord|passord|lösenord|salasana|hasło|heslo|contraseña|contrasena|senha|mot de passe|passwd|pwd|passcode|passphrase|api[_-]?key|apikey|api[_-]?secret|secret[_-]?key|client[_-]?secret|access[_-]?token|auth[_-]?token|lozinka|lozinke|lozinku|zaporka|šifra|parola d'accesso|parola|parole|paroli|parolu)(?:\s*[:=]+\s*|\s+(?:is|è|e|je|ir|was|glasi)\s*:?\s*)["'\x60]?([^\s"'\x60]{4,128}))"},
        .recognize = RecognizePasswordAssignment,
        .mask = MaskEverything,
        .is_placeholder = LooksLikePlaceholder,
    },
    {
        .name = "generic_secret",
        .label = "Secret-looking string",
        .category = Category::kSecret,
        .patterns = {R"((?:^|[^A-Za-z0-9+/=_-])([A-Za-z0-9+/=_-]{20,200}))"},
        .prefilter = MentionsContextWord,
        .recognize = RecognizeGenericSecret,
        .mask = MaskFirstAndLast2,
        .is_placeholder = LooksLikePlaceholder,
        .context = kSecretWords,
    },
    {
        .name = "credit_card",
        .label = "Credit card number",
        .category = Category::kPersonal,
        .source = Source::kDigitRun,
        .recognize = RecognizeCreditCard,
        .validate = LuhnValid,
        .mask = MaskFirstAndLast4,
        .is_placeholder = IsTestCardNumber,
    },
    {
        .name = "iban",
        .label = "IBAN",
        .category = Category::kPersonal,
        .patterns = {R"(\b([A-Z]{2}[0-9]{2}(?:[ -]?[A-Z0-9]){11,30}))"},
        .recognize = RecognizeIban,
        .validate = IbanValid,
        .mask = MaskFirstAndLast4,
    },
    {
        .name = "it_fiscal_code",
        .label = "Italian fiscal code",
        .category = Category::kPersonal,
        .patterns =
            {R"(\b([A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z])\b)"},
        .recognize = RecognizeItFiscalCode,
        .validate = ItFiscalCodeValid,
        .mask = MaskLast2,
        .is_placeholder = IsSampleFiscalCode,
    },
    {
        .name = "lv_personal_code",
        .label = "Latvian personal code",
        .category = Category::kPersonal,
        .source = Source::kDigitRun,
        .recognize = RecognizeLvPersonalCode,
        .validate = LvPersonalCodeValid,
        .mask = MaskLast2,
        .context = kLvWords,
    },
    {
        .name = "hr_oib",
        .label = "Croatian OIB",
        .category = Category::kPersonal,
        .source = Source::kDigitRun,
        .recognize = RecognizeHrOib,
        .validate = OibValid,
        .mask = MaskLast2,
        .context = kOibWords,
    },
    {
        .name = "us_ssn",
        .label = "US Social Security number",
        .category = Category::kPersonal,
        .source = Source::kDigitRun,
        .recognize = RecognizeUsSsn,
        .validate = UsSsnValid,
        .mask = MaskLast4,
        .is_placeholder = IsSampleSsn,
        .context = kSsnWords,
    },
    {
        .name = "email",
        .label = "E-mail address",
        .category = Category::kPersonal,
        .patterns =
            {R"(([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})@([A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24})\b)"},
        .recognize = RecognizeEmail,
        .mask = MaskMailbox,
        .is_placeholder = IsPlaceholderMailbox,
    },
    {
        .name = "internal_host",
        .label = "Internal host name",
        .category = Category::kInternal,
        .patterns =
            {R"((?i)(?:^|[^A-Za-z0-9.@-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62})\b)"},
        .prefilter = MentionsInternalDomain,
        .recognize = RecognizeInternalHost,
        .mask = MaskInternalHost,
    },
    {
        .name = "ip_address",
        .label = "IP address",
        .category = Category::kInternal,
        .patterns =
            {R"(\b((?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3})\b)",
             R"((?i)(?:^|[^0-9a-z:])((?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}))"},
        .recognize = RecognizeIpAddress,
        .mask = MaskAddress,
        .is_placeholder = IsDocumentationAddress,
    },
    {
        .name = "phone",
        .label = "Phone number",
        .category = Category::kPersonal,
        .source = Source::kPhone,
        .recognize = RecognizePhone,
        .mask = MaskPhoneNumber,
        .is_placeholder = IsFictionalPhoneNumber,
        .context = kPhoneWords,
    },
    {
        .name = "embargo",
        .label = "Embargoed term",
        .category = Category::kEmbargo,
        .source = Source::kPolicyTerm,
        .mask = MaskFirstLetter,
    },
};

}  // namespace

// Checked by tests/meta/detector_table_test.cpp rather than a static_assert: comparing function
// pointers is not a constant expression in sanitizer builds.
bool RowsAreWellFormed() {
  for (const Detector& d : kDetectors) {
    const bool has_pattern = !d.patterns[0].empty();
    if (has_pattern != (d.source == Source::kPattern) || d.mask == nullptr)
      return false;
    if ((d.recognize == nullptr) != (d.source == Source::kPolicyTerm))
      return false;
    if (d.prefilter != nullptr && d.source != Source::kPattern)
      return false;
  }
  return true;
}

namespace {

constexpr bool NamesAreUnique() {
  for (size_t i = 0; i < std::size(kDetectors); ++i) {
    for (size_t j = i + 1; j < std::size(kDetectors); ++j) {
      if (kDetectors[i].name == kDetectors[j].name)
        return false;
    }
  }
  return true;
}
static_assert(NamesAreUnique(), "detector names are what policies select; they must be unique");

}  // namespace

std::span<const Detector> Detectors() {
  return kDetectors;
}

int DetectorIndex(std::string_view name) {
  for (size_t i = 0; i < std::size(kDetectors); ++i) {
    if (kDetectors[i].name == name)
      return static_cast<int>(i);
  }
  return -1;
}

int IndexOf(const Detector& d) {
  return static_cast<int>(&d - kDetectors);
}

}  // namespace postlint::detectors
