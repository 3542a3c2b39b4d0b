// Digit runs: the candidates of the number detectors (cards, national ids, SSNs) and the
// shape tests they share with the phone scanner. A run is digit groups joined by single
// separators as people write numbers ("4526 0181 5908 3012", "219-09-9990", a number split
// over two lines); detectors always judge a whole run, never a part of it, which is what keeps
// a 22-digit tracking number from containing a card. Pure functions; thread-safe.
//
//   DigitRuns("card 4526 0181 5908 3012.")  -> one run: digits "4526018159083012",
//                                              groups {4, 4, 4, 4}, sep ' '
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace postlint::detectors {

// A run of digit groups joined by single separators (space, '-', '.', line break).
struct DigitRun {
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string digits;
  std::vector<int> groups;  // sizes
  char sep = 0;             // the separator used; 0 when none; '?' when mixed
  bool glued = false;       // touches a letter, or continues a dotted/dashed token
  char before = 0;          // byte before the run (0 at the start)
};

// Every run in `t` (the normalised text), in text order. A change of separator ends a run:
// "123-45-6789 27" is a run and a separate "27".
std::vector<DigitRun> DigitRuns(std::string_view t);

// True when the run's group sizes are exactly `sizes`.
bool GroupsAre(const DigitRun& r, std::initializer_list<int> sizes);

// Grouped as people write card numbers: ungrouped, 4-6-5 / 4-6-4 (Amex, Diners), or groups of
// four with a last group of one to four.
bool CardGrouping(const DigitRun& r);

// "1 907 675", "1.299.000": a count or a price with thousands separators.
bool ThousandsGrouped(std::string_view s);

// A date written with '.', '/' or '-' ("26.03.2025", "2025-03-26"), surrounding spaces allowed.
bool DateShaped(std::string_view s);

}  // namespace postlint::detectors
