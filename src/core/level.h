// Finding levels and post verdicts, with their stable spellings (used in policies and reports).
#pragma once

#include <optional>
#include <string_view>

namespace postlint {

// How serious one finding is. Ordered: kInfo < kWarning < kError.
enum class Level { kInfo = 0, kWarning = 1, kError = 2 };

// What the approval gate does with a post. kError means the post could not be read or checked;
// it is never produced by rules. Ordered by severity of outcome: kPass < kReview < kFail < kError.
enum class Verdict { kPass = 0, kReview = 1, kFail = 2, kError = 3 };

std::string_view ToString(Level level);      // "info" | "warning" | "error"
std::string_view ToString(Verdict verdict);  // "pass" | "review" | "fail" | "error"
std::optional<Level> ParseLevel(std::string_view s);
// Parses "pass" | "review" | "fail" (never "error", which is not a gate outcome).
std::optional<Verdict> ParseGateVerdict(std::string_view s);

}  // namespace postlint
