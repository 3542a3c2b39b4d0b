#!/usr/bin/env bash
# Installs the Debian packages postlint needs to build and test. Idempotent: packages already
# installed are skipped, and apt-get is not called at all when nothing is missing.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake pkg-config ninja-build
  # libraries
  libre2-dev libyaml-cpp-dev libicu-dev libcli11-dev nlohmann-json3-dev libssl-dev
  liburiparser-dev libpsl-dev publicsuffix libcurl4-openssl-dev libsqlite3-dev
  libphonenumber-dev libarchive-dev libsimdjson-dev
  # Boost.Beast and Boost.Asio (header-only): the HTTP transport of `postlint serve`
  libboost1.74-dev
  # data: the English word list behind the hashtag CamelCase check
  wamerican-large
  # tests and benchmarks: GoogleTest, Google Benchmark, Python checks of SARIF, OpenAPI and
  # the HTML report (headless Chromium)
  libgtest-dev libgmock-dev libbenchmark-dev python3 python3-yaml python3-jsonschema chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "postlint: installing missing packages: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
