// Redaction: what keeps a detected secret inside postlint. The rules mark the spans of a post
// that are secret (a card number, a token, a password, a URL's `token=` value) together with
// the masked form they show instead; the engine then passes every string it derived from the
// post through one Redactor before the result leaves the check path, and masks the post's own
// text in place. Reporters, the decision log, the HTTP service and the C API therefore only
// ever see masked secrets, whichever finding's excerpt, message or fix happens to cover them.
//
//   Redactor r(text, {{{10, 29}, "4526 •••• •••• 3012"}});
//   r.Scrub("over the limit: 0181 5908 3012")  // -> "over the limit: ••••••••••••••"
//   r.Covers("see 4526 0181 5908 3012")        // -> true
//   r.MaskInPlace(text);  // "4526 **** **** 3012": same bytes, same code points
//
// Thread-compatible: a Redactor belongs to the check of one post.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"

namespace postlint {

// A secret a rule found: where it is in the checked text, and how reports may show it.
struct SensitiveSpan {
  ByteRange range;
  std::string mask;  // e.g. "4526 •••• •••• 3012"; what the detector's excerpt shows
};

class Redactor {
 public:
  // The secrets of `text` at `spans`. Spans out of range are clamped; empty ones ignored.
  Redactor(std::string_view text, const std::vector<SensitiveSpan>& spans);

  bool empty() const { return secrets_.empty(); }

  // `s` with every whole secret replaced by its mask and every other run of a secret that is
  // kMinRun bytes or longer (an excerpt that starts or ends inside a secret) by bullets. Runs are
  // also found with separators (spaces, dashes, dots) ignored, so "4526-0181-5908-3012" and
  // "4526018159083012" are the same card.
  std::string Scrub(std::string_view s) const;

  // True when Scrub() would change `s`: `s` reveals part of a secret.
  bool Covers(std::string_view s) const;

  // Masks every span of `text` (the text the spans index) without changing its length in bytes
  // or code points, so every offset and line:column into it stays valid: what the mask shows
  // stays, whitespace and separators stay (a key block keeps its lines), every other character
  // becomes '*' (or a dot or bullet of the same UTF-8 length).
  void MaskInPlace(std::string& text) const;

  // Shortest part of a secret that counts as revealing it (when the secret is shorter, the
  // whole secret).
  static constexpr size_t kMinRun = 8;

 private:
  struct Secret {
    ByteRange range;
    std::string raw;               // as written
    std::vector<bool> hidden_raw;  // per byte of `raw`: the mask hides it
    std::string compact;           // without separators
    std::vector<bool> hidden;      // per byte of `compact`: the mask hides it
    std::string mask;
  };
  // Byte ranges of `s` to replace, each with its replacement, sorted and disjoint.
  struct Cut {
    size_t begin;
    size_t end;
    std::string with;
  };
  std::vector<Cut> CutsIn(std::string_view s) const;

  std::vector<Secret> secrets_;
};

// A short quote of input postlint could not read, for an error message. No detector has looked
// at it, so it may hold anything: at most `max_code_points` are kept (then "…"), control
// characters are escaped, and every run that could be a card or account number (12 or more
// digits, with or without separators) or a key, token or password (a word of 16 or more
// characters, or of 8 or more with a digit in it, dates excepted) becomes bullets.
//
//   QuoteUntrusted("card 4526 0181 5908 3012, ok")  // -> "card •••• •••• •••• ••••, ok"
std::string QuoteUntrusted(std::string_view s, size_t max_code_points = 40);

// A JSON parser's message with the input it quotes ("...; last read: '<input>'") cut short and
// redacted by QuoteUntrusted: an invalid line may be megabytes long and hold a secret. Messages
// that quote nothing are returned as they are.
std::string QuoteLastRead(const std::string& message);

}  // namespace postlint
