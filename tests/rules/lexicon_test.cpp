#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "support/rule_harness.h"

namespace postlint {
namespace {

using testing::Covered;
using testing::MakePost;
using testing::RunRule;

const char* kAllLists = "lists: [en/profanity, it/profanity, lv/profanity, hr/profanity]";

std::vector<Finding> Lint(const std::string& text, const std::string& lang = "",
                          const std::string& extra = "") {
  Post p = MakePost(text);
  p.lang = lang;
  return RunRule("lexicon", std::string(kAllLists) + "\n" + extra, p);
}

std::vector<std::string> CoveredAll(const std::string& text, const std::vector<Finding>& f) {
  std::vector<std::string> out;
  for (const auto& x : f)
    out.push_back(Covered(text, x));
  return out;
}

// Expects exactly one finding, covering `covered`, and returns it.
Finding One(const std::string& text, const std::string& covered, const std::string& lang = "") {
  auto f = Lint(text, lang);
  EXPECT_EQ(f.size(), 1u) << text << " -> " << ::testing::PrintToString(CoveredAll(text, f));
  if (f.empty())
    return {};
  EXPECT_EQ(Covered(text, f[0]), covered) << text;
  return f[0];
}

void Clean(const std::string& text, const std::string& lang = "") {
  auto f = Lint(text, lang);
  EXPECT_TRUE(f.empty()) << text << " -> " << ::testing::PrintToString(CoveredAll(text, f));
}

// ---- English: each evasion -------------------------------------------------------------

TEST(LexiconRule, FindsPlainWordAndNamesTermListSeverity) {
  const Finding f = One("What the fuck is this", "fuck");
  EXPECT_EQ(f.type, "term");
  EXPECT_EQ(f.excerpt, "f**k");
  EXPECT_EQ(f.fix.value_or(""), "f**k");
  EXPECT_EQ(f.message, "Avoid 'f**k': strong language (list en/profanity)");
}

TEST(LexiconRule, FindsInflectedForms) {
  One("Stop fucking around", "fucking");
  One("Such bullshit today", "bullshit");
}

TEST(LexiconRule, UndoesLeetSpeak) {
  const Finding f = One("This is sh1t honestly", "sh1t");
  EXPECT_EQ(f.type, "disguised");
  EXPECT_NE(f.message.find("disguised by leet-speak"), std::string::npos) << f.message;
  One("what a b!tch move", "b!tch");
  One("total $h!t show", "$h!t");
}

TEST(LexiconRule, UndoesMasks) {
  One("f*ck this weather", "f*ck");
  One("well s#!t happens", "s#!t");
  const Finding f = One("what an a**hole", "a**hole");
  EXPECT_NE(f.message.find("masking characters"), std::string::npos) << f.message;
}

TEST(LexiconRule, UndoesSpacedLetters) {
  One("f.u.c.k Mondays", "f.u.c.k");
  One("this is s h i t ok", "s h i t");
  One("F-U-C-K it", "F-U-C-K");
}

TEST(LexiconRule, UndoesRepeatedLetters) {
  const Finding f = One("fuuuuuck yes", "fuuuuuck");
  EXPECT_NE(f.message.find("repeated letters"), std::string::npos) << f.message;
  One("shiiiit", "shiiiit");
}

TEST(LexiconRule, UndoesFullwidthAndStyledLetters) {
  One("ｆｕｃｋ that", "ｆｕｃｋ");
  One("\U0001D41F\U0001D42E\U0001D41C\U0001D424 that", "\U0001D41F\U0001D42E\U0001D41C\U0001D424");
  const Finding f = One("\U0001F135\U0001F144\U0001F132\U0001F13A off",
                        "\U0001F135\U0001F144\U0001F132\U0001F13A");
  EXPECT_NE(f.message.find("styled letters"), std::string::npos) << f.message;
}

TEST(LexiconRule, UndoesHomoglyphs) {
  // Latin f with hook; Cyrillic dze and i inside a Latin word.
  One("ƒuck it", "ƒuck");
  const Finding f = One("total \u0455h\u0456t", "\u0455h\u0456t");
  EXPECT_NE(f.message.find("lookalike letters"), std::string::npos) << f.message;
}

TEST(LexiconRule, LeavesGenuineCyrillicAndGreekAlone) {
  Clean("Привет, как дела? Сос, рос, хор.");
  Clean("Καλημέρα κόσμε, ο ουρανός");
}

TEST(LexiconRule, UndoesInvisibleCharactersAndCoversThem) {
  const std::string text = "oh fu\u200Bck off";
  const Finding f = One(text, "fu\u200Bck");
  EXPECT_NE(f.message.find("invisible characters"), std::string::npos) << f.message;
  One("sh\u00ADit", "sh\u00ADit");  // soft hyphen
  One("fu\u200Dck", "fu\u200Dck");  // zero-width joiner
  One("s\u200Fhit", "s\u200Fhit");  // right-to-left mark
  // A variation selector belongs to the letter before it (one grapheme): it is covered.
  One("fuck\uFE0F!", "fuck\uFE0F");
}

TEST(LexiconRule, UndoesCombiningMarksAndCoversThem) {
  const std::string text = "f\u0336u\u0336c\u0336k\u0336 that";
  const Finding f = One(text, "f\u0336u\u0336c\u0336k\u0336");
  EXPECT_NE(f.message.find("combining marks"), std::string::npos) << f.message;
}

TEST(LexiconRule, SplitsHashtagsAndHandles) {
  const Finding f = One("Happy #WTFriday everyone", "WTF");
  EXPECT_NE(f.message.find("hashtag splitting"), std::string::npos) << f.message;
  One("#NoBullshit policy", "Bullshit");
  One("follow @ShitPostDaily", "Shit");
  Clean("#PenIsland #ExpertsExchange #TherapistFinder #WhoRepresents");
}

// ---- English traps ---------------------------------------------------------------------

TEST(LexiconRule, LeavesScunthorpeStyleWordsAlone) {
  Clean("Scunthorpe United won; cocktail hour at the assassin's creed party");
  Clean("Assessment of the class in Essex, Sussex and Middlesex passes");
  Clean("Analysis of cockpit data from Penistone, shiitake, Dickens, Cummins, cumin");
  Clean("Hancock and Matsushita; passion fruit, grassland, bassist, Cockburn");
}

TEST(LexiconRule, LeavesAllowedPhrasesAlone) {
  Clean("Dick Van Dyke was great in Mary Poppins");
  Clean("She graduated summa cum laude", "en");
  Clean("We saw great tits and blue tits at the feeder");
  Clean("Philip K. Dick wrote it; Moby Dick too");
  Clean("Hot cock-a-leekie soup and a bastard file");
  // Outside the phrase the word is still found.
  One("what a dick", "dick");
}

TEST(LexiconRule, LeavesNumbersAndMathAlone) {
  Clean("Room 455, $$3x + 45s, 5h1 t0 7 and B4 2day");
  Clean("Email me at hi@example.com or AT&T, Q&A, C# and F# are fine");
  Clean("Rated 4.5/5 *****, so good!!!");
}

TEST(LexiconRule, SpacedRunsMustCoverTheWholeWord) {
  Clean("c l a s s is in session");  // "ass" inside the joined run
  Clean("I am a b c d");
}

// ---- Italian ---------------------------------------------------------------------------

TEST(LexiconRule, Italian) {
  One("Che cazzo fai?", "cazzo", "it");
  One("Sei proprio uno stronzo", "stronzo", "it");
  One("Che c4zz0 dici", "c4zz0", "it");
  One("v a f f a n c u l o", "v a f f a n c u l o", "it");
  One("Che merdaaaa", "merdaaaa", "it");
  One("Questa è una cazzata", "cazzata", "it");
  One("Che ｍｅｒｄａ", "ｍｅｒｄａ", "it");
}

TEST(LexiconRule, ItalianTraps) {
  Clean("Pesce fresco e la regina della cucina, spaghetti alla puttanesca", "it");
  Clean("A Cazzago San Martino con la cazzuola; pasta e fagioli, porcini, culatello", "it");
  Clean("Le nozze di Figaro, zoccoli di legno, la Curva Sud, sega circolare", "it");
  Clean("Fu un successo: analisi e asse da stiro, cumino", "it");
}

TEST(LexiconRule, LanguageTaggedTermsNeedThePostLanguage) {
  // "troia" is tagged it: sought in Italian posts, or with languages: all.
  EXPECT_TRUE(Lint("che troia", "").empty());
  EXPECT_EQ(Lint("che troia", "it").size(), 1u);
  EXPECT_EQ(Lint("che troia", "", "languages: all").size(), 1u);
  Clean("Il cavallo di Troia", "it");
}

// ---- Latvian ---------------------------------------------------------------------------

TEST(LexiconRule, Latvian) {
  One("Tas ir pilnīgs sūds", "sūds", "lv");
  One("Kāds sūdīgs laiks", "sūdīgs", "lv");
  One("Ej dirsā", "dirsā", "lv");
  One("Tas ir s\u016B\u200Bds", "s\u016B\u200Bds", "lv");
  One("Tas ir su\u0304ds", "su\u0304ds", "lv");  // decomposed ū
  One("nu bļaģ", "bļaģ", "lv");
  One("mauka", "mauka", "lv");
}

TEST(LexiconRule, LatvianTraps) {
  Clean("Nopirku kurvis ar ābolu; sūdzība par kucēns un pupas", "lv");
  Clean("Zemes ass un ass nazis; pistācijas un Analīze", "lv");
  Clean("Soap suds and a brush: suka", "en");
  Clean("Mīlestība ir skaista; biedrība, labestība, vafele, gailis", "lv");
}

// ---- Croatian --------------------------------------------------------------------------

TEST(LexiconRule, Croatian) {
  One("Koji kurac", "kurac", "hr");
  One("Nemam pojma, jebote", "jebote", "hr");
  One("Kakvo sranje", "sranje", "hr");
  One("Ti si pička", "pička", "hr");
  One("Ti si picka", "picka", "hr");
  One("k u r a c", "k u r a c", "hr");
  One("Jeb3m ti", "Jeb3m", "hr");
  One("Ti si šupak", "šupak", "hr");
  One("Glupa kurvo", "kurvo", "hr");
}

TEST(LexiconRule, CroatianTraps) {
  Clean("Sisak i sisavci, kurir i kurikulum, pica za večeru", "hr");
  Clean("Kita cvijeća za mamu; dabar, sjenica, vijak, hrabrost, jaja", "hr");
  Clean("Peder Hansen from Copenhagen", "da");
}

TEST(LexiconRule, CrossLanguageCollisions) {
  // Latvian "kurvi" (basket, accusative) is the Croatian dative of "kurva": tagged hr.
  Clean("Es nopirku jaunu kurvi", "lv");
  EXPECT_EQ(Lint("daj toj kurvi", "hr").size(), 1u);
  // Italian "debili" (weak) is a Croatian plural of "debil": tagged hr.
  Clean("Sono debili e stanchi", "it");
  // German "Kurve" (curve).
  Clean("Die Kurve ist scharf", "de");
}

// ---- offsets ---------------------------------------------------------------------------

TEST(LexiconRule, OffsetsCoverExactlyTheDisguisedWord) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"x ｆｕ\u200Bｃｋ y", "ｆｕ\u200Bｃｋ"},
      {"Hi \U0001D41F\U0001D42E\u0489\U0001D41C\U0001D424!",
       "\U0001D41F\U0001D42E\u0489\U0001D41C\U0001D424"},
      {"\u00C9t\u00E9 f.u.c.k.", "f.u.c.k"},
      {"\u201Cfuuuck\u201D", "fuuuck"},
      {"🙂 s\u0336h\u0336i\u0336t\u0336 🙂", "s\u0336h\u0336i\u0336t\u0336"},
      {"ok sh\u200B\u200Bi\u200Bt", "sh\u200B\u200Bi\u200Bt"},
      {"Ej d\u0456rsā", "d\u0456rsā"},
  };
  for (const auto& [text, covered] : cases) {
    auto f = Lint(text);
    ASSERT_EQ(f.size(), 1u) << text;
    EXPECT_EQ(Covered(text, f[0]), covered) << text;
    // Code point offsets agree with the byte range.
    const std::string before = text.substr(0, f[0].range.begin);
    EXPECT_EQ(CountCodePoints(Covered(text, f[0])), CountCodePoints(covered));
    EXPECT_EQ(text.substr(0, f[0].range.begin) + covered + text.substr(f[0].range.end), text);
  }
}

// ---- options ---------------------------------------------------------------------------

TEST(LexiconRule, SeverityFilters) {
  EXPECT_EQ(Lint("damn it", "", "min_severity: 1").size(), 0u);
  EXPECT_EQ(Lint("damn it", "", "max_severity: 0").size(), 1u);
  EXPECT_EQ(Lint("fuck", "", "max_severity: 0").size(), 0u);
}

TEST(LexiconRule, InlineTermsAllowAndEvasionSwitches) {
  auto f = RunRule("lexicon", "terms: ['heck | 0 | forms: -s', 'darn']\nallow: ['heck yeah']",
                   "heck no, heck yeah, darn, hecks");
  EXPECT_EQ(f.size(), 3u);
  EXPECT_TRUE(RunRule("lexicon", "terms: [darn]\nevasions: [none]", "d4rn").empty());
  EXPECT_EQ(RunRule("lexicon", "terms: [darn]\nevasions: [leet]", "d4rn").size(), 1u);
  EXPECT_EQ(RunRule("lexicon", "terms: [darn]\nleet: {'?': a}", "d?rn").size(), 1u);
  EXPECT_TRUE(
      RunRule("lexicon", "terms: [shit]\nleet: {'1': ''}\nevasions: [leet]", "sh1t").empty());
}

TEST(LexiconRule, CustomListFromPath) {
  const std::string dir = ::testing::TempDir();
  {
    std::ofstream out(dir + "/acme.txt");
    out << "# ACME off-brand words\n@forms pl: -s\ncompetitor | 1 | forms: @pl | note: say "
           "'others'\n"
           "!competitor analysis\n";
  }
  auto f = RunRule("lexicon", "lists: ['" + dir + "/acme.txt']\nmessage: '{term}/{note}/{list}'",
                   "Unlike competitors, and our competitor analysis");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Covered("Unlike competitors, and our competitor analysis", f[0]), "competitors");
}

TEST(LexiconRule, YamlList) {
  const std::string dir = ::testing::TempDir();
  {
    std::ofstream out(dir + "/acme.yaml");
    out << "lang: en\nforms: {pl: [-s]}\nterms:\n  - 'frak | 1 | forms: @pl'\n"
           "  - {term: gorram, severity: 2, forms: [-it]}\nallow: [frak off]\n";
  }
  Post p = MakePost("frak, fraks, gorramit, frak off");
  p.lang = "en";
  auto f = RunRule("lexicon", "lists: ['" + dir + "/acme.yaml']", p);
  EXPECT_EQ(f.size(), 3u);
}

TEST(LexiconRule, ReportsBadOptionsAndLists) {
  EXPECT_NE(testing::RuleErrors("lexicon", "lists: [xx/nothing]").find("cannot find word list"),
            std::string::npos);
  EXPECT_NE(testing::RuleErrors("lexicon", "terms: ['x | 7']").find("expected a severity"),
            std::string::npos);
  EXPECT_NE(testing::RuleErrors("lexicon", "terms: ['x | color: red']").find("unknown key 'color'"),
            std::string::npos);
  EXPECT_NE(testing::RuleErrors("lexicon", "min_severity: 1").find("needs at least one term"),
            std::string::npos);
  EXPECT_NE(testing::RuleErrors("lexicon", "terms: [x]\nevasions: [lee]").find("unknown evasion"),
            std::string::npos);
}

// ---- the corpus ------------------------------------------------------------------------

TEST(LexiconCorpus, PrecisionAndRecallAtLeast95Percent) {
  Diagnostics diags;
  auto engine = CompilePolicyFile(testing::SourcePath("rules/profanity.yaml"), diags);
  ASSERT_TRUE(engine) << diags.ToString();
  std::ifstream in(testing::SourcePath("fixtures/lexicon/corpus.jsonl"));
  ASSERT_TRUE(in.good());
  std::string line;
  size_t posts = 0, clean = 0, tp = 0, fp = 0, fn = 0;
  std::ostringstream misses;
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    const auto j = nlohmann::json::parse(line);
    Post p = MakePost(j.at("text").get<std::string>());
    p.id = j.at("id").get<std::string>();
    p.lang = j.value("lang", "");
    std::multiset<std::string> expected;
    for (const auto& e : j.at("expect"))
      expected.insert(e.get<std::string>());
    ++posts;
    clean += expected.empty();
    const auto result = engine->Check(p);
    for (const auto& f : result.findings) {
      const std::string got = Covered(p.text, f);
      const auto it = expected.find(got);
      if (it != expected.end()) {
        ++tp;
        expected.erase(it);
      } else {
        ++fp;
        misses << "false positive in " << p.id << ": '" << got << "' (" << f.message << ")\n";
      }
    }
    for (const auto& e : expected) {
      ++fn;
      misses << "missed in " << p.id << ": '" << e << "'\n";
    }
  }
  const double precision = tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 1;
  const double recall = tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 1;
  std::cout << "[lexicon corpus] posts " << posts << " (clean " << clean << "), findings tp " << tp
            << " fp " << fp << " fn " << fn << ": precision " << precision << ", recall " << recall
            << "\n"
            << misses.str();
  EXPECT_GE(posts, 150u);
  EXPECT_GE(clean * 2, posts) << "at least half of the corpus must be clean traps";
  EXPECT_GE(precision, 0.95);
  EXPECT_GE(recall, 0.95);
}

}  // namespace
}  // namespace postlint
