#include "core/redaction.h"

#include <algorithm>
#include <utility>

#include "core/utf8.h"

namespace postlint {

namespace {

constexpr std::string_view kBullet = "•";

// Characters people put between the groups of a number or a key; a secret is the same secret
// with or without them.
bool IsSeparator(char c) {
  return c == ' ' || c == '-' || c == '.' || c == '\t';
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// A character of the same UTF-8 length as the one it hides.
std::string_view FillerOfLength(size_t n) {
  switch (n) {
    case 2:
      return "\xC2\xB7";  // U+00B7 MIDDLE DOT
    case 3:
      return kBullet;  // U+2022 BULLET
    case 4:
      return "\xF0\x9F\x9E\x84";  // U+1F784 BLACK SLIGHTLY SMALL CIRCLE
    default:
      return "*";
  }
}

// Which bytes of `raw` the mask hides. The mask is read as a pattern over `raw`: its bullets
// (and a trailing "…") stand for hidden characters, everything else for itself, so
// "4526 •••• •••• 3012" shows "4526", "3012" and the spaces, and "https://•••••••.corp.acme.com/…"
// shows the scheme and the domain. A mask that does not read that way hides everything.
std::vector<bool> HiddenBytes(std::string_view raw, std::string_view mask) {
  constexpr std::string_view kEllipsis = "…";
  std::vector<bool> hidden(raw.size(), false);
  size_t i = 0;
  size_t j = 0;
  while (j < mask.size()) {
    // Bytes of the hiding character at mask[j], 0 when mask[j] stands for itself.
    auto hider_at = [&](size_t at) -> size_t {
      for (std::string_view hider : {kBullet, kEllipsis}) {
        if (mask.compare(at, hider.size(), hider) == 0)
          return hider.size();
      }
      return 0;
    };
    if (hider_at(j) > 0) {
      // A run of bullets hides raw characters up to the mask's next literal character.
      while (j < mask.size() && hider_at(j) > 0)
        j += hider_at(j);
      if (j == mask.size()) {
        std::fill(hidden.begin() + static_cast<std::ptrdiff_t>(i), hidden.end(), true);
        return hidden;
      }
      const size_t next = raw.find(mask[j], i + 1 <= raw.size() ? i + 1 : raw.size());
      if (next == std::string_view::npos)
        break;
      std::fill(hidden.begin() + static_cast<std::ptrdiff_t>(i),
                hidden.begin() + static_cast<std::ptrdiff_t>(next), true);
      i = next;
      continue;
    }
    if (i >= raw.size() || raw[i] != mask[j])
      break;
    ++i;
    ++j;
  }
  if (j < mask.size())  // the mask is not a pattern over raw: hide it all
    return std::vector<bool>(raw.size(), true);
  std::fill(hidden.begin() + static_cast<std::ptrdiff_t>(i), hidden.end(), true);
  return hidden;
}

// `s` without separators, with the byte offset in `s` of each kept byte.
struct CompactView {
  std::string bytes;
  std::vector<size_t> origin;
};

CompactView Compact(std::string_view s) {
  CompactView v;
  v.bytes.reserve(s.size());
  v.origin.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsSeparator(s[i]))
      continue;
    v.bytes.push_back(s[i]);
    v.origin.push_back(i);
  }
  return v;
}

}  // namespace

Redactor::Redactor(std::string_view text, const std::vector<SensitiveSpan>& spans) {
  for (const auto& span : spans) {
    ByteRange r = span.range;
    r.end = std::min<uint32_t>(r.end, static_cast<uint32_t>(text.size()));
    r.begin = std::min(r.begin, r.end);
    if (r.empty())
      continue;
    Secret s;
    s.range = r;
    s.raw = std::string(text.substr(r.begin, r.size()));
    s.mask = span.mask;
    s.hidden_raw = HiddenBytes(s.raw, s.mask);
    // The compact form, and which of its bytes the mask hides: a run must include one of
    // those to reveal anything ("-----BEGIN PRIVATE KEY-----" alone is no secret).
    for (size_t i = 0; i < s.raw.size(); ++i) {
      if (IsSeparator(s.raw[i]))
        continue;
      s.compact.push_back(s.raw[i]);
      s.hidden.push_back(s.hidden_raw[i]);
    }
    if (std::find(s.hidden.begin(), s.hidden.end(), true) == s.hidden.end())
      continue;
    secrets_.push_back(std::move(s));
  }
}

std::vector<Redactor::Cut> Redactor::CutsIn(std::string_view s) const {
  std::vector<Cut> cuts;
  if (secrets_.empty() || s.empty())
    return cuts;
  // Whole secrets, as written, become their masks.
  for (const auto& secret : secrets_) {
    for (size_t at = s.find(secret.raw); at != std::string_view::npos;
         at = s.find(secret.raw, at + secret.raw.size())) {
      cuts.push_back({at, at + secret.raw.size(), secret.mask});
    }
  }
  std::sort(cuts.begin(), cuts.end(), [](const Cut& a, const Cut& b) { return a.begin < b.begin; });
  std::vector<Cut> disjoint;
  for (auto& c : cuts) {
    if (disjoint.empty() || c.begin >= disjoint.back().end)
      disjoint.push_back(std::move(c));
  }
  // Parts of secrets, separators ignored, become bullets.
  const CompactView view = Compact(s);
  std::vector<bool> taken(s.size(), false);
  for (const auto& c : disjoint)
    std::fill(taken.begin() + static_cast<std::ptrdiff_t>(c.begin),
              taken.begin() + static_cast<std::ptrdiff_t>(c.end), true);
  std::vector<std::pair<size_t, size_t>> runs;  // compact [begin, end)
  for (size_t i = 0; i < view.bytes.size();) {
    size_t best = 0;
    for (const auto& secret : secrets_) {
      const size_t needed = std::min(kMinRun, secret.compact.size());
      for (size_t j = 0; j < secret.compact.size(); ++j) {
        size_t n = 0;
        bool hides = false;
        while (i + n < view.bytes.size() && j + n < secret.compact.size() &&
               !taken[view.origin[i + n]] && view.bytes[i + n] == secret.compact[j + n]) {
          hides = hides || secret.hidden[j + n];
          ++n;
        }
        if (n >= needed && hides && n > best)
          best = n;
      }
    }
    if (best == 0) {
      ++i;
      continue;
    }
    runs.emplace_back(i, i + best);
    i += best;
  }
  for (const auto& [b, e] : runs) {
    const size_t begin = view.origin[b];
    size_t end = view.origin[e - 1] + 1;
    while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80)
      ++end;
    std::string with;
    for (size_t k = begin; k < end;) {
      const size_t n = std::min(Utf8SequenceLength(static_cast<unsigned char>(s[k])), end - k);
      if (IsSeparator(s[k]))
        with += s[k];
      else
        with += kBullet;
      k += n;
    }
    disjoint.push_back({begin, end, std::move(with)});
  }
  std::sort(disjoint.begin(), disjoint.end(),
            [](const Cut& a, const Cut& b) { return a.begin < b.begin; });
  return disjoint;
}

std::string Redactor::Scrub(std::string_view s) const {
  const std::vector<Cut> cuts = CutsIn(s);
  if (cuts.empty())
    return std::string(s);
  std::string out;
  out.reserve(s.size());
  size_t at = 0;
  for (const auto& c : cuts) {
    if (c.begin < at)
      continue;
    out.append(s.substr(at, c.begin - at));
    out += c.with;
    at = c.end;
  }
  out.append(s.substr(at));
  return out;
}

bool Redactor::Covers(std::string_view s) const {
  return !CutsIn(s).empty();
}

void Redactor::MaskInPlace(std::string& text) const {
  for (const auto& secret : secrets_) {
    if (secret.range.end > text.size())
      continue;
    const size_t begin = secret.range.begin;
    const size_t end = secret.range.end;
    for (size_t k = begin; k < end;) {
      const size_t n = std::min(Utf8SequenceLength(static_cast<unsigned char>(text[k])), end - k);
      if (secret.hidden_raw[k - begin] && !IsSpace(text[k]) && !IsSeparator(text[k]))
        text.replace(k, n, FillerOfLength(n));
      k += n;
    }
  }
}

namespace {

bool IsDigitChar(char c) {
  return c >= '0' && c <= '9';
}

bool IsWordBreak(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\'' || c == '"' || c == '`' ||
         c == ',' || c == ';' || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '<' || c == '>';
}

// "2024-13-01", "31/12/2024", "2024-01-01T10:00:00Z": shown, so a writer sees which date failed.
bool IsDateLike(std::string_view word) {
  bool separator = false;
  for (char c : word) {
    if (c == '-' || c == '/' || c == ':' || c == '.')
      separator = true;
    else if (!IsDigitChar(c) && c != 'T' && c != 'Z' && c != '+')
      return false;
  }
  return separator && word.size() <= 30;
}

// Replaces [begin, end) of `s` by bullets, keeping separators.
void Bullets(std::string& s, size_t begin, size_t end) {
  std::string with;
  for (size_t k = begin; k < end; ++k)
    with += IsSeparator(s[k]) ? std::string(1, s[k]) : std::string(kBullet);
  s.replace(begin, end - begin, with);
}

}  // namespace

std::string QuoteUntrusted(std::string_view s, size_t max_code_points) {
  // Mask on the whole input first, so a cut never leaves the visible half of a secret.
  std::string out = SanitizeUtf8(s);
  // Words (runs between spaces and quotes) of 16 or more characters, or 8 or more with a digit,
  // unless they are dates: keys, tokens, passwords. A single pass, so bullets are never re-read.
  for (size_t i = 0; i < out.size();) {
    if (IsWordBreak(out[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    bool digit = false;
    while (end < out.size() && !IsWordBreak(out[end])) {
      digit = digit || IsDigitChar(out[end]);
      ++end;
    }
    const std::string_view word(out.data() + i, end - i);
    // Long words too, digits or not: a random key can be all letters, and no word a writer
    // needs to recognise in an error is that long.
    if ((word.size() >= 16 || (word.size() >= 8 && digit)) && !IsDateLike(word) &&
        word.find(kBullet) == std::string_view::npos) {
      const size_t before = out.size();
      Bullets(out, i, end);
      end += out.size() - before;
    }
    i = end;
  }
  // Card and account numbers written in groups: 12 or more digits with single separators.
  for (size_t i = 0; i < out.size();) {
    if (!IsDigitChar(out[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    size_t digits = 0;
    while (end < out.size()) {
      if (IsDigitChar(out[end])) {
        ++digits;
        ++end;
      } else if (IsSeparator(out[end]) && end + 1 < out.size() && IsDigitChar(out[end + 1])) {
        ++end;
      } else {
        break;
      }
    }
    if (digits >= 12) {
      const size_t before = out.size();
      Bullets(out, i, end);
      end += out.size() - before;
    }
    i = end;
  }
  std::string shown;
  size_t at = 0;
  for (size_t n = 0; n < max_code_points && at < out.size(); ++n) {
    const size_t from = at;
    DecodeUtf8(out, at);
    shown.append(out, from, at - from);
  }
  if (at < out.size())
    shown += "…";
  return EscapeControls(shown);
}

std::string QuoteLastRead(const std::string& message) {
  constexpr std::string_view kLastRead = "last read: '";
  const size_t open = message.find(kLastRead);
  if (open == std::string::npos)
    return message;
  const size_t begin = open + kLastRead.size();
  const size_t close = message.rfind('\'');
  if (close == std::string::npos || close < begin)
    return message;
  return message.substr(0, begin) + QuoteUntrusted(message.substr(begin, close - begin), 24) +
         message.substr(close);
}

}  // namespace postlint
