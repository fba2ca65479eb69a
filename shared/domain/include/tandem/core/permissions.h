#pragma once
// The permission rules of DESIGN §6 as pure functions, so the server enforces them
// and a client can mirror them offline with the same answers. No I/O: the caller
// gathers the facts (who asks, the plan, the entity as it stands) and passes them in.
// All functions are thread-safe and never throw.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "tandem/core/canonical_json.h"
#include "tandem/core/ids.h"
#include "tandem/core/replica.h"
#include "tandem/core/schema.h"

namespace tandem::core {

/// How long an archived plan and its records are kept, in days after `archived_at`, before
/// an admin may delete them (the templates file a plan for at least 2 years). A server may
/// be configured to keep them longer, never shorter; a client assumes this default.
inline constexpr int kMinRetentionDays = 730;

/// The entity id a field value names (a 32-hex string), or nothing.
std::optional<EntityId> idFromJson(const Json& value);

/// Who performs a read or a write.
struct Principal {
    EntityId member;
    std::optional<EntityId> department;  // the member's department
    std::set<EntityId> headOf;           // departments this member heads
    bool hq = false;
    bool admin = false;
    bool server = false;  // the server itself (derived fields, seeding)
};

/// What the rules need to know about a plan.
struct PlanFacts {
    EntityId id;
    bool exists = false;  // stored before the write being judged
    std::optional<EntityId> owner;
    std::optional<EntityId> leadDepartment;
    std::set<EntityId> participants;  // participants.<dept> == true
    std::string status;               // "" when never set (a new plan is a draft)
    std::string approval;             // "pending", "approved" or ""
    /// A change request of the plan is `approved` and not yet applied: the only time a
    /// published plan's signable content may change. The caller fills it
    /// (hasApprovedChange over the plan's change requests); fromEntity leaves it false.
    bool changeApproved = false;
    std::optional<std::int64_t> archivedAtMs;  // `archived_at`: the server's clock when it was archived

    /// Reads the facts from a plan entity.
    static PlanFacts fromEntity(const Entity& plan);
    /// The lead department and every participant.
    std::set<EntityId> departments() const;
};

/// Builds a principal from a member entity and the departments (for their `head`).
Principal principalFromMember(const Entity& member, std::span<const Entity> departments);

/// A task's departments (for execution fields and progress entries).
struct TaskFacts {
    std::optional<EntityId> leadDepartment;
    std::set<EntityId> collaborators;  // collaborators.<dept> == true

    static TaskFacts fromEntity(const Entity& task);
};

/// One field write to be judged.
struct WriteFacts {
    const TypeSpec* type = nullptr;    // never null
    const FieldSpec* field = nullptr;  // never null (the field passed validateField)
    std::string fieldName;             // full name, e.g. "participants.<id>"
    Json value;
    bool entityExists = false;  // the entity was stored before this write's batch
    /// The entity's fields as they stand, and for an entity being created, with the
    /// values of the same batch's other writes to it.
    Entity entity;
    /// The plan: for plan-scoped types their plan, for a plan itself. Empty for the
    /// organisation types.
    std::optional<PlanFacts> plan;
    /// The task a task write, progress entry or problem refers to, when known.
    std::optional<TaskFacts> task;
    /// The judge's clock (ms since the epoch) and retention period, for writes into an
    /// archived plan: the server passes its own clock and configured period.
    std::int64_t nowMs = 0;
    int retentionDays = kMinRetentionDays;
};

struct Decision {
    bool allowed = false;
    std::string message;  // why not; empty when allowed
};

/// May `who` read plan `plan` (and its entities and audit entries)? Members of the
/// lead and participating departments, the owner, HQ and admin.
bool mayReadPlan(const Principal& who, const PlanFacts& plan);

/// Is `who` a member of the plan's lead or participating departments (or its owner)?
bool participatesIn(const Principal& who, const PlanFacts& plan);

/// The decision of DESIGN §6 for one field write. An archived plan and its records are
/// read-only; from `archived_at` + `retentionDays` on, an admin may set their `deleted`
/// field (and nothing else) on records that exist. A plan without `archived_at` is kept.
/// While a plan is in_progress, a write that changes its signable content
/// (changesPlanContent) needs PlanFacts::changeApproved; a change request's status follows
/// mayChangeRequestStatus, and an applied or rejected one is not edited.
Decision mayWrite(const Principal& who, const WriteFacts& write);

/// The plan lifecycle (DESIGN §6): may `who` move `plan` to status `to`? The owner
/// submits (draft → in_review; back to draft from in_review), publishes
/// (approved → in_progress, only while the approval is current), records acceptance
/// (in_progress → done) and archives (done → archived). Only the server sets approved.
Decision mayChangePlanStatus(const Principal& who, const PlanFacts& plan, std::string_view to);

/// The departments whose heads must approve a plan: the lead and the participants.
std::set<EntityId> approvingDepartments(const PlanFacts& plan);

/// The change-request lifecycle (DESIGN §7): may `who` move `request` (as it stands) of
/// `plan` to status `to`? Its requester (`requested_by`) or the plan's owner submits
/// (open → in_review) and withdraws (in_review → open); only the server sets approved
/// and rejected; only the plan's owner applies an approved request (approved → applied);
/// nothing leaves applied or rejected. A request without a status is open.
Decision mayChangeRequestStatus(const Principal& who, const PlanFacts& plan, const Entity& request,
                                std::string_view to);

/// Is one of `changeRequests` (the change requests of one plan) approved and not yet
/// applied, and not deleted? Fills PlanFacts::changeApproved.
bool hasApprovedChange(std::span<const Entity> changeRequests);

/// Does writing `field` of a `type` entity change a plan's signable content (DESIGN §7):
/// a signable field of the plan, a task or a milestone, or a task's or milestone's
/// `plan` (creating one) or `deleted` (deleted ones are left out of the content)?
bool changesPlanContent(const TypeSpec& type, const FieldSpec& field);

}  // namespace tandem::core
