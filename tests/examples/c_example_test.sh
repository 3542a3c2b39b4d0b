#!/usr/bin/env bash
# Installs postlint into a temporary prefix, compiles examples/check_post.c against the
# installed library with pkg-config, runs it, and checks the verdict and the report.
#   c_example_test.sh BUILD_DIR SOURCE_ROOT
set -euo pipefail
build=$1
root=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
# A library built with sanitizers (make test-asan) needs the example built with them too.
sanitize=""
# grep reads all of ldd's output: with -q it could stop early, and pipefail would turn ldd's SIGPIPE
# into "no sanitizer" now and then.
if ldd "$prefix/lib/libpostlint.so" | grep libasan > /dev/null; then
  sanitize="-fsanitize=address,undefined"
fi
cc -std=c11 -Wall -Wextra -Werror $sanitize "$root/examples/check_post.c" \
  $(pkg-config --cflags --libs postlint) -o "$prefix/check_post"
export LD_LIBRARY_PATH="$prefix/lib" POSTLINT_DATA_DIR="$prefix/share/postlint/rules"
set +e
out=$("$prefix/check_post" "$prefix/share/postlint/rules/default.yaml" \
  '{"id": "c1", "text": "TODO: finish the launch post", "network": "x"}')
code=$?
set -e
echo "$out"
[ "$code" -eq 1 ] || { echo "expected verdict fail (1), got $code"; exit 1; }
grep -q 'verdict fail' <<<"$out"
grep -q '"rule":"unfinished-draft"' <<<"$out"
out=$("$prefix/check_post" "$prefix/share/postlint/rules/default.yaml" '{"text": "Hello"}')
grep -q 'verdict pass' <<<"$out"
set +e
"$prefix/check_post" "$prefix/share/postlint/rules/default.yaml" '{"txt": 1}' >/dev/null
[ $? -eq 2 ] || { echo "a post without text must give verdict error (2)"; exit 1; }
set -e
# Only the API is exported.
if nm -D --defined-only "$prefix/lib/libpostlint.so" | grep -q ' T _ZN2re2'; then
  echo "libpostlint.so exports RE2 symbols"; exit 1
fi
echo "C example OK"
