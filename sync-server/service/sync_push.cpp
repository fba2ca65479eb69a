// POST /api/v1/sync: the push (per-op checks in the order of DESIGN §5, one
// transaction), the fields the server derives from it (sign-off staleness, plan
// approval, §7) with their audit entries, and the pull (per-plan read access, §6).

#include <algorithm>

#include "service/service_impl.h"
#include "tandem/core/schema.h"

namespace tandem::server {

using core::ApplyOutcome;
using core::EntityId;
using core::Error;
using core::makeError;
using core::PlanFacts;
using core::Principal;
using core::Status;

// ---- ServerWriter -------------------------------------------------------------------

std::string opContentHash(const Op& op) {
    Json j = {{"type", op.type},
              {"entity", op.entity.hex()},
              {"field", op.field},
              {"value", op.value},
              {"hlc", op.hlc.hex()}};
    auto text = core::canonicalJson(j);
    return core::sha256Hex(text ? *text : j.dump(-1, ' ', false, Json::error_handler_t::replace));
}

Status ServerWriter::load() {
    auto head = m_store.counter("seq");
    if (!head) return head.error();
    m_head = *head;
    return {};
}

Status ServerWriter::index(const Op& op) {
    return m_store.insertOpIndex(op.site, op.n, OpIndexRecord{*op.seq, opContentHash(op)});
}

Status ServerWriter::write(const EntityId& entity, const std::string& type, const std::string& field, Json value,
                           std::optional<EntityId> plan) {
    Op op = m_replica.stampLocal(entity, type, field, std::move(value));
    op.seq = m_head + 1;
    op.author.reset();
    auto outcome = m_batch.apply(op, plan);
    if (!outcome) return outcome.error();
    if (*outcome != ApplyOutcome::Applied) return makeError("internal", "a server op collided with a stored op");
    ++m_head;
    return index(op);
}

Status ServerWriter::storeClientOp(Op op, const EntityId& author, std::optional<EntityId> plan, ApplyOutcome& outcome) {
    op.seq = m_head + 1;
    op.author = author;
    auto applied = m_batch.apply(op, plan);
    if (!applied) return applied.error();
    outcome = *applied;
    if (outcome != ApplyOutcome::Applied) return {};
    ++m_head;
    return index(op);
}

Status ServerWriter::audit(std::optional<EntityId> actor, const std::string& action, std::optional<EntityId> subject,
                           Json details, std::optional<EntityId> plan) {
    auto head = m_store.auditHead();
    if (!head) return head.error();
    StoredAuditEntry stored;
    core::AuditEntry& e = stored.entry;
    e.seq = head->first + 1;
    e.time = m_now;
    if (actor) e.actor = actor->hex();
    e.action = action;
    if (subject) e.subject = subject->hex();
    e.details = std::move(details);
    e.prevHash = head->second;
    auto hash = core::auditEntryHash(e);
    if (!hash) return hash.error();
    e.hash = *hash;
    stored.plan = plan;
    if (auto s = m_store.appendAudit(stored); !s) return s;
    return m_store.setAuditHead(e.seq, e.hash);
}

Status ServerWriter::finish() {
    return m_store.setCounter("seq", m_head);
}

// ---- reads ------------------------------------------------------------------------

core::Result<std::optional<Principal>> SyncApi::Impl::principal(const EntityId& member) {
    auto entity = replica->entity(member);
    if (!entity) return entity.error();
    if (!*entity || (*entity)->type != "member") {
        Principal who;
        who.member = member;
        return std::optional<Principal>(who);
    }
    auto departments = replica->entities("department");
    if (!departments) return departments.error();
    return std::optional<Principal>(core::principalFromMember(**entity, *departments));
}

core::Result<std::vector<PlanFacts>> SyncApi::Impl::allPlans() {
    auto plans = replica->entities("plan");
    if (!plans) return plans.error();
    std::vector<PlanFacts> out;
    out.reserve(plans->size());
    for (const Entity& plan : *plans) out.push_back(PlanFacts::fromEntity(plan));
    return out;
}

namespace {

bool isPermissionField(const std::string& type, const std::string& field) {
    auto starts = [&](const char* prefix) { return field.rfind(prefix, 0) == 0; };
    if (type == "plan") return field == "owner" || field == "lead_department" || starts("participants.");
    if (type == "task") return field == "lead_department" || starts("collaborators.");
    if (type == "member") return field == "department" || starts("roles.");
    if (type == "department") return field == "head";
    return false;
}

/// The facts gathered while one push is checked and applied.
class Push {
public:
    Push(SyncApi::Impl& impl, ServerWriter& writer, const Principal& who, const SyncRequest& request, bool siteOwned,
         SyncResult& result)
        : m_impl(impl),
          m_replica(*impl.replica),
          m_writer(writer),
          m_who(who),
          m_request(request),
          m_siteOwned(siteOwned),
          m_result(result) {}

    Status run();
    Status derive();

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

    /// Checks one op; returns the rejection, or nothing when it may be stored.
    core::Result<std::optional<Rejection>> check(const Op& op, std::optional<EntityId>& planOut,
                                                 std::optional<Entity>& currentOut);
    Status apply(const Op& op, std::optional<EntityId> plan, const std::optional<Entity>& before);
    Status reconcilePlan(const EntityId& plan);
    Status reconcileChangeRequest(const EntityId& request);
    Status markStale(const Entity& signoff, const EntityId& plan, const EntityId& subject, const char* reason);
    core::Result<bool> existedBefore(const EntityId& entity);
    /// An entity as it stands now, read once per push until an op of this push changes it.
    core::Result<std::optional<Entity>> load(const EntityId& entity);

    SyncApi::Impl& m_impl;
    core::Replica& m_replica;
    ServerWriter& m_writer;
    const Principal& m_who;
    const SyncRequest& m_request;
    bool m_siteOwned;
    SyncResult& m_result;

    std::map<EntityId, bool> m_existed;                             // stored before this push
    std::map<EntityId, std::optional<Entity>> m_loaded;             // see load()
    std::map<EntityId, EntityId> m_planHints;                       // first `plan` op per entity
    std::map<EntityId, std::map<std::string, Json>> m_overlay;      // this push's values per entity
    std::map<std::string, std::pair<std::string, Outcome>> m_seen;  // op id → (content hash, outcome)

    std::set<EntityId> m_changedPlans;     // signable content edited, or status changed
    std::set<EntityId> m_changedRequests;  // change requests edited
    std::vector<EntityId> m_newSignoffs;   // in push order
    std::set<EntityId> m_newSignoffSet;
    std::vector<EntityId> m_newPlans;  // plans created by this push
};

core::Result<std::optional<Entity>> Push::load(const EntityId& entity) {
    // A push checks every op against its plan and entity; reading them from SQLite for
    // each op (a plan has ~30 fields) dominated the cost of a push.
    auto it = m_loaded.find(entity);
    if (it != m_loaded.end()) return it->second;
    auto stored = m_replica.entity(entity);
    if (!stored) return stored.error();
    return m_loaded.emplace(entity, std::move(*stored)).first->second;
}

core::Result<bool> Push::existedBefore(const EntityId& entity) {
    auto it = m_existed.find(entity);
    if (it != m_existed.end()) return it->second;
    auto stored = load(entity);
    if (!stored) return stored.error();
    const bool exists = stored->has_value();
    m_existed.emplace(entity, exists);
    return exists;
}

core::Result<std::optional<Rejection>> Push::check(const Op& op, std::optional<EntityId>& planOut,
                                                   std::optional<Entity>& currentOut) {
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
    auto current = load(op.entity);
    if (!current) return current.error();
    if (*current && (*current)->type != op.type)
        return reject("unknown_entity", "entity " + op.entity.hex() + " is a " + (*current)->type);
    std::optional<EntityId> planId;
    std::optional<Entity> planEntity;
    if (type->name == "plan") {
        planId = op.entity;
    } else if (type->planScoped) {
        if (*current && (*current)->plan)
            planId = (*current)->plan;
        else if (op.field == "plan")
            planId = core::idFromJson(op.value);
        else if (auto hint = m_planHints.find(op.entity); hint != m_planHints.end())
            planId = hint->second;
        if (!planId) return reject("unknown_entity", "a " + op.type + " needs its plan field in the same push");
        auto plan = load(*planId);
        if (!plan) return plan.error();
        if (!*plan || (*plan)->type != "plan")
            return reject("unknown_entity", "plan " + planId->hex() + " does not exist");
        planEntity = std::move(**plan);
    }

    // 8. forbidden
    auto existed = existedBefore(op.entity);
    if (!existed) return existed.error();
    core::WriteFacts w;
    w.type = type;
    w.field = field;
    w.fieldName = op.field;
    w.value = op.value;
    w.entityExists = *existed;
    if (*current) {
        w.entity = **current;
    } else {
        w.entity.id = op.entity;
        w.entity.type = op.type;
        w.entity.plan = planId;
    }
    if (!*existed) {
        // An entity being created is judged as it will stand after this push.
        for (const auto& [name, value] : m_overlay[op.entity]) w.entity.fields[name].value = value;
    }
    if (type->name == "plan") {
        PlanFacts facts = PlanFacts::fromEntity(w.entity);
        facts.exists = *existed;
        w.plan = facts;
    } else if (planEntity) {
        w.plan = PlanFacts::fromEntity(*planEntity);
    }
    if (type->name == "task") {
        w.task = core::TaskFacts::fromEntity(w.entity);
    } else if (auto taskId = core::idFromJson(w.entity.get("task"))) {
        auto task = load(*taskId);
        if (!task) return task.error();
        if (*task && (*task)->type == "task" && (*task)->plan == planId) w.task = core::TaskFacts::fromEntity(**task);
    }
    core::Decision decision = core::mayWrite(m_who, w);
    if (!decision.allowed) return reject("forbidden", decision.message);

    // 9. immutable
    if (*current) {
        const Entity& stored = **current;
        if (field->fieldClass == core::FieldClass::Scope && stored.plan && core::idFromJson(op.value) != stored.plan)
            return reject("immutable", "an entity's plan never changes");
        if (type->appendOnly) {
            auto it = stored.fields.find(op.field);
            const bool same = it != stored.fields.end() && it->second.value == op.value;
            if (*existed && !same) return reject("immutable", "a " + op.type + " is written once and never edited");
            if (!*existed && it != stored.fields.end() && !same)
                return reject("immutable", "a " + op.type + " is written once and never edited");
        }
    }
    planOut = planId;
    currentOut = std::move(*current);
    return std::optional<Rejection>{};
}

Status Push::apply(const Op& op, std::optional<EntityId> plan, const std::optional<Entity>& before) {
    m_loaded.erase(op.entity);
    ApplyOutcome outcome = ApplyOutcome::Applied;
    if (auto s = m_writer.storeClientOp(op, m_who.member, plan, outcome); !s) return s;
    if (outcome == ApplyOutcome::Conflict) {
        m_result.rejected.push_back({op.idString(), "duplicate_id", "an op with this id is stored with other content"});
        m_seen[op.idString()].second = Outcome{false, m_result.rejected.back()};
        m_impl.countRejection("duplicate_id");
        return {};
    }
    m_result.accepted.push_back(op.idString());
    m_seen[op.idString()].second = Outcome{true, {}};
    if (outcome != ApplyOutcome::Applied) return {};
    {
        std::lock_guard lock(m_impl.metricsMutex);
        ++m_impl.opsApplied;
    }

    const core::TypeSpec* type = core::findType(op.type);
    const core::FieldSpec* field = type->field(op.field);
    const Json before_value = before ? before->get(op.field) : Json();
    auto now = m_replica.field(op.entity, op.field);
    if (!now) return now.error();
    const bool won = *now && (*now)->value == op.value && (*now)->site == op.site && (*now)->n == op.n;
    const bool changed = won && before_value != op.value;

    if (plan && field->signable && (op.type == "plan" || op.type == "task" || op.type == "milestone"))
        m_changedPlans.insert(*plan);
    if (op.type == "change_request" && field->signable) m_changedRequests.insert(op.entity);
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
        if (op.field == "plan")
            if (auto plan = core::idFromJson(op.value)) m_planHints.emplace(op.entity, *plan);
        m_overlay[op.entity][op.field] = op.value;
    }
    for (const Op& op : m_request.ops) {
        const std::string id = op.idString();
        const std::string hash = opContentHash(op);

        // 2. duplicate_id: within this push the first op with an id stands; a stored op
        // with the same content is accepted again and not stored twice.
        bool badSite = op.site != m_request.site || !m_siteOwned;
        if (!badSite) {
            if (auto seen = m_seen.find(id); seen != m_seen.end()) {
                if (seen->second.first == hash) {
                    const Outcome& first = seen->second.second;
                    if (first.accepted)
                        m_result.accepted.push_back(id);
                    else {
                        m_result.rejected.push_back(first.rejection);
                        m_impl.countRejection(first.rejection.code);
                    }
                } else {
                    m_result.rejected.push_back(
                        {id, "duplicate_id", "another op with this id came first in this push"});
                    m_impl.countRejection("duplicate_id");
                }
                continue;
            }
            auto stored = m_impl.store->opIndex(op.site, op.n);
            if (!stored) return stored.error();
            if (*stored) {
                if ((*stored)->contentHash == hash) {
                    m_result.accepted.push_back(id);
                    m_seen[id] = {hash, Outcome{true, {}}};
                } else {
                    m_result.rejected.push_back(
                        {id, "duplicate_id", "an op with this id is stored with other content"});
                    m_seen[id] = {hash, Outcome{false, m_result.rejected.back()}};
                    m_impl.countRejection("duplicate_id");
                }
                continue;
            }
        }

        std::optional<EntityId> plan;
        std::optional<Entity> before;
        auto rejection = check(op, plan, before);
        if (!rejection) return rejection.error();
        if (*rejection) {
            m_impl.countRejection((*rejection)->code);
            m_result.rejected.push_back(std::move(**rejection));
            if (!badSite) m_seen[id] = {hash, Outcome{false, m_result.rejected.back()}};
            continue;
        }
        m_seen[id] = {hash, Outcome{true, {}}};
        std::optional<EntityId> planHint = plan;
        if (op.type == "plan") planHint = op.entity;
        if (auto s = apply(op, planHint, before); !s) return s;
    }
    return {};
}

Status Push::markStale(const Entity& signoff, const EntityId& plan, const EntityId& subject, const char* reason) {
    if (auto s = m_writer.write(signoff.id, "signoff", "stale", true, plan); !s) return s;
    Json details = {{"signoff", signoff.id.hex()},
                    {"department", signoff.get("department")},
                    {"signer", signoff.get("signer")},
                    {"meaning", signoff.get("meaning")},
                    {"reason", reason}};
    return m_writer.audit(std::nullopt, "signoff_stale", subject, std::move(details), plan);
}

Status Push::reconcilePlan(const EntityId& planId) {
    auto planEntity = m_replica.entity(planId);
    if (!planEntity) return planEntity.error();
    if (!*planEntity) return {};
    PlanFacts facts = PlanFacts::fromEntity(**planEntity);
    auto hash = m_replica.contentHash(planId);
    if (!hash) return hash.error();

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
            if (auto st = markStale(s, planId, subject.value_or(planId), reason); !st) return st;
            s.fields["stale"].value = true;
            continue;
        }
        if (s.get("content_hash") != Json(*hash))
            reason = "content_changed";
        else if (isNew && facts.status != "in_review")
            reason = "not_in_review";
        if (reason) {
            if (auto st = markStale(s, planId, planId, reason); !st) return st;
            s.fields["stale"].value = true;
        }
    }

    // Approval: every approving department's latest current approve/reject is approve.
    std::map<EntityId, std::pair<std::pair<std::int64_t, std::uint64_t>, bool>> latest;
    for (const Entity& s : *signoffs) {
        if (s.deleted() || s.get("stale") == true || core::idFromJson(s.get("subject")) != planId) continue;
        const Json& meaning = s.get("meaning");
        if (meaning != "approve" && meaning != "reject") continue;
        auto dept = core::idFromJson(s.get("department"));
        if (!dept) continue;
        const Json& at = s.get("signed_at");
        auto mf = s.fields.find("meaning");
        std::pair<std::int64_t, std::uint64_t> key{at.is_number_integer() ? at.get<std::int64_t>() : 0,
                                                   mf->second.hlc.value};
        auto it = latest.find(*dept);
        if (it == latest.end() || it->second.first < key) latest[*dept] = {key, meaning == "approve"};
    }
    const std::set<EntityId> needed = core::approvingDepartments(facts);
    bool allApproved = !needed.empty();
    for (const EntityId& dept : needed) {
        auto it = latest.find(dept);
        if (it == latest.end() || !it->second.second) allApproved = false;
    }

    const std::string status = facts.status.empty() ? "draft" : facts.status;
    if (status == "draft") return {};
    const std::string approval = allApproved ? "approved" : "pending";
    if (facts.approval != approval) {
        if (auto s = m_writer.write(planId, "plan", "approval", approval, planId); !s) return s;
    }
    if (status == "in_review" && allApproved) {
        if (auto s = m_writer.write(planId, "plan", "status", "approved", planId); !s) return s;
        Json details = {{"from", "in_review"}, {"to", "approved"}, {"content_hash", *hash}};
        if (auto s = m_writer.audit(std::nullopt, "plan_status", planId, std::move(details), planId); !s) return s;
    }
    return {};
}

Status Push::reconcileChangeRequest(const EntityId& requestId) {
    auto request = m_replica.entity(requestId);
    if (!request) return request.error();
    if (!*request || !(*request)->plan) return {};
    const EntityId planId = *(*request)->plan;
    auto hash = m_replica.contentHash(requestId);
    if (!hash) return hash.error();
    auto signoffs = m_replica.entities("signoff", planId);
    if (!signoffs) return signoffs.error();
    for (const Entity& s : *signoffs) {
        if (s.deleted() || s.get("stale") == true || core::idFromJson(s.get("subject")) != requestId) continue;
        if (s.get("content_hash") != Json(*hash))
            if (auto st = markStale(s, planId, requestId, "content_changed"); !st) return st;
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
        if (auto s = reconcileChangeRequest(request); !s) return s;
    return {};
}

}  // namespace

// ---- sync ---------------------------------------------------------------------------

core::Result<SyncResult> SyncApi::Impl::sync(const EntityId& member, const SyncRequest& request) {
    SyncResult result;
    auto who = principal(member);
    if (!who) return who.error();
    const Principal& principal = **who;
    const std::int64_t nowMs = now();

    auto batch = replica->begin();
    if (!batch) return batch.error();
    ServerWriter writer(*replica, *store, *batch, nowMs);
    if (auto s = writer.load(); !s) return s.error();
    const std::int64_t headBefore = writer.head();

    auto siteRecord = store->site(request.site);
    if (!siteRecord) return siteRecord.error();
    SiteRecord site = siteRecord->value_or(SiteRecord{});
    site.site = request.site;
    if (!request.ops.empty() && !site.member && request.site != core::kServerSite) site.member = member;
    const bool siteOwned = request.site != core::kServerSite && site.member && *site.member == member;

    // ---- push
    if (!request.ops.empty()) {
        Push push(*this, writer, principal, request, siteOwned, result);
        if (auto s = push.run(); !s) return s.error();
        if (auto s = push.derive(); !s) return s.error();
    }
    if (auto s = writer.finish(); !s) return s.error();

    // ---- pull: read access per plan, newly readable plans delivered whole, lost ones revoked
    auto plans = allPlans();
    if (!plans) return plans.error();
    auto access = store->siteAccess(request.site);
    if (!access) return access.error();
    std::set<EntityId> readable;
    for (const PlanFacts& plan : *plans) {
        const bool may = core::mayReadPlan(principal, plan);
        auto row = access->find(plan.id);
        if (may) {
            readable.insert(plan.id);
            if (row == access->end() || !row->second.readable) {
                SiteAccess granted{true, request.cursor, 0};
                if (auto s = store->setSiteAccess(request.site, plan.id, granted); !s) return s.error();
                (*access)[plan.id] = granted;
            }
        } else if (row != access->end() && row->second.readable) {
            SiteAccess lost{false, 0, 0};
            if (auto s = store->setSiteAccess(request.site, plan.id, lost); !s) return s.error();
            row->second = lost;
            result.revoked.push_back(plan.id);
        }
    }

    std::size_t remaining = request.limit;
    for (auto& [planId, a] : *access) {
        if (!a.readable || a.backfillDone >= a.backfillUpto) continue;
        if (remaining == 0) {
            result.more = true;
            break;
        }
        const EntityId id = planId;
        auto ops = replica->opsAfterSeq(a.backfillDone, remaining,
                                        [&id](const std::optional<EntityId>& p) { return p && *p == id; });
        if (!ops) return ops.error();
        const std::size_t asked = remaining;
        bool complete = ops->size() < asked;
        for (Op& op : *ops) {
            if (*op.seq > a.backfillUpto) {
                complete = true;
                break;
            }
            a.backfillDone = *op.seq;
            result.ops.push_back(std::move(op));
            --remaining;
        }
        if (complete) a.backfillDone = a.backfillUpto;
        if (a.backfillDone < a.backfillUpto) result.more = true;
        if (auto s = store->setSiteAccess(request.site, planId, a); !s) return s.error();
    }

    result.cursor = request.cursor;
    if (remaining > 0) {
        auto ops = replica->opsAfterSeq(request.cursor, remaining + 1, [&readable](const std::optional<EntityId>& p) {
            return !p || readable.count(*p) > 0;
        });
        if (!ops) return ops.error();
        if (ops->size() > remaining) {
            result.more = true;
            ops->resize(remaining);
        }
        // No op to send: everything up to the head is either sent or not for this caller.
        result.cursor = ops->empty() ? writer.head() : *ops->back().seq;
        for (Op& op : *ops) result.ops.push_back(std::move(op));
    } else {
        result.more = true;
    }

    // ---- freshness
    site.lastMember = member;
    site.lastSync = nowMs;
    if (!request.ops.empty()) site.lastPush = nowMs;
    if (auto s = store->upsertSite(site); !s) return s.error();

    if (auto s = batch->commit(); !s) return s.error();
    result.advanced = writer.head() != headBefore;
    head.store(writer.head());
    return result;
}

void SyncApi::Impl::countRejection(const std::string& code) {
    std::lock_guard lock(metricsMutex);
    ++rejections[code];
}

void SyncApi::Impl::notify(std::int64_t cursor) {
    std::vector<std::function<void(std::int64_t)>> copy;
    {
        std::lock_guard lock(listenerMutex);
        copy = listeners;
    }
    for (auto& listener : copy) listener(cursor);
}

}  // namespace tandem::server
