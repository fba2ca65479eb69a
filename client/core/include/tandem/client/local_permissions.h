#pragma once
// The permission rules of DESIGN §6 run on the client before a local write: the same
// core::mayWrite the server runs, on facts built by the same core::buildWriteFacts,
// here from this replica (ReplicaFacts), so an offline client refuses what the server
// would refuse, with the same message. Call on the thread that owns the replica
// (ClientService's worker). Never throws.

#include <map>
#include <optional>
#include <set>
#include <span>

#include "tandem/core/permissions.h"
#include "tandem/core/replica.h"
#include "tandem/core/rules.h"
#include "tandem/core/write_facts.h"

namespace tandem::client {

/// The member as the rules see them (their department and the departments they head),
/// or nothing when this replica does not hold the member yet (before the first sync).
core::Result<std::optional<core::Principal>> principalOf(core::Replica& replica, const core::EntityId& member);

/// The replica's facts (core::FactSource), with the writes of one batch laid over them
/// as they are judged, as the server's push sees its own earlier ops. Borrows the
/// replica; lives for one judgement.
class ReplicaFacts final : public core::FactSource {
public:
    explicit ReplicaFacts(core::Replica& replica) : m_replica(replica) {}
    /// Borrows `snapshot` too: its entities answer without a read, so a view that judges
    /// every task of a plan reads none of them twice (a plan of 2,000 tasks made 2,000
    /// entity reads). The snapshot must outlive the facts; a laid write copies first.
    ReplicaFacts(core::Replica& replica, const core::PlanSnapshot& snapshot);

    core::Result<const core::Entity*> entityById(const core::EntityId& id) override;
    core::Result<bool> hasApprovedChange(const core::EntityId& plan) override;
    /// Lays `write` over the replica: what later writes of the batch are judged against.
    core::Status lay(const core::Replica::EntityWrite& write);
    /// Was the entity stored before the batch?
    core::Result<bool> stored(const core::EntityId& id);

private:
    core::Replica& m_replica;
    std::map<core::EntityId, std::optional<core::Entity>> m_entities;  // read once, then laid over
    std::map<core::EntityId, const core::Entity*> m_borrowed;          // a snapshot's, unless laid over
    std::set<core::EntityId> m_created;                                // by the batch
    std::map<core::EntityId, bool> m_approvedChange;                   // hasApprovedChange, per plan
};

/// Judges `writes` (each entity's fields in order, the writes in order) as `member`:
/// refused at the first field the server would refuse, with its message. An entity a
/// write creates is judged as it will stand (every value the batch gives it); a stored
/// one with the earlier fields applied. Allowed where this replica cannot judge — it
/// does not hold the member or the plan yet — so the server decides. Fails only on a
/// replica read error.
core::Result<core::Decision> judgeLocalWrites(core::Replica& replica, const core::EntityId& member,
                                              std::span<const core::Replica::EntityWrite> writes);

}  // namespace tandem::client
