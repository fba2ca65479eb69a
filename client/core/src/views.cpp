#include "tandem/client/views.h"

#include <algorithm>
#include <functional>
#include <set>
#include <tuple>

#include "tandem/client/local_permissions.h"
#include "tandem/client/queries.h"
#include "tandem/core/canonical_json.h"
#include "tandem/core/schema.h"
#include "tandem/core/signable.h"

namespace tandem::client {

using core::Decision;
using core::Entity;
using core::EntityId;
using core::Json;
using core::PlanFacts;
using core::PlanSnapshot;
using core::Principal;
using core::Rag;
using core::Warning;

namespace {

constexpr const char* kDismissedKey = "app.dismissed_conflicts";

std::string text(const Entity& e, const std::string& field) {
    const Json& v = e.get(field);
    return v.is_string() ? v.get<std::string>() : std::string();
}

std::string labelOf(const Entity& e) {
    for (const char* field : {"name", "title", "description", "purpose"})
        if (auto t = text(e, field); !t.empty()) return t;
    return e.type;
}

bool taskDone(const Entity& task) {
    return text(task, "status") == "done" || !task.get("actual_finish").is_null();
}

Rag worst(const std::vector<Warning>& warnings) {
    Rag rag = Rag::Green;
    for (const Warning& w : warnings) rag = std::max(rag, w.severity);
    return rag;
}

bool routedTo(const Warning& w, const EntityId& member) {
    return std::find(w.routedTo.begin(), w.routedTo.end(), member) != w.routedTo.end();
}

/// The warnings about `subject`, in evaluateRules' order (red first).
/// The warnings by their subject, each subject's in their order: one pass, where
/// looking each task's up in the whole list was quadratic in a plan's size.
using WarningsBySubject = std::map<EntityId, std::vector<Warning>>;
WarningsBySubject bySubject(const std::vector<Warning>& warnings) {
    WarningsBySubject out;
    for (const Warning& w : warnings) out[w.subject].push_back(w);
    return out;
}

std::vector<Warning> about(const WarningsBySubject& warnings, const EntityId& subject) {
    auto it = warnings.find(subject);
    return it == warnings.end() ? std::vector<Warning>{} : it->second;
}

/// Judges one field write with the server's rules (DESIGN §6), on facts built by the one
/// builder (core::buildWriteFacts) from the replica. `entity` is the entity as it will
/// stand. Allowed when the replica cannot judge it (the server decides).
core::Result<Decision> judge(ReplicaFacts& facts, const Principal& me, const Entity& entity, bool exists,
                             const std::string& field, const Json& value, std::int64_t nowMs) {
    auto built = core::buildWriteFacts(facts, {entity, exists, field, value, nowMs, core::kMinRetentionDays});
    if (!built) return built.error();
    if (!*built) return Decision{true, {}};
    return core::mayWrite(me, **built);
}

Entity draft(const std::string& type, const EntityId& plan, std::vector<std::pair<std::string, Json>> fields) {
    Entity e;
    e.type = type;
    e.plan = plan;
    e.fields["plan"].value = plan.hex();
    for (auto& [name, value] : fields) e.fields[name].value = std::move(value);
    return e;
}

/// May `me` log progress on `task`: a new entry, and the task's percent?
core::Result<Decision> mayLogProgress(ReplicaFacts& facts, const Principal& me, const PlanSnapshot& plan,
                                      const Entity& task, std::int64_t nowMs) {
    const Json percent = task.get("percent").is_number_integer() ? task.get("percent") : Json(0);
    Entity entry =
        draft("progress_entry", plan.plan.id,
              {{"task", task.id.hex()}, {"author", me.member.hex()}, {"percent", percent}, {"reported_at", nowMs}});
    auto d = judge(facts, me, entry, false, "percent", percent, nowMs);
    if (!d || !d->allowed) return d;
    return judge(facts, me, task, true, "percent", percent, nowMs);
}

std::set<EntityId> myDepartments(const Principal& me) {
    std::set<EntityId> out = me.headOf;
    if (me.department) out.insert(*me.department);
    return out;
}

/// `entity` as it stood at `at` on this replica: each field's best write with an hlc not
/// after it. Fields first written later are left out.
core::Result<Entity> asOf(core::Replica& replica, const Entity& entity, core::Hlc at) {
    Entity then = entity;
    std::set<std::string> later;
    for (auto& [name, value] : then.fields)
        if (value.hlc > at) later.insert(name);
    if (later.empty()) return then;
    for (const std::string& name : later) then.fields.erase(name);
    auto overwritten = replica.overwritten(entity.id);
    if (!overwritten) return overwritten.error();
    for (const core::Overwrite& o : *overwritten) {
        if (!later.count(o.lost.field) || o.lost.hlc > at) continue;
        auto it = then.fields.find(o.lost.field);
        if (it != then.fields.end()) {
            core::Op kept;
            kept.site = it->second.site;
            kept.n = it->second.n;
            kept.hlc = it->second.hlc;
            if (core::writeWins(kept, o.lost)) continue;
        }
        then.fields[o.lost.field] = core::FieldValue{o.lost.value, o.lost.hlc, o.lost.site, o.lost.n};
    }
    return then;
}

/// The replica as it stood at `at` (core::EntityReader): each entity as asOf makes it,
/// those first written later left out. What the signable content was when a sign-off
/// was written is then core::signableContent over it, the rule the signer's hash used.
class AsOfReader final : public core::EntityReader {
public:
    AsOfReader(core::Replica& replica, core::Hlc at) : m_replica(replica), m_at(at) {}

    core::Result<std::optional<Entity>> entity(const EntityId& id) override {
        auto now = m_replica.entity(id);
        if (!now) return now.error();
        if (!*now) return std::optional<Entity>{};
        auto then = asOf(m_replica, **now, m_at);
        if (!then) return then.error();
        if (then->fields.empty()) return std::optional<Entity>{};  // created later
        return std::optional<Entity>(std::move(*then));
    }
    core::Result<std::vector<Entity>> entities(const std::string& type, std::optional<EntityId> plan) override {
        auto now = m_replica.entities(type, plan);
        if (!now) return now.error();
        std::vector<Entity> out;
        for (const Entity& e : *now) {
            auto then = asOf(m_replica, e, m_at);
            if (!then) return then.error();
            if (!then->fields.empty()) out.push_back(std::move(*then));
        }
        return out;
    }

private:
    core::Replica& m_replica;
    core::Hlc m_at;
};

void diffFields(const std::string& kind, const EntityId& id, const std::string& name, const Json& before,
                const Json& after, std::vector<SignedChange>& out) {
    std::set<std::string> keys;
    if (before.is_object())
        for (const auto& [k, v] : before.items()) keys.insert(k);
    if (after.is_object())
        for (const auto& [k, v] : after.items()) keys.insert(k);
    for (const std::string& k : keys) {
        const Json b = before.is_object() && before.contains(k) ? before[k] : Json();
        const Json a = after.is_object() && after.contains(k) ? after[k] : Json();
        if (b != a) out.push_back(SignedChange{kind, id, name, k, b, a});
    }
}

/// What changed in `subject`'s signable content since `signoff` was written.
core::Status changesSince(core::Replica& replica, const PlanSnapshot& plan, const Entity& subject,
                          const Entity& signoff, ApprovalItem& item) {
    auto signedAt = signoff.fields.find("content_hash");
    if (signedAt == signoff.fields.end()) return {};
    const core::Hlc at = signedAt->second.hlc;
    // Deleted entities are part of the history: a task deleted since was there then.
    std::vector<Entity> allTasks, allMilestones;
    if (subject.type == "plan") {
        for (const char* type : {"task", "milestone"}) {
            auto rows = replica.entities(type, plan.plan.id);
            if (!rows) return rows.error();
            (std::string(type) == "task" ? allTasks : allMilestones) = std::move(*rows);
        }
    }
    AsOfReader then(replica, at);
    auto before = core::signableContent(then, subject.id);
    if (!before) return before.error();
    auto after = core::signableContent(replica, subject.id);
    if (!after) return after.error();
    if (auto canonical = core::canonicalJson(*before))
        item.changesExact = core::sha256Hex(*canonical) == text(signoff, "content_hash");

    if (subject.type == "change_request") {
        diffFields("change_request", subject.id, labelOf(subject), (*before)["change_request"],
                   (*after)["change_request"], item.changes);
        return {};
    }
    diffFields("plan", subject.id, labelOf(subject), (*before)["plan"], (*after)["plan"], item.changes);
    for (const auto& [kind, group, entities] :
         {std::tuple{"task", "tasks", &allTasks}, std::tuple{"milestone", "milestones", &allMilestones}}) {
        for (const Entity& e : *entities) {
            const std::string key = e.id.hex();
            const Json b = before->contains(group) && (*before)[group].contains(key) ? (*before)[group][key] : Json();
            const Json a = after->contains(group) && (*after)[group].contains(key) ? (*after)[group][key] : Json();
            if (b != a) diffFields(kind, e.id, labelOf(e), b, a, item.changes);
        }
    }
    return {};
}

/// When an entity was first written (the smallest HLC of its fields).
core::Hlc writtenAt(const Entity& e) {
    core::Hlc first{UINT64_MAX};
    for (const auto& [name, value] : e.fields) first = std::min(first, value.hlc);
    return first;
}

core::Result<std::vector<EntityId>> livePlans(core::Replica& replica) {
    auto plans = replica.entities("plan");
    if (!plans) return plans.error();
    std::vector<EntityId> out;
    for (const Entity& p : *plans)
        if (!p.deleted()) out.push_back(p.id);
    return out;
}

core::Result<std::set<std::string>> dismissed(core::Replica& replica) {
    auto stored = replica.meta(kDismissedKey);
    if (!stored) return stored.error();
    std::set<std::string> out;
    if (!*stored) return out;
    auto json = core::parseJson(**stored);
    if (json && json->is_array())
        for (const Json& id : *json)
            if (id.is_string()) out.insert(id.get<std::string>());
    return out;
}

/// WBS order: roots (no parent in the plan) and then each task's children, by sort_key
/// (numerically when both are numbers), then name, then id.
void orderTasks(const PlanSnapshot& plan, std::vector<PlanTask>& out) {
    std::map<std::optional<EntityId>, std::vector<const Entity*>> children;
    std::set<EntityId> ids;
    for (const Entity& t : plan.tasks) ids.insert(t.id);
    for (const Entity& t : plan.tasks) {
        auto parent = core::idFromJson(t.get("parent"));
        if (parent && (!ids.count(*parent) || *parent == t.id)) parent.reset();
        children[parent].push_back(&t);
    }
    auto before = [](const Entity* a, const Entity* b) {
        const std::string ka = text(*a, "sort_key"), kb = text(*b, "sort_key");
        const bool na = !ka.empty() && ka.find_first_not_of("0123456789") == std::string::npos && ka.size() < 18;
        const bool nb = !kb.empty() && kb.find_first_not_of("0123456789") == std::string::npos && kb.size() < 18;
        if (na && nb && ka != kb) return std::stoll(ka) < std::stoll(kb);
        if (ka != kb) return ka < kb;
        if (labelOf(*a) != labelOf(*b)) return labelOf(*a) < labelOf(*b);
        return a->id < b->id;
    };
    std::set<EntityId> placed;
    std::function<void(const std::optional<EntityId>&, const std::string&, int)> walk =
        [&](const std::optional<EntityId>& parent, const std::string& prefix, int depth) {
            auto it = children.find(parent);
            if (it == children.end()) return;
            std::vector<const Entity*> level = it->second;
            std::sort(level.begin(), level.end(), before);
            int n = 0;
            for (const Entity* t : level) {
                if (!placed.insert(t->id).second) continue;  // a cycle of parents
                PlanTask row;
                row.task = t;
                row.wbs = prefix + std::to_string(++n);
                row.depth = depth;
                out.push_back(std::move(row));
                walk(t->id, out.back().wbs + ".", depth + 1);
            }
        };
    walk(std::nullopt, "", 0);
    // Tasks caught in a cycle of parents have no root: they go last, flat.
    for (const Entity& t : plan.tasks)
        if (!placed.count(t.id)) {
            PlanTask row;
            row.task = &t;
            row.wbs = "?";
            out.push_back(std::move(row));
        }
}

}  // namespace

core::Result<std::optional<Principal>> currentPrincipal(Context& ctx) {
    if (!ctx.session()) return std::optional<Principal>{};
    auto member = EntityId::parse(ctx.session()->member);
    if (!member) return std::optional<Principal>{};
    return principalOf(ctx.replica(), *member);
}

core::Result<MyWork> myWork(Context& ctx, const core::RuleContext& rules, int horizonWorkingDays) {
    MyWork work;
    auto me = currentPrincipal(ctx);
    if (!me) return me.error();
    if (!*me) return work;
    const Principal& who = **me;
    const std::set<EntityId> mine = myDepartments(who);
    auto plans = livePlans(ctx.replica());
    if (!plans) return plans.error();
    const core::CalendarDate today = rules.today();
    const core::CalendarDate horizon = rules.calendar.addWorkingDays(today, horizonWorkingDays);
    for (const EntityId& planId : *plans) {
        auto snapshot = PlanSnapshot::load(ctx.replica(), planId, PlanSnapshot::Scope::Rules);
        if (!snapshot) return snapshot.error();
        const std::string status = text(snapshot->plan, "status");
        if (status != "approved" && status != "in_progress") continue;
        const WarningsBySubject warnings = bySubject(core::evaluateRules(*snapshot, rules));
        ReplicaFacts facts(ctx.replica(), *snapshot);
        const std::string title = text(snapshot->plan, "title");
        for (const Entity& task : snapshot->tasks) {
            if (taskDone(task)) continue;
            auto due = core::parseDate(text(task, "due"));
            if (!due || *due > horizon) continue;
            std::vector<Warning> its = about(warnings, task.id);
            const bool owned = core::idFromJson(task.get("owner")) == who.member;
            const auto lead = core::idFromJson(task.get("lead_department"));
            const bool headed = lead && who.headOf.count(*lead);
            const bool routed =
                std::any_of(its.begin(), its.end(), [&](const Warning& w) { return routedTo(w, who.member); });
            if (!owned && !headed && !routed) continue;
            WorkTask row;
            row.task = task;
            row.plan = planId;
            row.planTitle = title;
            row.rag = worst(its);
            row.warnings = std::move(its);
            row.workingDaysLeft = rules.calendar.workingDaysBetween(today, *due);
            auto mayLog = mayLogProgress(facts, who, *snapshot, task, rules.nowMs);
            if (!mayLog) return mayLog.error();
            row.mayLog = std::move(*mayLog);
            work.tasks.push_back(std::move(row));
        }
        auto waiting = [&](const Entity& e, bool ours) {
            std::vector<Warning> its = about(warnings, e.id);
            const bool routed =
                std::any_of(its.begin(), its.end(), [&](const Warning& w) { return routedTo(w, who.member); });
            if (!ours && !routed) return;
            WaitingItem item;
            item.entity = e;
            item.plan = planId;
            item.planTitle = title;
            item.rag = worst(its);
            item.warnings = std::move(its);
            work.waiting.push_back(std::move(item));
        };
        for (const Entity& problem : snapshot->problems) {
            if (text(problem, "status") == "resolved") continue;
            const auto owner = core::idFromJson(problem.get("owner_department"));
            waiting(problem, owner && mine.count(*owner));
        }
        for (const Entity& request : snapshot->resourceRequests) {
            const std::string s = text(request, "status");
            if (!s.empty() && s != "open") continue;
            const auto provider = core::idFromJson(request.get("provider"));
            waiting(request, provider && mine.count(*provider));
        }
    }
    std::stable_sort(work.tasks.begin(), work.tasks.end(), [](const WorkTask& a, const WorkTask& b) {
        if (a.workingDaysLeft != b.workingDaysLeft) return a.workingDaysLeft < b.workingDaysLeft;
        return text(a.task, "due") < text(b.task, "due");
    });
    std::stable_sort(work.waiting.begin(), work.waiting.end(), [](const WaitingItem& a, const WaitingItem& b) {
        if (a.rag != b.rag) return a.rag > b.rag;
        const std::int64_t sa = a.warnings.empty() ? INT64_MAX : a.warnings.front().sinceMs;
        const std::int64_t sb = b.warnings.empty() ? INT64_MAX : b.warnings.front().sinceMs;
        return sa < sb;
    });
    return work;
}

core::Result<PlanDetail> planDetail(Context& ctx, const EntityId& plan, const core::RuleContext& rules) {
    PlanDetail view;
    auto snapshot = PlanSnapshot::load(ctx.replica(), plan);
    if (!snapshot) return snapshot.error();
    view.snapshot = std::move(*snapshot);
    view.warnings = core::evaluateRules(view.snapshot, rules);
    view.rag = core::planRag(view.snapshot, view.warnings);
    orderTasks(view.snapshot, view.tasks);
    auto me = currentPrincipal(ctx);
    if (!me) return me.error();
    ReplicaFacts facts(ctx.replica(), view.snapshot);
    const WarningsBySubject warnings = bySubject(view.warnings);
    for (PlanTask& row : view.tasks) {
        row.warnings = about(warnings, row.task->id);
        row.rag = worst(row.warnings);
        if (!*me) {
            row.mayUpdate = Decision{false, "sign in to report on tasks"};
            continue;
        }
        auto mayUpdate = mayLogProgress(facts, **me, view.snapshot, *row.task, rules.nowMs);
        if (!mayUpdate) return mayUpdate.error();
        row.mayUpdate = std::move(*mayUpdate);
    }
    view.myRole = planRole(*me, view.snapshot.plan);
    return view;
}

core::Result<std::vector<ApprovalItem>> approvals(Context& ctx, const core::RuleContext& rules) {
    std::vector<ApprovalItem> out;
    auto me = currentPrincipal(ctx);
    if (!me) return me.error();
    if (!*me || (**me).headOf.empty()) return out;
    const Principal& who = **me;
    ReplicaFacts facts(ctx.replica());
    auto plans = livePlans(ctx.replica());
    if (!plans) return plans.error();
    for (const EntityId& planId : *plans) {
        auto snapshot = PlanSnapshot::load(ctx.replica(), planId, PlanSnapshot::Scope::Rules);
        if (!snapshot) return snapshot.error();
        const PlanFacts planFacts = PlanFacts::fromEntity(snapshot->plan);
        std::vector<const Entity*> subjects;
        if (planFacts.status == "in_review") subjects.push_back(&snapshot->plan);
        for (const Entity& request : snapshot->changeRequests)
            if (text(request, "status") == "in_review") subjects.push_back(&request);
        for (const Entity* subject : subjects) {
            for (const EntityId& dept : core::approvingDepartments(planFacts)) {
                if (!who.headOf.count(dept)) continue;
                // That department's latest sign-off on the subject (by when it was written).
                const Entity* latest = nullptr;
                for (const Entity& s : snapshot->signoffs) {
                    if (core::idFromJson(s.get("subject")) != subject->id ||
                        core::idFromJson(s.get("department")) != dept)
                        continue;
                    if (!latest || writtenAt(*latest) < writtenAt(s)) latest = &s;
                }
                const bool stale = latest && latest->get("stale") == true;
                if (latest && !stale) continue;
                ApprovalItem item;
                item.subject = *subject;
                item.plan = planId;
                item.planTitle = text(snapshot->plan, "title");
                item.department = dept;
                item.stale = stale;
                if (latest) {
                    item.mySignoff = *latest;
                    if (stale)
                        if (auto s = changesSince(ctx.replica(), *snapshot, *subject, *latest, item); !s)
                            return s.error();
                }
                Entity signoff = draft("signoff", planId,
                                       {{"subject", subject->id.hex()},
                                        {"signer", who.member.hex()},
                                        {"department", dept.hex()},
                                        {"meaning", "acknowledge"},
                                        {"content_hash", std::string(64, '0')},
                                        {"signed_at", rules.nowMs}});
                auto maySign = judge(facts, who, signoff, false, "meaning", "acknowledge", rules.nowMs);
                if (!maySign) return maySign.error();
                item.maySign = std::move(*maySign);
                out.push_back(std::move(item));
            }
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const ApprovalItem& a, const ApprovalItem& b) {
        return writtenAt(b.subject) < writtenAt(a.subject);
    });
    return out;
}

core::Result<std::vector<Conflict>> conflicts(Context& ctx) {
    std::vector<Conflict> out;
    auto me = currentPrincipal(ctx);
    if (!me) return me.error();
    if (!*me) return out;
    const Principal& who = **me;
    ReplicaFacts facts(ctx.replica());
    auto hidden = dismissed(ctx.replica());
    if (!hidden) return hidden.error();
    auto plans = livePlans(ctx.replica());
    if (!plans) return plans.error();
    const core::SiteId mySite = ctx.replica().site();
    const std::int64_t now = ctx.replica().clock().wallMs();
    auto byMe = [&](const core::Op& op) { return op.site == mySite || op.author == who.member; };
    for (const EntityId& planId : *plans) {
        auto snapshot = PlanSnapshot::load(ctx.replica(), planId, PlanSnapshot::Scope::Rules);
        if (!snapshot) return snapshot.error();
        const bool ownsPlan = core::idFromJson(snapshot->plan.get("owner")) == who.member;
        std::vector<const Entity*> mine;
        if (ownsPlan) {
            mine.push_back(&snapshot->plan);
            for (const Entity& m : snapshot->milestones) mine.push_back(&m);
        }
        for (const Entity& t : snapshot->tasks) {
            bool accountable = false;
            for (const EntityId& d : who.headOf)
                if (t.get("raci." + d.hex()) == "A") accountable = true;
            if (ownsPlan || accountable || core::idFromJson(t.get("owner")) == who.member) mine.push_back(&t);
        }
        for (const Entity* entity : mine) {
            auto overwritten = ctx.replica().overwritten(entity->id);
            if (!overwritten) return overwritten.error();
            for (core::Overwrite& o : *overwritten) {
                if (o.lost.value == o.winner.value || o.lost.site == o.winner.site) continue;
                if (byMe(o.lost) && byMe(o.winner)) continue;
                if (hidden->count(o.lost.idString())) continue;
                // Concurrent: the loser reached the server after the winner did, or not yet.
                const bool concurrent = !o.lost.seq || (o.winner.seq && *o.lost.seq > *o.winner.seq);
                if (!concurrent) continue;
                Conflict c;
                c.entity = *entity;
                c.plan = planId;
                c.planTitle = text(snapshot->plan, "title");
                c.field = o.lost.field;
                auto mayRestore = judge(facts, who, *entity, true, o.lost.field, o.lost.value, now);
                if (!mayRestore) return mayRestore.error();
                c.mayRestore = std::move(*mayRestore);
                c.lost = std::move(o.lost);
                c.current = std::move(o.winner);
                out.push_back(std::move(c));
            }
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Conflict& a, const Conflict& b) { return b.lost.hlc < a.lost.hlc; });
    return out;
}

core::Status dismissConflict(Context& ctx, const std::string& lostOpId) {
    auto hidden = dismissed(ctx.replica());
    if (!hidden) return hidden.error();
    hidden->insert(lostOpId);
    Json list = Json::array();
    for (const std::string& id : *hidden) list.push_back(id);
    return ctx.replica().setMeta(kDismissedKey, list.dump());
}

core::Result<std::vector<RejectedView>> rejectedViews(Context& ctx) {
    auto edits = ctx.replica().rejectedEdits();
    if (!edits) return edits.error();
    // A refused new record (a progress report, say) may no longer hold its `task` here:
    // that write was refused too. Its refused value still names the task.
    std::map<EntityId, EntityId> refusedTask;
    for (const core::RejectedEdit& edit : *edits)
        if (edit.op.field == "task")
            if (auto task = core::idFromJson(edit.op.value)) refusedTask.emplace(edit.op.entity, *task);
    std::vector<RejectedView> out;
    for (core::RejectedEdit& edit : *edits) {
        RejectedView view;
        auto entity = ctx.replica().entity(edit.op.entity);
        if (!entity) return entity.error();
        view.entityName = *entity ? labelOf(**entity) : edit.op.type;
        // A record about a task (a progress report, a problem without a title) is named
        // by its task.
        if (view.entityName == edit.op.type) {
            std::optional<EntityId> taskId;
            if (*entity) taskId = core::idFromJson((*entity)->get("task"));
            if (!taskId)
                if (auto it = refusedTask.find(edit.op.entity); it != refusedTask.end()) taskId = it->second;
            if (taskId) {
                auto task = ctx.replica().entity(*taskId);
                if (!task) return task.error();
                if (*task) {
                    view.entityName = labelOf(**task);
                    if ((*task)->plan) {
                        auto plan = ctx.replica().entity(*(*task)->plan);
                        if (!plan) return plan.error();
                        if (*plan) view.planTitle = text(**plan, "title");
                    }
                }
            }
        }
        if (view.planTitle.empty() && *entity && (*entity)->plan) {
            auto plan = ctx.replica().entity(*(*entity)->plan);
            if (!plan) return plan.error();
            if (*plan) view.planTitle = text(**plan, "title");
        }
        auto current = ctx.replica().field(edit.op.entity, edit.op.field);
        if (!current) return current.error();
        if (*current) view.current = (*current)->value;
        view.edit = std::move(edit);
        out.push_back(std::move(view));
    }
    std::stable_sort(out.begin(), out.end(), [](const RejectedView& a, const RejectedView& b) {
        return a.edit.rejectedAtMs > b.edit.rejectedAtMs;
    });
    return out;
}

core::Result<Names> Names::load(core::Replica& replica) {
    Names names;
    auto members = replica.entities("member");
    if (!members) return members.error();
    for (const Entity& m : *members) {
        std::string name = text(m, "display_name");
        if (name.empty()) name = text(m, "username");
        names.m_members[m.id] = name.empty() ? m.id.hex() : name;
    }
    auto departments = replica.entities("department");
    if (!departments) return departments.error();
    for (const Entity& d : *departments) {
        std::string name = text(d, "name");
        if (name.empty()) name = text(d, "code");
        names.m_departments[d.id] = name.empty() ? d.id.hex() : name;
    }
    return names;
}

std::string Names::member(const EntityId& id) const {
    auto it = m_members.find(id);
    return it == m_members.end() ? id.hex() : it->second;
}
std::string Names::member(const std::optional<EntityId>& id) const {
    return id ? member(*id) : std::string();
}
std::string Names::department(const EntityId& id) const {
    auto it = m_departments.find(id);
    return it == m_departments.end() ? id.hex() : it->second;
}
std::string Names::department(const std::optional<EntityId>& id) const {
    return id ? department(*id) : std::string();
}
std::string Names::author(const core::Op& op) const {
    return op.author ? member(*op.author) : std::string();
}

}  // namespace tandem::client
