// twitter-text URL extraction (extractUrlsWithIndices): the TLD list, the punycode length
// check twitter-text applies to domains (idna.toAscii), and the scanner for validUrl.
#include <algorithm>
#include <string_view>
#include <vector>

#include <unicode/uchar.h>

#include "analysis/twitter_text.h"
#include "analysis/twitter_text_internal.h"

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

}  // namespace postlint::twitter
