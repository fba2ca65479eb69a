#pragma once
// The schema of DESIGN §3: every entity type, its fields, their value types and
// validation, whether the type is append-only and plan-scoped, which fields make up
// a plan's signable content, and the class of each field that permissions key on.
// The schema is immutable static data; all functions are thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "tandem/core/canonical_json.h"
#include "tandem/core/result.h"

namespace tandem::core {

enum class ValueKind {
    Text,     // string, ≤ 10,000 code points
    Title,    // string, ≤ 200 code points (title and name fields)
    Integer,  // integer (any 64-bit signed)
    Percent,  // integer 0–100
    Bool,
    Date,     // "YYYY-MM-DD", a real calendar date
    Instant,  // integer ms since the epoch, ≥ 0
    Enum,     // one of FieldSpec::enumValues
    Ref,      // an entity id: 32 lowercase hex
};

/// What a field is for, which decides who may write it (DESIGN §6).
enum class FieldClass {
    Scope,      // `plan` of plan-scoped types: set once, immutable
    Defining,   // a plan's, task's or milestone's defining fields (owner, lead head, …)
    Execution,  // a task's status, percent, actual_finish
    Lifecycle,  // a plan's status (checked by the lifecycle rules)
    Derived,    // written by the server only (signoff.stale, plan.approval, plan.archived_at)
    Content,    // other fields of risks, problems, requests, records
    Org,        // departments, members, calendar: admin only
    Deleted,    // the `deleted` field
};

struct FieldSpec {
    std::string name;             // for a set/map family: the prefix without the dot, e.g. "participants"
    ValueKind kind = ValueKind::Text;
    FieldClass fieldClass = FieldClass::Content;
    std::vector<std::string> enumValues;  // for ValueKind::Enum
    bool family = false;          // `name.<key>` fields: participants.<dept id>, raci.<dept id>, …
    bool signable = false;        // part of the signable content (DESIGN §7)
    bool nullable = true;         // null clears the field
};

struct TypeSpec {
    std::string name;
    bool appendOnly = false;      // progress_entry, signoff, comment
    /// Of an append-only type: the field that completes a record (its time stamp),
    /// which writers write last. Until it is stored, the site that created the record
    /// may still write its other fields for the first time (a push cut in two, a
    /// retry); after that the record never changes.
    std::string closingField;
    bool planScoped = true;       // all but plan, department, member, calendar_day
    std::vector<FieldSpec> fields;

    /// The spec of a field by its full name ("raci.<id>" finds the raci family), or null.
    const FieldSpec* field(std::string_view fieldName) const;
};

/// The type called `name`, or null when the schema has no such type.
const TypeSpec* findType(std::string_view name);
/// All types, in schema order.
const std::vector<TypeSpec>& allTypes();

/// Checks a value against a field: unknown_field when the name does not belong to
/// the type (family keys must be 32-hex entity ids, roles.<role> a known role),
/// invalid_value when the JSON type, range, length, date or enum is wrong.
Status validateField(const TypeSpec& type, std::string_view field, const Json& value);

/// The roles of DESIGN §6.
inline constexpr std::string_view kRoles[] = {"member", "dept_head", "hq", "admin"};

/// Plan states, in lifecycle order.
inline constexpr std::string_view kPlanStates[] = {"draft", "in_review", "approved", "in_progress", "done", "archived"};

/// True when `text` is a real date written YYYY-MM-DD.
bool isValidDate(std::string_view text);

}  // namespace tandem::core
