// Typed, documented access to a rule's options in its policy YAML. Each rule kind reads its
// options once, in its constructor; every read records the option's name, type, default and
// description, so unknown keys can be reported with a suggestion, and docs/rules/<kind>.md can
// be checked against what the kind really reads (tests/meta).
//
//   MaxCount(RuleInit& init)
//       : max_(init.options.Int("max", 30, "most hashtags allowed", /*min=*/0)) {}
//
// Problems (wrong type, out of range, bad value) are reported to the policy's diagnostics at
// the value's file:line:col and the default is returned, so loading continues and every
// problem is reported in one run.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/diagnostics.h"

namespace postlint {

struct OptionDoc {
  std::string name;
  std::string type;           // "string", "integer", "boolean", "list of strings", ...
  std::string default_value;  // as it would be written in YAML; "" when required/none
  std::string description;
};

class RuleOptions {
 public:
  // `node` is the rule's mapping; `reserved` are keys every rule has (id, kind, level, ...).
  RuleOptions(YAML::Node node, std::string file, std::string rule_id, Diagnostics* diags,
              std::vector<std::string> reserved);

  std::string String(const std::string& name, const std::string& def, const std::string& doc);
  int64_t Int(const std::string& name, int64_t def, const std::string& doc, int64_t min = 0,
              int64_t max = INT32_MAX);
  bool Bool(const std::string& name, bool def, const std::string& doc);
  // A scalar or a list of scalars.
  std::vector<std::string> StringList(const std::string& name, const std::string& doc);
  // One of `choices`.
  std::string Enum(const std::string& name, const std::string& def,
                   const std::vector<std::string>& choices, const std::string& doc);
  // A mapping of string to string (e.g. substitutions).
  std::vector<std::pair<std::string, std::string>> StringMap(const std::string& name,
                                                             const std::string& doc);
  // An integer, or a mapping of network name to integer; returns the value per key, with the
  // scalar form stored under "*".
  std::map<std::string, int64_t> IntPerNetwork(const std::string& name, const std::string& doc);
  // The raw node (for structured options); records the option with `type`.
  YAML::Node Raw(const std::string& name, const std::string& type, const std::string& doc);

  // Reports a problem at `node` (or at the rule when `node` is undefined).
  void Error(const YAML::Node& node, const std::string& message);
  // Reports a problem at the option `name` (or at the rule when it is absent).
  void ErrorAt(const std::string& name, const std::string& message);

  // Reports every key of the rule that is neither reserved nor read. Call after construction.
  void ReportUnknownKeys(const std::string& kind);

  const std::vector<OptionDoc>& documented() const { return documented_; }
  const std::string& file() const { return file_; }
  const std::string& rule_id() const { return rule_id_; }
  bool has_errors() const { return errors_ > 0; }

 private:
  YAML::Node Get(const std::string& name);
  void Document(const std::string& name, const std::string& type, const std::string& def,
                const std::string& doc);

  YAML::Node node_;
  std::string file_;
  std::string rule_id_;
  Diagnostics* diags_;  // may be null (documentation runs)
  std::vector<std::string> reserved_;
  std::vector<OptionDoc> documented_;
  int errors_ = 0;
};

}  // namespace postlint
