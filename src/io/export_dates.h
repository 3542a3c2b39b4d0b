// Dates as the exports write them, turned into the one form Post::created_at holds:
// "YYYY-MM-DDTHH:MM:SSZ" in UTC. The conversions every reader uses (NormalizeIsoDate,
// ConvertLegacyTwitterDate, UnixToIso) are public, in io/export_readers.h, and defined in
// export_dates.cpp with what this header adds for the CSV reader: slash dates such as
// 04/03/2026, whose day/month order each file decides once (ReadOptions::date_order).
//
// Every function is pure (no locale, time zone database or clock) and safe on any thread. The
// parsers refuse a date outside 1970-9999 or off the calendar (2026-02-30), read a leap second
// as :59 and a time without a zone as UTC.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace postlint::io_internal {

// What a CSV date cell says about its file's day/month order.
enum class SlashDate {
  kOther,       // not "a/b/yyyy" (with '/', '.' or '-'), no date either way, or the same both
                // ways (05/05/2026)
  kAmbiguous,   // a date both ways: 04/03/2026
  kDayFirst,    // a date only day first: 25/03/2026
  kMonthFirst,  // a date only month first: 03/25/2026
};

// Classifies the "a/b/yyyy" date at the start of `date` (surrounding spaces ignored; a time
// after it is not looked at).
SlashDate ClassifySlashDate(std::string_view date);

// A CSV date cell -> "YYYY-MM-DDTHH:MM:SSZ". Accepts what NormalizeIsoDate accepts, and
// "a/b/yyyy" (with '/', '.' or '-') read day first when `day_first`, month first otherwise,
// optionally followed by a time "H:MM[:SS]" with "am"/"pm" and a zone ("Z", "+02:00", "UTC").
// `time` is the file's separate time column, or empty. nullopt when the cell is not a date in
// that order: the file's order decides, so a date that contradicts it is an error, not a guess.
std::optional<std::string> CsvDate(std::string_view date, std::string_view time, bool day_first);

}  // namespace postlint::io_internal
