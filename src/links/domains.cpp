#include "links/domains.h"

#include <fstream>
#include <libpsl.h>
#include <memory>
#include <sstream>

#include <unicode/uidna.h>
#include <unicode/uspoof.h>

#include "core/data_dir.h"
#include "links/url.h"

namespace postlint::links {
namespace {

const psl_ctx_t* Psl() {
  // psl_latest prefers the system's (newer) list; built-in data is the fallback.
  static const psl_ctx_t* psl = [] {
    const psl_ctx_t* p = psl_latest(nullptr);
    return p ? p : psl_builtin();
  }();
  return psl;
}

const UIDNA* Idna() {
  static UIDNA* idna = [] {
    UErrorCode status = U_ZERO_ERROR;
    UIDNA* u = uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE |
                                   UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ,
                               &status);
    return U_SUCCESS(status) ? u : nullptr;
  }();
  return idna;
}

const USpoofChecker* Spoof() {
  static USpoofChecker* checker = [] {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker* c = uspoof_open(&status);
    return U_SUCCESS(status) ? c : nullptr;
  }();
  return checker;
}

}  // namespace

std::string RegistrableDomain(std::string_view ascii_host) {
  if (ascii_host.find('.') == std::string_view::npos)
    return "";
  const std::string host(ascii_host);
  const char* reg = psl_registrable_domain(Psl(), host.c_str());
  return reg ? std::string(reg) : "";
}

bool IsPublicSuffix(std::string_view ascii_host) {
  const std::string host(ascii_host);
  return psl_is_public_suffix(Psl(), host.c_str()) != 0;
}

std::optional<std::string> ToAscii(std::string_view host, std::string* error) {
  const UIDNA* idna = Idna();
  if (!idna) {
    if (error)
      *error = "IDNA is not available";
    return std::nullopt;
  }
  UErrorCode status = U_ZERO_ERROR;
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  std::string out(host.size() * 4 + 64, '\0');
  const int32_t n =
      uidna_nameToASCII_UTF8(idna, host.data(), static_cast<int32_t>(host.size()), out.data(),
                             static_cast<int32_t>(out.size()), &info, &status);
  // Labels longer than 63 bytes and hyphen rules are not our business: hosts in posts come from
  // twitter-text, and curl reports what cannot be resolved. Real IDNA errors are.
  const uint32_t serious =
      info.errors &
      ~(UIDNA_ERROR_LABEL_TOO_LONG | UIDNA_ERROR_DOMAIN_NAME_TOO_LONG | UIDNA_ERROR_HYPHEN_3_4 |
        UIDNA_ERROR_LEADING_HYPHEN | UIDNA_ERROR_TRAILING_HYPHEN | UIDNA_ERROR_EMPTY_LABEL);
  if (U_FAILURE(status) || serious != 0) {
    if (error)
      *error = "'" + std::string(host) + "' is not a valid internationalised domain name";
    return std::nullopt;
  }
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string ToUnicode(std::string_view ascii_host) {
  const UIDNA* idna = Idna();
  if (!idna)
    return std::string(ascii_host);
  UErrorCode status = U_ZERO_ERROR;
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  std::string out(ascii_host.size() * 4 + 64, '\0');
  const int32_t n =
      uidna_nameToUnicodeUTF8(idna, ascii_host.data(), static_cast<int32_t>(ascii_host.size()),
                              out.data(), static_cast<int32_t>(out.size()), &info, &status);
  if (U_FAILURE(status))
    return std::string(ascii_host);
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string Skeleton(std::string_view text) {
  const USpoofChecker* checker = Spoof();
  if (!checker)
    return std::string(text);
  std::string out(text.size() * 4 + 16, '\0');
  UErrorCode status = U_ZERO_ERROR;
  int32_t n = uspoof_getSkeletonUTF8(checker, 0, text.data(), static_cast<int32_t>(text.size()),
                                     out.data(), static_cast<int32_t>(out.size()), &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    out.assign(static_cast<size_t>(n) + 1, '\0');
    status = U_ZERO_ERROR;
    n = uspoof_getSkeletonUTF8(checker, 0, text.data(), static_cast<int32_t>(text.size()),
                               out.data(), static_cast<int32_t>(out.size()), &status);
  }
  if (U_FAILURE(status))
    return std::string(text);
  out.resize(static_cast<size_t>(n));
  return out;
}

bool DomainMatches(std::string_view host, std::string_view domain) {
  if (domain.empty() || host.size() < domain.size())
    return false;
  if (host == domain)
    return true;
  return host.size() > domain.size() && host.substr(host.size() - domain.size()) == domain &&
         host[host.size() - domain.size() - 1] == '.';
}

DomainSet::DomainSet(const std::vector<std::string>& domains) {
  for (const auto& d : domains) {
    if (!d.empty())
      domains_.insert(d);
  }
}

bool DomainSet::Matches(std::string_view host) const {
  if (domains_.empty())
    return false;
  // The host itself, then each parent: "a.b.bit.ly" -> "b.bit.ly" -> "bit.ly" -> "ly".
  for (;;) {
    if (domains_.find(host) != domains_.end())
      return true;
    const size_t dot = host.find('.');
    if (dot == std::string_view::npos)
      return false;
    host.remove_prefix(dot + 1);
  }
}

std::vector<std::string> ParseDomainList(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    if (const size_t hash = line.find('#'); hash != std::string::npos)
      line.resize(hash);
    const size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos)
      continue;
    const size_t e = line.find_last_not_of(" \t\r");
    out.push_back(ToLowerAscii(line.substr(b, e - b + 1)));
  }
  return out;
}

const std::vector<std::string>& ShippedShorteners() {
  static const std::vector<std::string> list = [] {
    std::ifstream in(DataDir() + "/data/shorteners.txt");
    std::stringstream s;
    s << in.rdbuf();
    return ParseDomainList(s.str());
  }();
  return list;
}

}  // namespace postlint::links
