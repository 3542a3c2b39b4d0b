#include "policy/policy_limits.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <optional>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

#include "core/byte_size.h"
#include "core/data_dir.h"
#include "core/utf8.h"
#include "policy/policy.h"

namespace postlint {
namespace {

namespace fs = std::filesystem;

// A name from a policy, for messages: valid UTF-8, cut short.
std::string ShownRef(const std::string& ref) {
  constexpr size_t kMax = 200;
  return SanitizeUtf8(ref.size() > kMax ? ref.substr(0, kMax) + "..." : ref);
}

bool EndsWithYaml(std::string_view s) {
  return s.ends_with(".yaml") || s.ends_with(".yml");
}

// "default", "networks": a shipped pack (or NAME.yaml in the policy path), never a path.
bool IsPackName(const std::string& ref) {
  return ref.find('/') == std::string::npos && !EndsWithYaml(ref);
}

// `p` made absolute, with symbolic links resolved as far as it exists, and no trailing '/'.
fs::path CanonicalPath(const fs::path& p) {
  std::error_code ec;
  fs::path out = fs::weakly_canonical(fs::absolute(p, ec), ec);
  if (ec)
    out = fs::absolute(p, ec).lexically_normal();
  if (!out.has_filename() && out.has_relative_path())
    out = out.parent_path();
  return out;
}

// True when canonical `path` is `root` or lies under it.
bool IsUnder(const fs::path& path, const fs::path& root) {
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p) {
    if (r->empty())
      continue;  // a trailing separator
    if (p == path.end() || *p != *r)
      return false;
  }
  return true;
}

bool IsRegularFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

std::string JoinPaths(const std::vector<fs::path>& paths) {
  std::string out;
  for (const auto& p : paths)
    out += (out.empty() ? "" : ", ") + p.string();
  return out;
}

std::string ShippedPackNames(const std::string& data_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(data_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".yaml" && !name.ends_with(".tests.yaml"))
      names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names)
    out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none found in " + data_dir : out;
}

// The directories `extends` may read from, canonical: the shipped packs', the extending
// file's own, then the policy path's.
struct Roots {
  fs::path data_dir;
  fs::path own_dir;
  std::vector<fs::path> policy_path;

  bool Allows(const fs::path& canonical) const {
    if (IsUnder(canonical, data_dir) || IsUnder(canonical, own_dir))
      return true;
    return std::any_of(policy_path.begin(), policy_path.end(),
                       [&](const fs::path& root) { return IsUnder(canonical, root); });
  }

  std::string Describe() const {
    std::string out = "the shipped packs (" + data_dir.string() + "), this file's directory (" +
                      own_dir.string() + ")";
    if (!policy_path.empty())
      out += " and the policy path (" + JoinPaths(policy_path) + ")";
    return out;
  }
};

}  // namespace

std::vector<std::string> SplitPolicyPath(const std::string& value) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= value.size()) {
    const size_t colon = value.find(':', start);
    const size_t end = colon == std::string::npos ? value.size() : colon;
    if (end > start)
      out.push_back(value.substr(start, end - start));
    if (colon == std::string::npos)
      break;
    start = colon + 1;
  }
  return out;
}

ExtendsTarget ResolveExtends(const std::string& ref, const std::string& from_file,
                             const PolicyLoadOptions& options) {
  if (ref.empty())
    return {
        {}, {}, "'extends' names an empty policy; expected a shipped pack name or a .yaml path"};
  if (std::any_of(ref.begin(), ref.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return {{}, {}, "'extends' names a policy with control characters in its name"};
  }
  Roots roots;
  const std::string data_dir = DataDir();
  roots.data_dir = CanonicalPath(data_dir);
  roots.own_dir = CanonicalPath(fs::path(from_file).parent_path());
  for (const auto& dir : options.policy_path)
    roots.policy_path.push_back(CanonicalPath(dir));

  if (IsPackName(ref)) {
    if (ref.front() != '.') {
      // (directory as named, canonical directory)
      std::vector<std::pair<fs::path, fs::path>> dirs = {{data_dir, roots.data_dir}};
      for (size_t i = 0; i < options.policy_path.size(); ++i)
        dirs.emplace_back(options.policy_path[i], roots.policy_path[i]);
      for (const auto& [named, dir] : dirs) {
        const fs::path canonical = CanonicalPath(dir / (ref + ".yaml"));
        if (IsUnder(canonical, dir) && IsRegularFile(canonical))
          return {(named / (ref + ".yaml")).string(), canonical.string(), {}};
      }
    }
    std::string error = "cannot find policy '" + ShownRef(ref) +
                        "' to extend; expected a shipped pack (" + ShippedPackNames(data_dir) + ")";
    if (!roots.policy_path.empty())
      error += ", NAME.yaml in the policy path (" + JoinPaths(roots.policy_path) + ")";
    return {{}, {}, error + " or a path to a .yaml file"};
  }

  const fs::path ref_path(ref);
  std::vector<fs::path> candidates;
  if (ref_path.is_absolute()) {
    candidates.push_back(ref_path);
  } else {
    // Shown as before: relative to the extending file as it was named.
    candidates.push_back((fs::path(from_file).parent_path() / ref_path).lexically_normal());
    for (const auto& dir : options.policy_path)
      candidates.push_back((fs::path(dir) / ref_path).lexically_normal());
    candidates.push_back((fs::path(data_dir) / ref_path).lexically_normal());
  }
  // The first candidate is what the name means (the path itself, or the file beside the
  // extending one): when it leads outside the roots, through '..' or a symbolic link, that is
  // the error, whatever the later candidates hold.
  bool outside = false;
  bool not_yaml = false;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const fs::path& candidate = candidates[i];
    const fs::path canonical = CanonicalPath(candidate);
    // Nothing outside the roots is opened or even looked up: whether /etc/shadow exists is
    // none of a policy's business.
    if (!roots.Allows(canonical)) {
      outside = outside || i == 0;
      continue;
    }
    if (!EndsWithYaml(ref) || !EndsWithYaml(canonical.filename().string())) {
      not_yaml = true;
      continue;
    }
    if (IsRegularFile(canonical))
      return {candidate.string(), canonical.string(), {}};
  }
  const std::string quoted = "'" + ShownRef(ref) + "'";
  if (outside) {
    return {{},
            {},
            "policy " + quoted +
                " is outside the directories 'extends' may read: " + roots.Describe() +
                "; move it there or add its directory to $POSTLINT_POLICY_PATH (--policy-path)"};
  }
  if (not_yaml) {
    return {{},
            {},
            "cannot extend " + quoted +
                ": 'extends' names shipped packs and policy files ending in .yaml or .yml"};
  }
  return {{},
          {},
          "cannot find policy " + quoted + " to extend; expected a shipped pack (" +
              ShippedPackNames(data_dir) + ") or a path to a .yaml file under " + roots.Describe()};
}

bool ReadPolicyFile(const std::string& path, std::string* out, std::string* error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    *error =
        "cannot read policy file: " + std::error_code(errno, std::generic_category()).message();
    return false;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    *error = "cannot read policy file: not a regular file";
    return false;
  }
  if (static_cast<uint64_t>(st.st_size) > kMaxPolicyFileBytes) {
    ::close(fd);
    *error = "policy file is " + FormatBytes(static_cast<uint64_t>(st.st_size)) +
             "; a policy file may be at most " + FormatBytes(kMaxPolicyFileBytes);
    return false;
  }
  out->clear();
  char buffer[1 << 16];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      *error =
          "cannot read policy file: " + std::error_code(errno, std::generic_category()).message();
      ::close(fd);
      return false;
    }
    if (got == 0)
      break;
    out->append(buffer, static_cast<size_t>(got));
    if (out->size() > kMaxPolicyFileBytes) {  // grew while read
      ::close(fd);
      *error = "policy file is larger than " + FormatBytes(kMaxPolicyFileBytes) +
               ", the most a policy file may be";
      return false;
    }
  }
  ::close(fd);
  return true;
}

void CheckPatternLimits(Policy& policy, Diagnostics& diags) {
  size_t total = 0;
  bool over_total = false;
  std::vector<RuleSpec> kept;
  kept.reserve(policy.rules.size());
  for (RuleSpec& rule : policy.rules) {
    if (rule.kind != "pattern" || !rule.node.IsMap()) {
      kept.push_back(std::move(rule));
      continue;
    }
    std::vector<YAML::Node> items;
    // Through a const reference: yaml-cpp's non-const operator[] adds the key it looks up.
    const YAML::Node& options = rule.node;
    const YAML::Node patterns = options["patterns"];
    if (patterns.IsScalar()) {
      items.push_back(patterns);
    } else if (patterns.IsSequence()) {
      for (const auto& p : patterns)
        items.push_back(p);
    }
    bool drop = over_total;
    for (const auto& item : items) {
      if (!item.IsScalar())
        continue;  // the rule kind reports it
      const size_t size = item.Scalar().size();
      const SourceLocation at = LocationOf(item, rule.location.file);
      if (size > kMaxPatternBytes) {
        diags.Add(at.file, at.line, at.column,
                  "rule '" + rule.id + "': this pattern is " + FormatBytes(size) +
                      "; a pattern may be at most " + FormatBytes(kMaxPatternBytes) +
                      " (for a long list of words or phrases use a terms rule)");
        drop = true;
        continue;
      }
      total += size;
      if (total > kMaxPolicyPatternBytes && !over_total) {
        diags.Add(at.file, at.line, at.column,
                  "rule '" + rule.id + "': the policy's patterns add up to more than " +
                      FormatBytes(kMaxPolicyPatternBytes) +
                      ", the most one policy may compile (for long lists of words or phrases "
                      "use terms rules)");
        over_total = true;
        drop = true;
      }
    }
    if (!drop)
      kept.push_back(std::move(rule));
  }
  policy.rules = std::move(kept);
}

}  // namespace postlint
