#pragma once
// The rules of DESIGN §8 as pure functions of a plan's entities, a working-day
// calendar and an injected `now`, so every replica (app, tandem-cli, server) computes
// the same warnings offline. No clock, no I/O: PlanSnapshot::load reads a replica, and
// PlanSnapshot::fromEntities takes plain vectors. Nothing throws; functions are
// thread-safe on const inputs.
//
// Thresholds (from the seed templates; docs/rules.md explains each):
//   task past due, not done            → yellow task_delayed (task owner, and the task's
//     more than 2 working days late     → red      Accountable: raci A department's head,
//                                                   else the plan owner)
//   expected − actual progress > 20     → yellow progress_behind (task owner)
//   problem open ≥ 24 h                 → yellow problem_meeting_due (plan owner: call a meeting)
//   problem open ≥ escalation_hours     → red problem_escalated (plan owner and escalation contact; default 48 h)
//   resource request open past 2 working days → yellow resource_request_overdue (provider department's head),
//     red once its needed_by date has passed
//   predecessor not done, due within 3 days (or past due) → yellow dependency_reminder (upstream owner)
//   plan in review, participant without acknowledge/approve after 1 working day
//                                       → yellow acknowledgement_overdue (that department's head)
//   acceptance rejected                 → yellow rectification_due until 2 working days
//                                         (or rectification_due) pass, then red rectification_overdue (plan owner)

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tandem/core/calendar.h"
#include "tandem/core/ids.h"
#include "tandem/core/replica.h"
#include "tandem/core/result.h"

namespace tandem::core {

/// A failed acceptance is reworked within this many working days (整改: 2个工作日内).
inline constexpr int kRectificationWorkingDays = 2;

/// Red: act now; yellow: watch; green: normal. Ordered so that max() is "worst".
enum class Rag { Green = 0, Yellow = 1, Red = 2 };
std::string ragName(Rag rag);  // "green", "yellow", "red"

enum class Language { Chinese, English };

enum class WarningKind {
    TaskDelayed,             // 风险预警 (red) / 延期 (yellow)
    ProgressBehind,          // 进度预警
    ProblemMeetingDue,       // 问题 24 小时内需协调会
    ProblemEscalated,        // 问题超 48 小时升级
    ResourceRequestOverdue,  // 资源申请 2 个工作日未答复
    DependencyReminder,      // 依赖任务提前 3 天提醒上游
    AcknowledgementOverdue,  // 参与部门 1 个工作日内未确认
    RectificationDue,        // 验收未通过, 2 个工作日内整改
    RectificationOverdue,    // 整改超期
};
/// Stable snake_case name ("task_delayed", …), for JSON and message keys.
std::string warningKindName(WarningKind kind);

/// One warning. Message text comes from formatWarning (key + params), so every client
/// shows it in its own language.
struct Warning {
    WarningKind kind = WarningKind::TaskDelayed;
    EntityId plan;
    EntityId subject;  // the task, problem, request or plan it is about
    std::optional<EntityId>
        related;  // the upstream task of a dependency reminder; the department of an acknowledgement
    Rag severity = Rag::Yellow;
    std::int64_t sinceMs = 0;                   // when the condition (at this severity) began
    std::string messageKey;                     // "warning.task_delayed", …
    std::map<std::string, std::string> params;  // values for the message placeholders {name}
    std::vector<EntityId> routedTo;             // members to notify (DESIGN §8), each once; empty: nobody known
    std::optional<EntityId> department;         // the department it counts against in roll-ups
};

/// A warning as JSON for tandem-cli --json and the server: {"kind","plan","subject",
/// "related","severity","since","message_key","params","routed_to","department",
/// "message":{"en","zh"}}; ids as 32-hex strings or null, since in ms.
Json warningJson(const Warning& warning);

/// The message text in a language, placeholders filled from params (names resolved
/// by the caller into params beforehand; unknown placeholders stay as written).
std::string formatWarning(const Warning& warning, Language language);
/// The template text of a message key ("" for an unknown key).
std::string messageTemplate(const std::string& key, Language language);

/// Everything the rules (and documents) read about one plan, deleted entities left out.
struct PlanSnapshot {
    Entity plan;
    std::vector<Entity> tasks;
    std::vector<Entity> milestones;
    std::vector<Entity> risks;
    std::vector<Entity> problems;
    std::vector<Entity> resourceRequests;
    std::vector<Entity> changeRequests;
    std::vector<Entity> progressEntries;
    std::vector<Entity> signoffs;
    std::vector<Entity> meetingRecords;
    // Organisation, for routing and names.
    std::vector<Entity> departments;
    std::vector<Entity> members;

    /// What load reads: everything, or what evaluateRules, planRag and departmentRollups
    /// read — all but the progress entries, of which a busy plan holds thousands and
    /// which only the weekly report and the plan documents need.
    enum class Scope { Whole, Rules };
    /// Reads the plan and its entities (and the organisation) from a replica.
    /// not_found when the plan does not exist or is deleted.
    static Result<PlanSnapshot> load(Replica& replica, const EntityId& plan, Scope scope = Scope::Whole);
    /// Picks the plan and its entities out of any entities (other plans' ignored).
    static Result<PlanSnapshot> fromEntities(std::span<const Entity> entities, const EntityId& plan);

    const Entity* department(const EntityId& id) const;
    const Entity* member(const EntityId& id) const;
    const Entity* task(const EntityId& id) const;
    /// The head (member id) of a department, if set.
    std::optional<EntityId> departmentHead(const EntityId& department) const;
    /// A department's name, else its code, else its id.
    std::string departmentName(const EntityId& id) const;
    /// A member's display name, else username, else id.
    std::string memberName(const EntityId& id) const;
    /// participants.<d> == true, in id order (the lead department not included unless listed).
    std::vector<EntityId> participants() const;
};

/// Inputs every rule shares.
struct RuleContext {
    std::int64_t nowMs = 0;
    WorkCalendar calendar = WorkCalendar::chinaDefault();
    int utcOffsetMinutes = kChinaUtcOffsetMinutes;

    CalendarDate today() const { return localDate(nowMs, utcOffsetMinutes); }
};

// ---- the rules, one function each (only open work: plans in draft, done or archived
// raise nothing but acknowledgement/rectification where stated) -------------------------
std::vector<Warning> taskDelayWarnings(const PlanSnapshot& plan, const RuleContext& ctx);
/// Expected progress is linear over the working days of start..due: by the start of
/// day d it is (working days in [start, d)) / (working days in [start, due]) × 100.
/// Tasks already past due get a delay warning instead.
std::vector<Warning> progressWarnings(const PlanSnapshot& plan, const RuleContext& ctx);
/// Elapsed since `reported_at` (else the problem's first write), thresholds inclusive.
std::vector<Warning> problemWarnings(const PlanSnapshot& plan, const RuleContext& ctx);
std::vector<Warning> resourceRequestWarnings(const PlanSnapshot& plan, const RuleContext& ctx);
/// Calendar days: a predecessor due today + 3 reminds, today + 4 does not.
std::vector<Warning> dependencyReminders(const PlanSnapshot& plan, const RuleContext& ctx);
/// The plan entered review when its current `status` value was written (its HLC time).
std::vector<Warning> acknowledgementWarnings(const PlanSnapshot& plan, const RuleContext& ctx);
std::vector<Warning> rectificationWarnings(const PlanSnapshot& plan, const RuleContext& ctx);

/// Every rule, sorted: red first, then oldest `since`, then kind and subject.
std::vector<Warning> evaluateRules(const PlanSnapshot& plan, const RuleContext& ctx);

/// Worst of the open risks' `rag` (status not closed) and the warnings' severities.
Rag planRag(const PlanSnapshot& plan, std::span<const Warning> warnings);

/// Predicted expected progress (0–100) of a task at the start of `day`, or nullopt
/// without valid start and due.
std::optional<int> expectedPercent(const Entity& task, CalendarDate day, const WorkCalendar& calendar);

// ---- HQ roll-ups ----------------------------------------------------------------------
struct DepartmentRollup {
    EntityId department;
    std::string name;
    int overdueTasks = 0;     // open tasks of which it is the lead department, past due
    int openProblems = 0;     // problems not resolved, by owner_department (else the task's lead)
    int missingSignoffs = 0;  // plans in review where its head has no current approval
    int warnings = 0;         // warnings counted against it
    Rag rag = Rag::Green;     // worst of its warnings
};
/// One row per department that leads or joins any of the plans, sorted by name then id.
std::vector<DepartmentRollup> departmentRollups(std::span<const PlanSnapshot> plans, const RuleContext& ctx);
/// A roll-up row as JSON: {"department","name","overdue_tasks","open_problems",
/// "missing_signoffs","warnings","rag"}.
Json departmentRollupJson(const DepartmentRollup& row);
/// The roll-ups as a Markdown heading and table (HQ's view), in the language.
std::string departmentRollupsMarkdown(std::span<const DepartmentRollup> rows, Language language);

// ---- 项目周报 ---------------------------------------------------------------------------
struct WeeklyReport {
    EntityId plan;
    CalendarDate weekStart;  // Monday
    CalendarDate weekEnd;    // Sunday
    struct DoneItem {
        EntityId task;
        std::string name;
        std::string department;
        std::string finished;
    };
    struct PlanItem {
        EntityId task;
        std::string name;
        std::string department;
        std::string due;
        int percent = 0;
        std::string nextStep;
    };
    struct ProblemItem {
        EntityId problem;
        std::string description;
        std::string severity;
        std::string status;
        std::string department;
    };
    struct ResourceItem {
        EntityId request;
        std::string purpose;
        std::string provider;
        std::string neededBy;
        std::string status;
    };
    struct DepartmentRag {
        EntityId department;
        std::string name;
        Rag rag = Rag::Green;
    };
    std::vector<DoneItem> doneThisWeek;          // finished (actual_finish, or a 100 % progress entry) this week
    std::vector<PlanItem> nextWeek;              // open tasks starting or due next week, with this week's next steps
    std::vector<ProblemItem> problems;           // reported this week or still open
    std::vector<ResourceItem> resourcesNeeded;   // requested this week or still open
    std::vector<DepartmentRag> ragByDepartment;  // lead + participants
    Rag planRag = Rag::Green;
    int progressEntries = 0;  // progress entries reported this week
};
/// The report for the week (Monday–Sunday) holding ctx.today().
WeeklyReport weeklyReport(const PlanSnapshot& plan, const RuleContext& ctx);
/// A weekly report as JSON: {"plan","week_start","week_end","rag","progress_entries",
/// "done_this_week":[{"task","name","department","finished"}],
/// "next_week":[{"task","name","department","due","percent","next_step"}],
/// "problems":[{"problem","description","severity","status","department"}],
/// "resources_needed":[{"request","purpose","provider","needed_by","status"}],
/// "rag_by_department":[{"department","name","rag"}]}; ids as 32-hex, dates YYYY-MM-DD.
Json weeklyReportJson(const WeeklyReport& report);
/// Markdown text of a weekly report.
std::string weeklyReportMarkdown(const WeeklyReport& report, const PlanSnapshot& plan, Language language);

}  // namespace tandem::core
