#include "engine/engine.h"

#include <algorithm>

#include "analysis/analyzed_post.h"
#include "core/fingerprint.h"
#include "core/redaction.h"
#include "core/utf8.h"
#include "rules/registry.h"

namespace postlint {

const std::vector<std::string>& CommonRuleKeys() {
  static const std::vector<std::string> keys = {"id",      "kind",        "level",
                                                "message", "description", "when",
                                                "enabled", "review_by",   "waivable_by"};
  return keys;
}

std::string ExpandMessage(const std::string& message, const Placeholders& values) {
  std::string out;
  out.reserve(message.size() + 32);
  size_t i = 0;
  while (i < message.size()) {
    if (message[i] == '{') {
      const size_t close = message.find('}', i + 1);
      if (close != std::string::npos) {
        const std::string_view name(message.data() + i + 1, close - i - 1);
        const auto it = std::find_if(values.begin(), values.end(),
                                     [&](const auto& kv) { return kv.first == name; });
        if (it != values.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out.push_back(message[i++]);
  }
  return out;
}

namespace {

// Names used as {placeholders} in `message`.
std::vector<std::string> PlaceholdersIn(const std::string& message) {
  std::vector<std::string> names;
  size_t i = 0;
  while ((i = message.find('{', i)) != std::string::npos) {
    const size_t close = message.find('}', i + 1);
    if (close == std::string::npos)
      break;
    const std::string name = message.substr(i + 1, close - i - 1);
    const bool identifier = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
    if (identifier)
      names.push_back(name);
    i = close + 1;
  }
  return names;
}

std::string Excerpt(std::string_view text, ByteRange range) {
  constexpr size_t kMaxCodePoints = 80;
  const std::string_view raw = text.substr(range.begin, range.size());
  if (CountCodePoints(raw) <= kMaxCodePoints)
    return std::string(raw);
  size_t i = 0;
  for (size_t n = 0; n < kMaxCodePoints && i < raw.size(); ++n)
    DecodeUtf8(raw, i);
  return std::string(raw.substr(0, i)) + "…";
}

}  // namespace

const std::string& Engine::Messages::For(const std::string& type) const {
  if (!policy_message.empty())
    return policy_message;
  for (const auto& [t, m] : defaults) {
    if (t == type)
      return m;
  }
  for (const auto& [t, m] : defaults) {
    if (t.empty())
      return m;
  }
  static const std::string kFallback = "{rule}: {excerpt}";
  return kFallback;
}

namespace {

template <typename MessagesT>
class CollectingSink final : public FindingSink {
 public:
  CollectingSink(const Rule& rule, const MessagesT& messages, const AnalyzedPost& post,
                 std::vector<Finding>& out, std::vector<SensitiveSpan>& sensitive)
      : rule_(rule), messages_(messages), post_(post), out_(out), sensitive_(sensitive) {}

  void MarkSensitive(ByteRange range, std::string mask) override {
    sensitive_.push_back({range, std::move(mask)});
  }

  void set_network(const std::string* network) { network_ = network; }

  void Report(ByteRange range, const Placeholders& values, std::optional<std::string> fix,
              std::optional<std::string> excerpt, std::string type,
              std::optional<Level> level) override {
    const std::string_view text = post_.text();
    range.end = std::min<uint32_t>(range.end, static_cast<uint32_t>(text.size()));
    range.begin = std::min(range.begin, range.end);
    Finding f;
    f.rule = rule_.spec().id;
    f.kind = rule_.spec().kind;
    f.level = level.value_or(rule_.spec().level);
    f.range = range;
    f.excerpt = excerpt ? std::move(*excerpt) : Excerpt(text, range);
    f.fix = std::move(fix);
    f.type = std::move(type);
    if (network_)
      f.network = *network_;
    Placeholders all = values;
    all.emplace_back("rule", f.rule);
    all.emplace_back("network", network_ ? *network_ : std::string());
    all.emplace_back("excerpt", f.excerpt);
    f.message = ExpandMessage(messages_.For(f.type), all);
    out_.push_back(std::move(f));
  }

 private:
  const Rule& rule_;
  const MessagesT& messages_;
  const AnalyzedPost& post_;
  std::vector<Finding>& out_;
  std::vector<SensitiveSpan>& sensitive_;
  const std::string* network_ = nullptr;
};

}  // namespace

std::shared_ptr<const Engine> Engine::Compile(Policy policy, Diagnostics& diags,
                                              const CompileOptions& compile) {
  const bool had_problems = !diags.empty();
  std::shared_ptr<Engine> engine(new Engine(std::move(policy)));
  const std::vector<std::string> kinds = RuleKindIds();
  for (const RuleSpec& spec : engine->policy_.rules) {
    if (!spec.enabled)
      continue;
    const RuleKindInfo* kind = FindRuleKind(spec.kind);
    if (!kind) {
      const SourceLocation loc = LocationOf(spec.node["kind"], spec.location.file);
      diags.Add(
          spec.location.file, loc.line, loc.column,
          "rule '" + spec.id + "': unknown rule kind '" + spec.kind + "'" +
              DidYouMean(spec.kind, kinds) + "; known kinds: " + [&] {
                std::string s;
                for (const auto& k : kinds)
                  s += (s.empty() ? "" : ", ") + k;
                return s;
              }());
      continue;
    }
    RuleOptions options(spec.node, spec.location.file, spec.id, &diags, CommonRuleKeys());
    RuleInit init{spec, engine->policy_, options, compile, {}, {}};
    std::unique_ptr<Rule> rule = kind->factory(init);
    options.ReportUnknownKeys(spec.kind);
    std::vector<std::string> allowed = init.placeholders;
    for (const char* common : {"rule", "network", "excerpt"})
      allowed.emplace_back(common);
    for (const auto& name : PlaceholdersIn(spec.message)) {
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        const SourceLocation loc = LocationOf(spec.node["message"], spec.location.file);
        std::string list;
        for (const auto& a : allowed)
          list += (list.empty() ? "{" : ", {") + a + "}";
        diags.Add(spec.location.file, loc.line, loc.column,
                  "rule '" + spec.id + "': unknown placeholder '{" + name + "}' in message" +
                      DidYouMean(name, allowed) + "; kind '" + spec.kind + "' provides " + list);
      }
    }
    engine->needs_network_limits_ = engine->needs_network_limits_ || rule->NeedsNetworkLimits();
    engine->rules_.push_back(std::move(rule));
    engine->messages_.push_back({spec.message, std::move(init.default_messages)});
  }
  if (had_problems || !diags.empty())
    return nullptr;
  return engine;
}

PolicyInfo Engine::info() const {
  PolicyInfo info{policy_.name, policy_.version, policy_.sha256, {}};
  for (const auto& rule : rules_) {
    const RuleSpec& spec = rule->spec();
    std::string description = spec.description;
    if (description.empty()) {
      if (const RuleKindInfo* kind = FindRuleKind(spec.kind))
        description = std::string(kind->summary);
    }
    info.rules.push_back({spec.id, spec.kind, spec.level, description});
  }
  if (needs_network_limits_) {
    info.rules.push_back({kNetworkCoverageRule, "postlint", Level::kWarning,
                          "Posts that could not be checked against a network's limits (no "
                          "network named, or none the policy has limits for)."});
  }
  return info;
}

bool Engine::UsesNetwork() const {
  return std::any_of(rules_.begin(), rules_.end(),
                     [](const std::unique_ptr<Rule>& rule) { return rule->UsesNetwork(); });
}

PostResult Engine::ErrorResult(const ReadError& error) {
  PostResult r;
  r.post.id = error.id;
  r.post.source = error.source;
  r.post.source_line = error.line;
  r.verdict = Verdict::kError;
  r.error = error;
  // Whatever built the message, the input it quotes leaves short and redacted.
  r.error->message = QuoteLastRead(error.message);
  return r;
}

namespace {

// Why a post cannot be checked as it is, or nullopt.
// The network a rule that does not depend on the network runs for: the first of `networks`
// that satisfies `when` (`no_network` when the post has none), or null when none does.
const std::string* NetworkToRunOnce(const Condition& when, const Post& post,
                                    const std::vector<std::string>& networks,
                                    const std::string& no_network) {
  if (networks.empty())
    return when.Matches(post, no_network) ? &no_network : nullptr;
  for (const auto& n : networks) {
    if (when.Matches(post, n))
      return &n;
  }
  return nullptr;
}

// One finding through `redactor`: excerpt and message scrubbed; a fix that would write a secret
// back is no fix: it is dropped, never masked.
void ScrubFinding(const Redactor& redactor, Finding& f) {
  f.excerpt = redactor.Scrub(f.excerpt);
  f.message = redactor.Scrub(f.message);
  if (f.fix && redactor.Covers(*f.fix))
    f.fix.reset();
}

// Masks `sensitive` (spans of result.post.text) in every finding and then in the text itself.
void RedactSecrets(const std::vector<SensitiveSpan>& sensitive, PostResult& result) {
  const Redactor redactor(result.post.text, sensitive);
  if (redactor.empty())
    return;
  for (Finding& f : result.findings)
    ScrubFinding(redactor, f);
  redactor.MaskInPlace(result.post.text);
}

std::optional<std::string> UncheckableBecause(const Post& post, const Policy& policy) {
  for (const auto& n : post.networks) {
    if (auto problem = policy.UnknownNetworkProblem(n))
      return problem;
  }
  if (TrimAsciiSpace(post.text).empty() && post.media.empty()) {
    return std::string(
        "the post is empty: no text and no media (a draft with only front matter, an empty "
        "file, or a record with \"text\": \"\")");
  }
  return std::nullopt;
}

}  // namespace

PostResult Engine::Check(Post post, const CheckOptions& options) const {
  if (auto problem = UncheckableBecause(post, policy_)) {
    ReadError error{post.source, post.source_line, post.id, std::move(*problem)};
    PostResult result = ErrorResult(error);
    result.post = std::move(post);
    return result;
  }
  PostResult result;
  result.post = std::move(post);
  const Post& p = result.post;
  std::vector<std::string> networks = p.networks;
  if (networks.empty())
    networks = options.fallback_networks;
  if (networks.empty())
    networks = policy_.default_networks;

  AnalyzedPost analyzed(p);
  std::vector<SensitiveSpan> sensitive;
  const std::string no_network;
  for (size_t i = 0; i < rules_.size(); ++i) {
    const Rule& rule = *rules_[i];
    const Condition& when = rule.spec().when;
    CollectingSink<Messages> sink(rule, messages_[i], analyzed, result.findings, sensitive);
    if (rule.IsNetworkSpecific()) {
      if (networks.empty()) {
        if (when.Matches(p, no_network))
          rule.Check(analyzed, CheckContext{{}, nullptr, true, &options}, sink);
        continue;
      }
      bool primary = true;
      for (const auto& n : networks) {
        if (!when.Matches(p, n))
          continue;
        sink.set_network(&n);
        rule.Check(analyzed, CheckContext{n, policy_.FindNetwork(n), primary, &options}, sink);
        primary = false;
      }
      continue;
    }
    // Network-independent rules run once, for the first network that satisfies `when`.
    if (const std::string* chosen = NetworkToRunOnce(when, p, networks, no_network)) {
      rule.Check(analyzed, CheckContext{*chosen, policy_.FindNetwork(*chosen), true, &options},
                 sink);
    }
  }

  // The post's other texts are published too: what a rule about words finds in an image's alt
  // text is a finding of the post, naming the field. Their secrets are masked like the text's.
  std::vector<std::pair<size_t, Redactor>> masked_alt_texts;
  for (size_t m = 0; m < p.media.size(); ++m) {
    if (p.media[m].alt_text.empty())
      continue;
    Post alt = p;
    alt.text = p.media[m].alt_text;
    alt.media.clear();
    const AnalyzedPost analyzed_alt(alt);
    std::vector<Finding> found;
    std::vector<SensitiveSpan> alt_sensitive;
    for (size_t i = 0; i < rules_.size(); ++i) {
      const Rule& rule = *rules_[i];
      if (!rule.ChecksEveryText() || rule.IsNetworkSpecific())
        continue;
      const std::string* chosen = NetworkToRunOnce(rule.spec().when, p, networks, no_network);
      if (!chosen)
        continue;
      CollectingSink<Messages> sink(rule, messages_[i], analyzed_alt, found, alt_sensitive);
      rule.Check(analyzed_alt, CheckContext{*chosen, policy_.FindNetwork(*chosen), true, &options},
                 sink);
    }
    Redactor redactor(alt.text, alt_sensitive);
    const std::string field = "media[" + std::to_string(m) + "].alt_text";
    for (Finding& f : found) {
      f.field = field;
      f.range = {};
      f.fix.reset();  // a fix replaces a range of the post's text, not of the alt text
      result.findings.push_back(std::move(f));
    }
    if (!redactor.empty())
      masked_alt_texts.emplace_back(m, std::move(redactor));
  }

  if (needs_network_limits_)
    AddNetworkCoverage(networks, result.findings);

  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [](const Finding& a, const Finding& b) {
                     if (a.range.begin != b.range.begin)
                       return a.range.begin < b.range.begin;
                     if (a.range.end != b.range.end)
                       return a.range.end < b.range.end;
                     return a.rule < b.rule;
                   });
  result.findings.erase(std::unique(result.findings.begin(), result.findings.end(),
                                    [](const Finding& a, const Finding& b) {
                                      return a.rule == b.rule && a.range == b.range &&
                                             a.message == b.message && a.network == b.network &&
                                             a.field == b.field;
                                    }),
                        result.findings.end());

  for (const auto& n : networks) {
    NetworkMetrics m;
    m.network = n;
    m.hashtags = static_cast<uint32_t>(analyzed.hashtags().size());
    if (const NetworkProfile* profile = policy_.FindNetwork(n)) {
      if (!profile->length.empty()) {
        const LengthLimit& primary = profile->length.front();
        m.unit = std::string(ToString(primary.unit));
        m.length = analyzed.Length(primary.unit);
        m.limit = primary.max;
      }
      m.max_hashtags = profile->max_hashtags.value_or(0);
    }
    if (m.unit.empty()) {
      m.unit = std::string(ToString(LengthUnit::kCodePoints));
      m.length = analyzed.Length(LengthUnit::kCodePoints);
    }
    result.metrics.push_back(std::move(m));
  }

  result.verdict = policy_.VerdictFor(result.findings);
  // The fingerprint names what was written, so it is taken before the secrets are masked.
  result.fingerprint = PostFingerprint(result.post);
  // A secret of the alt text may show in a finding about the whole post (a pattern with scope
  // alt_text, a placeholder): every finding passes every field's redaction.
  for (const auto& [m, redactor] : masked_alt_texts) {
    for (Finding& f : result.findings)
      ScrubFinding(redactor, f);
    redactor.MaskInPlace(result.post.media[m].alt_text);
  }
  RedactSecrets(sensitive, result);
  return result;
}

void Engine::AddNetworkCoverage(const std::vector<std::string>& networks,
                                std::vector<Finding>& findings) const {
  auto add = [&](std::string type, std::string network, std::string message) {
    Finding f;
    f.rule = kNetworkCoverageRule;
    f.kind = "postlint";
    f.level = Level::kWarning;
    f.type = std::move(type);
    f.network = std::move(network);
    f.message = std::move(message);
    findings.push_back(std::move(f));
  };
  if (networks.empty()) {
    add("no-network", "",
        "Not checked against any network: the post names none and the policy has no "
        "default_networks, so length and hashtag limits were not checked; set 'network' on the "
        "post, pass --network, or add default_networks to the policy");
    return;
  }
  for (const auto& n : networks) {
    if (policy_.FindNetwork(n) != nullptr)
      continue;
    add("no-limits", n,
        "No limits for " + n + " in policy '" + policy_.name +
            "', so its length and hashtag limits were not checked; extend the 'networks' pack "
            "or define " +
            n + " under 'networks'");
  }
}

namespace {

// The loaders report problems as diagnostics; this is the backstop for anything a library
// throws that they did not anticipate, so a bad policy can never crash a caller.
template <typename Load>
std::shared_ptr<const Engine> CompileGuarded(const std::string& file, Diagnostics& diags,
                                             const CompileOptions& compile, Load load) {
  try {
    std::optional<Policy> policy = load();
    if (!policy)
      return nullptr;
    return Engine::Compile(std::move(*policy), diags, compile);
  } catch (const std::exception& e) {
    diags.Add(file, 0, 0, std::string("cannot load policy: ") + e.what());
    return nullptr;
  }
}

}  // namespace

std::shared_ptr<const Engine> CompilePolicyFile(const std::string& path, Diagnostics& diags,
                                                const CompileOptions& compile) {
  return CompileGuarded(path, diags, compile,
                        [&] { return LoadPolicyFile(path, diags, compile.load); });
}

std::shared_ptr<const Engine> CompilePolicyString(const std::string& yaml, const std::string& file,
                                                  Diagnostics& diags,
                                                  const CompileOptions& compile) {
  return CompileGuarded(file, diags, compile,
                        [&] { return LoadPolicyString(yaml, file, diags, compile.load); });
}

}  // namespace postlint
