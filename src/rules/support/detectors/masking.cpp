#include "rules/support/detectors/masking.h"

#include <algorithm>

#include "rules/support/detectors/validators.h"

namespace postlint::detectors {

std::string MaskKeyBlock(const MaskParts& parts) {
  return std::string(parts.before) + "\u2022\u2022\u2022\u2022";
}

std::string MaskJwt(const MaskParts& parts) {
  const std::string_view v = parts.value;
  return MaskMiddle(v.substr(0, std::min<size_t>(v.size(), 40)), 3, 0) + "\u2026";
}

std::string MaskUrlCredentials(const MaskParts& parts) {
  return std::string(parts.before) + std::string(parts.value.substr(0, 1)) +
         "\u2022\u2022\u2022:\u2022\u2022\u2022\u2022"
         "\u2022\u2022\u2022\u2022@" +
         std::string(parts.after);
}

std::string MaskUrlPath(const MaskParts& parts) {
  return std::string(parts.before) + "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022";
}

std::string MaskPrefixAndLast4(const MaskParts& parts) {
  return MaskMiddle(parts.value, parts.keep, 4);
}

std::string MaskEverything(const MaskParts&) {
  return "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022";
}

std::string MaskFirstAndLast2(const MaskParts& parts) {
  return MaskMiddle(parts.value, 2, 2);
}

std::string MaskFirstAndLast4(const MaskParts& parts) {
  return MaskMiddle(parts.value, 4, 4);
}

std::string MaskLast2(const MaskParts& parts) {
  return MaskMiddle(parts.value, 0, 2);
}

std::string MaskLast4(const MaskParts& parts) {
  return MaskMiddle(parts.value, 0, 4);
}

std::string MaskMailbox(const MaskParts& parts) {
  return MaskMiddle(parts.value, 1, 0) + "@" + std::string(parts.after);
}

std::string MaskAddress(const MaskParts& parts) {
  return MaskMiddle(parts.value, parts.keep, 0);
}

std::string MaskInternalHost(const MaskParts& parts) {
  std::string masked =
      std::string(parts.before) + MaskMiddle(parts.value, 0, 0) + std::string(parts.after);
  if (parts.more)
    masked += "/\u2026";
  return masked;
}

std::string MaskPhoneNumber(const MaskParts& parts) {
  return MaskMiddle(parts.value, parts.keep, 2);
}

std::string MaskFirstLetter(const MaskParts& parts) {
  return MaskMiddle(parts.value, 1, 0);
}

}  // namespace postlint::detectors
