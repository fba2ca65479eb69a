// The push of POST /api/v1/sync: per-op checks in the order of DESIGN §5, and the
// fields the server derives from it (sign-off staleness, plan approval, §7) with their
// audit entries. Runs inside the sync transaction of sync_group.cpp.

#include <algorithm>

#include "service/change_requests.h"
#include "service/service_impl.h"
#include "tandem/core/schema.h"
#include "tandem/core/signable.h"
#include "tandem/core/write_facts.h"

namespace tandem::server {

using core::ApplyOutcome;
using core::EntityId;
using core::Error;
using core::makeError;
using core::PlanFacts;
using core::Principal;
using core::Status;

namespace {

bool isPermissionField(const std::string& type, const std::string& field) {
    auto starts = [&](const char* prefix) { return field.rfind(prefix, 0) == 0; };
    if (type == "plan") return field == "owner" || field == "lead_department" || starts("participants.");
    if (type == "task") return field == "lead_department" || starts("collaborators.");
    if (type == "member") return field == "department" || starts("roles.");
    if (type == "department") return field == "head";
    return false;
}

/// The facts gathered while one push is checked and applied; the permission checks read
/// them through core::buildWriteFacts, from the caches below.
class Push final : private core::FactSource {
public:
    /// `excluded`: ops on entities this push creates that an earlier run refused, by op
    /// id, with that refusal: the checks must not see their values.
    Push(SyncApi::Impl& impl, ServerWriter& writer, const Principal& who, const SyncRequest& request, bool siteOwned,
         const std::map<std::string, Rejection>& excluded, SyncResult& result)
        : m_impl(impl),
          m_replica(*impl.replica),
          m_writer(writer),
          m_who(who),
          m_request(request),
          m_siteOwned(siteOwned),
          m_excluded(excluded),
          m_result(result) {}

    Status run();
    Status derive();
    /// The refused ops on entities this push creates, by op id: what the checks of the
    /// other ops on those entities saw, and must not have.
    const std::map<std::string, Rejection>& refusedOnNewEntities() const { return m_refusedNew; }
    std::uint64_t opsApplied() const { return m_opsApplied; }

private:
    struct Outcome {
        bool accepted = false;
        Rejection rejection;
    };
    struct StatusChange {
        EntityId plan;
        std::string from;
        std::string to;
    };

    /// Checks one op; returns the rejection, or nothing when it may be stored. On
    /// success, `planOut` is the op's plan and `beforeOut` the field's value before the
    /// op (null if never written), or nothing when the entity does not exist yet.
    core::Result<std::optional<Rejection>> check(const Op& op, std::optional<EntityId>& planOut,
                                                 std::optional<Json>& beforeOut);
    Status apply(const Op& op, std::optional<EntityId> plan, const std::optional<Json>& before);
    Status reconcilePlan(const EntityId& plan);
    Status changeRequestStatus(const Op& op, const EntityId& plan, const Json& from);
    core::Result<bool> existedBefore(const EntityId& entity);
    /// An entity as it stands now, read once per push and kept in step with the ops of
    /// this push stored on it. The pointer stays valid until an op on it is applied.
    core::Result<const std::optional<Entity>*> load(const EntityId& entity);

    // core::FactSource, over the caches of this push.
    core::Result<const Entity*> entityById(const EntityId& id) override;
    /// PlanFacts::changeApproved of `plan`, read once per push until an op of this push
    /// writes one of its change requests.
    core::Result<bool> hasApprovedChange(const EntityId& plan) override;
    /// PlanFacts / TaskFacts of a stored plan or task, built once per push from load().
    PlanFacts planFacts(const Entity& plan) override;
    core::TaskFacts taskFacts(const Entity& task) override;

    SyncApi::Impl& m_impl;
    OpStore& m_replica;
    ServerWriter& m_writer;
    const Principal& m_who;
    const SyncRequest& m_request;
    bool m_siteOwned;
    const std::map<std::string, Rejection>& m_excluded;
    SyncResult& m_result;
    std::map<std::string, Rejection> m_refusedNew;
    std::map<EntityId, std::string> m_refusedPlan;  // why an entity's excluded `plan` op was refused
    std::uint64_t m_opsApplied = 0;

    std::map<EntityId, bool> m_existed;                             // stored before this push
    std::map<EntityId, std::optional<Entity>> m_loaded;             // see load()
    std::map<EntityId, PlanFacts> m_planFacts;                      // see planFacts()
    std::map<EntityId, core::TaskFacts> m_taskFacts;                // see taskFacts()
    std::map<EntityId, EntityId> m_planHints;                   // first `plan` op per entity, not excluded
    std::map<EntityId, std::map<std::string, Json>> m_overlay;  // this push's values per entity, not excluded
    std::map<std::string, std::pair<const Op*, Outcome>> m_seen;  // op id → (its first op, outcome)

    std::set<EntityId> m_changedPlans;     // signable content edited, or status changed
    std::set<EntityId> m_changedRequests;  // change requests edited, signed or moved
    std::map<EntityId, bool> m_approvedChange;               // see hasApprovedChange()
    std::vector<std::pair<EntityId, EntityId>> m_applied;   // (change request, plan) set to applied
    std::vector<EntityId> m_newSignoffs;   // in push order
    std::set<EntityId> m_newSignoffSet;
    std::vector<EntityId> m_newPlans;  // plans created by this push
};

core::Result<const std::optional<Entity>*> Push::load(const EntityId& entity) {
    // A push checks every op against its plan and entity; reading them from SQLite for
    // each op (a plan has ~30 fields) dominated the cost of a push.
    auto it = m_loaded.find(entity);
    if (it != m_loaded.end()) return &it->second;
    auto stored = m_replica.entity(entity);
    if (!stored) return stored.error();
    return &m_loaded.emplace(entity, std::move(*stored)).first->second;
}

core::Result<const Entity*> Push::entityById(const EntityId& id) {
    auto loaded = load(id);
    if (!loaded) return loaded.error();
    return **loaded ? &***loaded : nullptr;
}

PlanFacts Push::planFacts(const Entity& plan) {
    auto it = m_planFacts.find(plan.id);
    if (it == m_planFacts.end()) it = m_planFacts.emplace(plan.id, PlanFacts::fromEntity(plan)).first;
    return it->second;
}

core::TaskFacts Push::taskFacts(const Entity& task) {
    auto it = m_taskFacts.find(task.id);
    if (it == m_taskFacts.end()) it = m_taskFacts.emplace(task.id, core::TaskFacts::fromEntity(task)).first;
    return it->second;
}

core::Result<bool> Push::hasApprovedChange(const EntityId& plan) {
    auto it = m_approvedChange.find(plan);
    if (it != m_approvedChange.end()) return it->second;
    auto approved = core::planHasApprovedChange(m_replica, plan);
    if (!approved) return approved.error();
    m_approvedChange.emplace(plan, *approved);
    return *approved;
}

core::Result<bool> Push::existedBefore(const EntityId& entity) {
    auto it = m_existed.find(entity);
    if (it != m_existed.end()) return it->second;
    auto stored = load(entity);
    if (!stored) return stored.error();
    const bool exists = (*stored)->has_value();
    m_existed.emplace(entity, exists);
    return exists;
}

core::Result<std::optional<Rejection>> Push::check(const Op& op, std::optional<EntityId>& planOut,
                                                   std::optional<Json>& beforeOut) {
    const std::string id = op.idString();
    auto reject = [&](const char* code, std::string message) {
        return std::optional<Rejection>(Rejection{id, code, std::move(message)});
    };

    // 1. bad_site
    if (op.site != m_request.site) return reject("bad_site", "the op's site is not the site of the request");
    if (!m_siteOwned) return reject("bad_site", "this site belongs to another member");

    // 3. clock_ahead (duplicate_id is decided by the caller before this)
    const auto physical = static_cast<std::int64_t>(op.hlc.physicalMs());
    if (physical > m_writer.now() + kClockAheadLimitMs)
        return reject("clock_ahead", "stamped more than 10 minutes ahead of the server clock");

    // 4–6. unknown_type, unknown_field, invalid_value
    const core::TypeSpec* type = core::findType(op.type);
    if (!type) return reject("unknown_type", "the schema has no type " + op.type);
    if (auto valid = core::validateField(*type, op.field, op.value); !valid) {
        const std::string& code = valid.error().code;
        return reject(code == "unknown_field" ? "unknown_field" : "invalid_value", valid.error().message);
    }
    const core::FieldSpec* field = type->field(op.field);

    // 7. unknown_entity
    auto loaded = load(op.entity);
    if (!loaded) return loaded.error();
    const std::optional<Entity>& current = **loaded;
    if (current && current->type != op.type)
        return reject("unknown_entity", "entity " + op.entity.hex() + " is a " + current->type);
    std::optional<EntityId> planId;
    if (type->name == "plan") {
        planId = op.entity;
    } else if (type->planScoped) {
        if (current && current->plan)
            planId = current->plan;
        else if (op.field == "plan")
            planId = core::idFromJson(op.value);
        else if (auto hint = m_planHints.find(op.entity); hint != m_planHints.end())
            planId = hint->second;
        if (!planId) {
            if (auto refused = m_refusedPlan.find(op.entity); refused != m_refusedPlan.end())
                return reject("unknown_entity", "the " + op.type + "'s plan field was refused: " + refused->second);
            return reject("unknown_entity", "a " + op.type + " needs its plan field in the same push");
        }
        auto isPlan = [&](const EntityId& planOf) -> core::Result<const Entity*> {
            auto plan = load(planOf);
            if (!plan) return plan.error();
            return **plan && (**plan)->type == "plan" ? &***plan : nullptr;
        };
        // A `plan` op names a plan that must exist, also on an entity that has one
        // already: unknown_entity comes before immutable.
        if (op.field == "plan") {
            auto named = core::idFromJson(op.value);
            if (!named) return reject("unknown_entity", "plan " + op.value.dump() + " does not exist");
            auto exists = isPlan(*named);
            if (!exists) return exists.error();
            if (!*exists) return reject("unknown_entity", "plan " + named->hex() + " does not exist");
        }
        auto plan = isPlan(*planId);
        if (!plan) return plan.error();
        if (!*plan) return reject("unknown_entity", "plan " + planId->hex() + " does not exist");
    }

    // 8. forbidden
    auto existed = existedBefore(op.entity);
    if (!existed) return existed.error();
    core::FieldWrite write;
    if (current) {
        write.entity = *current;
    } else {
        write.entity.id = op.entity;
        write.entity.type = op.type;
    }
    if (!write.entity.plan) write.entity.plan = planId;  // the plan the checks above found
    if (!*existed) {
        // An entity being created is judged as it will stand after this push.
        for (const auto& [name, value] : m_overlay[op.entity]) write.entity.fields[name].value = value;
    }
    write.entityExists = *existed;
    write.field = op.field;
    write.value = op.value;
    write.nowMs = m_writer.now();
    write.retentionDays = m_impl.options.retentionDays;
    auto facts = core::buildWriteFacts(*this, std::move(write));
    if (!facts) return facts.error();
    if (!*facts) return reject("unknown_entity", "plan " + (planId ? planId->hex() : "?") + " does not exist");
    core::Decision decision = core::mayWrite(m_who, **facts);
    if (!decision.allowed) return reject("forbidden", decision.message);

    // 9. immutable
    if (current) {
        const Entity& stored = *current;
        if (field->fieldClass == core::FieldClass::Scope && stored.plan && core::idFromJson(op.value) != stored.plan)
            return reject("immutable", "an entity's plan never changes");
        if (type->appendOnly) {
            auto it = stored.fields.find(op.field);
            const bool same = it != stored.fields.end() && it->second.value == op.value;
            const bool written = it != stored.fields.end();
            // A record stored by an earlier push still takes a field's first write from
            // the site that created it, until its closing field is stored: the rest of a
            // record a push cut in two, or a retry, is never lost.
            auto creator = stored.fields.find("plan");
            const bool open = !stored.fields.count(type->closingField) && creator != stored.fields.end() &&
                              creator->second.site == op.site;
            if (written ? !same : (*existed && !open))
                return reject("immutable", "a " + op.type + " is written once and never edited");
        }
    }
    planOut = planId;
    if (current) beforeOut = current->get(op.field);
    return std::optional<Rejection>{};
}

Status Push::apply(const Op& op, std::optional<EntityId> plan, const std::optional<Json>& before) {
    ApplyOutcome outcome = ApplyOutcome::Applied;
    bool won = false;
    if (auto s = m_writer.storeClientOp(op, m_who.member, plan, outcome, won); !s) return s;
    // Keep the entity read by load() in step with what was stored: check() passed it,
    // so an entity created just now has the op's type, and its plan is `plan`, as
    // Replica::applyOne stored them. A plan is read again (the server may derive fields
    // of it below).
    if (auto cached = m_loaded.find(op.entity); cached != m_loaded.end() && outcome == ApplyOutcome::Applied) {
        m_planFacts.erase(op.entity);
        m_taskFacts.erase(op.entity);
        const core::FieldValue value{op.value, op.hlc, op.site, op.n};
        if (op.type == "plan")
            m_loaded.erase(cached);
        else if (!cached->second)
            cached->second = Entity{op.entity, op.type, plan, {{op.field, value}}};
        else if (won)
            cached->second->fields[op.field] = value;
    }
    if (outcome == ApplyOutcome::Conflict) {
        m_result.rejected.push_back({op.idString(), "duplicate_id", "an op with this id is stored with other content"});
        m_seen[op.idString()].second = Outcome{false, m_result.rejected.back()};
        return {};
    }
    m_result.accepted.push_back(op.idString());
    m_seen[op.idString()].second = Outcome{true, {}};
    if (outcome != ApplyOutcome::Applied) return {};
    ++m_opsApplied;

    const core::TypeSpec* type = core::findType(op.type);
    const core::FieldSpec* field = type->field(op.field);
    const Json before_value = before.value_or(Json());
    const bool changed = won && before_value != op.value;

    if (plan && core::changesPlanContent(*type, *field)) m_changedPlans.insert(*plan);
    if (op.type == "change_request" && plan) {
        m_approvedChange.erase(*plan);
        if (field->signable) m_changedRequests.insert(op.entity);
        if (op.field == "status" && changed)
            if (auto s = changeRequestStatus(op, *plan, before_value); !s) return s;
    }
    if (op.type == "plan" && !before && std::find(m_newPlans.begin(), m_newPlans.end(), op.entity) == m_newPlans.end())
        m_newPlans.push_back(op.entity);
    if (op.type == "signoff" && m_newSignoffSet.insert(op.entity).second) {
        auto existed = existedBefore(op.entity);
        if (!existed) return existed.error();
        if (*existed)
            m_newSignoffSet.erase(op.entity);
        else
            m_newSignoffs.push_back(op.entity);
    }
    const std::string fromStatus = before_value.is_string() ? before_value.get<std::string>() : "draft";
    if (op.type == "plan" && op.field == "status" && changed && fromStatus != op.value) {
        const std::string& from = fromStatus;
        const std::string to = op.value.get<std::string>();
        const char* action = (from == "approved" && to == "in_progress") ? "publish" : "plan_status";
        if (auto s = m_writer.audit(m_who.member, action, op.entity, Json{{"from", from}, {"to", to}}, op.entity); !s)
            return s;
        if (to == "archived") {
            // Retention runs from the server's clock, which no device can set back.
            if (auto s = m_writer.write(op.entity, "plan", "archived_at", m_writer.now(), op.entity); !s) return s;
        }
        if (to == "in_review") {
            // A new round of review: the approval is pending until every head signs.
            if (auto s = m_writer.write(op.entity, "plan", "approval", "pending", op.entity); !s) return s;
        }
        m_changedPlans.insert(op.entity);
    }
    if (changed && isPermissionField(op.type, op.field)) {
        Json details = {{"type", op.type}, {"field", op.field}, {"value", op.value}};
        if (auto s = m_writer.audit(m_who.member, "permission", op.entity, std::move(details), plan); !s) return s;
    }
    return {};
}

Status Push::run() {
    for (const Op& op : m_request.ops) {
        if (auto refused = m_excluded.find(op.idString()); refused != m_excluded.end()) {
            if (op.field == "plan") m_refusedPlan.emplace(op.entity, refused->second.message);
            continue;
        }
        if (op.field == "plan")
            if (auto plan = core::idFromJson(op.value)) m_planHints.emplace(op.entity, *plan);
        m_overlay[op.entity][op.field] = op.value;
    }
    // A client pushes its ops in order: those past the site's highest stored n are new,
    // and only the others need looking up.
    auto highest = m_replica.highestN(m_request.site);
    if (!highest) return highest.error();
    for (const Op& op : m_request.ops) {
        const std::string id = op.idString();

        // 2. duplicate_id: within this push the first op with an id stands; a stored op
        // with the same content is accepted again and not stored twice.
        bool badSite = op.site != m_request.site || !m_siteOwned;
        if (!badSite) {
            if (auto seen = m_seen.find(id); seen != m_seen.end()) {
                if (seen->second.first->sameContent(op)) {
                    const Outcome& first = seen->second.second;
                    if (first.accepted)
                        m_result.accepted.push_back(id);
                    else
                        m_result.rejected.push_back(first.rejection);
                } else {
                    m_result.rejected.push_back(
                        {id, "duplicate_id", "another op with this id came first in this push"});
                }
                continue;
            }
            auto stored = op.n > *highest ? std::optional<Op>() : m_replica.storedOp(op.site, op.n);
            if (!stored) return stored.error();
            if (*stored) {
                if ((*stored)->sameContent(op)) {
                    m_result.accepted.push_back(id);
                    m_seen[id] = {&op, Outcome{true, {}}};
                } else {
                    m_result.rejected.push_back(
                        {id, "duplicate_id", "an op with this id is stored with other content"});
                    m_seen[id] = {&op, Outcome{false, m_result.rejected.back()}};
                }
                continue;
            }
        }

        std::optional<EntityId> plan;
        std::optional<Json> before;
        auto rejection = check(op, plan, before);
        if (!rejection) return rejection.error();
        if (*rejection) {
            m_result.rejected.push_back(std::move(**rejection));
            if (!badSite) m_seen[id] = {&op, Outcome{false, m_result.rejected.back()}};
            auto existed = existedBefore(op.entity);
            if (!existed) return existed.error();
            if (!*existed) m_refusedNew.emplace(id, m_result.rejected.back());
            continue;
        }
        m_seen[id] = {&op, Outcome{true, {}}};
        std::optional<EntityId> planHint = plan;
        if (op.type == "plan") planHint = op.entity;
        if (auto s = apply(op, planHint, before); !s) return s;
    }
    return {};
}

Status Push::changeRequestStatus(const Op& op, const EntityId& plan, const Json& before) {
    const std::string from = before.is_string() ? before.get<std::string>() : "open";
    const std::string to = op.value.get<std::string>();  // never null: mayWrite refuses it
    if (from == to) return {};
    m_changedRequests.insert(op.entity);
    // Applying is audited in derive(), with the plan's content as this push leaves it.
    if (to == "applied") {
        m_applied.emplace_back(op.entity, plan);
        return {};
    }
    return auditChangeRequestStatus(m_replica, m_writer, m_who.member, op.entity, plan, from, to);
}

Status Push::reconcilePlan(const EntityId& planId) {
    auto planEntity = m_replica.entity(planId);
    if (!planEntity) return planEntity.error();
    if (!*planEntity) return {};
    PlanFacts facts = PlanFacts::fromEntity(**planEntity);
    // The content hash reads every task and milestone of the plan: only when a sign-off
    // or an approval needs it.
    std::optional<std::string> hash;
    auto planHash = [&]() -> core::Result<std::string> {
        if (!hash) {
            auto computed = core::contentHash(m_replica, planId);
            if (!computed) return computed.error();
            hash = std::move(*computed);
        }
        return *hash;
    };

    auto signoffs = m_replica.entities("signoff", planId);
    if (!signoffs) return signoffs.error();
    for (Entity& s : *signoffs) {
        if (s.deleted() || s.get("stale") == true) continue;
        auto subject = core::idFromJson(s.get("subject"));
        const bool isNew = m_newSignoffSet.count(s.id) > 0;
        const char* reason = nullptr;
        if (subject != planId) {
            if (!isNew || !subject) {
                if (isNew) reason = "not_signable";
            } else {
                auto target = m_replica.entity(*subject);
                if (!target) return target.error();
                const bool request = *target && (*target)->type == "change_request" && (*target)->plan == planId;
                if (!request) reason = "not_signable";
            }
            if (!reason) continue;  // change requests are reconciled on their own
            if (auto st = markSignoffStale(m_writer, s, planId, subject.value_or(planId), reason); !st) return st;
            s.fields["stale"].value = true;
            continue;
        }
        auto current = planHash();
        if (!current) return current.error();
        if (s.get("content_hash") != Json(*current))
            reason = "content_changed";
        else if (isNew && facts.status != "in_review")
            reason = "not_in_review";
        if (reason) {
            if (auto st = markSignoffStale(m_writer, s, planId, planId, reason); !st) return st;
            s.fields["stale"].value = true;
        }
    }

    // Approval: every approving department's latest current approve/reject is approve.
    // It is derived in review and until publication only: a published plan changes
    // through approved change requests (audited as change_applied), so edits made under
    // one leave its `approval` as published, though the plan's own sign-offs go stale.
    const std::string status = facts.status.empty() ? "draft" : facts.status;
    if (status != "in_review" && status != "approved") return {};
    const std::map<EntityId, bool> votes = departmentVotes(*signoffs, planId);
    const std::set<EntityId> needed = core::approvingDepartments(facts);
    const bool allApproved = !needed.empty() && std::all_of(needed.begin(), needed.end(), [&](const EntityId& dept) {
        auto vote = votes.find(dept);
        return vote != votes.end() && vote->second;
    });
    const std::string approval = allApproved ? "approved" : "pending";
    if (facts.approval != approval) {
        if (auto s = m_writer.write(planId, "plan", "approval", approval, planId); !s) return s;
    }
    if (status == "in_review" && allApproved) {
        if (auto s = m_writer.write(planId, "plan", "status", "approved", planId); !s) return s;
        auto current = planHash();
        if (!current) return current.error();
        Json details = {{"from", "in_review"}, {"to", "approved"}, {"content_hash", *current}};
        if (auto s = m_writer.audit(std::nullopt, "plan_status", planId, std::move(details), planId); !s) return s;
    }
    return {};
}

Status Push::derive() {
    // The creator of a plan becomes its owner (DESIGN §6) when the push did not say.
    for (const EntityId& plan : m_newPlans) {
        auto owner = m_replica.field(plan, "owner");
        if (!owner) return owner.error();
        if (*owner && !(*owner)->value.is_null()) continue;
        if (auto s = m_writer.write(plan, "plan", "owner", m_who.member.hex(), plan); !s) return s;
        Json details = {{"type", "plan"}, {"field", "owner"}, {"value", m_who.member.hex()}};
        if (auto s = m_writer.audit(std::nullopt, "permission", plan, std::move(details), plan); !s) return s;
    }
    // Every new sign-off enters the audit trail with who signed, when and what it means.
    for (const EntityId& id : m_newSignoffs) {
        auto signoff = m_replica.entity(id);
        if (!signoff) return signoff.error();
        if (!*signoff || !(*signoff)->plan) continue;
        const Entity& s = **signoff;
        std::string signerName;
        if (auto signer = core::idFromJson(s.get("signer"))) {
            auto member = m_replica.entity(*signer);
            if (!member) return member.error();
            if (*member && (*member)->get("display_name").is_string())
                signerName = (*member)->get("display_name").get<std::string>();
        }
        Json details = {{"signoff", id.hex()},
                        {"signer", s.get("signer")},
                        {"signer_name", signerName},
                        {"department", s.get("department")},
                        {"meaning", s.get("meaning")},
                        {"content_hash", s.get("content_hash")},
                        {"signed_at", s.get("signed_at")}};
        auto subject = core::idFromJson(s.get("subject"));
        if (auto st = m_writer.audit(m_who.member, "signoff", subject, std::move(details), s.plan); !st) return st;
        m_changedPlans.insert(*s.plan);
        if (subject && *subject != *s.plan) m_changedRequests.insert(*subject);
    }
    for (const EntityId& plan : m_changedPlans)
        if (auto s = reconcilePlan(plan); !s) return s;
    for (const EntityId& request : m_changedRequests)
        if (auto s = reconcileChangeRequest(m_replica, m_writer, request, m_newSignoffSet); !s) return s;
    for (const auto& [request, plan] : m_applied)
        if (auto s = auditChangeApplied(m_replica, m_writer, m_who.member, request, plan); !s) return s;
    return {};
}

}  // namespace

Status pushOps(SyncApi::Impl& impl, ServerWriter& writer, const Principal& who, const SyncRequest& request,
               bool siteOwned, SyncResult& result) {
    // An entity this push creates is judged as it will stand, with the push's other ops
    // on it: only those that are accepted (DESIGN §5). Which ones those are shows only
    // once the push ran, so a refusal among them runs the push again from a mark, with
    // the refused ops' values out of sight. Refusals only ever add to what is left out,
    // so this ends; it costs a second run only for a push that creates something it
    // may not.
    std::map<std::string, Rejection> excluded;
    for (;;) {
        auto mark = writer.batch().mark();
        if (!mark) return mark.error();
        const ServerWriter::Mark writerMark = writer.mark();
        SyncResult attempt;
        Push push(impl, writer, who, request, siteOwned, excluded, attempt);
        if (auto s = push.run(); !s) return s;
        bool more = false;
        for (const auto& [id, rejection] : push.refusedOnNewEntities()) more |= excluded.emplace(id, rejection).second;
        if (more) {
            if (auto s = (*mark)->rewind(); !s) return s;
            writer.rewind(writerMark);
            continue;
        }
        if (auto s = push.derive(); !s) return s;
        if (auto s = (*mark)->keep(); !s) return s;
        for (Rejection& r : attempt.rejected) {
            // The first run saw the most of the push: where it refused an op for the same
            // reason, its message says more (the second run no longer sees the op's peers).
            if (auto first = excluded.find(r.id); first != excluded.end() && first->second.code == r.code)
                r.message = first->second.message;
            impl.countRejection(r.code);
        }
        {
            std::lock_guard lock(impl.metricsMutex);
            impl.opsApplied += push.opsApplied();
        }
        result.accepted = std::move(attempt.accepted);
        result.rejected = std::move(attempt.rejected);
        return {};
    }
}

}  // namespace tandem::server
