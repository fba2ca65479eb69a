#include "tandem/core/write_facts.h"

namespace tandem::core {

Result<bool> planHasApprovedChange(EntityReader& replica, const EntityId& plan) {
    auto requests = replica.entities("change_request", plan);
    if (!requests) return requests.error();
    return hasApprovedChange(*requests);
}

Result<std::optional<WriteFacts>> buildWriteFacts(FactSource& source, FieldWrite write) {
    WriteFacts w;
    w.type = findType(write.entity.type);
    if (!w.type) return makeError("unknown_type", "the schema has no type " + write.entity.type);
    w.field = w.type->field(write.field);
    if (!w.field) return makeError("unknown_field", write.entity.type + " has no field " + write.field);
    w.fieldName = std::move(write.field);
    w.value = std::move(write.value);
    w.entityExists = write.entityExists;
    w.nowMs = write.nowMs;
    w.retentionDays = write.retentionDays;
    const Entity& entity = write.entity;

    if (w.type->name == "plan") {
        PlanFacts facts = PlanFacts::fromEntity(entity);
        facts.exists = write.entityExists;
        w.plan = std::move(facts);
    } else if (w.type->planScoped) {
        if (!entity.plan) return std::optional<WriteFacts>();
        auto plan = source.entityById(*entity.plan);
        if (!plan) return plan.error();
        if (!*plan || (*plan)->type != "plan") return std::optional<WriteFacts>();
        w.plan = source.planFacts(**plan);
    }

    if (w.type->name == "task") {
        w.task = TaskFacts::fromEntity(entity);
    } else if (auto taskId = idFromJson(entity.get("task"))) {
        // Only a task of the same plan counts: a reference into another plan gives
        // no rights in this one.
        auto task = source.entityById(*taskId);
        if (!task) return task.error();
        if (*task && (*task)->type == "task" && (*task)->plan == entity.plan) w.task = source.taskFacts(**task);
    }

    if (w.plan && w.plan->exists && w.plan->status == "in_progress") {
        auto approved = source.hasApprovedChange(w.plan->id);
        if (!approved) return approved.error();
        w.plan->changeApproved = *approved;
    }
    w.entity = std::move(write.entity);
    return std::optional<WriteFacts>(std::move(w));
}

}  // namespace tandem::core
