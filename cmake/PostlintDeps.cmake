# Every dependency comes from a Debian package; scripts/install-deps.sh installs them.
find_package(PkgConfig REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc icu-i18n)
# The links rule: URL parsing, Public Suffix List, fetching, and its results cache.
pkg_check_modules(URIPARSER REQUIRED IMPORTED_TARGET liburiparser)
pkg_check_modules(PSL REQUIRED IMPORTED_TARGET libpsl)
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl>=7.80)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive)
pkg_check_modules(SIMDJSON REQUIRED IMPORTED_TARGET simdjson>=3.0)  # fast path of JSONL input
find_package(yaml-cpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
find_package(Threads REQUIRED)
# Boost.Beast and Boost.Asio (header-only): the HTTP transport of `postlint serve` and the load
# client in bench/ (libboost1.74-dev).
find_package(Boost 1.74 REQUIRED CONFIG)
# libphonenumber (Debian libphonenumber-dev) ships neither a CMake config nor a .pc file; the
# shared library carries its own protobuf, ICU and abseil dependencies, so -lphonenumber is all
# a consumer needs.
find_path(PHONENUMBER_INCLUDE_DIR phonenumbers/phonenumberutil.h REQUIRED)
find_library(PHONENUMBER_LIBRARY phonenumber REQUIRED)
add_library(postlint_phonenumber INTERFACE IMPORTED)
set_target_properties(postlint_phonenumber PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${PHONENUMBER_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES "${PHONENUMBER_LIBRARY}")
if(POSTLINT_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(POSTLINT_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
message(STATUS "postlint dependencies: re2 ${RE2_VERSION}, ICU ${ICU_VERSION}, yaml-cpp ${yaml-cpp_VERSION}, "
               "CLI11 ${CLI11_VERSION}, nlohmann_json ${nlohmann_json_VERSION}, OpenSSL ${OPENSSL_VERSION}, "
               "uriparser ${URIPARSER_VERSION}, libpsl ${PSL_VERSION}, libcurl ${CURL_VERSION}, "
               "SQLite ${SQLITE3_VERSION}, Boost ${Boost_VERSION}")
