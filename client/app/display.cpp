#include "display.h"

#include <QCoreApplication>
#include <QDate>
#include <QDateTime>
#include <QLocale>

#include "tandem/core/schema.h"

namespace tandem::app {

namespace {

struct Label {
    const char* key;
    const char* text;
};

// Field names as people say them; the context is the string's translation context.
const Label kFields[] = {
    {"title", QT_TRANSLATE_NOOP("Field", "Title")},
    {"name", QT_TRANSLATE_NOOP("Field", "Name")},
    {"background", QT_TRANSLATE_NOOP("Field", "Background")},
    {"goal_what", QT_TRANSLATE_NOOP("Field", "Goal")},
    {"goal_metric", QT_TRANSLATE_NOOP("Field", "Measure")},
    {"goal_target", QT_TRANSLATE_NOOP("Field", "Target")},
    {"goal_deadline", QT_TRANSLATE_NOOP("Field", "Deadline")},
    {"scope_in", QT_TRANSLATE_NOOP("Field", "In scope")},
    {"scope_out", QT_TRANSLATE_NOOP("Field", "Out of scope")},
    {"lead_department", QT_TRANSLATE_NOOP("Field", "Lead department")},
    {"owner", QT_TRANSLATE_NOOP("Field", "Owner")},
    {"participants", QT_TRANSLATE_NOOP("Field", "Participating department")},
    {"collaborators", QT_TRANSLATE_NOOP("Field", "Collaborating department")},
    {"predecessors", QT_TRANSLATE_NOOP("Field", "Depends on")},
    {"status", QT_TRANSLATE_NOOP("Field", "Status")},
    {"start", QT_TRANSLATE_NOOP("Field", "Start")},
    {"end", QT_TRANSLATE_NOOP("Field", "End")},
    {"due", QT_TRANSLATE_NOOP("Field", "Due")},
    {"percent", QT_TRANSLATE_NOOP("Field", "Progress")},
    {"actual_finish", QT_TRANSLATE_NOOP("Field", "Finished on")},
    {"deliverable_standard", QT_TRANSLATE_NOOP("Field", "Deliverable standard")},
    {"deliverable", QT_TRANSLATE_NOOP("Field", "Deliverable")},
    {"resource_needs", QT_TRANSLATE_NOOP("Field", "Resources needed")},
    {"contingency", QT_TRANSLATE_NOOP("Field", "Contingency")},
    {"meeting_cadence", QT_TRANSLATE_NOOP("Field", "Meetings")},
    {"channels", QT_TRANSLATE_NOOP("Field", "Channels")},
    {"escalation_contact", QT_TRANSLATE_NOOP("Field", "Escalation contact")},
    {"escalation_hours", QT_TRANSLATE_NOOP("Field", "Escalate after (hours)")},
    {"subgoal", QT_TRANSLATE_NOOP("Field", "Department goal")},
    {"raci", QT_TRANSLATE_NOOP("Field", "RACI")},
    {"parent", QT_TRANSLATE_NOOP("Field", "Parent task")},
    {"sort_key", QT_TRANSLATE_NOOP("Field", "Order")},
    {"reason", QT_TRANSLATE_NOOP("Field", "Reason")},
    {"impact", QT_TRANSLATE_NOOP("Field", "Impact")},
    {"proposal", QT_TRANSLATE_NOOP("Field", "Proposal")},
    {"deleted", QT_TRANSLATE_NOOP("Field", "Deleted")},
    {"reached_on", QT_TRANSLATE_NOOP("Field", "Reached on")},
    {"mitigation", QT_TRANSLATE_NOOP("Field", "Mitigation")},
    {"trigger", QT_TRANSLATE_NOOP("Field", "Trigger")},
    {"probability", QT_TRANSLATE_NOOP("Field", "Probability")},
    {"rag", QT_TRANSLATE_NOOP("Field", "RAG")},
    {"description", QT_TRANSLATE_NOOP("Field", "Description")},
    {"note", QT_TRANSLATE_NOOP("Field", "Note")},
    {"response", QT_TRANSLATE_NOOP("Field", "Response")},
    {"acceptance_note", QT_TRANSLATE_NOOP("Field", "Acceptance note")},
    {"action_items", QT_TRANSLATE_NOOP("Field", "Action items")},
    {"archived_at", QT_TRANSLATE_NOOP("Field", "Archived at")},
    {"attendees", QT_TRANSLATE_NOOP("Field", "Attendees")},
    {"author", QT_TRANSLATE_NOOP("Field", "Author")},
    {"code", QT_TRANSLATE_NOOP("Field", "Code")},
    {"comment", QT_TRANSLATE_NOOP("Field", "Comment")},
    {"content_hash", QT_TRANSLATE_NOOP("Field", "Signed content")},
    {"date", QT_TRANSLATE_NOOP("Field", "Date")},
    {"decisions", QT_TRANSLATE_NOOP("Field", "Decisions")},
    {"department", QT_TRANSLATE_NOOP("Field", "Department")},
    {"display_name", QT_TRANSLATE_NOOP("Field", "Name shown")},
    {"head", QT_TRANSLATE_NOOP("Field", "Head")},
    {"held_on", QT_TRANSLATE_NOOP("Field", "Held on")},
    {"needed_by", QT_TRANSLATE_NOOP("Field", "Needed by")},
    {"next_step", QT_TRANSLATE_NOOP("Field", "Next step")},
    {"notes", QT_TRANSLATE_NOOP("Field", "Notes")},
    {"owner_department", QT_TRANSLATE_NOOP("Field", "Owning department")},
    {"plan", QT_TRANSLATE_NOOP("Field", "Plan")},
    {"posted_at", QT_TRANSLATE_NOOP("Field", "Posted at")},
    {"problem", QT_TRANSLATE_NOOP("Field", "Problem")},
    {"proposed_solution", QT_TRANSLATE_NOOP("Field", "Proposed solution")},
    {"provider", QT_TRANSLATE_NOOP("Field", "Providing department")},
    {"purpose", QT_TRANSLATE_NOOP("Field", "Purpose")},
    {"rectification", QT_TRANSLATE_NOOP("Field", "Rectification")},
    {"rectification_due", QT_TRANSLATE_NOOP("Field", "Rectify by")},
    {"reported_at", QT_TRANSLATE_NOOP("Field", "Reported at")},
    {"reporter", QT_TRANSLATE_NOOP("Field", "Reported by")},
    {"requested_at", QT_TRANSLATE_NOOP("Field", "Requested at")},
    {"requested_by", QT_TRANSLATE_NOOP("Field", "Requested by")},
    {"requester", QT_TRANSLATE_NOOP("Field", "Requesting department")},
    {"resolution", QT_TRANSLATE_NOOP("Field", "Resolution")},
    {"resolved_at", QT_TRANSLATE_NOOP("Field", "Resolved at")},
    {"responded_at", QT_TRANSLATE_NOOP("Field", "Responded at")},
    {"retrospective", QT_TRANSLATE_NOOP("Field", "Retrospective")},
    {"roles", QT_TRANSLATE_NOOP("Field", "Roles")},
    {"signed_at", QT_TRANSLATE_NOOP("Field", "Signed at")},
    {"signer", QT_TRANSLATE_NOOP("Field", "Signer")},
    {"solution", QT_TRANSLATE_NOOP("Field", "Solution")},
    {"stale", QT_TRANSLATE_NOOP("Field", "Out of date")},
    {"subject", QT_TRANSLATE_NOOP("Field", "Signed item")},
    {"task", QT_TRANSLATE_NOOP("Field", "Task")},
    {"text", QT_TRANSLATE_NOOP("Field", "Text")},
    {"username", QT_TRANSLATE_NOOP("Field", "Username")},
};

const Label kEnums[] = {
    {"draft", QT_TRANSLATE_NOOP("Enum", "Draft")},
    {"in_review", QT_TRANSLATE_NOOP("Enum", "In review")},
    {"approved", QT_TRANSLATE_NOOP("Enum", "Approved")},
    {"in_progress", QT_TRANSLATE_NOOP("Enum", "In progress")},
    {"done", QT_TRANSLATE_NOOP("Enum", "Done")},
    {"archived", QT_TRANSLATE_NOOP("Enum", "Archived")},
    {"not_started", QT_TRANSLATE_NOOP("Enum", "Not started")},
    {"delayed", QT_TRANSLATE_NOOP("Enum", "Delayed")},
    {"blocked", QT_TRANSLATE_NOOP("Enum", "Blocked")},
    {"pending", QT_TRANSLATE_NOOP("Enum", "Pending")},
    {"reached", QT_TRANSLATE_NOOP("Enum", "Reached")},
    {"missed", QT_TRANSLATE_NOOP("Enum", "Missed")},
    {"open", QT_TRANSLATE_NOOP("Enum", "Open")},
    {"watching", QT_TRANSLATE_NOOP("Enum", "Watching")},
    {"occurred", QT_TRANSLATE_NOOP("Enum", "Occurred")},
    {"closed", QT_TRANSLATE_NOOP("Enum", "Closed")},
    {"resolved", QT_TRANSLATE_NOOP("Enum", "Resolved")},
    {"rejected", QT_TRANSLATE_NOOP("Enum", "Rejected")},
    {"fulfilled", QT_TRANSLATE_NOOP("Enum", "Fulfilled")},
    {"applied", QT_TRANSLATE_NOOP("Enum", "Applied")},
    {"approve", QT_TRANSLATE_NOOP("Enum", "Approve")},
    {"reject", QT_TRANSLATE_NOOP("Enum", "Reject")},
    {"acknowledge", QT_TRANSLATE_NOOP("Enum", "Acknowledge")},
    {"general", QT_TRANSLATE_NOOP("Enum", "General")},
    {"key", QT_TRANSLATE_NOOP("Enum", "Key")},
    {"H", QT_TRANSLATE_NOOP("Enum", "High")},
    {"M", QT_TRANSLATE_NOOP("Enum", "Medium")},
    {"L", QT_TRANSLATE_NOOP("Enum", "Low")},
    {"red", QT_TRANSLATE_NOOP("Enum", "Red")},
    {"yellow", QT_TRANSLATE_NOOP("Enum", "Yellow")},
    {"green", QT_TRANSLATE_NOOP("Enum", "Green")},
    {"accepted", QT_TRANSLATE_NOOP("Enum", "Accepted")},
    {"pass", QT_TRANSLATE_NOOP("Enum", "Pass")},
    {"fail", QT_TRANSLATE_NOOP("Enum", "Fail")},
};

const Label kTypes[] = {
    {"plan", QT_TRANSLATE_NOOP("Type", "Plan")},
    {"task", QT_TRANSLATE_NOOP("Type", "Task")},
    {"milestone", QT_TRANSLATE_NOOP("Type", "Milestone")},
    {"risk", QT_TRANSLATE_NOOP("Type", "Risk")},
    {"problem", QT_TRANSLATE_NOOP("Type", "Problem")},
    {"resource_request", QT_TRANSLATE_NOOP("Type", "Resource request")},
    {"change_request", QT_TRANSLATE_NOOP("Type", "Change request")},
    {"progress_entry", QT_TRANSLATE_NOOP("Type", "Progress report")},
    {"signoff", QT_TRANSLATE_NOOP("Type", "Sign-off")},
    {"comment", QT_TRANSLATE_NOOP("Type", "Comment")},
    {"meeting_record", QT_TRANSLATE_NOOP("Type", "Meeting record")},
    {"department", QT_TRANSLATE_NOOP("Type", "Department")},
    {"member", QT_TRANSLATE_NOOP("Type", "Member")},
};

template <std::size_t N>
QString lookup(const Label (&labels)[N], const char* context, const std::string& key) {
    for (const Label& l : labels)
        if (key == l.key) return QCoreApplication::translate(context, l.text);
    return QString::fromStdString(key);
}

}  // namespace

QString fieldLabel(const std::string&, const std::string& field) {
    const auto dot = field.find('.');
    return lookup(kFields, "Field", dot == std::string::npos ? field : field.substr(0, dot));
}

QString enumLabel(const std::string& value) { return lookup(kEnums, "Enum", value); }

QString typeLabel(const std::string& type) { return lookup(kTypes, "Type", type); }

QString valueText(const std::string& type, const std::string& field, const core::Json& value,
                  const client::Names& names) {
    if (value.is_null()) return {};
    if (value.is_boolean())
        return value.get<bool>() ? QCoreApplication::translate("Value", "Yes") : QCoreApplication::translate("Value", "No");
    const core::TypeSpec* spec = core::findType(type);
    const core::FieldSpec* f = spec ? spec->field(field) : nullptr;
    if (f && f->kind == core::ValueKind::Instant && value.is_number_integer())
        return QLocale().toString(QDateTime::fromMSecsSinceEpoch(value.get<std::int64_t>()), QLocale::ShortFormat);
    if (value.is_number()) return QLocale().toString(value.get<double>());
    if (!value.is_string()) return QString::fromStdString(value.dump());
    const std::string& text = value.get_ref<const std::string&>();
    if (f && f->kind == core::ValueKind::Ref) {
        if (auto id = core::EntityId::parse(text)) {
            const std::string member = names.member(*id);
            return QString::fromStdString(member != id->hex() ? member : names.department(*id));
        }
    }
    if (f && f->kind == core::ValueKind::Enum) return enumLabel(text);
    return QString::fromStdString(text);
}

QString warningText(const core::Warning& warning, core::Language language) {
    return QString::fromStdString(core::formatWarning(warning, language));
}

QString ragKey(core::Rag rag) { return QString::fromStdString(core::ragName(rag)); }

QVariant dateValue(const core::Json& value) {
    if (!value.is_string()) return {};
    const QDate date = QDate::fromString(QString::fromStdString(value.get<std::string>()), Qt::ISODate);
    return date.isValid() ? QVariant(date) : QVariant();
}

QVariant instantValue(const core::Json& value) {
    if (!value.is_number_integer()) return {};
    return QDateTime::fromMSecsSinceEpoch(value.get<std::int64_t>());
}

}  // namespace tandem::app
