// What a rule reports. Findings are plain data anchored in the post's original text by byte
// offsets; reporters turn offsets into code points, UTF-16 units and line:column.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/level.h"

namespace postlint {

// Half-open byte range [begin, end) into Post::text.
struct ByteRange {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t size() const { return end - begin; }
  bool empty() const { return begin == end; }
  friend bool operator==(const ByteRange&, const ByteRange&) = default;
};

// Why a finding no longer counts towards the verdict: someone with the right accepted it as a
// risk (`postlint waive`). Suppressed findings stay in every report, marked; nothing hides them.
struct Suppression {
  std::string waiver;  // the waiver's id in the decision log, e.g. "w17"
  std::string by;      // who waived it
  std::string role;    // in which role
  std::string reason;
  std::string until;  // expiry, RFC 3339 UTC
};

struct Finding {
  std::string rule;  // rule instance id from the policy, e.g. "no-profanity"
  std::string kind;  // rule kind, e.g. "terms"
  Level level = Level::kWarning;
  std::string message;  // placeholders already expanded
  ByteRange range;      // what to underline; may be empty for whole-post findings at 0
  // What the writer typed at `range`, or a masked form when the match is sensitive. Filled when
  // the finding is created, so no reporter can leak a secret.
  std::string excerpt;
  std::optional<std::string> fix;  // replacement text for `range`, when the rule knows one
  std::string network;             // set by network-specific rules ("x", "bluesky", ...)
  std::string type;                // optional sub-type (e.g. a detector name)
  // Which text of the post the finding is about: "" for the post's text (and `range` points
  // into it), or another field that is checked too, e.g. "media[0].alt_text" (then `range` is
  // empty at 0 and the excerpt says what was found there).
  std::string field;
  std::optional<Suppression> suppression;  // set by the gate when a waiver applies
};

}  // namespace postlint
