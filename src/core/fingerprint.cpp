#include "core/fingerprint.h"

#include <algorithm>
#include <vector>

#include "core/hash.h"

namespace postlint {

namespace {

// "NAME:LEN:VALUE\n": length-prefixed (core/hash.h), so no two posts encode alike.
void AppendField(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ':';
  AppendLengthPrefixed(out, value);
  out += '\n';
}

}  // namespace

std::string PostFingerprint(const Post& post) {
  std::string encoded = "postlint-post-v1\n";
  AppendField(encoded, "text", post.text);
  std::vector<std::string> networks = post.networks;
  std::sort(networks.begin(), networks.end());
  networks.erase(std::unique(networks.begin(), networks.end()), networks.end());
  for (const auto& n : networks)
    AppendField(encoded, "network", n);
  AppendField(encoded, "account", post.account);
  AppendField(encoded, "sponsored",
              post.sponsored.has_value() ? (*post.sponsored ? "true" : "false") : "");
  AppendField(encoded, "lang", post.lang);
  for (const auto& m : post.media)
    AppendField(encoded, "alt", m.alt_text);
  for (const auto& [key, value] : post.labels) {  // std::map: sorted by key
    AppendField(encoded, "label", key);
    AppendField(encoded, "value", value);
  }
  return Sha256Hex(encoded);
}

std::string ShortFingerprint(const std::string& fingerprint) {
  return fingerprint.substr(0, 12);
}

}  // namespace postlint
