// twitter-text 3.x entity extraction and weighted length, reimplemented as hand-written scanners.
// The approach, the decoded text and the character classes: twitter_text_internal.h.
#include "analysis/twitter_text.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>

#include "analysis/twitter_text_internal.h"
#include "analysis/twitter_tlds.inc"

namespace postlint::twitter {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

#include "analysis/twitter_tlds.inc"

// ---------------------------------------------------------------------------------------------
// TLDs and punycode

bool IsKnownTld(std::string_view lower) {
  return std::binary_search(std::begin(kTwitterTlds), std::end(kTwitterTlds), lower);
}

// End of (?:validGTLD|validCCTLD|validPunycode) starting at p, with the TLD lookahead evaluated
// against `limit` (the end of the string the expression runs on), or -1.
int64_t TldEnd(const CodePoints& t, size_t p, size_t limit) {
  char buf[kMaxTldCodePoints * 4];
  size_t len = 0;
  int64_t best = -1;
  for (size_t k = 0; k < static_cast<size_t>(kMaxTldCodePoints) && p + k < limit; ++k) {
    char32_t c = t.cp[p + k];
    if (c < 0x80) {
      if (!IsAsciiAlnum(c))
        break;  // every TLD in the list is letters and digits
      buf[len++] = static_cast<char>(ToLowerAscii(c));
    } else {
      len += EncodeUtf8(static_cast<char32_t>(u_tolower(static_cast<UChar32>(c))), buf + len);
    }
    size_t next = p + k + 1;
    bool boundary = next >= limit || !BlocksTldEnd(t.cp[next]);
    // Alternatives that share a prefix cannot both end at a boundary unless the longer one
    // continues with a non-ASCII letter; upstream's list is reverse-sorted, so longest wins.
    if (boundary && IsKnownTld(std::string_view(buf, len)))
      best = static_cast<int64_t>(next);
  }
  if (best >= 0)
    return best;
  // validPunycode: xn--[0-9a-z]+ (no lookahead)
  if (p + 4 < limit && StartsWithAsciiNoCase(t, p, "xn--") && IsAsciiAlnum(t.cp[p + 4])) {
    size_t e = p + 5;
    while (e < limit && IsAsciiAlnum(t.cp[e]))
      ++e;
    return static_cast<int64_t>(e);
  }
  return -1;
}

// Length of the RFC 3492 encoding of `cps` (without the "xn--" prefix), or -1 on overflow.
int64_t PunycodeLength(const char32_t* cps, size_t n) {
  constexpr uint32_t kBase = 36, kTMin = 1, kTMax = 26, kSkew = 38, kDamp = 700;
  constexpr uint32_t kInitialBias = 72, kInitialN = 128;
  constexpr uint64_t kMaxInt = 0x7FFFFFFF;
  auto adapt = [](uint64_t delta, uint64_t num_points, bool first) {
    delta = first ? delta / kDamp : delta / 2;
    delta += delta / num_points;
    uint64_t k = 0;
    while (delta > ((kBase - kTMin) * kTMax) / 2) {
      delta /= kBase - kTMin;
      k += kBase;
    }
    return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
  };
  int64_t out = 0;
  uint64_t basic = 0;
  for (size_t i = 0; i < n; ++i) {
    if (cps[i] < 0x80)
      ++basic;
  }
  out = static_cast<int64_t>(basic) + (basic > 0 ? 1 : 0);
  uint64_t cur = kInitialN, delta = 0, bias = kInitialBias, handled = basic;
  while (handled < n) {
    uint64_t m = kMaxInt + 1;
    for (size_t i = 0; i < n; ++i) {
      if (cps[i] >= cur && cps[i] < m)
        m = cps[i];
    }
    if ((m - cur) > (kMaxInt - delta) / (handled + 1))
      return -1;
    delta += (m - cur) * (handled + 1);
    cur = m;
    for (size_t i = 0; i < n; ++i) {
      if (cps[i] < cur && ++delta > kMaxInt)
        return -1;
      if (cps[i] == cur) {
        uint64_t q = delta;
        for (uint64_t k = kBase;; k += kBase) {
          uint64_t th = k <= bias ? kTMin : (k >= bias + kTMax ? kTMax : k - bias);
          if (q < th)
            break;
          ++out;
          q = (q - th) / (kBase - th);
        }
        ++out;
        bias = adapt(delta, handled + 1, handled == basic);
        delta = 0;
        ++handled;
      }
    }
    ++delta;
    ++cur;
  }
  return out;
}

inline bool IsPunycodeSeparator(char32_t c) {
  return c == '.' || c == 0x3002 || c == 0xFF0E || c == 0xFF61;
}

// Length of punycode.toASCII(label) as the npm punycode module computes it: the label is split
// again at the ideographic full stops, each part encoded when it is not ASCII.
int64_t PunycodeToAsciiLength(const CodePoints& t, size_t b, size_t e) {
  int64_t total = 0;
  size_t part = b;
  for (size_t i = b; i <= e; ++i) {
    if (i < e && !IsPunycodeSeparator(t.cp[i]))
      continue;
    // Encoding never shortens a part, so anything this long fails the 63-character limit
    // without running the quadratic encoder.
    if (i - part > 63)
      return 64;
    bool ascii = true;
    for (size_t k = part; k < i; ++k)
      ascii = ascii && t.cp[k] < 0x80;
    if (ascii) {
      total += static_cast<int64_t>(i - part);
    } else {
      int64_t n = PunycodeLength(t.cp.data() + part, i - part);
      if (n < 0)
        return -1;
      total += 4 + n;
    }
    if (i < e)
      ++total;  // the '.' joining the parts
    part = i + 1;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// URLs

struct UrlCandidate {
  size_t begin = 0;         // start of the URL (scheme when present)
  size_t domain_begin = 0;  // start of the domain
  size_t domain_end = 0;
  size_t end = 0;
  bool has_protocol = false;
  bool has_path = false;
};

// validAsciiDomain run over [b, e) with global flag: every non-overlapping match, in order.
template <typename Fn>
void ForEachAsciiDomain(const CodePoints& t, size_t b, size_t e, Fn&& fn) {
  size_t s = b;
  while (s < e) {
    if (!IsAsciiDomainLabelChar(t.cp[s])) {
      ++s;
      continue;
    }
    // Labels `[-a-z0-9À-...]+\.` from s; then a TLD after one of them, trying the last first.
    size_t p = s;
    size_t last_dot = 0;
    size_t ndots = 0;
    size_t run_end = s;
    while (true) {
      size_t r = p;
      while (r < e && IsAsciiDomainLabelChar(t.cp[r]))
        ++r;
      if (ndots == 0)
        run_end = r;
      if (r > p && r < e && t.cp[r] == '.') {
        last_dot = r;
        ++ndots;
        p = r + 1;
      } else {
        break;
      }
    }
    if (ndots == 0) {
      s = run_end;
      continue;
    }
    int64_t found = -1;
    size_t dot = last_dot;
    for (size_t k = 0; k < ndots; ++k) {
      found = TldEnd(t, dot + 1, e);
      if (found >= 0)
        break;
      if (k + 1 < ndots) {
        // Previous dot: scan back over the label before `dot`.
        size_t q = dot;
        while (q > s && t.cp[q - 1] != '.')
          --q;
        dot = q - 1;
      }
    }
    if (found >= 0) {
      fn(Span{s, static_cast<size_t>(found)});
      s = static_cast<size_t>(found);
    } else {
      // Any start later in this chain sees a subset of the same TLD positions, so all fail.
      s = last_dot + 1;
    }
  }
}

class UrlScanner {
 public:
  explicit UrlScanner(const CodePoints& t) : t_(t), n_(t.size()) {}

  // extractUrlsWithIndices.
  void Extract(bool without_protocol, std::vector<Span>* out, std::vector<bool>* has_protocol) {
    std::string_view text = t_.text;
    if (text.empty() || text.find(without_protocol ? '.' : ':') == std::string_view::npos)
      return;
    // Where a URL may start. Every URL's domain ends in a '.' followed by a known TLD
    // (DomainEnd), and a URL without a scheme lies, from its start to that dot, in one stretch
    // of domain characters, '_', '-' and '.'; one with a scheme starts with "http". So only
    // places in such stretches, or at "http", are tried: trying every word (most posts' dots
    // end sentences) was most of the cost of extraction.
    auto in_stretch = [](char32_t c) {
      return IsDomainChar(c) || c == '_' || c == '-' || c == '.';
    };
    std::vector<Span>& stretches = stretches_;
    for (size_t dot = text.find('.'); dot != std::string_view::npos;
         dot = text.find('.', dot + 1)) {
      // Code point index of the byte offset `dot` (offsets are ascending).
      const auto k = static_cast<size_t>(
          std::lower_bound(t_.off.begin(), t_.off.end(), static_cast<uint32_t>(dot)) -
          t_.off.begin());
      if ((!stretches.empty() && k < stretches.back().end) || TldEnd(t_, k + 1, n_) < 0)
        continue;
      size_t b = k, e = k + 1;
      while (b > 0 && in_stretch(t_.cp[b - 1]))
        --b;
      while (e < n_ && in_stretch(t_.cp[e]))
        ++e;
      stretches.push_back(Span{b, e});
    }
    if (stretches.empty())
      return;
    std::vector<size_t> http;  // code point indices of "http", any case, ascending
    for (size_t b = 0; b + 4 <= text.size(); ++b) {
      if ((text[b] | 0x20) == 'h' && (text[b + 1] | 0x20) == 't' && (text[b + 2] | 0x20) == 't' &&
          (text[b + 3] | 0x20) == 'p') {
        http.push_back(static_cast<size_t>(
            std::lower_bound(t_.off.begin(), t_.off.end(), static_cast<uint32_t>(b)) -
            t_.off.begin()));
      }
    }
    // The first place at or after `q` where a URL may start, or n_ when there is none.
    auto next_start = [&](size_t q) {
      size_t first = n_;
      const auto s = std::partition_point(stretches.begin(), stretches.end(),
                                          [q](const Span& r) { return r.end <= q; });
      if (s != stretches.end())
        first = std::max(q, s->begin);
      const auto h = std::lower_bound(http.begin(), http.end(), q);
      if (h != http.end())
        first = std::min(first, *h);
      return first;
    };
    auto may_start = [&](size_t q) { return q < n_ && next_start(q) == q; };
    size_t i = 0;
    while (i < n_) {
      if (i > 0) {
        // Past the start, a place only tries the URL right after it: skip to the place before
        // the next one where a URL may start.
        const size_t q = next_start(i + 1);
        if (q >= n_)
          break;
        i = q - 1;
      }
      UrlCandidate m;
      bool found = false;
      bool has_before = false;
      char32_t before = 0;
      if (IsUrlPrecedingChar(t_.cp[i]) && may_start(i + 1) && MatchAt(i + 1, &m)) {
        found = true;
        has_before = true;
        before = t_.cp[i];
      } else if (i == 0 && may_start(0) && MatchAt(0, &m)) {
        found = true;
      }
      if (!found) {
        ++i;
        continue;
      }
      i = m.end;
      Accept(m, without_protocol, has_before, before, out, has_protocol);
    }
  }

 private:
  static constexpr int32_t kUnknown = -2;

  // Fills run_end_ and next_underscore_ inside the stretches (the only places DomainEnd reads
  // them: a label chain never leaves its stretch, see DomainEnd) and resets the memo.
  void Prepare() {
    if (!run_end_.empty())
      return;
    run_end_.assign(n_ + 1, 0);
    next_underscore_.assign(n_ + 1, 0);
    domain_end_.assign(n_ + 1, kUnknown);
    for (const Span& stretch : stretches_) {
      // The character at stretch.end (if any) is neither a domain character nor '_', '-', '.'.
      const size_t e = stretch.end;
      run_end_[e] = static_cast<uint32_t>(e);
      next_underscore_[e] = static_cast<uint32_t>(e);  // labels of the stretch end before it
      for (size_t i = e; i-- > stretch.begin;) {
        char32_t c = t_.cp[i];
        bool in_run = IsDomainChar(c) || c == '_' || c == '-';
        run_end_[i] = in_run ? run_end_[i + 1] : static_cast<uint32_t>(i);
        next_underscore_[i] = c == '_' ? static_cast<uint32_t>(i) : next_underscore_[i + 1];
      }
    }
  }

  // True when code point index p lies in one of stretches_.
  bool InStretch(size_t p) const {
    const auto s = std::partition_point(stretches_.begin(), stretches_.end(),
                                        [p](const Span& r) { return r.end <= p; });
    return s != stretches_.end() && s->begin <= p;
  }

  // A label of validSubdomain / validDomainName starts at q: a domain character, then domain
  // characters, '_' or '-', ending in a domain character right before a '.'.
  bool IsLabelAt(size_t q) const {
    if (q >= n_ || !IsDomainChar(t_.cp[q]))
      return false;
    size_t e = run_end_[q];
    return e < n_ && t_.cp[e] == '.' && IsDomainChar(t_.cp[e - 1]);
  }

  // End of validDomain = validSubdomain* validDomainName (TLD) whose first label starts at p,
  // or -1. A backtracking engine tries the most subdomains first, so the domain name is the last
  // label (without '_') that is followed by a TLD; the result for a label therefore is the
  // result of the next label, or its own TLD when the rest of the chain has none. Memoized so
  // that long chains and long runs stay linear.
  int64_t DomainEnd(size_t p) {
    // A domain lies in one stretch: its labels are domain characters, '_' and '-' joined by
    // dots, and it ends in a dot followed by a TLD, which is what makes a stretch.
    if (!InStretch(p))
      return -1;
    Prepare();
    stack_.clear();
    size_t q = p;
    int64_t tail = -1;
    while (true) {
      if (domain_end_[q] != kUnknown) {
        tail = domain_end_[q];
        break;
      }
      if (!IsLabelAt(q)) {
        domain_end_[q] = -1;
        tail = -1;
        break;
      }
      stack_.push_back(static_cast<uint32_t>(q));
      q = run_end_[q] + 1;
    }
    for (size_t k = stack_.size(); k-- > 0;) {
      size_t s = stack_[k];
      size_t e = run_end_[s];
      int64_t r = tail;
      if (r < 0 && next_underscore_[s] >= e)
        r = TldEnd(t_, e + 1, n_);
      domain_end_[s] = static_cast<int32_t>(r);
      tail = r;
    }
    return domain_end_[p];
  }

  // Balanced parentheses of validUrlBalancedParens at '(' position p; returns the end or 0.
  size_t BalancedParensEnd(size_t p) const {
    size_t i = p + 1;
    while (i < n_ && IsUrlPathChar(t_.cp[i]))
      ++i;
    if (i < n_ && t_.cp[i] == ')' && i > p + 1)
      return i + 1;
    if (i < n_ && t_.cp[i] == '(') {
      size_t j = i + 1;
      while (j < n_ && IsUrlPathChar(t_.cp[j]))
        ++j;
      if (j == i + 1 || j >= n_ || t_.cp[j] != ')')
        return 0;
      ++j;
      while (j < n_ && IsUrlPathChar(t_.cp[j]))
        ++j;
      if (j < n_ && t_.cp[j] == ')')
        return j + 1;
    }
    return 0;
  }

  // '/' validUrlPath*: the longest run of path characters and balanced parentheses, cut back
  // to its last ending character or parenthesized group. `p` is just past the '/'.
  size_t PathEnd(size_t p) const {
    size_t i = p, last = p;
    while (i < n_) {
      char32_t c = t_.cp[i];
      if (c == '(') {
        size_t e = BalancedParensEnd(i);
        if (e == 0)
          break;
        i = last = e;
        continue;
      }
      if (!IsUrlPathChar(c))
        break;
      ++i;
      if (IsUrlPathEndingChar(c))
        last = i;
    }
    return last;
  }

  bool MatchAt(size_t q, UrlCandidate* m) {
    if (q >= n_)
      return false;
    size_t d = q;
    int64_t de = -1;
    bool protocol = false;
    size_t after = 0;
    if (StartsWithAsciiNoCase(t_, q, "http://"))
      after = q + 7;
    if (StartsWithAsciiNoCase(t_, q, "https://"))
      after = q + 8;
    if (after != 0) {
      de = DomainEnd(after);
      if (de >= 0) {
        protocol = true;
        d = after;
      }
    }
    if (!protocol) {
      if (!IsDomainChar(t_.cp[q]))
        return false;
      de = DomainEnd(q);
      if (de < 0)
        return false;
    }
    size_t i = static_cast<size_t>(de);
    if (i + 1 < n_ && t_.cp[i] == ':' && IsAsciiDigit(t_.cp[i + 1])) {
      i += 2;
      while (i < n_ && IsAsciiDigit(t_.cp[i]))
        ++i;
    }
    bool has_path = false;
    if (i < n_ && t_.cp[i] == '/') {
      has_path = true;
      i = PathEnd(i + 1);
    }
    if (i < n_ && t_.cp[i] == '?') {
      size_t j = i + 1, last = 0;
      while (j < n_ && IsUrlQueryChar(t_.cp[j])) {
        if (IsUrlQueryEndingChar(t_.cp[j]))
          last = j + 1;
        ++j;
      }
      if (last != 0)
        i = last;
    }
    *m = UrlCandidate{q, d, static_cast<size_t>(de), i, protocol, has_path};
    return true;
  }

  // idna.toAscii from twitter-text: every label must punycode-encode to 1..63 characters.
  bool DomainLabelsValid(size_t b, size_t e) const {
    if (StartsWithAscii(t_, b, "xn--")) {
      bool any = false;
      ForEachAsciiDomain(t_, b, e, [&any](Span) { any = true; });
      if (!any)
        return false;
    }
    size_t label = b;
    for (size_t i = b; i <= e; ++i) {
      if (i < e && t_.cp[i] != '.')
        continue;
      int64_t len = PunycodeToAsciiLength(t_, label, i);
      if (len < 1 || len > 63)
        return false;
      label = i + 1;
    }
    return true;
  }

  void Accept(const UrlCandidate& m, bool without_protocol, bool has_before, char32_t before,
              std::vector<Span>* out, std::vector<bool>* has_protocol) {
    constexpr size_t kMaxUrlLength = 4096;
    constexpr size_t kMaxTcoSlugLength = 40;
    if (!DomainLabelsValid(m.domain_begin, m.domain_end))
      return;
    size_t protocol_len = m.has_protocol ? m.domain_begin - m.begin : 8;  // "https://"
    if (protocol_len + Utf16Length(t_, m.begin, m.end) > kMaxUrlLength)
      return;
    if (!m.has_protocol) {
      if (!without_protocol)
        return;
      if (has_before && (before == '-' || before == '_' || before == '.' || before == '/')) {
        return;
      }
      size_t first = out->size();
      ForEachAsciiDomain(t_, m.domain_begin, m.domain_end, [&](Span s) {
        out->push_back(s);
        if (has_protocol)
          has_protocol->push_back(false);
      });
      if (out->size() == first)
        return;
      if (m.has_path)
        out->back().end = m.end;
      return;
    }
    size_t end = m.end;
    // validTcoUrl, /^https?:\/\/t\.co\/([a-z0-9]+)(?:\?queryChars*queryEndingChar)?/i, keeps
    // only the slug and query of t.co links.
    if (StartsWithAsciiNoCase(t_, m.domain_begin, "t.co/")) {
      size_t s = m.domain_begin + 5, j = s;
      while (j < m.end && IsAsciiAlnum(t_.cp[j]))
        ++j;
      if (j > s) {
        if (j - s > kMaxTcoSlugLength)
          return;
        end = j;
        if (j < m.end && t_.cp[j] == '?') {
          size_t k = j + 1;
          while (k < m.end && IsUrlQueryChar(t_.cp[k])) {
            if (IsUrlQueryEndingChar(t_.cp[k]))
              end = k + 1;
            ++k;
          }
        }
      }
    }
    out->push_back(Span{m.begin, end});
    if (has_protocol)
      has_protocol->push_back(true);
  }

  const CodePoints& t_;
  size_t n_;
  // Code point ranges of domain characters, '_', '-' and '.' holding a dot followed by a TLD,
  // ascending (set by Extract).
  std::vector<Span> stretches_;
  std::vector<uint32_t> run_end_;
  std::vector<uint32_t> next_underscore_;
  std::vector<int32_t> domain_end_;
  std::vector<uint32_t> stack_;
};

// validHashtag with the global flag, then endHashtagMatch on what follows.
std::vector<Entity> ExtractHashtagsNoUrlCheck(const CodePoints& t) {
  std::vector<Entity> out;
  const size_t n = t.size();
  size_t pos = 0;  // lastIndex
  for (size_t h = t.NextOf(0, '#', 0xFF03); h < n; h = t.NextOf(h + 1, '#', 0xFF03)) {
    if (!IsHashSign(t.cp[h]) || h < pos)
      continue;
    // hashtagBoundary: ^, U+FE0E, U+FE0F, or a code point that is neither alphanumeric nor '&';
    // a consumed boundary must not reach back into the previous match.
    if (h > 0) {
      if (h - 1 < pos)
        continue;
      char32_t b = t.cp[h - 1];
      bool ok = b == 0xFE0E || b == 0xFE0F || (!IsHashtagAlnum(b) && b != '&');
      if (!ok)
        continue;
    }
    if (h + 1 < n && (t.cp[h + 1] == 0xFE0F || t.cp[h + 1] == 0x20E3))
      continue;
    size_t e = h + 1;
    bool letter = false;
    while (e < n && IsHashtagAlnum(t.cp[e])) {
      letter = letter || IsHashtagLetter(t.cp[e]);
      ++e;
    }
    if (!letter)
      continue;
    pos = e;
    if (e < n && (IsHashSign(t.cp[e]) || StartsWithAscii(t, e, "://")))
      continue;
    Entity ent;
    ent.type = EntityType::kHashtag;
    ent.range = t.Range(h, e);
    ent.value = t.View(h + 1, e);
    out.push_back(ent);
  }
  return out;
}

// removeOverlappingEntities: stable sort by start, then drop anything starting inside the
// previously kept entity.
void RemoveOverlapping(std::vector<Entity>* entities) {
  std::stable_sort(entities->begin(), entities->end(),
                   [](const Entity& a, const Entity& b) { return a.range.begin < b.range.begin; });
  size_t kept = 0;
  for (size_t i = 0; i < entities->size(); ++i) {
    if (kept > 0 && (*entities)[kept - 1].range.end > (*entities)[i].range.begin)
      continue;
    (*entities)[kept++] = (*entities)[i];
  }
  entities->resize(kept);
}

std::vector<Entity> ExtractHashtagsImpl(const CodePoints& t) {
  std::vector<Entity> tags = ExtractHashtagsNoUrlCheck(t);
  if (tags.empty())
    return tags;
  std::vector<Entity> urls = ExtractUrlsImpl(t, true);
  if (urls.empty())
    return tags;
  std::vector<Entity> all = tags;
  all.insert(all.end(), urls.begin(), urls.end());
  RemoveOverlapping(&all);
  tags.clear();
  for (const Entity& e : all) {
    if (e.type == EntityType::kHashtag)
      tags.push_back(e);
  }
  return tags;
}

// The "rt"/"RT:" preceding forms of validMentionPrecedingChars need a character before them
// that is not [a-zA-Z0-9_+~.-] (or the start of the text).
inline bool IsRtPrefixBoundary(char32_t c) {
  return !(IsAsciiAlnum(c) || c == '_' || c == '+' || c == '~' || c == '.' || c == '-');
}

// validMentionOrList with the global flag, then endMentionMatch on what follows.
std::vector<Entity> ExtractMentionsOrListsImpl(const CodePoints& t) {
  std::vector<Entity> out;
  const size_t n = t.size();
  size_t pos = 0;
  for (size_t a = t.NextOf(0, '@', 0xFF20); a < n; a = t.NextOf(a + 1, '@', 0xFF20)) {
    if (!IsAtSign(t.cp[a]) || a < pos)
      continue;
    bool ok = a == 0;  // ^
    if (!ok && a - 1 >= pos) {
      char32_t b = t.cp[a - 1];
      ok = !(IsAsciiAlnum(b) || b == '_' || b == '!' || b == '#' || b == '$' || b == '%' ||
             b == '&' || b == '*' || IsAtSign(b));
    }
    for (size_t colon = 0; !ok && colon <= 1; ++colon) {
      // (?:^|[^a-zA-Z0-9_+~.-])(?:rt|RT|rT|Rt):?
      size_t len = 2 + colon;
      if (a < len)
        break;
      size_t r = a - len;
      if (ToLowerAscii(t.cp[r]) != 'r' || ToLowerAscii(t.cp[r + 1]) != 't')
        continue;
      if (colon && t.cp[r + 2] != ':')
        continue;
      if (r == 0) {
        ok = pos == 0;
      } else {
        ok = r - 1 >= pos && IsRtPrefixBoundary(t.cp[r - 1]);
      }
    }
    if (!ok)
      continue;
    size_t s = a + 1, e = s;
    while (e < n && e - s < 20 && IsScreenNameChar(t.cp[e]))
      ++e;
    if (e == s)
      continue;
    size_t name_end = e;
    // (\/[a-zA-Z][a-zA-Z0-9_\-]{0,24})?
    if (e + 1 < n && t.cp[e] == '/' && IsAsciiAlpha(t.cp[e + 1])) {
      size_t j = e + 2;
      while (j < n && j - (e + 2) < 24 && (IsScreenNameChar(t.cp[j]) || t.cp[j] == '-'))
        ++j;
      e = j;
    }
    pos = e;
    if (EndsMentionBadly(t, e))
      continue;
    Entity ent;
    ent.type = EntityType::kMention;
    ent.range = t.Range(a, e);
    ent.value = t.View(s, name_end);
    ent.list_slug = t.View(name_end, e);
    out.push_back(ent);
  }
  return out;
}

// validCashtag: (^|spaces)(\$)([a-z]{1,6}(?:[._][a-z]{1,2})?)(?=$|\s|[punct]), global, i.
std::vector<Entity> ExtractCashtagsImpl(const CodePoints& t) {
  std::vector<Entity> out;
  const size_t n = t.size();
  if (t.text.find('$') == std::string_view::npos)
    return out;
  auto follow_ok = [&](size_t i) {
    return i >= n || IsJsWhitespace(t.cp[i]) || IsTwitterPunct(t.cp[i]);
  };
  size_t pos = 0;
  for (size_t d = 0; d < n; ++d) {
    if (t.cp[d] != '$' || d < pos)
      continue;
    if (d > 0 && (d - 1 < pos || !IsTwitterSpace(t.cp[d - 1])))
      continue;
    size_t s = d + 1, run = s;
    while (run < n && run - s < 6 && IsAsciiAlpha(t.cp[run]))
      ++run;
    size_t end = 0;
    // Backtracking order: longest symbol first; for each, the suffix (longest first) before
    // no suffix.
    for (size_t e = run; e > s && end == 0; --e) {
      if (e < n && (t.cp[e] == '.' || t.cp[e] == '_')) {
        size_t f = e + 1;
        while (f < n && f - (e + 1) < 2 && IsAsciiAlpha(t.cp[f]))
          ++f;
        for (size_t g = f; g > e + 1 && end == 0; --g) {
          if (follow_ok(g))
            end = g;
        }
      }
      if (end == 0 && follow_ok(e))
        end = e;
    }
    if (end == 0)
      continue;
    pos = end;
    Entity ent;
    ent.type = EntityType::kCashtag;
    ent.range = t.Range(d, end);
    ent.value = t.View(s, end);
    out.push_back(ent);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Emoji (what twemoji-parser, used by parseTweet, counts as one emoji)

inline bool IsEmojiModifier(char32_t c) {
  return c >= 0x1F3FB && c <= 0x1F3FF;
}
inline bool IsRegionalIndicator(char32_t c) {
  return c >= 0x1F1E6 && c <= 0x1F1FF;
}

bool IsEmojiChar(char32_t c) {
  return c >= 0x80 && (u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_EMOJI) ||
                       u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_EXTENDED_PICTOGRAPHIC));
}

// Consumes the variation selector, skin tone modifier and tag sequence after an emoji element.
size_t EmojiElementTail(const CodePoints& t, size_t j) {
  const size_t n = t.size();
  if (j < n && t.cp[j] == 0xFE0F)
    ++j;
  if (j < n && IsEmojiModifier(t.cp[j]))
    ++j;
  if (j < n && t.cp[j] >= 0xE0020 && t.cp[j] <= 0xE007E) {
    size_t k = j;
    while (k < n && t.cp[k] >= 0xE0020 && t.cp[k] <= 0xE007E)
      ++k;
    if (k < n && t.cp[k] == 0xE007F)
      j = k + 1;
  }
  return j;
}

// End of the emoji sequence starting at i, or i when none starts there.
size_t EmojiEnd(const CodePoints& t, size_t i) {
  const size_t n = t.size();
  char32_t c = t.cp[i];
  if (IsAsciiDigit(c) || c == '#' || c == '*') {  // keycaps: [#*0-9]\uFE0F?\u20E3
    size_t j = i + 1;
    if (j < n && t.cp[j] == 0xFE0F)
      ++j;
    return j < n && t.cp[j] == 0x20E3 ? j + 1 : i;
  }
  if (c < 0x80)
    return i;
  if (IsRegionalIndicator(c))
    return i + 1 < n && IsRegionalIndicator(t.cp[i + 1]) ? i + 2 : i + 1;
  bool base = u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_EMOJI_PRESENTATION);
  if (!base && IsEmojiChar(c)) {
    // Text-presentation characters count as emoji when something makes them one: a variation
    // selector, a skin tone, a joiner; astral pictographs cost the same either way.
    char32_t next = t.at(i + 1);
    base = c > 0xFFFF || next == 0xFE0F || next == 0x200D || IsEmojiModifier(next);
  }
  if (!base)
    return i;
  size_t j = EmojiElementTail(t, i + 1);
  while (j + 1 < n && t.cp[j] == 0x200D && IsEmojiChar(t.cp[j + 1])) {
    j = EmojiElementTail(t, j + 2);
  }
  return j;
}

int CharWeight(char32_t c, const WeightConfig& config) {
  // Upstream weighs charAt() of the last UTF-16 unit, i.e. the low surrogate of astral chars.
  char32_t key = c > 0xFFFF ? 0xDC00 + ((c - 0x10000) & 0x3FF) : c;
  for (const WeightRange& r : config.ranges) {
    if (key >= r.start && key <= r.end)
      return r.weight;
  }
  return config.default_weight;
}

const icu::Normalizer2* NfcInstance() {
  static const icu::Normalizer2* nfc = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return nfc;
}

// Byte offset in `s` of UTF-16 index `u16` (clamped, on a code point boundary).
uint32_t ByteOffsetOfUtf16Index(std::string_view s, size_t u16) {
  size_t i = 0, u = 0;
  while (i < s.size() && u < u16) {
    char32_t c = DecodeUtf8(s, i);
    u += Utf16Length(c);
  }
  return static_cast<uint32_t>(i);
}

// ---------------------------------------------------------------------------------------------
// isValidUrl helpers (RFC 3986 based regexes of twitter-text, matched in full)

bool IsUnreserved(char32_t c) {
  return IsAsciiAlnum(c) || IsCyrillic(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
bool IsSubDelim(char32_t c) {
  return c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' ||
         c == '+' || c == ',' || c == ';' || c == '=';
}
inline bool IsHexDigit(char32_t c) {
  return IsAsciiDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

// (pchar | extra)* over the whole of s[b, e), pchar = unreserved | pct-encoded | sub-delims |
// [:|@].
bool AllPchars(const std::vector<char32_t>& s, size_t b, size_t e, bool slash, bool question) {
  size_t i = b;
  while (i < e) {
    char32_t c = s[i];
    if (c == '%') {
      if (i + 2 >= e || !IsHexDigit(s[i + 1]) || !IsHexDigit(s[i + 2]))
        return false;
      i += 3;
      continue;
    }
    if (IsUnreserved(c) || IsSubDelim(c) || c == ':' || c == '|' || c == '@' ||
        (slash && c == '/') || (question && c == '?')) {
      ++i;
      continue;
    }
    return false;
  }
  return true;
}

bool IsDecOctet(const std::vector<char32_t>& s, size_t b, size_t e) {
  if (e <= b || e - b > 3)
    return false;
  int v = 0;
  for (size_t i = b; i < e; ++i) {
    if (!IsAsciiDigit(s[i]))
      return false;
    v = v * 10 + static_cast<int>(s[i] - '0');
  }
  if (e - b > 1 && s[b] == '0')
    return false;
  return v <= 255;
}

bool IsIpv4(const std::vector<char32_t>& s, size_t b, size_t e) {
  size_t part = b;
  int parts = 0;
  for (size_t i = b; i <= e; ++i) {
    if (i < e && s[i] != '.')
      continue;
    if (!IsDecOctet(s, part, i))
      return false;
    ++parts;
    part = i + 1;
  }
  return parts == 4;
}

bool IsIpv6(const std::vector<char32_t>& s, size_t b, size_t e) {
  if (e - b < 3 || s[b] != '[' || s[e - 1] != ']')
    return false;
  for (size_t i = b + 1; i + 1 < e; ++i) {
    char32_t c = s[i];
    if (!(IsHexDigit(c) || c == ':' || c == '.'))
      return false;
  }
  return true;
}

// validateUrlDomain / validateUrlUnicodeDomain: (subdomain\.)* domain\. tld
bool IsValidateDomain(const std::vector<char32_t>& s, size_t b, size_t e, bool unicode) {
  auto alnum = [unicode](char32_t c) { return IsAsciiAlnum(c) || (unicode && c >= 0x80); };
  std::vector<std::pair<size_t, size_t>> labels;
  size_t part = b;
  for (size_t i = b; i <= e; ++i) {
    if (i < e && s[i] != '.')
      continue;
    labels.emplace_back(part, i);
    part = i + 1;
  }
  if (labels.size() < 2)
    return false;
  for (size_t k = 0; k < labels.size(); ++k) {
    auto [lb, le] = labels[k];
    if (le == lb)
      return false;
    bool tld = k + 1 == labels.size();
    bool sub = k + 2 < labels.size();
    if (tld ? !(IsAsciiAlpha(s[lb]) || (unicode && s[lb] >= 0x80)) : !alnum(s[lb]))
      return false;
    if (!alnum(s[le - 1]))
      return false;
    for (size_t i = lb; i < le; ++i) {
      char32_t c = s[i];
      if (alnum(c) || c == '-' || (sub && c == '_'))
        continue;
      return false;
    }
  }
  return true;
}

bool IsValidAuthority(const std::vector<char32_t>& s, size_t b, size_t e, bool unicode) {
  size_t host_b = b;
  // (?:(userinfo)@)?: userinfo has no '@', so the split is at the last '@' if any.
  for (size_t i = e; i-- > b;) {
    if (s[i] == '@') {
      for (size_t k = b; k < i; ++k) {
        char32_t c = s[k];
        if (c == '%' && k + 2 < i && IsHexDigit(s[k + 1]) && IsHexDigit(s[k + 2])) {
          k += 2;
          continue;
        }
        if (!(IsUnreserved(c) || IsSubDelim(c) || c == ':'))
          return false;
      }
      host_b = i + 1;
      break;
    }
  }
  size_t host_e = e;
  // (?::(port{1,5}))?
  for (size_t i = e; i-- > host_b;) {
    if (IsAsciiDigit(s[i]))
      continue;
    if (s[i] == ':' && e - i - 1 >= 1 && e - i - 1 <= 5)
      host_e = i;
    break;
  }
  if (host_e == host_b)
    return false;
  return IsIpv4(s, host_b, host_e) || IsIpv6(s, host_b, host_e) ||
         IsValidateDomain(s, host_b, host_e, unicode);
}

}  // namespace

void internal::ExtractUrlSpans(const CodePoints& t, bool without_protocol, std::vector<Span>* spans,
                               std::vector<bool>* has_protocol) {
  UrlScanner scanner(t);
  scanner.Extract(without_protocol, spans, has_protocol);
}

std::vector<Entity> internal::ExtractUrlsImpl(const CodePoints& t, bool without_protocol) {
  std::vector<Span> spans;
  std::vector<bool> proto;
  ExtractUrlSpans(t, without_protocol, &spans, &proto);
  std::vector<Entity> out;
  out.reserve(spans.size());
  for (size_t k = 0; k < spans.size(); ++k) {
    Entity e;
    e.type = EntityType::kUrl;
    e.range = t.Range(spans[k].begin, spans[k].end);
    e.value = t.View(spans[k].begin, spans[k].end);
    e.url_has_scheme = proto[k];
    out.push_back(e);
  }
  return out;
}

std::vector<Entity> ExtractUrls(std::string_view text, bool urls_without_protocol) {
  CodePoints t(text);
  return ExtractUrlsImpl(t, urls_without_protocol);
}

std::vector<Entity> ExtractHashtags(std::string_view text) {
  if (text.find('#') == std::string_view::npos &&
      text.find("\xEF\xBC\x83") == std::string_view::npos) {
    return {};
  }
  CodePoints t(text);
  return ExtractHashtagsImpl(t);
}

std::vector<Entity> ExtractMentionsOrLists(std::string_view text) {
  if (text.find('@') == std::string_view::npos &&
      text.find("\xEF\xBC\xA0") == std::string_view::npos) {
    return {};
  }
  CodePoints t(text);
  return ExtractMentionsOrListsImpl(t);
}

std::vector<Entity> ExtractMentions(std::string_view text) {
  std::vector<Entity> all = ExtractMentionsOrLists(text);
  std::vector<Entity> out;
  for (const Entity& e : all) {
    if (e.list_slug.empty())
      out.push_back(e);
  }
  return out;
}

std::vector<Entity> ExtractCashtags(std::string_view text) {
  if (text.find('$') == std::string_view::npos)
    return {};
  CodePoints t(text);
  return ExtractCashtagsImpl(t);
}

std::optional<Entity> ExtractReplyScreenName(std::string_view text) {
  CodePoints t(text);
  const size_t n = t.size();
  size_t i = 0;
  while (i < n && IsTwitterSpace(t.cp[i]))
    ++i;
  if (i >= n || !IsAtSign(t.cp[i]))
    return std::nullopt;
  size_t s = i + 1, e = s;
  while (e < n && e - s < 20 && IsScreenNameChar(t.cp[e]))
    ++e;
  if (e == s || EndsMentionBadly(t, e))
    return std::nullopt;
  Entity ent;
  ent.type = EntityType::kMention;
  ent.range = t.Range(i, e);
  ent.value = t.View(s, e);
  return ent;
}

std::vector<Entity> ExtractEntities(std::string_view text, bool urls_without_protocol) {
  CodePoints t(text);
  std::vector<Entity> all = ExtractUrlsImpl(t, urls_without_protocol);
  std::vector<Entity> part = ExtractMentionsOrListsImpl(t);
  all.insert(all.end(), part.begin(), part.end());
  part = ExtractHashtagsNoUrlCheck(t);
  all.insert(all.end(), part.begin(), part.end());
  part = ExtractCashtagsImpl(t);
  all.insert(all.end(), part.begin(), part.end());
  RemoveOverlapping(&all);
  return all;
}

WeightConfig WeightConfig::V1() {
  WeightConfig c;
  c.max_weighted_length = 140;
  c.scale = 1;
  c.default_weight = 1;
  c.emoji_parsing_enabled = false;
  c.transformed_url_length = 23;
  return c;
}

WeightConfig WeightConfig::V2() {
  WeightConfig c;
  c.emoji_parsing_enabled = false;
  c.ranges = {{0, 4351, 100}, {8192, 8205, 100}, {8208, 8223, 100}, {8242, 8247, 100}};
  return c;
}

WeightConfig WeightConfig::V3() {
  WeightConfig c = V2();
  c.emoji_parsing_enabled = true;
  return c;
}

TweetLength ParseTweet(std::string_view text, const WeightConfig& config) {
  std::string normalized_storage;
  std::string_view normalized = text;
  if (!IsAscii(text)) {
    const icu::Normalizer2* nfc = NfcInstance();
    UErrorCode status = U_ZERO_ERROR;
    icu::StringPiece piece(text.data(), static_cast<int32_t>(text.size()));
    if (nfc != nullptr && !nfc->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) {
      icu::StringByteSink<std::string> sink(&normalized_storage);
      nfc->normalizeUTF8(0, piece, sink, nullptr, status);
      if (U_SUCCESS(status))
        normalized = normalized_storage;
    }
  }
  CodePoints t(normalized);
  std::vector<Span> urls;
  ExtractUrlSpans(t, true, &urls, nullptr);

  const int64_t max_scaled = static_cast<int64_t>(config.max_weighted_length) * config.scale;
  const size_t n = t.size();
  int64_t weighted = 0;
  bool valid = true;
  size_t u16 = 0;  // UTF-16 units consumed so far
  int64_t valid_display_index = 0;
  int64_t overflow = -1;  // normalized code point index of the first unit past max
  size_t next_url = 0;
  for (size_t i = 0; i < n;) {
    while (next_url < urls.size() && urls[next_url].begin < i)
      ++next_url;
    const size_t start = i;
    const size_t emoji_end = config.emoji_parsing_enabled ? EmojiEnd(t, start) : start;
    if (next_url < urls.size() && urls[next_url].begin == start) {
      weighted += static_cast<int64_t>(config.transformed_url_length) * config.scale;
      i = urls[next_url].end;
    } else if (emoji_end > start) {
      weighted += config.default_weight;
      i = emoji_end;
    } else {
      weighted += CharWeight(t.cp[start], config);
      i = start + 1;
    }
    u16 += Utf16Length(t, start, i);
    // Upstream tests only the last UTF-16 unit of each counted piece for invalid characters
    // (none can occur inside a URL or an emoji sequence, so this sees every one of them).
    if (valid)
      valid = !IsInvalidChar(t.cp[i - 1]);
    if (weighted <= max_scaled) {
      if (valid)
        valid_display_index = static_cast<int64_t>(u16) - 1;
    } else if (overflow < 0) {
      overflow = static_cast<int64_t>(start);
    }
  }

  TweetLength r;
  const double length = static_cast<double>(weighted) / config.scale;
  r.weighted_length = static_cast<int>(weighted / config.scale);
  r.valid = valid && length > 0 && length <= config.max_weighted_length;
  r.permillage = static_cast<int>(std::floor(length / config.max_weighted_length * 1000));
  const size_t original_u16 = CountUtf16Units(text);
  const int64_t normalization_offset =
      static_cast<int64_t>(original_u16) - static_cast<int64_t>(u16);
  r.valid_range_start = 0;
  r.valid_range_end = static_cast<int>(valid_display_index + normalization_offset);
  r.display_range_start = 0;
  r.display_range_end = original_u16 > 0 ? static_cast<int>(original_u16 - 1) : 0;
  if (overflow < 0) {
    r.overflow_byte = static_cast<uint32_t>(text.size());
  } else if (normalized.data() == text.data()) {
    r.overflow_byte = t.off[static_cast<size_t>(overflow)];
  } else {
    // Map through UTF-16 indexes with upstream's normalization offset; exact for the usual
    // case of normalization shortening the text before the overflow point.
    int64_t u = static_cast<int64_t>(Utf16Length(t, 0, static_cast<size_t>(overflow))) +
                normalization_offset;
    r.overflow_byte = ByteOffsetOfUtf16Index(text, static_cast<size_t>(std::max<int64_t>(u, 0)));
  }
  return r;
}

bool IsValidUsername(std::string_view text) {
  if (text.empty())
    return false;
  std::vector<Entity> m = ExtractMentions(text);
  size_t i = 0;
  DecodeUtf8(text, i);
  return m.size() == 1 && m[0].value == text.substr(i);
}

bool IsValidList(std::string_view text) {
  CodePoints t(text);
  const size_t n = t.size();
  if (n < 4 || !IsAtSign(t.cp[0]))
    return false;
  size_t e = 1;
  while (e < n && e - 1 < 20 && IsScreenNameChar(t.cp[e]))
    ++e;
  if (e == 1 || e + 1 >= n || t.cp[e] != '/' || !IsAsciiAlpha(t.cp[e + 1]))
    return false;
  size_t j = e + 2;
  while (j < n && j - (e + 2) < 24 && (IsScreenNameChar(t.cp[j]) || t.cp[j] == '-'))
    ++j;
  return j == n;
}

bool IsValidHashtag(std::string_view text) {
  if (text.empty())
    return false;
  std::vector<Entity> tags = ExtractHashtags(text);
  size_t i = 0;
  DecodeUtf8(text, i);
  return tags.size() == 1 && tags[0].value == text.substr(i);
}

bool IsValidUrl(std::string_view text, bool unicode_domains, bool require_protocol) {
  if (text.empty())
    return false;
  CodePoints t(text);
  const std::vector<char32_t>& s = t.cp;
  const size_t n = s.size();
  // validateUrlUnencoded: ^(?:([^:/?#]+)://)?([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$
  size_t i = 0;
  size_t scheme_end = 0;
  bool has_scheme = false;
  while (i < n && s[i] != ':' && s[i] != '/' && s[i] != '?' && s[i] != '#')
    ++i;
  if (i > 0 && StartsWithAscii(t, i, "://")) {
    has_scheme = true;
    scheme_end = i;
    i += 3;
  } else {
    i = 0;
  }
  size_t auth_b = i;
  while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#')
    ++i;
  size_t auth_e = i;
  size_t path_b = i;
  while (i < n && s[i] != '?' && s[i] != '#')
    ++i;
  size_t path_e = i;
  size_t query_b = n, query_e = n;
  if (i < n && s[i] == '?') {
    query_b = i + 1;
    while (i < n && s[i] != '#')
      ++i;
    query_e = i;
  }
  size_t frag_b = n;
  if (i < n && s[i] == '#')
    frag_b = i + 1;
  for (size_t k = frag_b; k < n; ++k) {
    if (s[k] == '\n' || s[k] == '\r' || s[k] == 0x2028 || s[k] == 0x2029)
      return false;
  }

  if (require_protocol) {
    if (!has_scheme)
      return false;
    std::string_view scheme = t.View(0, scheme_end);
    bool http = scheme.size() == 4 && StartsWithAsciiNoCase(t, 0, "http");
    bool https = scheme.size() == 5 && StartsWithAsciiNoCase(t, 0, "https");
    if (!http && !https)
      return false;
  }
  // validateUrlPath: (\/pchar*)*
  if (path_e > path_b && s[path_b] != '/')
    return false;
  if (!AllPchars(s, path_b, path_e, true, false))
    return false;
  if (query_b < n && !AllPchars(s, query_b, query_e, true, true))
    return false;
  if (frag_b < n && !AllPchars(s, frag_b, n, true, true))
    return false;
  return IsValidAuthority(s, auth_b, auth_e, unicode_domains);
}

}  // namespace postlint::twitter
