#pragma once
// How the app shows the replica's values: field names and enum values as translated
// labels, JSON values as text (ids as names, dates and numbers as written), warnings in
// the app's language (the core formats them: every rule the app shows comes from the
// core). Pure functions over their inputs; safe on the worker thread (they only read
// installed translators, which change on the GUI thread between loads).

#include <QString>
#include <QVariant>

#include "tandem/client/views.h"
#include "tandem/core/rules.h"

namespace tandem::app {

/// "percent" → "Progress" (进度), for any type's field; family fields by their family.
QString fieldLabel(const std::string& type, const std::string& field);
/// "in_progress" → "In progress" (进行中); unknown values as they are.
QString enumLabel(const std::string& value);
/// "task" → "Task" (任务).
QString typeLabel(const std::string& type);
/// A field's value as text: names for references, labels for enums, "Yes"/"No"; ""
/// for null; other text as it is.
QString valueText(const std::string& type, const std::string& field, const core::Json& value,
                  const client::Names& names);
/// A warning in `language`, as the core formats it.
QString warningText(const core::Warning& warning, core::Language language);
/// "red", "yellow", "green".
QString ragKey(core::Rag rag);
/// "YYYY-MM-DD" → QDate (invalid for anything else).
QVariant dateValue(const core::Json& value);
/// ms since the epoch → QDateTime (invalid for anything else).
QVariant instantValue(const core::Json& value);

}  // namespace tandem::app
