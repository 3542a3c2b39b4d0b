// The one clock: wall-clock time in seconds (or milliseconds) since the Unix epoch, UTC, its RFC
// 3339 spelling, and the one duration grammar. Every part of postlint that asks "what time is
// it" asks here (decision times, waiver expiry, review deadlines, the embargo detector's today,
// the link cache's expiry, the service's log lines), so POSTLINT_NOW moves all of them.
// Thread-safe: nothing here keeps state, and formatting uses no shared buffers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace postlint {

// Now, in seconds since the epoch. $POSTLINT_NOW (any form ParseTime() accepts) replaces the
// system clock, so tests and documentation can replay a given moment; an unparsable value is
// ignored.
int64_t NowSeconds();

// Now in milliseconds; with $POSTLINT_NOW, that moment (whole seconds).
int64_t NowMillis();

// "2026-11-24T09:30:00Z".
std::string FormatTime(int64_t seconds);
// "2026-11-24T09:30:00.125Z".
std::string FormatTimeMillis(int64_t millis);

// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" followed by "Z" or "+HH:MM"/"-HH:MM" (no
// suffix: UTC), and a space instead of "T". A date alone means its first second, or with
// `end_of_day` the first second of the next day (so "until 2026-12-04" includes all of the 4th).
// Returns nullopt for anything else, including impossible dates such as 2026-02-30.
std::optional<int64_t> ParseTime(std::string_view text, bool end_of_day = false);

// The duration grammar every option and policy key uses: "90m", "36h", "7d", "2w" -> seconds.
// Nullopt when malformed or zero.
std::optional<int64_t> ParseDuration(std::string_view text);
// The shortest spelling ParseDuration reads back: whole hours as "24h", else minutes ("90m").
std::string FormatDuration(int64_t seconds);

// Days since 1970-01-01 of a proleptic Gregorian date and back (Howard Hinnant's algorithms):
// calendar arithmetic that does not depend on the process's time zone the way mktime() does.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day);

}  // namespace postlint
