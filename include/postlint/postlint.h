/* postlint C API: check social media posts against a policy from any language.
 *
 *   char* error = NULL;
 *   postlint_checker* c = postlint_checker_new_from_file("postlint.yaml", &error);
 *   if (!c) { fprintf(stderr, "%s", error); postlint_string_free(error); return 2; }
 *   int verdict = 0;
 *   char* report = postlint_check_json(c, "{\"text\": \"Hello\", \"network\": \"x\"}", &verdict);
 *   puts(report);                       // the same object as `postlint check --format jsonl`
 *   postlint_string_free(report);
 *   postlint_checker_free(c);
 *
 * Contract:
 * - Every function is noexcept in effect: no C++ exception crosses this boundary. Failures are
 *   reported through return values and `error` strings.
 * - Strings returned by postlint are allocated by postlint and must be released with
 *   postlint_string_free(). Input strings are UTF-8 (invalid bytes become U+FFFD).
 * - A checker is immutable after creation; postlint_check_json() may be called from many threads
 *   at once on the same checker.
 * - Verdict codes equal the CLI's exit codes: POSTLINT_PASS 0, POSTLINT_FAIL 1,
 *   POSTLINT_ERROR 2 (the post could not be read), POSTLINT_REVIEW 3.
 */
#ifndef POSTLINT_POSTLINT_H_
#define POSTLINT_POSTLINT_H_

#ifdef __cplusplus
extern "C" {
#endif

#define POSTLINT_PASS 0
#define POSTLINT_FAIL 1
#define POSTLINT_ERROR 2
#define POSTLINT_REVIEW 3

typedef struct postlint_checker postlint_checker;

/* The library version, e.g. "0.1.0". Static storage; do not free. */
const char* postlint_version(void);

/* Loads and compiles a policy file (with its `extends`). Returns NULL on failure and, when
 * `error` is not NULL, sets *error to every problem, one "file:line:col: error: ..." per line
 * (free it with postlint_string_free). */
postlint_checker* postlint_checker_new_from_file(const char* path, char** error);

/* Same, from YAML in memory; `name` names it in error messages and anchors relative extends. */
postlint_checker* postlint_checker_new_from_yaml(const char* yaml, const char* name, char** error);

/* Loads and compiles a policy file with options, a JSON object (NULL or "" for none):
 *   {"decision_log": "PATH",   the team's decision log: its waivers and approvals apply to every
 *                              check, as for `postlint check` (re-read when someone appends)
 *    "offline": true,          live link checks answer from the cache only
 *    "networks": ["x"]}        networks for posts that name none
 * Returns NULL on failure with *error set as postlint_checker_new_from_file does. */
postlint_checker* postlint_checker_new(const char* path, const char* options_json, char** error);

/* Releases a checker. NULL is allowed. */
void postlint_checker_free(postlint_checker* checker);

/* Checks one post given as a JSON object (fields as in docs/report-format.md: text, network or
 * networks, account, author, created_at, sponsored, lang, media, labels, id). Returns the
 * report object as JSON (never NULL unless out of memory) and stores the verdict code in
 * *verdict when `verdict` is not NULL. A post that cannot be read gives verdict POSTLINT_ERROR
 * and a report whose "error" member says why. */
char* postlint_check_json(const postlint_checker* checker, const char* post_json, int* verdict);

/* JSON description of the loaded policy: {"name", "version", "sha256"}. NULL on failure. */
char* postlint_policy_json(const postlint_checker* checker);

/* Releases a string returned by postlint. NULL is allowed. */
void postlint_string_free(char* s);

#ifdef __cplusplus
}
#endif

#endif /* POSTLINT_POSTLINT_H_ */
