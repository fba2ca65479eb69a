#include "tandem/core/schema.h"

#include <algorithm>

#include "tandem/core/ids.h"

namespace tandem::core {

namespace {

constexpr long kTitleMax = 200;
constexpr long kTextMax = 10000;

using V = ValueKind;
using C = FieldClass;

FieldSpec f(std::string name, V kind, C cls, bool signable = false) {
    FieldSpec spec;
    spec.name = std::move(name);
    spec.kind = kind;
    spec.fieldClass = cls;
    spec.signable = signable;
    return spec;
}

FieldSpec e(std::string name, std::vector<std::string> values, C cls, bool signable = false) {
    FieldSpec spec = f(std::move(name), V::Enum, cls, signable);
    spec.enumValues = std::move(values);
    return spec;
}

FieldSpec family(FieldSpec spec) {
    spec.family = true;
    return spec;
}

FieldSpec required(FieldSpec spec) {
    spec.nullable = false;
    return spec;
}

TypeSpec type(std::string name, bool planScoped, bool appendOnly, std::vector<FieldSpec> fields,
              std::string closingField = {}) {
    TypeSpec spec;
    spec.name = std::move(name);
    spec.planScoped = planScoped;
    spec.appendOnly = appendOnly;
    spec.closingField = std::move(closingField);
    if (planScoped) spec.fields.push_back(required(f("plan", V::Ref, C::Scope)));
    for (auto& field : fields) spec.fields.push_back(std::move(field));
    spec.fields.push_back(required(f("deleted", V::Bool, C::Deleted)));
    return spec;
}

const std::vector<std::string> kLevels{"H", "M", "L"};
const std::vector<std::string> kRag{"red", "yellow", "green"};

std::vector<TypeSpec> buildSchema() {
    constexpr bool kSigned = true;
    std::vector<TypeSpec> types;

    types.push_back(type("department", false, false,
                         {f("code", V::Title, C::Org), f("name", V::Title, C::Org), f("head", V::Ref, C::Org)}));
    types.push_back(type("member", false, false,
                         {f("username", V::Title, C::Org), f("display_name", V::Title, C::Org),
                          f("department", V::Ref, C::Org), family(f("roles", V::Bool, C::Org))}));
    types.push_back(type("calendar_day", false, false,
                         {f("date", V::Date, C::Org), e("kind", {"holiday", "workday"}, C::Org),
                          f("name", V::Title, C::Org)}));

    types.push_back(type(
        "plan", false, false,
        {f("title", V::Title, C::Defining, kSigned), f("background", V::Text, C::Defining, kSigned),
         f("goal_what", V::Text, C::Defining, kSigned), f("goal_metric", V::Text, C::Defining, kSigned),
         f("goal_target", V::Text, C::Defining, kSigned), f("goal_deadline", V::Date, C::Defining, kSigned),
         f("scope_in", V::Text, C::Defining, kSigned), f("scope_out", V::Text, C::Defining, kSigned),
         f("lead_department", V::Ref, C::Defining, kSigned), f("owner", V::Ref, C::Defining, kSigned),
         family(f("participants", V::Bool, C::Defining, kSigned)),
         e("status", {"draft", "in_review", "approved", "in_progress", "done", "archived"}, C::Lifecycle),
         e("approval", {"pending", "approved"}, C::Derived), f("start", V::Date, C::Defining, kSigned),
         f("end", V::Date, C::Defining, kSigned), f("meeting_cadence", V::Text, C::Defining, kSigned),
         f("channels", V::Text, C::Defining, kSigned), f("escalation_contact", V::Ref, C::Defining, kSigned),
         f("escalation_hours", V::Integer, C::Defining, kSigned),
         family(f("subgoal", V::Text, C::Defining, kSigned)),
         e("acceptance_completeness", {"pending", "pass", "fail"}, C::Defining),
         e("acceptance_accuracy", {"pending", "pass", "fail"}, C::Defining),
         e("acceptance_timeliness", {"pending", "pass", "fail"}, C::Defining),
         e("acceptance_result", {"pending", "accepted", "rejected"}, C::Defining),
         f("acceptance_note", V::Text, C::Defining), f("rectification", V::Text, C::Defining),
         f("rectification_due", V::Date, C::Defining), f("retrospective", V::Text, C::Defining),
         f("archived_at", V::Instant, C::Derived)}));

    types.push_back(type(
        "task", true, false,
        {f("parent", V::Ref, C::Defining, kSigned), f("name", V::Title, C::Defining, kSigned),
         f("lead_department", V::Ref, C::Defining, kSigned), f("owner", V::Ref, C::Defining, kSigned),
         family(f("collaborators", V::Bool, C::Defining, kSigned)), f("start", V::Date, C::Defining, kSigned),
         f("due", V::Date, C::Defining, kSigned), f("deliverable_standard", V::Text, C::Defining, kSigned),
         f("resource_needs", V::Text, C::Defining, kSigned), f("contingency", V::Text, C::Defining, kSigned),
         family(f("predecessors", V::Bool, C::Defining, kSigned)),
         e("status", {"not_started", "in_progress", "done", "delayed", "blocked"}, C::Execution),
         f("percent", V::Percent, C::Execution), f("actual_finish", V::Date, C::Execution),
         f("sort_key", V::Title, C::Defining), family(e("raci", {"R", "A", "C", "I"}, C::Defining, kSigned))}));

    types.push_back(type("milestone", true, false,
                         {f("name", V::Title, C::Defining, kSigned), f("due", V::Date, C::Defining, kSigned),
                          f("deliverable", V::Text, C::Defining, kSigned),
                          e("status", {"pending", "reached", "missed"}, C::Execution),
                          f("reached_on", V::Date, C::Execution)}));

    types.push_back(type("risk", true, false,
                         {f("title", V::Title, C::Content), f("description", V::Text, C::Content),
                          e("impact", kLevels, C::Content), e("probability", kLevels, C::Content),
                          f("owner_department", V::Ref, C::Content), f("mitigation", V::Text, C::Content),
                          f("trigger", V::Text, C::Content),
                          e("status", {"open", "watching", "occurred", "closed"}, C::Content),
                          e("rag", kRag, C::Content)}));

    types.push_back(type("problem", true, false,
                         {f("task", V::Ref, C::Content), f("description", V::Text, C::Content),
                          f("impact", V::Text, C::Content), f("proposed_solution", V::Text, C::Content),
                          e("severity", {"general", "key"}, C::Content), f("reporter", V::Ref, C::Content),
                          f("owner_department", V::Ref, C::Content), f("reported_at", V::Instant, C::Content),
                          f("resolution", V::Text, C::Content),
                          e("status", {"open", "in_progress", "resolved"}, C::Content),
                          f("resolved_at", V::Instant, C::Content)}));

    types.push_back(type("resource_request", true, false,
                         {f("task", V::Ref, C::Content), f("requester", V::Ref, C::Content),
                          f("owner_department", V::Ref, C::Content), f("provider", V::Ref, C::Content),
                          f("purpose", V::Text, C::Content), f("needed_by", V::Date, C::Content),
                          f("requested_at", V::Instant, C::Content),
                          e("status", {"open", "approved", "rejected", "fulfilled"}, C::Content),
                          f("response", V::Text, C::Content), f("responded_at", V::Instant, C::Content)}));

    types.push_back(type("change_request", true, false,
                         {f("title", V::Title, C::Content, kSigned), f("reason", V::Text, C::Content, kSigned),
                          f("impact", V::Text, C::Content, kSigned), f("proposal", V::Text, C::Content, kSigned),
                          f("requested_by", V::Ref, C::Content, kSigned),
                          f("owner_department", V::Ref, C::Content, kSigned),
                          f("requested_at", V::Instant, C::Content),
                          e("status", {"open", "in_review", "approved", "rejected", "applied"}, C::Content)}));

    types.push_back(type("meeting_record", true, false,
                         {f("title", V::Title, C::Content), f("held_on", V::Date, C::Content),
                          e("kind", {"weekly", "special", "review", "retrospective"}, C::Content),
                          f("attendees", V::Text, C::Content), f("notes", V::Text, C::Content),
                          f("decisions", V::Text, C::Content), f("action_items", V::Text, C::Content)}));

    types.push_back(type("progress_entry", true, true,
                         {f("task", V::Ref, C::Content), f("author", V::Ref, C::Content),
                          f("percent", V::Percent, C::Content), f("note", V::Text, C::Content),
                          f("problem", V::Text, C::Content), f("solution", V::Text, C::Content),
                          f("next_step", V::Text, C::Content), f("reported_at", V::Instant, C::Content)},
                         "reported_at"));

    types.push_back(type("signoff", true, true,
                         {f("subject", V::Ref, C::Content), f("signer", V::Ref, C::Content),
                          f("department", V::Ref, C::Content),
                          e("meaning", {"approve", "reject", "acknowledge"}, C::Content),
                          f("comment", V::Text, C::Content), f("content_hash", V::Text, C::Content),
                          f("signed_at", V::Instant, C::Content), f("stale", V::Bool, C::Derived)},
                         "signed_at"));

    types.push_back(type("comment", true, true,
                         {f("subject", V::Ref, C::Content), f("author", V::Ref, C::Content),
                          f("text", V::Text, C::Content), f("posted_at", V::Instant, C::Content)},
                         "posted_at"));
    return types;
}

Error invalid(std::string_view field, const std::string& why) {
    return makeError("invalid_value", std::string(field) + ": " + why);
}

bool isInteger(const Json& v) { return v.is_number_integer() || v.is_number_unsigned(); }

bool fitsInt64(const Json& v) {
    return v.is_number_integer() || (v.is_number_unsigned() && v.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX));
}

}  // namespace

const std::vector<TypeSpec>& allTypes() {
    static const std::vector<TypeSpec> kTypes = buildSchema();
    return kTypes;
}

const TypeSpec* findType(std::string_view name) {
    for (const auto& spec : allTypes())
        if (spec.name == name) return &spec;
    return nullptr;
}

const FieldSpec* TypeSpec::field(std::string_view fieldName) const {
    const auto dot = fieldName.find('.');
    const std::string_view head = dot == std::string_view::npos ? fieldName : fieldName.substr(0, dot);
    for (const auto& spec : fields) {
        if (spec.name != head) continue;
        if (spec.family != (dot != std::string_view::npos)) return nullptr;
        return &spec;
    }
    return nullptr;
}

bool isValidDate(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
    auto digits = [&](std::size_t from, std::size_t count, int& out) {
        out = 0;
        for (std::size_t i = from; i < from + count; ++i) {
            if (text[i] < '0' || text[i] > '9') return false;
            out = out * 10 + (text[i] - '0');
        }
        return true;
    };
    int year = 0, month = 0, day = 0;
    if (!digits(0, 4, year) || !digits(5, 2, month) || !digits(8, 2, day)) return false;
    if (year < 1 || month < 1 || month > 12 || day < 1) return false;
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const int monthDays = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
    return day <= monthDays;
}

Status validateField(const TypeSpec& type, std::string_view field, const Json& value) {
    const FieldSpec* spec = type.field(field);
    if (!spec) return makeError("unknown_field", "type " + type.name + " has no field " + std::string(field));
    if (spec->family) {
        const std::string_view key = field.substr(field.find('.') + 1);
        if (spec->name == "roles") {
            if (std::find(std::begin(kRoles), std::end(kRoles), key) == std::end(kRoles))
                return makeError("unknown_field", "unknown role " + std::string(key));
        } else if (!EntityId::parse(key)) {
            return makeError("unknown_field", std::string(field) + ": the key must be an id of 32 lowercase hex digits");
        }
    }
    if (value.is_object() || value.is_array()) return invalid(field, "objects and arrays are not field values");
    if (value.is_null()) {
        if (!spec->nullable) return invalid(field, "may not be null");
        return {};
    }
    switch (spec->kind) {
    case V::Text:
    case V::Title: {
        if (!value.is_string()) return invalid(field, "must be a string");
        const long length = utf8Length(value.get_ref<const std::string&>());
        if (length < 0) return invalid(field, "is not valid UTF-8");
        const long max = spec->kind == V::Title ? kTitleMax : kTextMax;
        if (length > max) return invalid(field, "is longer than " + std::to_string(max) + " characters");
        return {};
    }
    case V::Integer:
        if (!isInteger(value) || !fitsInt64(value)) return invalid(field, "must be an integer");
        return {};
    case V::Percent: {
        if (!isInteger(value) || !fitsInt64(value)) return invalid(field, "must be an integer from 0 to 100");
        const auto percent = value.get<std::int64_t>();
        if (percent < 0 || percent > 100) return invalid(field, "must be an integer from 0 to 100");
        return {};
    }
    case V::Bool:
        if (!value.is_boolean()) return invalid(field, "must be true or false");
        return {};
    case V::Date:
        if (!value.is_string() || !isValidDate(value.get_ref<const std::string&>()))
            return invalid(field, "must be a real date written YYYY-MM-DD");
        return {};
    case V::Instant:
        if (!isInteger(value) || !fitsInt64(value) || value.get<std::int64_t>() < 0)
            return invalid(field, "must be milliseconds since the epoch");
        return {};
    case V::Enum: {
        if (!value.is_string()) return invalid(field, "must be a string");
        const auto& text = value.get_ref<const std::string&>();
        if (std::find(spec->enumValues.begin(), spec->enumValues.end(), text) == spec->enumValues.end()) {
            std::string allowed;
            for (const auto& option : spec->enumValues) allowed += (allowed.empty() ? "" : ", ") + option;
            return invalid(field, "must be one of " + allowed);
        }
        return {};
    }
    case V::Ref:
        if (!value.is_string() || !EntityId::parse(value.get_ref<const std::string&>()))
            return invalid(field, "must be an id of 32 lowercase hex digits");
        return {};
    }
    return invalid(field, "has an unknown kind");
}

}  // namespace tandem::core
