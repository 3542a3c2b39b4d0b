#include "rules/rule_options.h"

#include <algorithm>

#include "core/networks.h"
#include "core/utf8.h"
#include "policy/policy.h"

namespace postlint {

namespace {

std::string Shown(const YAML::Node& node) {
  if (node.IsScalar())
    return "'" + node.Scalar() + "'";
  if (node.IsSequence())
    return "a list";
  if (node.IsMap())
    return "a mapping";
  return "nothing";
}

}  // namespace

RuleOptions::RuleOptions(YAML::Node node, std::string file, std::string rule_id, Diagnostics* diags,
                         std::vector<std::string> reserved)
    : node_(std::move(node)),
      file_(std::move(file)),
      rule_id_(std::move(rule_id)),
      diags_(diags),
      reserved_(std::move(reserved)) {}

YAML::Node RuleOptions::Get(const std::string& name) {
  if (!node_ || !node_.IsMap())
    return YAML::Node(YAML::NodeType::Undefined);
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    if (it->first.as<std::string>("") == name)
      return it->second;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

void RuleOptions::Document(const std::string& name, const std::string& type, const std::string& def,
                           const std::string& doc) {
  for (const auto& d : documented_) {
    if (d.name == name)
      return;
  }
  documented_.push_back({name, type, def, doc});
}

void RuleOptions::Error(const YAML::Node& node, const std::string& message) {
  ++errors_;
  if (!diags_)
    return;
  const YAML::Node& at = (node.IsDefined() ? node : node_);
  const SourceLocation loc = LocationOf(at, file_);
  diags_->Add(file_, loc.line, loc.column, "rule '" + rule_id_ + "': " + message);
}

void RuleOptions::ErrorAt(const std::string& name, const std::string& message) {
  Error(Get(name), message);
}

std::string RuleOptions::String(const std::string& name, const std::string& def,
                                const std::string& doc) {
  Document(name, "string", def, doc);
  const YAML::Node v = Get(name);
  if (!v.IsDefined() || v.IsNull())
    return def;
  if (!v.IsScalar()) {
    Error(v, "option '" + name + "' must be a string, not " + Shown(v));
    return def;
  }
  return v.Scalar();
}

int64_t RuleOptions::Int(const std::string& name, int64_t def, const std::string& doc, int64_t min,
                         int64_t max) {
  Document(name, "integer", std::to_string(def), doc);
  const YAML::Node v = Get(name);
  if (!v.IsDefined() || v.IsNull())
    return def;
  int64_t value = 0;
  if (!v.IsScalar() || !YAML::convert<int64_t>::decode(v, value)) {
    Error(v, "option '" + name + "' must be an integer, not " + Shown(v));
    return def;
  }
  if (value < min || value > max) {
    Error(v, "option '" + name + "' must be between " + std::to_string(min) + " and " +
                 std::to_string(max) + ", not " + std::to_string(value));
    return def;
  }
  return value;
}

bool RuleOptions::Bool(const std::string& name, bool def, const std::string& doc) {
  Document(name, "boolean", def ? "true" : "false", doc);
  const YAML::Node v = Get(name);
  if (!v.IsDefined() || v.IsNull())
    return def;
  bool value = false;
  if (!v.IsScalar() || !YAML::convert<bool>::decode(v, value)) {
    Error(v, "option '" + name + "' must be true or false, not " + Shown(v));
    return def;
  }
  return value;
}

std::vector<std::string> RuleOptions::StringList(const std::string& name, const std::string& doc) {
  Document(name, "list of strings", "[]", doc);
  std::vector<std::string> out;
  const YAML::Node v = Get(name);
  if (!v.IsDefined() || v.IsNull())
    return out;
  if (v.IsScalar()) {
    out.push_back(v.Scalar());
  } else if (v.IsSequence()) {
    for (const auto& item : v) {
      if (item.IsScalar()) {
        out.push_back(item.Scalar());
      } else {
        Error(item, "items of option '" + name + "' must be strings, not " + Shown(item));
      }
    }
  } else {
    Error(v, "option '" + name + "' must be a string or a list of strings, not " + Shown(v));
  }
  return out;
}

std::string RuleOptions::Enum(const std::string& name, const std::string& def,
                              const std::vector<std::string>& choices, const std::string& doc) {
  Document(name, "one of: " + Join(choices), def, doc);
  const YAML::Node v = Get(name);
  if (!v.IsDefined() || v.IsNull())
    return def;
  const std::string value = v.IsScalar() ? v.Scalar() : "";
  if (std::find(choices.begin(), choices.end(), value) == choices.end()) {
    Error(v, "invalid value " + Shown(v) + " for option '" + name +
                 "'; expected one of: " + Join(choices) + DidYouMean(value, choices));
    return def;
  }
  return value;
}

std::vector<std::pair<std::string, std::string>> RuleOptions::StringMap(const std::string& name,
                                                                        const std::string& doc) {
  Document(name, "mapping of string to string", "{}", doc);
  std::vector<std::pair<std::string, std::string>> out;
  const YAML::Node v = Get(name);
  if (!v.IsDefined() || v.IsNull())
    return out;
  if (!v.IsMap()) {
    Error(v, "option '" + name + "' must be a mapping like {Iphone: iPhone}, not " + Shown(v));
    return out;
  }
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!it->first.IsScalar() || !it->second.IsScalar()) {
      Error(it->first, "entries of option '" + name + "' must map a string to a string");
      continue;
    }
    out.emplace_back(it->first.Scalar(), it->second.Scalar());
  }
  return out;
}

std::map<std::string, int64_t> RuleOptions::IntPerNetwork(const std::string& name,
                                                          const std::string& doc) {
  Document(name, "integer, or mapping of network to integer", "", doc);
  std::map<std::string, int64_t> out;
  const YAML::Node v = Get(name);
  if (!v.IsDefined() || v.IsNull())
    return out;
  int64_t value = 0;
  if (v.IsScalar()) {
    if (YAML::convert<int64_t>::decode(v, value) && value >= 0) {
      out["*"] = value;
    } else {
      Error(v, "option '" + name + "' must be a non-negative integer, not " + Shown(v));
    }
    return out;
  }
  if (!v.IsMap()) {
    Error(v, "option '" + name + "' must be an integer or a mapping like {x: 3, linkedin: 5}");
    return out;
  }
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (it->second.IsScalar() && YAML::convert<int64_t>::decode(it->second, value) && value >= 0) {
      out[CanonicalNetworkName(it->first.as<std::string>(""))] = value;
    } else {
      Error(it->second, "values of option '" + name + "' must be non-negative integers");
    }
  }
  return out;
}

YAML::Node RuleOptions::Raw(const std::string& name, const std::string& type,
                            const std::string& doc) {
  Document(name, type, "", doc);
  return Get(name);
}

void RuleOptions::ReportUnknownKeys(const std::string& kind) {
  if (!node_ || !node_.IsMap())
    return;
  std::vector<std::string> known = reserved_;
  for (const auto& d : documented_)
    known.push_back(d.name);
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    const std::string key = it->first.as<std::string>("");
    if (std::find(known.begin(), known.end(), key) != known.end())
      continue;
    std::vector<std::string> options;
    for (const auto& d : documented_)
      options.push_back(d.name);
    Error(it->first, "unknown option '" + key + "' for rule kind '" + kind + "'" +
                         DidYouMean(key, known) +
                         (options.empty() ? "" : "; its options are: " + Join(options)));
  }
}

}  // namespace postlint
