#pragma once
// Exporting a plan as the documents people print, file and paste (DESIGN §5b `export`):
// Markdown for chat tools, CSV of tasks and of progress entries for Excel, and the
// printable 跨部门协作计划 PDF with every section, the RACI table, tasks, milestones,
// risks, acceptance, the sign-off table and the audit chain head.
//
// Pure functions of a PlanSnapshot and options (the time printed is passed in, never
// read from a clock), so the same replica state gives byte-identical files. Nothing
// throws; thread-safe on const inputs.
//
// The PDF is PDF 1.4 written here without a library: A4 pages, one Type0 font using the
// non-embedded Adobe standard CJK font STSong-Light (Adobe-GB1) with the UniGB-UCS2-H
// encoding (text as UTF-16BE hex, characters outside the BMP print as "?"), a ToUnicode
// map so text can be searched and extracted, and lines for tables. Readers supply the
// font: Acrobat has it; poppler-based viewers need the poppler-data package.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/core/calendar.h"
#include "tandem/core/result.h"
#include "tandem/core/rules.h"

namespace tandem::core {

struct PlanDocumentOptions {
    Language language = Language::Chinese;
    std::string auditHead;           // hash at the head of the audit chain (hex); "" when unknown
    std::int64_t generatedAtMs = 0;  // printed as the export time (and PDF CreationDate)
    int utcOffsetMinutes = kChinaUtcOffsetMinutes;
    std::optional<Rag> rag;         // the plan's RAG when the caller computed it (planRag)
    std::vector<Warning> warnings;  // current warnings to list (evaluateRules); may be empty
};

/// The plan as Markdown (UTF-8, no BOM): every section, tables for RACI, tasks,
/// milestones, risks and sign-offs.
std::string planMarkdown(const PlanSnapshot& plan, const PlanDocumentOptions& options);

/// Tasks as CSV: RFC 4180 (CRLF rows, fields with , " CR LF quoted, quotes doubled),
/// UTF-8 with a BOM so Excel reads Chinese correctly. Cells starting with = + - @ get a
/// leading apostrophe so spreadsheets do not run them as formulas. Header in the
/// options' language; tasks in plan order (sort_key, due, name).
std::string tasksCsv(const PlanSnapshot& plan, const PlanDocumentOptions& options);
/// Progress entries as CSV (same rules), oldest first.
std::string progressCsv(const PlanSnapshot& plan, const PlanDocumentOptions& options);
/// One RFC 4180 field: quoted when it holds , " CR or LF.
std::string csvField(std::string_view value);

/// The printable plan as PDF bytes. invalid_value when a text is not valid UTF-8.
Result<std::string> planPdf(const PlanSnapshot& plan, const PlanDocumentOptions& options);

/// The file name the templates prescribe: "<title>协作计划_<lead department name>.<ext>"
/// ("协作计划" not repeated when the title already ends with it), with an optional
/// suffix before the extension ("…_市场部_任务.csv"). Characters not allowed in file
/// names (/ \ : * ? " < > | and control characters) become "_"; at most 200 bytes.
std::string planDocumentFileName(const PlanSnapshot& plan, std::string_view extension, std::string_view suffix = {});

}  // namespace tandem::core
