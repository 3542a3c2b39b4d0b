# INTERFACE target carrying the project's warning set. Linked PRIVATE so it never leaks onto
# dependencies or consumers of the library.
add_library(postlint_warnings INTERFACE)
target_compile_options(postlint_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Wextra-semi
  -Wcast-align -Wimplicit-fallthrough
  $<$<CXX_COMPILER_ID:GNU>:-Wlogical-op>)
# g++ 12 at -O3 (Release) reports -Wrestrict inside libstdc++'s own std::string concatenation
# (GCC bugs 105329 and 105651, fixed in g++ 13): a false positive in code we do not own, so that
# one warning is off for g++ 12 only. Every other warning stays an error in every build type.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(postlint_warnings INTERFACE -Wno-restrict)
endif()
if(POSTLINT_WERROR)
  target_compile_options(postlint_warnings INTERFACE -Werror)
endif()
if(CMAKE_BUILD_TYPE STREQUAL "Debug")
  target_compile_definitions(postlint_warnings INTERFACE _GLIBCXX_ASSERTIONS)
endif()
