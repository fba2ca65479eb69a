#include "tandem/core/rules.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace tandem::core {

namespace {

constexpr std::int64_t kMsPerHour = 3'600'000;
constexpr int kRedAfterWorkingDays = 2;        // 延迟超2天 → 风险预警
constexpr int kProgressBehindPoints = 20;      // 进度偏差超过20%
constexpr std::int64_t kMeetingHours = 24;     // 24小时内组织讨论
constexpr std::int64_t kEscalationHours = 48;  // 超48小时未解决升级
constexpr int kResourceAnswerWorkingDays = 2;  // 2个工作日内反馈
constexpr int kDependencyLeadDays = 3;         // 提前3天提醒
constexpr int kAcknowledgeWorkingDays = 1;     // 1个工作日内反馈

std::string text(const Entity& e, const std::string& field) {
    const Json& v = e.get(field);
    return v.is_string() ? v.get<std::string>() : std::string();
}

std::optional<EntityId> ref(const Entity& e, const std::string& field) {
    const Json& v = e.get(field);
    if (!v.is_string()) return std::nullopt;
    return EntityId::parse(v.get_ref<const std::string&>());
}

std::optional<CalendarDate> date(const Entity& e, const std::string& field) {
    const Json& v = e.get(field);
    if (!v.is_string()) return std::nullopt;
    return parseDate(v.get_ref<const std::string&>());
}

std::optional<std::int64_t> integer(const Entity& e, const std::string& field) {
    const Json& v = e.get(field);
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (v.is_number_unsigned() && v.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(v.get<std::uint64_t>());
    return std::nullopt;
}

// When the entity was first written: the smallest HLC time among its fields. Every
// replica holding the same ops agrees on it, so it is a deterministic fallback for a
// missing reported_at / requested_at.
std::int64_t firstWriteMs(const Entity& e) {
    std::uint64_t first = UINT64_MAX;
    for (const auto& [name, fv] : e.fields) first = std::min(first, fv.hlc.physicalMs());
    return first == UINT64_MAX ? 0 : static_cast<std::int64_t>(first);
}

std::optional<std::int64_t> fieldWriteMs(const Entity& e, const std::string& field) {
    auto it = e.fields.find(field);
    if (it == e.fields.end()) return std::nullopt;
    return static_cast<std::int64_t>(it->second.hlc.physicalMs());
}

std::int64_t instantOr(const Entity& e, const std::string& field) {
    const auto v = integer(e, field);
    return v ? *v : firstWriteMs(e);
}

// Keys of a family (`prefix.<id>`) whose value satisfies `pred`, in id order.
template <class Pred>
std::vector<EntityId> familyKeys(const Entity& e, const std::string& prefix, Pred pred) {
    std::vector<EntityId> keys;
    const std::string head = prefix + ".";
    for (auto it = e.fields.lower_bound(head); it != e.fields.end() && it->first.starts_with(head); ++it) {
        if (!pred(it->second.value)) continue;
        if (auto id = EntityId::parse(std::string_view(it->first).substr(head.size()))) keys.push_back(*id);
    }
    std::sort(keys.begin(), keys.end());
    return keys;
}

bool taskDone(const Entity& task) {
    return text(task, "status") == "done" || !task.get("actual_finish").is_null();
}

bool planClosed(const PlanSnapshot& plan) {
    const std::string status = text(plan.plan, "status");
    return status == "done" || status == "archived";
}

std::string label(const Entity& e, const std::string& field) {
    std::string value = text(e, field);
    return value.empty() ? e.id.hex() : value;
}

std::optional<EntityId> taskOwner(const PlanSnapshot& plan, const Entity& task) {
    if (auto owner = ref(task, "owner")) return owner;
    if (auto lead = ref(task, "lead_department")) return plan.departmentHead(*lead);
    return std::nullopt;
}

std::optional<EntityId> planOwner(const PlanSnapshot& plan) {
    if (auto owner = ref(plan.plan, "owner")) return owner;
    if (auto lead = ref(plan.plan, "lead_department")) return plan.departmentHead(*lead);
    return std::nullopt;
}

// The task's Accountable: the head of its raci "A" department (the smallest id when
// several), else the plan owner.
std::optional<EntityId> taskAccountable(const PlanSnapshot& plan, const Entity& task) {
    const auto accountable = familyKeys(task, "raci", [](const Json& v) { return v == "A"; });
    for (const EntityId& dept : accountable)
        if (auto head = plan.departmentHead(dept)) return head;
    return planOwner(plan);
}

/// Adds a recipient (once; nobody when unknown).
void routeTo(Warning& w, const std::optional<EntityId>& member) {
    if (member && std::find(w.routedTo.begin(), w.routedTo.end(), *member) == w.routedTo.end())
        w.routedTo.push_back(*member);
}

Warning make(const PlanSnapshot& plan, WarningKind kind, const EntityId& subject, Rag severity, std::int64_t since,
             std::string key) {
    Warning w;
    w.kind = kind;
    w.plan = plan.plan.id;
    w.subject = subject;
    w.severity = severity;
    w.sinceMs = since;
    w.messageKey = "warning." + std::move(key);
    return w;
}

std::optional<EntityId> problemDepartment(const PlanSnapshot& plan, const Entity& problem) {
    if (auto d = ref(problem, "owner_department")) return d;
    if (auto taskId = ref(problem, "task"))
        if (const Entity* task = plan.task(*taskId)) return ref(*task, "lead_department");
    return ref(plan.plan, "lead_department");
}

bool problemOpen(const Entity& problem) {
    return text(problem, "status") != "resolved" && problem.get("resolved_at").is_null();
}

bool requestOpen(const Entity& request) {
    const std::string status = text(request, "status");
    return status.empty() || status == "open";
}

bool sortedLess(const Warning& a, const Warning& b) {
    return std::make_tuple(-static_cast<int>(a.severity), a.sinceMs, static_cast<int>(a.kind), a.subject, a.related) <
           std::make_tuple(-static_cast<int>(b.severity), b.sinceMs, static_cast<int>(b.kind), b.subject, b.related);
}

std::vector<Entity> live(std::vector<Entity> entities) {
    std::erase_if(entities, [](const Entity& e) { return e.deleted(); });
    std::sort(entities.begin(), entities.end(), [](const Entity& a, const Entity& b) { return a.id < b.id; });
    return entities;
}

struct Messages {
    const char* key;
    const char* zh;
    const char* en;
};

constexpr Messages kMessages[] = {
    {"warning.task_delayed", "任务「{task}」已过计划完成时间 {due}，延期 {days} 个工作日",
     "Task \"{task}\" is past its due date {due}: {days} working day(s) late"},
    {"warning.task_risk", "风险预警：任务「{task}」延期 {days} 个工作日（超过 2 个工作日），计划完成时间 {due}",
     "Risk alert: task \"{task}\" is {days} working days late (more than 2), due {due}"},
    {"warning.progress_behind", "进度预警：任务「{task}」计划进度 {expected}%，实际 {actual}%，落后 {behind} 个百分点",
     "Progress alert: task \"{task}\" is at {actual}% against {expected}% planned ({behind} points behind)"},
    {"warning.problem_meeting_due", "问题「{problem}」已 {hours} 小时未解决，需在 24 小时内召开协调会",
     "Problem \"{problem}\" unresolved for {hours} h: a coordination meeting is due within 24 h"},
    {"warning.problem_escalated", "问题「{problem}」超过 {limit} 小时未解决，已升级至 {contact}",
     "Problem \"{problem}\" unresolved for more than {limit} h: escalated to {contact}"},
    {"warning.resource_request_overdue",
     "资源申请「{purpose}」超过 2 个工作日未答复（提供部门：{provider}，截止 {deadline}）",
     "Resource request \"{purpose}\" unanswered for more than 2 working days (provider: {provider}, due {deadline})"},
    {"warning.resource_request_late", "资源申请「{purpose}」仍未答复，已过需用日期 {needed_by}（提供部门：{provider}）",
     "Resource request \"{purpose}\" is still unanswered past its needed-by date {needed_by} (provider: {provider})"},
    {"warning.dependency_reminder",
     "上游任务「{predecessor}」将于 {predecessor_due} 到期且未完成，下游任务「{task}」依赖它",
     "Upstream task \"{predecessor}\" is due {predecessor_due} and not done; \"{task}\" depends on it"},
    {"warning.dependency_overdue",
     "上游任务「{predecessor}」已于 {predecessor_due} 到期仍未完成，下游任务「{task}」受阻",
     "Upstream task \"{predecessor}\" was due {predecessor_due} and is not done; \"{task}\" is waiting on it"},
    {"warning.acknowledgement_overdue", "{department}未在计划提交评审后 1 个工作日内确认（截止 {deadline}）",
     "{department} has not acknowledged the plan within 1 working day of review (due {deadline})"},
    {"warning.rectification_due", "验收未通过：需在 {deadline} 前完成整改并重新提交验收",
     "Acceptance failed: rework is due by {deadline}, then resubmit for acceptance"},
    {"warning.rectification_overdue", "整改超期：验收未通过后的整改应于 {deadline} 前完成",
     "Rework overdue: after the failed acceptance it was due by {deadline}"},
};

}  // namespace

std::string ragName(Rag rag) {
    switch (rag) {
        case Rag::Green:
            return "green";
        case Rag::Yellow:
            return "yellow";
        case Rag::Red:
            return "red";
    }
    return "green";
}

std::string warningKindName(WarningKind kind) {
    switch (kind) {
        case WarningKind::TaskDelayed:
            return "task_delayed";
        case WarningKind::ProgressBehind:
            return "progress_behind";
        case WarningKind::ProblemMeetingDue:
            return "problem_meeting_due";
        case WarningKind::ProblemEscalated:
            return "problem_escalated";
        case WarningKind::ResourceRequestOverdue:
            return "resource_request_overdue";
        case WarningKind::DependencyReminder:
            return "dependency_reminder";
        case WarningKind::AcknowledgementOverdue:
            return "acknowledgement_overdue";
        case WarningKind::RectificationDue:
            return "rectification_due";
        case WarningKind::RectificationOverdue:
            return "rectification_overdue";
    }
    return "unknown";
}

std::string messageTemplate(const std::string& key, Language language) {
    for (const auto& m : kMessages)
        if (key == m.key) return language == Language::Chinese ? m.zh : m.en;
    return "";
}

std::string formatWarning(const Warning& warning, Language language) {
    const std::string pattern = messageTemplate(warning.messageKey, language);
    std::string out;
    for (std::size_t i = 0; i < pattern.size();) {
        if (pattern[i] == '{') {
            const auto close = pattern.find('}', i);
            if (close != std::string::npos) {
                auto it = warning.params.find(pattern.substr(i + 1, close - i - 1));
                if (it != warning.params.end()) {
                    out += it->second;
                    i = close + 1;
                    continue;
                }
            }
        }
        out += pattern[i++];
    }
    return out;
}

Json warningJson(const Warning& warning) {
    auto id = [](const std::optional<EntityId>& v) { return v ? Json(v->hex()) : Json(nullptr); };
    Json ids = Json::array();
    for (const EntityId& member : warning.routedTo) ids.push_back(member.hex());
    Json params = Json::object();
    for (const auto& [k, v] : warning.params) params[k] = v;
    return Json{
        {"kind", warningKindName(warning.kind)},
        {"plan", warning.plan.hex()},
        {"subject", warning.subject.hex()},
        {"related", id(warning.related)},
        {"severity", ragName(warning.severity)},
        {"since", warning.sinceMs},
        {"message_key", warning.messageKey},
        {"params", params},
        {"routed_to", std::move(ids)},
        {"department", id(warning.department)},
        {"message",
         {{"en", formatWarning(warning, Language::English)}, {"zh", formatWarning(warning, Language::Chinese)}}}};
}

// ---- PlanSnapshot -----------------------------------------------------------------------

Result<PlanSnapshot> PlanSnapshot::load(Replica& replica, const EntityId& planId, Scope scope) {
    auto planEntity = replica.entity(planId);
    if (!planEntity) return planEntity.error();
    if (!planEntity->has_value() || (*planEntity)->type != "plan" || (*planEntity)->deleted())
        return makeError("not_found", "no plan " + planId.hex());
    PlanSnapshot snapshot;
    snapshot.plan = std::move(**planEntity);
    const std::pair<const char*, std::vector<Entity>*> scoped[] = {
        {"task", &snapshot.tasks},
        {"milestone", &snapshot.milestones},
        {"risk", &snapshot.risks},
        {"problem", &snapshot.problems},
        {"resource_request", &snapshot.resourceRequests},
        {"change_request", &snapshot.changeRequests},
        {"progress_entry", &snapshot.progressEntries},
        {"signoff", &snapshot.signoffs},
        {"meeting_record", &snapshot.meetingRecords},
    };
    for (const auto& [type, target] : scoped) {
        if (scope == Scope::Rules && target == &snapshot.progressEntries) continue;
        auto rows = replica.entities(type, planId);
        if (!rows) return rows.error();
        *target = live(std::move(*rows));
    }
    auto departments = replica.entities("department");
    if (!departments) return departments.error();
    snapshot.departments = live(std::move(*departments));
    auto members = replica.entities("member");
    if (!members) return members.error();
    snapshot.members = live(std::move(*members));
    return snapshot;
}

Result<PlanSnapshot> PlanSnapshot::fromEntities(std::span<const Entity> entities, const EntityId& planId) {
    PlanSnapshot snapshot;
    bool found = false;
    for (const Entity& e : entities) {
        if (e.deleted()) continue;
        if (e.type == "department") {
            snapshot.departments.push_back(e);
            continue;
        }
        if (e.type == "member") {
            snapshot.members.push_back(e);
            continue;
        }
        if (e.type == "plan") {
            if (e.id == planId) {
                snapshot.plan = e;
                found = true;
            }
            continue;
        }
        const auto owner = e.plan ? e.plan : ref(e, "plan");
        if (!owner || *owner != planId) continue;
        if (e.type == "task")
            snapshot.tasks.push_back(e);
        else if (e.type == "milestone")
            snapshot.milestones.push_back(e);
        else if (e.type == "risk")
            snapshot.risks.push_back(e);
        else if (e.type == "problem")
            snapshot.problems.push_back(e);
        else if (e.type == "resource_request")
            snapshot.resourceRequests.push_back(e);
        else if (e.type == "change_request")
            snapshot.changeRequests.push_back(e);
        else if (e.type == "progress_entry")
            snapshot.progressEntries.push_back(e);
        else if (e.type == "signoff")
            snapshot.signoffs.push_back(e);
        else if (e.type == "meeting_record")
            snapshot.meetingRecords.push_back(e);
    }
    if (!found) return makeError("not_found", "no plan " + planId.hex());
    for (auto* list : {&snapshot.tasks, &snapshot.milestones, &snapshot.risks, &snapshot.problems,
                       &snapshot.resourceRequests, &snapshot.changeRequests, &snapshot.progressEntries,
                       &snapshot.signoffs, &snapshot.meetingRecords, &snapshot.departments, &snapshot.members})
        *list = live(std::move(*list));
    return snapshot;
}

namespace {
const Entity* findIn(const std::vector<Entity>& list, const EntityId& id) {
    auto it =
        std::lower_bound(list.begin(), list.end(), id, [](const Entity& e, const EntityId& v) { return e.id < v; });
    return it != list.end() && it->id == id ? &*it : nullptr;
}
}  // namespace

const Entity* PlanSnapshot::department(const EntityId& id) const {
    return findIn(departments, id);
}
const Entity* PlanSnapshot::member(const EntityId& id) const {
    return findIn(members, id);
}
const Entity* PlanSnapshot::task(const EntityId& id) const {
    return findIn(tasks, id);
}

std::optional<EntityId> PlanSnapshot::departmentHead(const EntityId& id) const {
    const Entity* d = department(id);
    return d ? ref(*d, "head") : std::nullopt;
}

std::string PlanSnapshot::departmentName(const EntityId& id) const {
    const Entity* d = department(id);
    if (!d) return id.hex();
    if (auto name = text(*d, "name"); !name.empty()) return name;
    return label(*d, "code");
}

std::string PlanSnapshot::memberName(const EntityId& id) const {
    const Entity* m = member(id);
    if (!m) return id.hex();
    if (auto name = text(*m, "display_name"); !name.empty()) return name;
    return label(*m, "username");
}

std::vector<EntityId> PlanSnapshot::participants() const {
    return familyKeys(plan, "participants", [](const Json& v) { return v == true; });
}

// ---- rules ------------------------------------------------------------------------------

std::vector<Warning> taskDelayWarnings(const PlanSnapshot& plan, const RuleContext& ctx) {
    std::vector<Warning> out;
    if (planClosed(plan)) return out;
    const CalendarDate today = ctx.today();
    for (const Entity& task : plan.tasks) {
        const auto due = date(task, "due");
        if (!due || taskDone(task) || today <= *due) continue;
        const int late = ctx.calendar.workingDaysBetween(*due, today);
        const bool red = late > kRedAfterWorkingDays;
        const std::int64_t since =
            red ? startOfDay(ctx.calendar.addWorkingDays(*due, kRedAfterWorkingDays + 1), ctx.utcOffsetMinutes)
                : startOfDay(*due + std::chrono::days{1}, ctx.utcOffsetMinutes);
        Warning w = make(plan, WarningKind::TaskDelayed, task.id, red ? Rag::Red : Rag::Yellow, since,
                         red ? "task_risk" : "task_delayed");
        w.params = {{"task", label(task, "name")}, {"due", formatDate(*due)}, {"days", std::to_string(late)}};
        // The owner raises the 风险预警 (within 24 h); the Accountable department acts on it.
        routeTo(w, taskOwner(plan, task));
        routeTo(w, taskAccountable(plan, task));
        w.department = ref(task, "lead_department");
        out.push_back(std::move(w));
    }
    return out;
}

std::optional<int> expectedPercent(const Entity& task, CalendarDate day, const WorkCalendar& calendar) {
    const auto start = date(task, "start");
    const auto due = date(task, "due");
    if (!start || !due || *due < *start) return std::nullopt;
    const CalendarDate beforeStart = *start - std::chrono::days{1};
    std::int64_t total = calendar.workingDaysBetween(beforeStart, *due);
    std::int64_t elapsed = day <= *start
                               ? 0
                               : calendar.workingDaysBetween(
                                     beforeStart, std::min(day, *due + std::chrono::days{1}) - std::chrono::days{1});
    if (total == 0) {  // a task scheduled entirely on days off: count calendar days instead
        total = (*due - beforeStart).count();
        elapsed = day <= *start ? 0 : (std::min(day, *due + std::chrono::days{1}) - *start).count();
    }
    return static_cast<int>(std::clamp<std::int64_t>(elapsed * 100 / total, 0, 100));
}

std::vector<Warning> progressWarnings(const PlanSnapshot& plan, const RuleContext& ctx) {
    std::vector<Warning> out;
    if (planClosed(plan)) return out;
    const CalendarDate today = ctx.today();
    for (const Entity& task : plan.tasks) {
        const auto start = date(task, "start");
        const auto due = date(task, "due");
        if (!start || !due || taskDone(task) || today > *due) continue;
        const auto expected = expectedPercent(task, today, ctx.calendar);
        if (!expected) continue;
        const int actual = static_cast<int>(std::clamp<std::int64_t>(integer(task, "percent").value_or(0), 0, 100));
        if (*expected - actual <= kProgressBehindPoints) continue;
        // Since: the first day on which the task, at its current percent, was this far
        // behind. Expected progress never falls as days pass, so a binary search finds it.
        CalendarDate lo = std::min(*start, today);
        CalendarDate hi = today;  // behind on `hi`
        while (lo < hi) {
            const CalendarDate mid = lo + std::chrono::days{(hi - lo).count() / 2};
            if (expectedPercent(task, mid, ctx.calendar).value_or(0) - actual > kProgressBehindPoints)
                hi = mid;
            else
                lo = mid + std::chrono::days{1};
        }
        const CalendarDate first = hi;
        Warning w = make(plan, WarningKind::ProgressBehind, task.id, Rag::Yellow,
                         startOfDay(first, ctx.utcOffsetMinutes), "progress_behind");
        w.params = {{"task", label(task, "name")},
                    {"expected", std::to_string(*expected)},
                    {"actual", std::to_string(actual)},
                    {"behind", std::to_string(*expected - actual)}};
        routeTo(w, taskOwner(plan, task));
        w.department = ref(task, "lead_department");
        out.push_back(std::move(w));
    }
    return out;
}

std::vector<Warning> problemWarnings(const PlanSnapshot& plan, const RuleContext& ctx) {
    std::vector<Warning> out;
    if (planClosed(plan)) return out;
    std::int64_t limitHours = integer(plan.plan, "escalation_hours").value_or(kEscalationHours);
    if (limitHours <= 0) limitHours = kEscalationHours;
    for (const Entity& problem : plan.problems) {
        if (!problemOpen(problem)) continue;
        const std::int64_t reported = instantOr(problem, "reported_at");
        const std::int64_t elapsed = ctx.nowMs - reported;
        const bool escalated = elapsed >= limitHours * kMsPerHour;
        if (!escalated && elapsed < kMeetingHours * kMsPerHour) continue;
        Warning w = escalated ? make(plan, WarningKind::ProblemEscalated, problem.id, Rag::Red,
                                     reported + limitHours * kMsPerHour, "problem_escalated")
                              : make(plan, WarningKind::ProblemMeetingDue, problem.id, Rag::Yellow,
                                     reported + kMeetingHours * kMsPerHour, "problem_meeting_due");
        const auto contact = ref(plan.plan, "escalation_contact");
        // The plan owner calls the meeting; past the limit the escalation contact is told too.
        routeTo(w, planOwner(plan));
        if (escalated) routeTo(w, contact);
        w.params = {{"problem", label(problem, "description")},
                    {"hours", std::to_string(elapsed / kMsPerHour)},
                    {"limit", std::to_string(limitHours)},
                    {"severity", text(problem, "severity")},
                    {"contact", w.routedTo.empty() ? std::string("-") : plan.memberName(w.routedTo.back())}};
        w.department = problemDepartment(plan, problem);
        out.push_back(std::move(w));
    }
    return out;
}

std::vector<Warning> resourceRequestWarnings(const PlanSnapshot& plan, const RuleContext& ctx) {
    std::vector<Warning> out;
    if (planClosed(plan)) return out;
    const CalendarDate today = ctx.today();
    for (const Entity& request : plan.resourceRequests) {
        if (!requestOpen(request)) continue;
        const std::int64_t requested = instantOr(request, "requested_at");
        const std::int64_t deadline =
            ctx.calendar.addWorkingDays(requested, kResourceAnswerWorkingDays, ctx.utcOffsetMinutes);
        const auto neededBy = date(request, "needed_by");
        const bool overdue = ctx.nowMs >= deadline;
        const bool late = neededBy && today > *neededBy;
        if (!overdue && !late) continue;
        Warning w =
            late ? make(plan, WarningKind::ResourceRequestOverdue, request.id, Rag::Red,
                        startOfDay(*neededBy + std::chrono::days{1}, ctx.utcOffsetMinutes), "resource_request_late")
                 : make(plan, WarningKind::ResourceRequestOverdue, request.id, Rag::Yellow, deadline,
                        "resource_request_overdue");
        // The provider is a department (its head answers); a member id is routed as is.
        const auto provider = ref(request, "provider");
        std::string providerName = "-";
        if (provider && plan.department(*provider)) {
            routeTo(w, plan.departmentHead(*provider));
            w.department = provider;
            providerName = plan.departmentName(*provider);
        } else if (provider) {
            routeTo(w, provider);
            providerName = plan.memberName(*provider);
            if (const Entity* m = plan.member(*provider)) w.department = ref(*m, "department");
        }
        w.params = {{"purpose", label(request, "purpose")},
                    {"provider", providerName},
                    {"deadline", formatLocalTime(deadline, ctx.utcOffsetMinutes)},
                    {"needed_by", neededBy ? formatDate(*neededBy) : std::string("-")}};
        out.push_back(std::move(w));
    }
    return out;
}

std::vector<Warning> dependencyReminders(const PlanSnapshot& plan, const RuleContext& ctx) {
    std::vector<Warning> out;
    if (planClosed(plan)) return out;
    const CalendarDate today = ctx.today();
    for (const Entity& task : plan.tasks) {
        if (taskDone(task)) continue;
        for (const EntityId& upstreamId : familyKeys(task, "predecessors", [](const Json& v) { return v == true; })) {
            const Entity* upstream = plan.task(upstreamId);
            if (!upstream || taskDone(*upstream)) continue;
            const auto due = date(*upstream, "due");
            if (!due) continue;
            const auto daysLeft = (*due - today).count();
            if (daysLeft > kDependencyLeadDays) continue;
            Warning w = make(plan, WarningKind::DependencyReminder, task.id, Rag::Yellow,
                             startOfDay(*due - std::chrono::days{kDependencyLeadDays}, ctx.utcOffsetMinutes),
                             daysLeft >= 0 ? "dependency_reminder" : "dependency_overdue");
            w.related = upstreamId;
            w.params = {{"task", label(task, "name")},
                        {"predecessor", label(*upstream, "name")},
                        {"predecessor_due", formatDate(*due)},
                        {"days", std::to_string(daysLeft)}};
            routeTo(w, taskOwner(plan, *upstream));
            w.department = ref(*upstream, "lead_department");
            out.push_back(std::move(w));
        }
    }
    return out;
}

namespace {
bool hasCurrentSignoff(const PlanSnapshot& plan, const EntityId& department,
                       std::initializer_list<const char*> meanings) {
    for (const Entity& s : plan.signoffs) {
        if (ref(s, "subject") != plan.plan.id || ref(s, "department") != department) continue;
        if (s.get("stale") == true) continue;
        const std::string meaning = text(s, "meaning");
        for (const char* m : meanings)
            if (meaning == m) return true;
    }
    return false;
}
}  // namespace

std::vector<Warning> acknowledgementWarnings(const PlanSnapshot& plan, const RuleContext& ctx) {
    std::vector<Warning> out;
    if (text(plan.plan, "status") != "in_review") return out;
    const std::int64_t entered = fieldWriteMs(plan.plan, "status").value_or(0);
    const std::int64_t deadline = ctx.calendar.addWorkingDays(entered, kAcknowledgeWorkingDays, ctx.utcOffsetMinutes);
    if (ctx.nowMs < deadline) return out;
    const auto lead = ref(plan.plan, "lead_department");
    for (const EntityId& dept : plan.participants()) {
        if (dept == lead) continue;
        if (hasCurrentSignoff(plan, dept, {"acknowledge", "approve"})) continue;
        Warning w = make(plan, WarningKind::AcknowledgementOverdue, plan.plan.id, Rag::Yellow, deadline,
                         "acknowledgement_overdue");
        w.related = dept;
        w.department = dept;
        routeTo(w, plan.departmentHead(dept));
        w.params = {{"department", plan.departmentName(dept)},
                    {"deadline", formatLocalTime(deadline, ctx.utcOffsetMinutes)}};
        out.push_back(std::move(w));
    }
    return out;
}

std::vector<Warning> rectificationWarnings(const PlanSnapshot& plan, const RuleContext& ctx) {
    std::vector<Warning> out;
    if (text(plan.plan, "status") == "archived" || text(plan.plan, "acceptance_result") != "rejected") return out;
    const std::int64_t failed = fieldWriteMs(plan.plan, "acceptance_result").value_or(0);
    const auto explicitDue = date(plan.plan, "rectification_due");
    const std::int64_t deadline =
        explicitDue ? startOfDay(*explicitDue + std::chrono::days{1}, ctx.utcOffsetMinutes)
                    : ctx.calendar.addWorkingDays(failed, kRectificationWorkingDays, ctx.utcOffsetMinutes);
    const bool overdue = ctx.nowMs >= deadline;
    Warning w =
        overdue
            ? make(plan, WarningKind::RectificationOverdue, plan.plan.id, Rag::Red, deadline, "rectification_overdue")
            : make(plan, WarningKind::RectificationDue, plan.plan.id, Rag::Yellow, failed, "rectification_due");
    // Shown as the last moment the rework is still on time.
    w.params = {{"deadline", formatLocalTime(deadline - 60'000, ctx.utcOffsetMinutes)}};
    routeTo(w, planOwner(plan));
    w.department = ref(plan.plan, "lead_department");
    out.push_back(std::move(w));
    return out;
}

std::vector<Warning> evaluateRules(const PlanSnapshot& plan, const RuleContext& ctx) {
    std::vector<Warning> all;
    for (auto* rule : {&taskDelayWarnings, &progressWarnings, &problemWarnings, &resourceRequestWarnings,
                       &dependencyReminders, &acknowledgementWarnings, &rectificationWarnings}) {
        auto part = rule(plan, ctx);
        all.insert(all.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    }
    std::sort(all.begin(), all.end(), sortedLess);
    return all;
}

Rag planRag(const PlanSnapshot& plan, std::span<const Warning> warnings) {
    Rag worst = Rag::Green;
    for (const Entity& risk : plan.risks) {
        if (text(risk, "status") == "closed") continue;
        const std::string rag = text(risk, "rag");
        if (rag == "red")
            worst = Rag::Red;
        else if (rag == "yellow")
            worst = std::max(worst, Rag::Yellow);
    }
    for (const Warning& w : warnings) worst = std::max(worst, w.severity);
    return worst;
}

// ---- roll-ups ----------------------------------------------------------------------------

std::vector<DepartmentRollup> departmentRollups(std::span<const PlanSnapshot> plans, const RuleContext& ctx) {
    std::map<EntityId, DepartmentRollup> rows;
    auto row = [&](const PlanSnapshot& plan, const EntityId& dept) -> DepartmentRollup& {
        auto [it, inserted] = rows.try_emplace(dept);
        if (inserted) {
            it->second.department = dept;
            it->second.name = plan.departmentName(dept);
        }
        return it->second;
    };
    const CalendarDate today = ctx.today();
    for (const PlanSnapshot& plan : plans) {
        std::vector<EntityId> departments = plan.participants();
        if (auto lead = ref(plan.plan, "lead_department")) departments.push_back(*lead);
        std::sort(departments.begin(), departments.end());
        departments.erase(std::unique(departments.begin(), departments.end()), departments.end());
        for (const EntityId& d : departments) row(plan, d);

        const bool closed = planClosed(plan);
        if (!closed) {
            for (const Entity& task : plan.tasks) {
                const auto due = date(task, "due");
                const auto lead = ref(task, "lead_department");
                if (due && lead && !taskDone(task) && today > *due) ++row(plan, *lead).overdueTasks;
            }
            for (const Entity& problem : plan.problems)
                if (problemOpen(problem))
                    if (auto d = problemDepartment(plan, problem)) ++row(plan, *d).openProblems;
        }
        if (text(plan.plan, "status") == "in_review")
            for (const EntityId& d : departments)
                if (!hasCurrentSignoff(plan, d, {"approve"})) ++row(plan, d).missingSignoffs;
        for (const Warning& w : evaluateRules(plan, ctx)) {
            if (!w.department) continue;
            DepartmentRollup& r = row(plan, *w.department);
            ++r.warnings;
            r.rag = std::max(r.rag, w.severity);
        }
    }
    std::vector<DepartmentRollup> out;
    for (auto& [id, r] : rows) out.push_back(std::move(r));
    std::sort(out.begin(), out.end(), [](const DepartmentRollup& a, const DepartmentRollup& b) {
        return std::tie(a.name, a.department) < std::tie(b.name, b.department);
    });
    return out;
}

// ---- weekly report -----------------------------------------------------------------------

WeeklyReport weeklyReport(const PlanSnapshot& plan, const RuleContext& ctx) {
    WeeklyReport report;
    report.plan = plan.plan.id;
    report.weekStart = weekStart(ctx.today());
    report.weekEnd = report.weekStart + std::chrono::days{6};
    const CalendarDate nextStart = report.weekStart + std::chrono::days{7};
    const CalendarDate nextEnd = report.weekStart + std::chrono::days{13};
    const std::int64_t from = startOfDay(report.weekStart, ctx.utcOffsetMinutes);
    const std::int64_t to = startOfDay(nextStart, ctx.utcOffsetMinutes);
    auto inWeek = [&](std::int64_t ms) { return ms >= from && ms < to; };
    auto deptName = [&](const Entity& e, const char* field) {
        auto d = ref(e, field);
        return d ? plan.departmentName(*d) : std::string();
    };

    // This week's progress entries, oldest first, so later next steps win.
    std::vector<const Entity*> entries;
    for (const Entity& e : plan.progressEntries)
        if (inWeek(instantOr(e, "reported_at"))) entries.push_back(&e);
    std::stable_sort(entries.begin(), entries.end(), [](const Entity* a, const Entity* b) {
        return std::make_pair(instantOr(*a, "reported_at"), a->id) <
               std::make_pair(instantOr(*b, "reported_at"), b->id);
    });
    report.progressEntries = static_cast<int>(entries.size());
    std::map<EntityId, std::string> nextSteps;
    std::map<EntityId, std::string> finishedByEntry;
    for (const Entity* e : entries) {
        const auto taskId = ref(*e, "task");
        if (!taskId) continue;
        if (auto step = text(*e, "next_step"); !step.empty()) nextSteps[*taskId] = step;
        if (integer(*e, "percent").value_or(0) >= 100 && !finishedByEntry.count(*taskId))
            finishedByEntry[*taskId] = formatDate(localDate(instantOr(*e, "reported_at"), ctx.utcOffsetMinutes));
    }

    for (const Entity& task : plan.tasks) {
        const auto finish = date(task, "actual_finish");
        std::string finished;
        if (finish && *finish >= report.weekStart && *finish <= report.weekEnd)
            finished = formatDate(*finish);
        else if (auto it = finishedByEntry.find(task.id); it != finishedByEntry.end() && (!finish))
            finished = it->second;
        if (!finished.empty()) {
            report.doneThisWeek.push_back({task.id, label(task, "name"), deptName(task, "lead_department"), finished});
            continue;
        }
        if (taskDone(task)) continue;
        const auto start = date(task, "start");
        const auto due = date(task, "due");
        const bool activeNextWeek = (start ? *start <= nextEnd : true) && (due ? *due >= nextStart : false);
        const bool carriedOver = due && *due < nextStart;  // late work stays on next week's plan
        if (!activeNextWeek && !carriedOver) continue;
        WeeklyReport::PlanItem item{task.id,
                                    label(task, "name"),
                                    deptName(task, "lead_department"),
                                    due ? formatDate(*due) : std::string(),
                                    static_cast<int>(integer(task, "percent").value_or(0)),
                                    ""};
        if (auto it = nextSteps.find(task.id); it != nextSteps.end()) item.nextStep = it->second;
        report.nextWeek.push_back(std::move(item));
    }
    std::sort(report.doneThisWeek.begin(), report.doneThisWeek.end(), [](const auto& a, const auto& b) {
        return std::tie(a.finished, a.name, a.task) < std::tie(b.finished, b.name, b.task);
    });
    std::sort(report.nextWeek.begin(), report.nextWeek.end(), [](const auto& a, const auto& b) {
        return std::tie(a.due, a.name, a.task) < std::tie(b.due, b.name, b.task);
    });

    for (const Entity& problem : plan.problems) {
        if (!problemOpen(problem) && !inWeek(instantOr(problem, "reported_at"))) continue;
        const auto d = problemDepartment(plan, problem);
        report.problems.push_back({problem.id, label(problem, "description"), text(problem, "severity"),
                                   text(problem, "status").empty() ? "open" : text(problem, "status"),
                                   d ? plan.departmentName(*d) : std::string()});
    }
    for (const Entity& request : plan.resourceRequests) {
        if (!requestOpen(request) && !inWeek(instantOr(request, "requested_at"))) continue;
        const auto provider = ref(request, "provider");
        std::string providerName;
        if (provider)
            providerName = plan.department(*provider) ? plan.departmentName(*provider) : plan.memberName(*provider);
        report.resourcesNeeded.push_back({request.id, label(request, "purpose"), providerName,
                                          text(request, "needed_by"),
                                          text(request, "status").empty() ? "open" : text(request, "status")});
    }

    const auto warnings = evaluateRules(plan, ctx);
    report.planRag = planRag(plan, warnings);
    std::vector<EntityId> departments;
    if (auto lead = ref(plan.plan, "lead_department")) departments.push_back(*lead);
    for (const EntityId& d : plan.participants())
        if (std::find(departments.begin(), departments.end(), d) == departments.end()) departments.push_back(d);
    for (const EntityId& d : departments) {
        Rag rag = Rag::Green;
        for (const Warning& w : warnings)
            if (w.department == d) rag = std::max(rag, w.severity);
        for (const Entity& risk : plan.risks)
            if (ref(risk, "owner_department") == d && text(risk, "status") != "closed") {
                if (text(risk, "rag") == "red")
                    rag = Rag::Red;
                else if (text(risk, "rag") == "yellow")
                    rag = std::max(rag, Rag::Yellow);
            }
        report.ragByDepartment.push_back({d, plan.departmentName(d), rag});
    }
    return report;
}

Json weeklyReportJson(const WeeklyReport& report) {
    Json done = Json::array(), next = Json::array(), problems = Json::array(), resources = Json::array(),
         departments = Json::array();
    for (const auto& i : report.doneThisWeek)
        done.push_back(
            {{"task", i.task.hex()}, {"name", i.name}, {"department", i.department}, {"finished", i.finished}});
    for (const auto& i : report.nextWeek)
        next.push_back({{"task", i.task.hex()},
                        {"name", i.name},
                        {"department", i.department},
                        {"due", i.due},
                        {"percent", i.percent},
                        {"next_step", i.nextStep}});
    for (const auto& p : report.problems)
        problems.push_back({{"problem", p.problem.hex()},
                            {"description", p.description},
                            {"severity", p.severity},
                            {"status", p.status},
                            {"department", p.department}});
    for (const auto& r : report.resourcesNeeded)
        resources.push_back({{"request", r.request.hex()},
                             {"purpose", r.purpose},
                             {"provider", r.provider},
                             {"needed_by", r.neededBy},
                             {"status", r.status}});
    for (const auto& d : report.ragByDepartment)
        departments.push_back({{"department", d.department.hex()}, {"name", d.name}, {"rag", ragName(d.rag)}});
    return Json{{"plan", report.plan.hex()},
                {"week_start", formatDate(report.weekStart)},
                {"week_end", formatDate(report.weekEnd)},
                {"rag", ragName(report.planRag)},
                {"progress_entries", report.progressEntries},
                {"done_this_week", std::move(done)},
                {"next_week", std::move(next)},
                {"problems", std::move(problems)},
                {"resources_needed", std::move(resources)},
                {"rag_by_department", std::move(departments)}};
}

namespace {

std::string ragText(Rag rag, bool zh) {
    if (zh) return rag == Rag::Red ? "红灯" : rag == Rag::Yellow ? "黄灯" : "绿灯";
    return ragName(rag);
}

/// Text made safe for one Markdown table cell.
std::string cell(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n' || c == '\r')
            out += ' ';
        else
            out += c;
    }
    return out;
}

}  // namespace

Json departmentRollupJson(const DepartmentRollup& row) {
    return Json{{"department", row.department.hex()},
                {"name", row.name},
                {"overdue_tasks", row.overdueTasks},
                {"open_problems", row.openProblems},
                {"missing_signoffs", row.missingSignoffs},
                {"warnings", row.warnings},
                {"rag", ragName(row.rag)}};
}

std::string departmentRollupsMarkdown(std::span<const DepartmentRollup> rows, Language language) {
    const bool zh = language == Language::Chinese;
    std::string md = zh ? "# 各部门汇总\n\n| 部门 | 逾期任务 | 未解决问题 | 缺少签字 | 预警 | 状态 |\n"
                        : "# Department roll-up\n\n| Department | Overdue tasks | Open problems | Missing sign-offs | "
                          "Warnings | RAG |\n";
    md += "|---|---|---|---|---|---|\n";
    for (const auto& r : rows)
        md += "| " + cell(r.name) + " | " + std::to_string(r.overdueTasks) + " | " + std::to_string(r.openProblems) +
              " | " + std::to_string(r.missingSignoffs) + " | " + std::to_string(r.warnings) + " | " +
              ragText(r.rag, zh) + " |\n";
    return md;
}

std::string weeklyReportMarkdown(const WeeklyReport& report, const PlanSnapshot& plan, Language language) {
    const bool zh = language == Language::Chinese;
    std::string md;
    md += "# " + (zh ? std::string("项目周报：") : std::string("Weekly report: ")) + cell(label(plan.plan, "title")) +
          "\n\n";
    md += (zh ? "周期：" : "Week: ") + formatDate(report.weekStart) + " – " + formatDate(report.weekEnd) + "  \n";
    md += (zh ? "整体状态：" : "Overall: ") + ragText(report.planRag, zh) + "  \n";
    md += (zh ? "本周进度记录：" : "Progress entries this week: ") + std::to_string(report.progressEntries) + "\n\n";

    md += zh ? "## 本周完成\n\n" : "## Done this week\n\n";
    if (report.doneThisWeek.empty()) md += zh ? "（无）\n" : "(none)\n";
    for (const auto& item : report.doneThisWeek)
        md += "- " + cell(item.name) + "（" + cell(item.department) + "，" + item.finished + "）\n";

    md += zh ? "\n## 下周计划\n\n" : "\n## Next week\n\n";
    if (report.nextWeek.empty())
        md += zh ? "（无）\n" : "(none)\n";
    else {
        md += zh ? "| 任务 | 部门 | 计划完成 | 完成率 | 下一步 |\n|---|---|---|---|---|\n"
                 : "| Task | Department | Due | Done | Next step |\n|---|---|---|---|---|\n";
        for (const auto& item : report.nextWeek)
            md += "| " + cell(item.name) + " | " + cell(item.department) + " | " + item.due + " | " +
                  std::to_string(item.percent) + "% | " + cell(item.nextStep) + " |\n";
    }

    md += zh ? "\n## 问题\n\n" : "\n## Problems\n\n";
    if (report.problems.empty()) md += zh ? "（无）\n" : "(none)\n";
    for (const auto& p : report.problems)
        md += "- " + cell(p.description) + " [" + p.status + (p.severity.empty() ? "" : ", " + p.severity) + "] " +
              cell(p.department) + "\n";

    md += zh ? "\n## 需协调资源\n\n" : "\n## Resources needed\n\n";
    if (report.resourcesNeeded.empty()) md += zh ? "（无）\n" : "(none)\n";
    for (const auto& r : report.resourcesNeeded)
        md += "- " + cell(r.purpose) + (zh ? "（提供方：" : " (provider: ") + cell(r.provider) +
              (zh ? "，需用日期：" : ", needed by: ") + (r.neededBy.empty() ? "-" : r.neededBy) + (zh ? "，" : ", ") +
              r.status + (zh ? "）\n" : ")\n");

    md += zh ? "\n## 各部门状态\n\n| 部门 | 状态 |\n|---|---|\n"
             : "\n## Status by department\n\n| Department | RAG |\n|---|---|\n";
    for (const auto& d : report.ragByDepartment) md += "| " + cell(d.name) + " | " + ragText(d.rag, zh) + " |\n";
    return md;
}

}  // namespace tandem::core
