// Drafts: one post per .txt / .md file, with optional YAML front matter carrying its fields
// (io/post_reader.h describes the format, io/post_fields.h the fields).
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/utf8.h"
#include "core/yaml_limits.h"
#include "io/post_fields.h"
#include "io/post_reader.h"
#include "io/reader_internal.h"

namespace postlint {
namespace {

using io_internal::IsBlank;
using io_internal::NextLine;
using io_internal::StripCr;

struct FieldError {
  uint32_t line;
  std::string message;
};

class FrontMatter {
 public:
  // `first_line` is the file line holding YAML line 0.
  explicit FrontMatter(uint32_t first_line) : first_line_(first_line) {}

  std::optional<FieldError> Apply(const YAML::Node& root, Post* post) const {
    if (!root.IsDefined() || root.IsNull())
      return std::nullopt;
    if (!root.IsMap()) {
      return FieldError{LineOf(root), "front matter must be a mapping of post fields"};
    }
    std::vector<std::string> seen;
    for (auto it = root.begin(); it != root.end(); ++it) {
      // Copies: yaml-cpp iterators hand out proxies, and nodes are cheap reference handles.
      const YAML::Node key = it->first;
      const YAML::Node value = it->second;
      if (!key.IsScalar())
        return FieldError{LineOf(key), "front matter keys must be strings"};
      const std::string& name = key.Scalar();
      // yaml-cpp keeps one of two equal keys silently; an author who wrote both meant something.
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
        return FieldError{LineOf(key), "front matter: field '" + name + "' appears twice"};
      }
      seen.push_back(name);
      std::optional<std::string> error =
          ApplyPostField(name, FieldValueFromYaml(value), FieldSource::kFrontMatter, post);
      if (error)
        return FieldError{LineOf(key), "front matter: " + *error};
    }
    return std::nullopt;
  }

  uint32_t LineOf(const YAML::Node& node) const { return LineOfMark(node.Mark()); }

  uint32_t LineOfMark(const YAML::Mark& mark) const {
    if (mark.is_null() || mark.line < 0)
      return first_line_ - 1;  // the opening "---"
    return first_line_ + static_cast<uint32_t>(mark.line);
  }

 private:
  // YAML scalars stay strings (see FieldValue::scalar): `sponsored: yes` and `"sponsored":
  // "yes"` then mean the same, and `id: 0123` keeps its leading zero.
  static FieldValue FieldValueFromYaml(const YAML::Node& node) {
    FieldValue out;
    if (node.IsScalar()) {
      out.type = FieldValue::Type::kString;
      out.scalar = node.Scalar();
    } else if (node.IsSequence()) {
      out.type = FieldValue::Type::kList;
      for (const YAML::Node& item : node)
        out.items.push_back(FieldValueFromYaml(item));
    } else if (node.IsMap()) {
      out.type = FieldValue::Type::kMap;
      for (auto it = node.begin(); it != node.end(); ++it) {
        const YAML::Node key = it->first;
        out.members.push_back(
            {key.IsScalar() ? key.Scalar() : std::string(), FieldValueFromYaml(it->second)});
      }
    }
    return out;
  }

  uint32_t first_line_;
};

bool IsFrontMatterFence(std::string_view line, std::string_view fence) {
  return TrimAsciiSpaceRight(line) == fence;
}

}  // namespace

namespace io_internal {

void ParseText(std::string_view raw, const std::string& source, const RecordCallback& emit) {
  // Sanitizing up front also protects yaml-cpp from ill-formed UTF-8; replacement never touches
  // '\n', so every line number below is a line of the original file.
  const std::string sanitized = SanitizeUtf8(StripUtf8Bom(raw));
  const std::string_view content = sanitized;
  Post post;
  post.id = source;
  post.source = source;
  post.text_is_verbatim = true;

  size_t pos = 0;
  uint32_t line_no = 1;  // line at `pos`
  {
    size_t probe = 0;
    if (IsFrontMatterFence(NextLine(content, probe), "---")) {
      pos = probe;
      line_no = 2;
      std::string yaml;
      bool closed = false;
      while (pos < content.size()) {
        const std::string_view line = StripCr(NextLine(content, pos));
        ++line_no;
        if (IsFrontMatterFence(line, "---") || IsFrontMatterFence(line, "...")) {
          closed = true;
          break;
        }
        yaml.append(line);
        yaml.push_back('\n');
      }
      if (!closed) {
        emit(ReadError{
            source, 1, {}, "front matter opened on line 1 is not closed by a '---' or '...' line"});
        return;
      }
      const FrontMatter front_matter(/*first_line=*/2);
      try {
        const YAML::Node root = YAML::Load(yaml);
        // Before anything walks the tree: aliases may make it exponentially larger than the
        // text (core/yaml_limits.h).
        if (auto problem = CheckYamlLimits(root)) {
          emit(ReadError{source,
                         front_matter.LineOfMark(problem->mark),
                         {},
                         "front matter: " + problem->message});
          return;
        }
        if (std::optional<FieldError> error = front_matter.Apply(root, &post)) {
          // The id may come after the faulty field, so look it up rather than use post.id.
          std::string id;
          if (root.IsMap()) {
            const YAML::Node id_node = root["id"];
            if (id_node.IsDefined() && id_node.IsScalar())
              id = id_node.Scalar();
          }
          emit(ReadError{source, error->line, id, std::move(error->message)});
          return;
        }
      } catch (const YAML::Exception& e) {
        emit(ReadError{source,
                       front_matter.LineOfMark(e.mark),
                       {},
                       "invalid YAML in front matter: " + SanitizeUtf8(e.msg)});
        return;
      }
    }
  }

  const uint32_t body_line = line_no;
  while (pos < content.size()) {
    size_t next = pos;
    if (!IsBlank(NextLine(content, next)))
      break;
    pos = next;
    ++line_no;
  }
  const std::string_view body = TrimAsciiSpaceRight(content.substr(pos));
  // CRLF files: "\r" would count as a character in every length rule; line structure (and so
  // text_is_verbatim's line/column mapping) is unchanged by dropping it.
  std::string text;
  text.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\r' && i + 1 < body.size() && body[i + 1] == '\n')
      continue;
    text.push_back(body[i]);
  }
  post.text = std::move(text);
  post.source_line = post.text.empty() ? body_line : line_no;
  emit(std::move(post));
}

}  // namespace io_internal
}  // namespace postlint
