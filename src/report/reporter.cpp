#include "report/reporter.h"

#include "report/reporter_impl.h"

namespace postlint {

const std::vector<std::string>& ReporterNames() {
  static const std::vector<std::string> kNames = {
      "text", "json", "jsonl", "summary", "summary-json", "sarif", "junit", "csv", "html"};
  return kNames;
}

std::unique_ptr<Reporter> MakeReporter(std::string_view format, std::ostream& out,
                                       const ReporterOptions& options) {
  if (format == "text")
    return MakeTextReporter(out, options);
  if (format == "json")
    return MakeJsonReporter(out);
  if (format == "jsonl")
    return MakeJsonlReporter(out);
  if (format == "summary")
    return MakeSummaryReporter(out, /*json=*/false);
  if (format == "summary-json")
    return MakeSummaryReporter(out, /*json=*/true);
  if (format == "sarif")
    return MakeSarifReporter(out);
  if (format == "junit")
    return MakeJunitReporter(out);
  if (format == "csv")
    return MakeCsvReporter(out);
  if (format == "html")
    return MakeHtmlReporter(out);
  return nullptr;
}

}  // namespace postlint
