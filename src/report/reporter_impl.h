// Constructors of the concrete reporters, for the factory in reporter.cpp. Not part of the
// public interface: callers go through MakeReporter().
#pragma once

#include <memory>
#include <ostream>

#include "report/reporter.h"

namespace postlint {

std::unique_ptr<Reporter> MakeTextReporter(std::ostream& out, const ReporterOptions& options);
std::unique_ptr<Reporter> MakeJsonReporter(std::ostream& out);
std::unique_ptr<Reporter> MakeJsonlReporter(std::ostream& out);
std::unique_ptr<Reporter> MakeSummaryReporter(std::ostream& out, bool json);
std::unique_ptr<Reporter> MakeSarifReporter(std::ostream& out);
std::unique_ptr<Reporter> MakeJunitReporter(std::ostream& out);
std::unique_ptr<Reporter> MakeCsvReporter(std::ostream& out);
std::unique_ptr<Reporter> MakeHtmlReporter(std::ostream& out);

}  // namespace postlint
