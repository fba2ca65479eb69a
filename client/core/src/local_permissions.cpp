#include "tandem/client/local_permissions.h"

namespace tandem::client {

using core::Decision;
using core::Entity;
using core::EntityId;
using core::Json;

core::Result<std::optional<core::Principal>> principalOf(core::Replica& replica, const EntityId& member) {
    auto self = replica.entity(member);
    if (!self) return self.error();
    if (!*self) return std::optional<core::Principal>();
    auto departments = replica.entities("department");
    if (!departments) return departments.error();
    return std::optional<core::Principal>(core::principalFromMember(**self, *departments));
}

ReplicaFacts::ReplicaFacts(core::Replica& replica, const core::PlanSnapshot& snapshot) : m_replica(replica) {
    m_borrowed.emplace(snapshot.plan.id, &snapshot.plan);
    for (const auto* entities :
         {&snapshot.tasks, &snapshot.milestones, &snapshot.risks, &snapshot.problems, &snapshot.resourceRequests,
          &snapshot.changeRequests, &snapshot.progressEntries, &snapshot.signoffs, &snapshot.meetingRecords,
          &snapshot.departments, &snapshot.members})
        for (const Entity& e : *entities) m_borrowed.emplace(e.id, &e);
}

core::Result<const Entity*> ReplicaFacts::entityById(const EntityId& id) {
    auto it = m_entities.find(id);
    if (it == m_entities.end()) {
        if (auto borrowed = m_borrowed.find(id); borrowed != m_borrowed.end()) return borrowed->second;
        auto stored = m_replica.entity(id);
        if (!stored) return stored.error();
        it = m_entities.emplace(id, std::move(*stored)).first;
    }
    return it->second ? &*it->second : nullptr;
}

core::Result<bool> ReplicaFacts::hasApprovedChange(const EntityId& plan) {
    // Only the server approves a change request: the replica's are all there is. Read
    // once per plan: a view judges every task of a plan on the same facts.
    if (auto it = m_approvedChange.find(plan); it != m_approvedChange.end()) return it->second;
    auto approved = core::planHasApprovedChange(m_replica, plan);
    if (approved) m_approvedChange.emplace(plan, *approved);
    return approved;
}

core::Result<bool> ReplicaFacts::stored(const EntityId& id) {
    if (m_created.count(id)) return false;
    auto entity = entityById(id);
    if (!entity) return entity.error();
    return *entity != nullptr;
}

core::Status ReplicaFacts::lay(const core::Replica::EntityWrite& write) {
    auto current = entityById(write.entity);
    if (!current) return current.error();
    std::optional<Entity>& entity = m_entities[write.entity];
    if (!entity && *current) entity = **current;  // a borrowed entity: laid over a copy
    if (!entity) {
        entity = Entity{write.entity, write.type, std::nullopt, {}};
        if (write.type == "plan") entity->plan = write.entity;
        m_created.insert(write.entity);
    }
    for (const auto& [name, value] : write.fields) {
        entity->fields[name].value = value;
        if (name == "plan" && !entity->plan) entity->plan = core::idFromJson(value);
    }
    return {};
}

core::Result<Decision> judgeLocalWrites(core::Replica& replica, const EntityId& member,
                                        std::span<const core::Replica::EntityWrite> writes) {
    auto who = principalOf(replica, member);
    if (!who) return who.error();
    if (!*who) return Decision{true, {}};  // the server decides
    ReplicaFacts facts(replica);
    const std::int64_t now = replica.clock().wallMs();
    for (const auto& w : writes) {
        const core::TypeSpec* spec = core::findType(w.type);
        auto existed = facts.stored(w.entity);
        if (!existed) return existed.error();
        auto current = facts.entityById(w.entity);
        if (!current) return current.error();
        Entity entity;
        if (*current) {
            entity = **current;
        } else {
            entity.id = w.entity;
            entity.type = w.type;
            if (w.type == "plan") entity.plan = w.entity;  // as the replica files a plan
        }
        if (!*existed) {
            // As the server does, an entity being created is judged as it will stand:
            // with every value the batch gives it.
            for (const auto& other : writes) {
                if (other.entity != w.entity) continue;
                for (const auto& [name, value] : other.fields) {
                    entity.fields[name].value = value;
                    if (name == "plan" && !entity.plan) entity.plan = core::idFromJson(value);
                }
            }
        }
        // An unknown type or field is validation's to report, and the server's.
        for (const auto& [name, value] : w.fields) {
            if (!spec || !spec->field(name)) break;
            auto built = core::buildWriteFacts(facts, {entity, *existed, name, value, now, core::kMinRetentionDays});
            if (!built) return built.error();
            if (!*built) break;  // this replica does not hold the plan: the server decides
            Decision decision = core::mayWrite(**who, **built);
            if (!decision.allowed) return decision;
            // The server judges a stored entity's later fields after the earlier ones apply.
            if (*existed) entity.fields[name].value = value;
        }
        if (auto laid = facts.lay(w); !laid) return laid.error();
    }
    return Decision{true, {}};
}

}  // namespace tandem::client
