#pragma once
// The one builder of the facts a permission check judges (core::WriteFacts, DESIGN §6):
// the server's push and a client before a local write both call it, so a write is
// judged on the same facts wherever it is judged, and refused with the same message.
// Where the facts come from differs (the server reads its store through per-push
// caches, a client its replica), so the caller passes a FactSource.
//
// Thread contract: synchronous, on the caller's thread, which must be the one that may
// use the source. Never throws; a source's read error is returned as it is.

#include <cstdint>
#include <optional>
#include <string>

#include "tandem/core/canonical_json.h"
#include "tandem/core/ids.h"
#include "tandem/core/permissions.h"
#include "tandem/core/replica.h"
#include "tandem/core/result.h"

namespace tandem::core {

/// Where the builder reads what the write is judged against. An implementation sees
/// the write's batch as the judge does: the server as the push has applied it so far,
/// a client with the earlier writes of its batch laid over its replica.
class FactSource {
public:
    virtual ~FactSource() = default;
    /// The entity as it stands, or null when there is none. The pointer stays valid
    /// until the next call on the source.
    virtual Result<const Entity*> entityById(const EntityId& id) = 0;
    /// Has `plan` a change request that is approved and not yet applied
    /// (PlanFacts::changeApproved)? Asked only of a stored plan that is in_progress.
    virtual Result<bool> hasApprovedChange(const EntityId& plan) = 0;
    /// The facts of a plan or task entityById returned. A source may keep them between
    /// calls, as long as it forgets them when the entity changes.
    virtual PlanFacts planFacts(const Entity& plan) { return PlanFacts::fromEntity(plan); }
    virtual TaskFacts taskFacts(const Entity& task) { return TaskFacts::fromEntity(task); }
};

/// The plan's change requests read from a replica or op store (the FactSource question above).
Result<bool> planHasApprovedChange(EntityReader& replica, const EntityId& plan);

/// One field write to be judged.
struct FieldWrite {
    /// The entity as it will stand: a stored one as it stands, with the earlier fields
    /// of the same write applied; one being created with every value its batch gives
    /// it. A plan-scoped entity's `plan` is the plan it is (or will be) filed under.
    Entity entity;
    bool entityExists = false;  // stored before the batch that writes it
    std::string field;          // full name, e.g. "participants.<id>"
    Json value;
    std::int64_t nowMs = 0;  // the judge's clock
    int retentionDays = kMinRetentionDays;
};

/// The WriteFacts of `write` (its type must be in the schema and its field valid for
/// it, else unknown_type / unknown_field): the plan's facts — for a plan itself, as it
/// will stand; for a plan-scoped entity, its plan as the source holds it, with
/// changeApproved when the plan is in_progress — and the task's facts, for a task
/// itself, or for the `task` an entity refers to when that is a task of the same plan.
/// Nothing when the entity is plan-scoped and the source holds no such plan (the
/// server refuses that earlier as unknown_entity; a client leaves it to the server).
Result<std::optional<WriteFacts>> buildWriteFacts(FactSource& source, FieldWrite write);

}  // namespace tandem::core
