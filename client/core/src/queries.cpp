#include "tandem/client/queries.h"

#include <algorithm>
#include <map>

#include "tandem/client/intents.h"
#include "tandem/core/permissions.h"

namespace tandem::client {

using core::Entity;
using core::EntityId;
using core::Json;

namespace {

std::optional<std::string> text(const Json& value) {
    return value.is_string() ? std::optional<std::string>(value.get<std::string>()) : std::nullopt;
}

PlanSummary summarize(const core::PlanSnapshot& snapshot, const core::RuleContext& rules,
                      const std::optional<core::Principal>& who) {
    const Entity& p = snapshot.plan;
    PlanSummary s;
    s.id = p.id;
    s.title = text(p.get("title"));
    s.status = text(p.get("status"));
    const Json& lead = p.get("lead_department");
    s.lead = text(lead);
    s.leadDepartment = core::idFromJson(lead);
    if (s.leadDepartment) {
        if (const Entity* d = snapshot.department(*s.leadDepartment)) {
            if (auto code = text(d->get("code"))) s.lead = code;
            s.leadName = text(d->get("name")).value_or(text(d->get("code")).value_or(""));
        }
    }
    const auto warnings = core::evaluateRules(snapshot, rules);
    s.rag = core::planRag(snapshot, warnings);
    s.warnings = warnings.size();
    const core::CalendarDate today = rules.today();
    long total = 0;
    for (const Entity& task : snapshot.tasks) {
        ++s.tasks;
        const Json& percent = task.get("percent");
        total += percent.is_number_integer() ? percent.get<int>() : 0;
        const bool done = task.get("status") == "done";
        if (done) ++s.done;
        if (auto due = text(task.get("due")); !done && due)
            if (auto date = core::parseDate(*due); date && *date < today) ++s.late;
    }
    if (s.tasks > 0) s.progress = static_cast<int>((total + s.tasks / 2) / s.tasks);
    s.myRole = planRole(who, p);
    if (s.leadDepartment) s.departmentNames.push_back(s.leadName);
    for (const EntityId& d : snapshot.participants())
        if (d != s.leadDepartment) s.departmentNames.push_back(snapshot.departmentName(d));
    return s;
}

/// Every plan of the replica that is not deleted.
core::Result<std::vector<core::PlanSnapshot>> allPlans(core::Replica& replica) {
    auto plans = replica.entities("plan");
    if (!plans) return plans.error();
    std::vector<core::PlanSnapshot> out;
    for (const auto& p : *plans) {
        if (p.deleted()) continue;
        auto snapshot = core::PlanSnapshot::load(replica, p.id, core::PlanSnapshot::Scope::Rules);
        if (!snapshot) return snapshot.error();
        out.push_back(std::move(*snapshot));
    }
    return out;
}

core::Result<std::vector<core::Warning>> warningsFor(Context& ctx, const std::optional<EntityId>& member) {
    auto rules = ruleContext(ctx.replica());
    if (!rules) return rules.error();
    auto plans = allPlans(ctx.replica());
    if (!plans) return plans.error();
    std::vector<core::Warning> out;
    for (const auto& plan : *plans)
        for (auto& w : core::evaluateRules(plan, *rules))
            if (!member || std::find(w.routedTo.begin(), w.routedTo.end(), *member) != w.routedTo.end())
                out.push_back(std::move(w));
    return out;
}

}  // namespace

std::string planRole(const std::optional<core::Principal>& who, const Entity& plan) {
    if (!who) return "";
    const core::PlanFacts facts = core::PlanFacts::fromEntity(plan);
    const bool inLead = facts.leadDepartment && who->department == facts.leadDepartment;
    const bool inParticipant = who->department && facts.participants.count(*who->department) > 0;
    const bool headsParticipant = std::any_of(facts.participants.begin(), facts.participants.end(),
                                              [&](const EntityId& d) { return who->headOf.count(d) > 0; });
    if (facts.owner == who->member) return "owner";
    if (facts.leadDepartment && who->headOf.count(*facts.leadDepartment)) return "lead_head";
    if (headsParticipant) return "head";
    if (inLead) return "lead_member";
    if (inParticipant) return "member";
    if (who->hq) return "hq";
    if (who->admin) return "admin";
    return "";
}


core::Result<std::vector<PlanSummary>> planSummaries(Context& ctx) {
    auto rules = ruleContext(ctx.replica());
    if (!rules) return rules.error();
    auto plans = allPlans(ctx.replica());
    if (!plans) return plans.error();
    auto who = signedInPrincipal(ctx);
    const std::optional<core::Principal> me = who ? std::optional<core::Principal>(*who) : std::nullopt;
    std::vector<PlanSummary> out;
    for (const auto& plan : *plans) out.push_back(summarize(plan, *rules, me));
    return out;
}

core::Result<PlanView> planView(Context& ctx, const EntityId& plan) {
    auto snapshot = core::PlanSnapshot::load(ctx.replica(), plan);
    if (!snapshot) return snapshot.error();
    auto rules = ruleContext(ctx.replica());
    if (!rules) return rules.error();
    PlanView view{std::move(*snapshot), {}, core::Rag::Green, rules->nowMs};
    view.warnings = core::evaluateRules(view.snapshot, *rules);
    view.rag = core::planRag(view.snapshot, view.warnings);
    return view;
}

core::Result<std::vector<core::Warning>> myWarnings(Context& ctx) {
    const auto member = ctx.session() ? EntityId::parse(ctx.session()->member) : std::nullopt;
    if (!member) return std::vector<core::Warning>{};
    return warningsFor(ctx, member);
}

core::Result<std::vector<core::Warning>> everyWarning(Context& ctx) {
    return warningsFor(ctx, std::nullopt);
}

core::Result<std::vector<FieldChange>> fieldHistory(Context& ctx, const EntityId& entity, const std::string& field) {
    auto& replica = ctx.replica();
    auto history = replica.history(entity, field);
    if (!history) return history.error();
    std::map<EntityId, std::string> names;  // member → display name
    if (auto members = replica.entities("member"))
        for (const auto& m : *members)
            if (auto name = text(m.get("display_name"))) names[m.id] = *name;
    std::vector<FieldChange> out;
    for (auto& h : *history) {
        FieldChange change{std::move(h.op), h.current, std::nullopt};
        if (change.op.author) {
            if (auto it = names.find(*change.op.author); it != names.end()) change.authorName = it->second;
        } else if (change.op.site == replica.site()) {
            change.authorName = "you";
        } else if (change.op.site == core::kServerSite) {
            change.authorName = "server";
        }
        out.push_back(std::move(change));
    }
    return out;
}

core::Result<PlanReport> weeklyReport(Context& ctx, const EntityId& plan, std::optional<core::CalendarDate> week) {
    auto snapshot = core::PlanSnapshot::load(ctx.replica(), plan);
    if (!snapshot) return snapshot.error();
    auto rules = ruleContext(ctx.replica());
    if (!rules) return rules.error();
    if (week) {
        // Another week is reported as it stands at the moment of it nearest to now.
        const core::CalendarDate monday = core::weekStart(*week);
        rules->nowMs = std::clamp(rules->nowMs, core::startOfDay(monday, rules->utcOffsetMinutes),
                                  core::startOfDay(monday + std::chrono::days{7}, rules->utcOffsetMinutes) - 1);
    }
    core::WeeklyReport weekly = core::weeklyReport(*snapshot, *rules);
    return PlanReport{std::move(*snapshot), std::move(weekly)};
}

core::Result<std::vector<core::DepartmentRollup>> rollup(Context& ctx) {
    auto plans = allPlans(ctx.replica());
    if (!plans) return plans.error();
    auto rules = ruleContext(ctx.replica());
    if (!rules) return rules.error();
    return core::departmentRollups(*plans, *rules);
}

}  // namespace tandem::client
