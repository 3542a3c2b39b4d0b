/* A tiny C program embedding postlint: checks one post (JSON) against a policy file.
 *
 *   cc check_post.c $(pkg-config --cflags --libs postlint) -o check_post
 *   ./check_post rules/default.yaml '{"text": "TODO: launch post", "network": "x"}'
 */
#include <postlint/postlint.h>
#include <stdio.h>

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s POLICY.yaml POST_JSON\n", argv[0]);
    return 2;
  }
  char* error = NULL;
  postlint_checker* checker = postlint_checker_new_from_file(argv[1], &error);
  if (!checker) {
    fprintf(stderr, "%s", error ? error : "cannot load policy\n");
    postlint_string_free(error);
    return 2;
  }
  int verdict = POSTLINT_ERROR;
  char* report = postlint_check_json(checker, argv[2], &verdict);
  const char* names[] = {"pass", "fail", "error", "review"};
  printf("postlint %s: verdict %s\n%s\n", postlint_version(),
         verdict >= 0 && verdict <= 3 ? names[verdict] : "?", report);
  postlint_string_free(report);
  postlint_checker_free(checker);
  return verdict;
}
