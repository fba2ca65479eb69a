#include "tandem/client/intents.h"

#include <algorithm>

#include "tandem/client/local_permissions.h"
#include "tandem/core/schema.h"
#include "tandem/core/signable.h"

namespace tandem::client {

using core::Entity;
using core::EntityId;
using core::Json;
using core::makeError;
using EntityWrite = core::Replica::EntityWrite;
using Fields = std::vector<std::pair<std::string, Json>>;

namespace {

/// The session's member: who every write is written as.
core::Result<EntityId> me(Context& ctx) {
    if (!ctx.session()) return makeError("signed_out", "not signed in");
    auto member = EntityId::parse(ctx.session()->member);
    if (!member) return makeError("signed_out", "the session names no member: sign in again");
    return *member;
}

core::Result<Entity> existing(core::Replica& replica, const EntityId& id) {
    auto entity = replica.entity(id);
    if (!entity) return entity.error();
    if (!*entity) return makeError("not_found", "no entity " + id.hex() + " in this replica");
    return std::move(**entity);
}

/// An existing entity of `type`; `code` (not_a_plan, …) when it is another one.
core::Result<Entity> existingOf(core::Replica& replica, const EntityId& id, const std::string& type, const char* code) {
    auto entity = existing(replica, id);
    if (entity && entity->type != type) {
        const std::string what = type == "change_request" ? "change request" : type;
        return makeError(code, id.hex() + " is a " + entity->type + ", not a " + what);
    }
    return entity;
}

core::Result<Entity> existingTask(core::Replica& replica, const EntityId& id) {
    auto task = existing(replica, id);
    if (task && (task->type != "task" || !task->plan)) return makeError("not_a_task", id.hex() + " is not a task");
    return task;
}

core::Status validate(const std::string& type, const Fields& fields) {
    const core::TypeSpec* spec = core::findType(type);
    if (!spec) return makeError("unknown_type", "no entity type '" + type + "'");
    for (const auto& [name, value] : fields)
        if (auto valid = core::validateField(*spec, name, value); !valid) return valid;
    return {};
}

/// Writes locally what the server would accept: when it would refuse any op of
/// `writes` (as far as the replica's facts tell), nothing is written.
core::Status judgeAndWrite(Context& ctx, const EntityId& member, std::span<const EntityWrite> writes) {
    auto decision = judgeLocalWrites(ctx.replica(), member, writes);
    if (!decision) return decision.error();
    if (!decision->allowed) return makeError("forbidden", decision->message);
    if (auto ops = ctx.replica().write(writes); !ops) return ops.error();  // all or nothing
    return {};
}

core::Status judgeAndWrite(Context& ctx, const EntityId& member, EntityWrite write) {
    return judgeAndWrite(ctx, member, std::span<const EntityWrite>(&write, 1));
}

/// The sign-off `me` would write on `subject`, and the subject's content hash.
core::Result<std::pair<EntityWrite, std::string>> signoffWrite(Context& ctx, const EntityId& member,
                                                               const EntityId& subject, SignMeaning meaning,
                                                               const std::string& comment) {
    auto& replica = ctx.replica();
    auto entity = existing(replica, subject);
    if (!entity) return entity.error();
    if (entity->type != "plan" && entity->type != "change_request")
        return makeError("not_signable", "only a plan or a change request can be signed");
    const EntityId plan = entity->type == "plan" ? subject : entity->plan.value_or(subject);
    auto hash = core::contentHash(replica, subject);
    if (!hash) return hash.error();
    EntityWrite w{replica.newEntityId(),
                  "signoff",
                  {{"plan", plan.hex()},
                   {"subject", subject.hex()},
                   {"signer", member.hex()},
                   {"department", ctx.session()->department},
                   {"meaning", signMeaningName(meaning)},
                   {"content_hash", *hash}}};
    if (!comment.empty()) w.fields.emplace_back("comment", comment);
    w.fields.emplace_back("signed_at", replica.clock().wallMs());  // the closing field, last
    return std::make_pair(std::move(w), std::move(*hash));
}

/// Validates `fields` of plan `plan` and writes them, judged.
core::Status writePlan(Context& ctx, const EntityId& member, const EntityId& plan, Fields fields) {
    if (auto valid = validate("plan", fields); !valid) return valid;
    return judgeAndWrite(ctx, member, EntityWrite{plan, "plan", std::move(fields)});
}

}  // namespace

core::Result<core::Principal> signedInPrincipal(Context& ctx) {
    auto member = me(ctx);
    if (!member) return member.error();
    auto who = principalOf(ctx.replica(), *member);
    if (!who) return who.error();
    if (!*who) return makeError("not_found", "the signed-in member is not in this replica yet: sync first");
    return std::move(**who);
}

core::Result<core::RuleContext> ruleContext(core::Replica& replica) {
    auto calendar = core::WorkCalendar::fromReplica(replica);
    if (!calendar) return calendar.error();
    return core::RuleContext{replica.clock().wallMs(), std::move(*calendar), core::kChinaUtcOffsetMinutes};
}

core::Result<EntityId> createEntity(Context& ctx, const std::string& typeName, Fields fields) {
    auto member = me(ctx);
    if (!member) return member.error();
    const core::TypeSpec* type = core::findType(typeName);
    if (!type) return makeError("unknown_type", "no entity type '" + typeName + "'");
    if (auto valid = validate(typeName, fields); !valid) return valid.error();
    auto& replica = ctx.replica();
    if (type->planScoped) {
        auto planField = std::find_if(fields.begin(), fields.end(), [](const auto& f) { return f.first == "plan"; });
        const auto plan = planField == fields.end() ? std::nullopt : core::idFromJson(planField->second);
        if (!plan) return makeError("missing_plan", type->name + " is plan-scoped: give plan=\"<plan id>\"");
        // Put `plan` first: the server learns the scope before the other fields.
        std::stable_partition(fields.begin(), fields.end(), [](const auto& f) { return f.first == "plan"; });
        auto known = replica.entity(*plan);
        if (!known) return known.error();
        if (!*known || (*known)->type != "plan")
            return makeError("unknown_entity", "no plan " + plan->hex() + " in this replica (sync first?)");
    }
    if (fields.empty()) return makeError("invalid_value", "a new " + typeName + " needs at least one field");
    if (type->name == "change_request") {
        // The requester submits and withdraws it (DESIGN §7): that is whoever files it.
        auto given = [&](const char* name) {
            return std::any_of(fields.begin(), fields.end(), [name](const auto& f) { return f.first == name; });
        };
        if (!given("requested_by")) fields.emplace_back("requested_by", member->hex());
        if (!given("requested_at")) fields.emplace_back("requested_at", replica.clock().wallMs());
    }
    const EntityId id = replica.newEntityId();
    if (auto written = judgeAndWrite(ctx, *member, EntityWrite{id, type->name, std::move(fields)}); !written)
        return written.error();
    return id;
}

core::Status setField(Context& ctx, const EntityId& id, const std::string& field, const Json& value) {
    auto member = me(ctx);
    if (!member) return member.error();
    auto entity = existing(ctx.replica(), id);
    if (!entity) return entity.error();
    const core::TypeSpec* type = core::findType(entity->type);
    if (!type) return makeError("unknown_type", "unknown entity type " + entity->type);
    if (type->appendOnly) return makeError("immutable", entity->type + " records are append-only and cannot be edited");
    if (auto valid = core::validateField(*type, field, value); !valid) return valid;
    return judgeAndWrite(ctx, *member, EntityWrite{id, entity->type, {{field, value}}});
}

core::Status setDeleted(Context& ctx, const EntityId& entity, bool deleted) {
    return setField(ctx, entity, "deleted", deleted);
}

core::Result<EntityId> logProgress(Context& ctx, const ProgressReport& report) {
    auto member = me(ctx);
    if (!member) return member.error();
    auto& replica = ctx.replica();
    auto task = existingTask(replica, report.task);
    if (!task) return task.error();
    Fields fields = {{"plan", task->plan->hex()},
                     {"task", report.task.hex()},
                     {"author", member->hex()},
                     {"percent", report.percent}};
    for (const auto& [name, text] : {std::pair<const char*, const std::string&>{"note", report.note},
                                     {"problem", report.problem},
                                     {"solution", report.solution},
                                     {"next_step", report.nextStep}})
        if (!text.empty()) fields.emplace_back(name, text);
    if (auto valid = validate("progress_entry", fields); !valid) return valid.error();
    const EntityId entry = replica.newEntityId();
    fields.emplace_back("reported_at", replica.clock().wallMs());  // the closing field, last
    const std::vector<EntityWrite> writes = {{entry, "progress_entry", std::move(fields)},
                                             {report.task, "task", {{"percent", report.percent}}}};
    if (auto written = judgeAndWrite(ctx, *member, writes); !written) return written.error();
    return entry;
}

core::Status updateTask(Context& ctx, const TaskUpdate& update) {
    auto member = me(ctx);
    if (!member) return member.error();
    auto& replica = ctx.replica();
    auto task = existingTask(replica, update.task);
    if (!task) return task.error();
    Fields taskFields;
    if (update.status) taskFields.emplace_back("status", *update.status);
    if (update.percent) taskFields.emplace_back("percent", *update.percent);
    if (update.actualFinish)
        taskFields.emplace_back("actual_finish", update.actualFinish->empty() ? Json() : Json(*update.actualFinish));
    if (auto valid = validate("task", taskFields); !valid) return valid;
    std::vector<EntityWrite> writes;
    if (update.percent || !update.note.empty()) {
        Fields entry = {{"plan", task->plan->hex()}, {"task", update.task.hex()}, {"author", member->hex()}};
        if (update.percent)
            entry.emplace_back("percent", *update.percent);
        else if (const Json& percent = task->get("percent"); percent.is_number_integer())
            entry.emplace_back("percent", percent);
        if (!update.note.empty()) entry.emplace_back("note", update.note);
        if (auto valid = validate("progress_entry", entry); !valid) return valid;
        entry.emplace_back("reported_at", replica.clock().wallMs());  // the closing field, last
        writes.push_back({replica.newEntityId(), "progress_entry", std::move(entry)});
    }
    if (!taskFields.empty()) writes.push_back({update.task, "task", std::move(taskFields)});
    if (writes.empty()) return {};
    return judgeAndWrite(ctx, *member, writes);
}

core::Result<core::Decision> mayUpdateTask(Context& ctx, const EntityId& taskId) {
    auto member = me(ctx);
    if (!member) return member.error();
    auto task = existingTask(ctx.replica(), taskId);
    if (!task) return task.error();
    // Each execution field as it stands: the rule looks at who writes, not the value.
    EntityWrite w{taskId, "task", {}};
    for (const char* field : {"status", "percent", "actual_finish"}) w.fields.emplace_back(field, task->get(field));
    return judgeLocalWrites(ctx.replica(), *member, std::span<const EntityWrite>(&w, 1));
}

std::string signMeaningName(SignMeaning meaning) {
    switch (meaning) {
        case SignMeaning::Approve:
            return "approve";
        case SignMeaning::Reject:
            return "reject";
        case SignMeaning::Acknowledge:
            return "acknowledge";
    }
    return "acknowledge";
}

std::optional<SignMeaning> parseSignMeaning(std::string_view name) {
    for (SignMeaning m : {SignMeaning::Approve, SignMeaning::Reject, SignMeaning::Acknowledge})
        if (signMeaningName(m) == name) return m;
    return std::nullopt;
}

core::Result<core::Decision> maySign(Context& ctx, const EntityId& subject, SignMeaning meaning) {
    auto member = me(ctx);
    if (!member) return member.error();
    auto signoff = signoffWrite(ctx, *member, subject, meaning, {});
    if (!signoff) return signoff.error();
    return judgeLocalWrites(ctx.replica(), *member, std::span<const EntityWrite>(&signoff->first, 1));
}

core::Result<SignedOff> signOff(Context& ctx, const EntityId& subject, SignMeaning meaning, const std::string& comment,
                                const std::string& password) {
    auto member = me(ctx);
    if (!member) return member.error();
    if (!ctx.verifyPassword(password)) return makeError("unauthorized", "wrong password; nothing was signed");
    auto signoff = signoffWrite(ctx, *member, subject, meaning, comment);
    if (!signoff) return signoff.error();
    if (auto written = judgeAndWrite(ctx, *member, signoff->first); !written) return written.error();
    return SignedOff{signoff->first.entity, std::move(signoff->second)};
}

core::Result<std::string> recordAcceptance(Context& ctx, const EntityId& planId, const Acceptance& acceptance) {
    const std::pair<const char*, const std::optional<bool>&> checks[] = {{"completeness", acceptance.completeness},
                                                                         {"accuracy", acceptance.accuracy},
                                                                         {"timeliness", acceptance.timeliness}};
    for (const auto& [name, passed] : checks)
        if (acceptance.pass && passed == false)
            return makeError("invalid_value", std::string("a passed acceptance has no failed check (") + name + ")");
    if (acceptance.pass && !acceptance.rectification.empty())
        return makeError("invalid_value", "a passed acceptance has no rectification");
    if (!acceptance.pass && acceptance.rectification.empty())
        return makeError("invalid_value", "a failed acceptance needs its rectification (the rework, 整改, to be done)");
    auto member = me(ctx);
    if (!member) return member.error();
    auto plan = existingOf(ctx.replica(), planId, "plan", "not_a_plan");
    if (!plan) return plan.error();
    Fields fields;
    for (const auto& [name, passed] : checks)
        if (passed) fields.emplace_back(std::string("acceptance_") + name, *passed ? "pass" : "fail");
    fields.emplace_back("acceptance_result", acceptance.pass ? "accepted" : "rejected");
    if (!acceptance.note.empty()) fields.emplace_back("acceptance_note", acceptance.note);
    std::string due;
    if (acceptance.pass) {
        fields.emplace_back("status", "done");  // the owner records the acceptance (DESIGN §6)
    } else {
        fields.emplace_back("rectification", acceptance.rectification);
        // Due by this replica's working-day calendar, the organisation's days included.
        auto rules = ruleContext(ctx.replica());
        if (!rules) return rules.error();
        due = core::formatDate(rules->calendar.addWorkingDays(rules->today(), core::kRectificationWorkingDays));
        fields.emplace_back("rectification_due", due);
    }
    if (auto written = writePlan(ctx, *member, planId, std::move(fields)); !written) return written.error();
    return due;
}

core::Status archivePlan(Context& ctx, const EntityId& planId, const std::string& retrospective) {
    auto member = me(ctx);
    if (!member) return member.error();
    if (auto plan = existingOf(ctx.replica(), planId, "plan", "not_a_plan"); !plan) return plan.error();
    Fields fields;
    // The retrospective goes first: once the status is archived, nothing is written.
    if (!retrospective.empty()) fields.emplace_back("retrospective", retrospective);
    fields.emplace_back("status", "archived");
    return writePlan(ctx, *member, planId, std::move(fields));
}

core::Status movePlan(Context& ctx, const EntityId& planId, const std::string& status) {
    auto member = me(ctx);
    if (!member) return member.error();
    if (auto plan = existingOf(ctx.replica(), planId, "plan", "not_a_plan"); !plan) return plan.error();
    return writePlan(ctx, *member, planId, {{"status", status}});
}

core::Result<EntityId> fileChangeRequest(Context& ctx, const ChangeRequestDraft& draft) {
    Fields fields = {{"plan", draft.plan.hex()}};
    for (const auto& [name, text] : {std::pair<const char*, const std::string&>{"title", draft.title},
                                     {"reason", draft.reason},
                                     {"impact", draft.impact},
                                     {"proposal", draft.proposal}})
        if (!text.empty()) fields.emplace_back(name, text);
    // Filed and submitted in one go is judged as a move from open (core::mayWrite).
    if (draft.submit) fields.emplace_back("status", "in_review");
    return createEntity(ctx, "change_request", std::move(fields));
}

core::Status moveChangeRequest(Context& ctx, const EntityId& requestId, const std::string& status) {
    auto member = me(ctx);
    if (!member) return member.error();
    auto request = existingOf(ctx.replica(), requestId, "change_request", "not_a_change_request");
    if (!request) return request.error();
    Fields fields = {{"status", status}};
    if (auto valid = validate("change_request", fields); !valid) return valid;
    return judgeAndWrite(ctx, *member, EntityWrite{requestId, "change_request", std::move(fields)});
}

core::Result<EntityId> createPlanFromTemplate(Context& ctx, const std::string& title,
                                              const std::vector<EntityId>& participants, core::CalendarDate start,
                                              core::Language language) {
    auto who = signedInPrincipal(ctx);
    if (!who) return who.error();
    if (!who->department)
        return makeError("forbidden", "a department head creates plans that their own department leads");
    auto& replica = ctx.replica();
    auto rules = ruleContext(replica);
    if (!rules) return rules.error();
    core::PlanTemplateInput input;
    input.title = title;
    input.leadDepartment = *who->department;
    input.owner = who->member;
    input.participants = participants;
    input.start = start;
    input.language = language;
    auto ops = core::standardPlanTemplate(
        input, [&replica] { return replica.newEntityId(); }, rules->calendar);
    if (!ops) return ops.error();
    std::vector<EntityWrite> writes;
    writes.reserve(ops->size());
    for (auto& op : *ops) writes.push_back({op.entity, std::move(op.type), std::move(op.fields)});
    if (auto written = judgeAndWrite(ctx, who->member, writes); !written) return written.error();
    return writes.front().entity;  // the plan comes first
}

}  // namespace tandem::client
