// twitter-text hashtags, mentions and lists, cashtags and reply screen names, and
// extractEntitiesWithIndices, which merges them with the URLs.
#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

#include "analysis/twitter_text.h"
#include "analysis/twitter_text_internal.h"

namespace postlint::twitter {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

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

}  // namespace

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

}  // namespace postlint::twitter
