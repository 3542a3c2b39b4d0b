// The C API (include/postlint/postlint.h): opaque handles, JSON in and out, and no exception
// ever crosses into C.
#include <cstdlib>
#include <cstring>
#include <string>

#include <nlohmann/json.hpp>

#include "core/redaction.h"
#include "postlint/checker.h"
#include "postlint/postlint.h"

struct postlint_checker {
  std::unique_ptr<postlint::api::Checker> checker;
};

namespace {

char* Dup(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out)
    std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

void SetError(char** error, const std::string& message) {
  if (error)
    *error = Dup(message);
}

}  // namespace

extern "C" {

POSTLINT_API const char* postlint_version(void) {
  return POSTLINT_VERSION;
}

POSTLINT_API postlint_checker* postlint_checker_new_from_file(const char* path, char** error) {
  if (error)
    *error = nullptr;
  if (!path) {
    SetError(error, "postlint_checker_new_from_file: path is NULL\n");
    return nullptr;
  }
  try {
    std::string errors;
    auto checker = postlint::api::Checker::FromFile(path, &errors);
    if (!checker) {
      SetError(error, errors);
      return nullptr;
    }
    return new postlint_checker{std::move(checker)};
  } catch (const std::exception& e) {
    SetError(error, std::string("postlint: ") + e.what() + "\n");
    return nullptr;
  }
}

POSTLINT_API postlint_checker* postlint_checker_new_from_yaml(const char* yaml, const char* name,
                                                              char** error) {
  if (error)
    *error = nullptr;
  if (!yaml) {
    SetError(error, "postlint_checker_new_from_yaml: yaml is NULL\n");
    return nullptr;
  }
  try {
    std::string errors;
    auto checker = postlint::api::Checker::FromYaml(yaml, name ? name : "<memory>", &errors);
    if (!checker) {
      SetError(error, errors);
      return nullptr;
    }
    return new postlint_checker{std::move(checker)};
  } catch (const std::exception& e) {
    SetError(error, std::string("postlint: ") + e.what() + "\n");
    return nullptr;
  }
}

POSTLINT_API postlint_checker* postlint_checker_new(const char* path, const char* options_json,
                                                    char** error) {
  if (error)
    *error = nullptr;
  if (!path) {
    SetError(error, "postlint_checker_new: path is NULL\n");
    return nullptr;
  }
  try {
    postlint::api::Options options;
    if (options_json != nullptr && *options_json != '\0') {
      const auto j = nlohmann::json::parse(options_json, nullptr, /*allow_exceptions=*/false);
      if (!j.is_object()) {
        SetError(error, "postlint_checker_new: options must be a JSON object\n");
        return nullptr;
      }
      for (const auto& [key, value] : j.items()) {
        if (key == "decision_log" && value.is_string()) {
          options.decision_log = value.get<std::string>();
        } else if (key == "offline" && value.is_boolean()) {
          options.offline = value.get<bool>();
        } else if (key == "networks" && value.is_array()) {
          for (const auto& n : value) {
            if (!n.is_string()) {
              SetError(error, "postlint_checker_new: options.networks must be strings\n");
              return nullptr;
            }
            options.networks.push_back(n.get<std::string>());
          }
        } else {
          SetError(error, "postlint_checker_new: unknown or mistyped option '" + key +
                              "'; options are decision_log (string), offline (boolean), "
                              "networks (array of strings)\n");
          return nullptr;
        }
      }
    }
    std::string errors;
    auto checker = postlint::api::Checker::FromFile(path, options, &errors);
    if (!checker) {
      SetError(error, errors);
      return nullptr;
    }
    return new postlint_checker{std::move(checker)};
  } catch (const std::exception& e) {
    SetError(error, std::string("postlint: ") + e.what() + "\n");
    return nullptr;
  }
}

POSTLINT_API void postlint_checker_free(postlint_checker* checker) {
  delete checker;
}

POSTLINT_API char* postlint_check_json(const postlint_checker* checker, const char* post_json,
                                       int* verdict) {
  try {
    if (!checker || !post_json) {
      if (verdict)
        *verdict = POSTLINT_ERROR;
      return Dup(R"({"verdict":"error","error":{"message":"checker or post is NULL"}})");
    }
    const postlint::api::Report r = checker->checker->CheckJson(post_json);
    if (verdict)
      *verdict = static_cast<int>(r.verdict);
    return Dup(r.json);
  } catch (const std::exception& e) {
    if (verdict)
      *verdict = POSTLINT_ERROR;
    return Dup(nlohmann::json{{"verdict", "error"},
                              {"error", {{"message", postlint::QuoteLastRead(e.what())}}}}
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
}

POSTLINT_API char* postlint_policy_json(const postlint_checker* checker) {
  if (!checker)
    return nullptr;
  try {
    return Dup(nlohmann::json{{"name", checker->checker->policy_name()},
                              {"version", checker->checker->policy_version()},
                              {"sha256", checker->checker->policy_sha256()}}
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } catch (const std::exception&) {
    return nullptr;
  }
}

POSTLINT_API void postlint_string_free(char* s) {
  std::free(s);
}

}  // extern "C"
