#include "tandem/client/local_permissions.h"

namespace tandem::client {

using core::Decision;
using core::Entity;
using core::EntityId;
using core::Json;
using core::PlanFacts;

core::Result<Decision> judgeLocalWrite(core::Replica& replica, const EntityId& member, const EntityId& id,
                                       const std::string& type,
                                       const std::vector<std::pair<std::string, Json>>& fields) {
    const Decision unjudged{true, {}};
    const core::TypeSpec* spec = core::findType(type);
    if (!spec) return unjudged;  // validation reports it
    auto self = replica.entity(member);
    if (!self) return self.error();
    if (!*self) return unjudged;
    auto departments = replica.entities("department");
    if (!departments) return departments.error();
    const core::Principal who = core::principalFromMember(**self, *departments);

    auto stored = replica.entity(id);
    if (!stored) return stored.error();
    const bool existed = stored->has_value();
    Entity entity;
    if (existed) {
        entity = std::move(**stored);
    } else {
        // As the server does, an entity being created is judged as it will stand.
        entity.id = id;
        entity.type = type;
        for (const auto& [name, value] : fields) {
            entity.fields[name].value = value;
            if (name == "plan") entity.plan = core::idFromJson(value);
        }
    }
    std::optional<PlanFacts> plan;
    if (type == "plan") {
        plan = PlanFacts::fromEntity(entity);
        plan->exists = existed;
    } else if (spec->planScoped) {
        if (!entity.plan) return unjudged;
        auto planEntity = replica.entity(*entity.plan);
        if (!planEntity) return planEntity.error();
        if (!*planEntity || (*planEntity)->type != "plan") return unjudged;
        plan = PlanFacts::fromEntity(**planEntity);
    }
    if (plan && plan->exists && plan->status == "in_progress") {
        auto requests = replica.entities("change_request", plan->id);
        if (!requests) return requests.error();
        plan->changeApproved = core::hasApprovedChange(*requests);
    }
    std::optional<core::TaskFacts> task;
    if (type == "task") {
        task = core::TaskFacts::fromEntity(entity);
    } else if (auto taskId = core::idFromJson(entity.get("task"))) {
        auto taskEntity = replica.entity(*taskId);
        if (!taskEntity) return taskEntity.error();
        if (*taskEntity && (*taskEntity)->type == "task" && (*taskEntity)->plan == entity.plan)
            task = core::TaskFacts::fromEntity(**taskEntity);
    }

    for (const auto& [name, value] : fields) {
        core::WriteFacts w;
        w.type = spec;
        w.field = spec->field(name);
        if (!w.field) return unjudged;  // validation reports it
        w.fieldName = name;
        w.value = value;
        w.entityExists = existed;
        w.entity = entity;
        w.plan = plan;
        w.task = task;
        w.nowMs = replica.clock().wallMs();
        Decision decision = core::mayWrite(who, w);
        if (!decision.allowed) return decision;
        // The server judges a stored entity's later fields after the earlier ones apply.
        if (existed) entity.fields[name].value = value;
    }
    return Decision{true, {}};
}

}  // namespace tandem::client
