// HTML in exports, to the plain text a reader sees: Mastodon's `content` (HtmlToText) and the
// X archive's entity-escaped text (DecodeEntities). HtmlToText and RepairLatin1Mojibake (the
// Facebook / Instagram encoding repair) are public, in io/export_readers.h, and defined in
// html_text.cpp with DecodeEntities.
//
// Pure functions, safe on any thread; valid UTF-8 in gives valid UTF-8 out.
#pragma once

#include <string>
#include <string_view>

namespace postlint::io_internal {

// Decodes HTML character references: numeric ones (&#233; &#xE9;) and the named ones exports
// use (&amp; &lt; &gt; &quot; &apos; &nbsp;, typographic quotes, dashes, ...). A reference that
// is unknown, runs over 12 bytes without its ';', or names no Unicode scalar value stays as
// written.
std::string DecodeEntities(std::string_view s);

}  // namespace postlint::io_internal
