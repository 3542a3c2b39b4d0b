#include "core/level.h"

namespace postlint {

std::string_view ToString(Level level) {
  switch (level) {
    case Level::kInfo:
      return "info";
    case Level::kWarning:
      return "warning";
    case Level::kError:
      return "error";
  }
  return "error";
}

std::string_view ToString(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "pass";
    case Verdict::kReview:
      return "review";
    case Verdict::kFail:
      return "fail";
    case Verdict::kError:
      return "error";
  }
  return "error";
}

std::optional<Level> ParseLevel(std::string_view s) {
  if (s == "info")
    return Level::kInfo;
  if (s == "warning")
    return Level::kWarning;
  if (s == "error")
    return Level::kError;
  return std::nullopt;
}

std::optional<Verdict> ParseGateVerdict(std::string_view s) {
  if (s == "pass")
    return Verdict::kPass;
  if (s == "review")
    return Verdict::kReview;
  if (s == "fail")
    return Verdict::kFail;
  return std::nullopt;
}

}  // namespace postlint
