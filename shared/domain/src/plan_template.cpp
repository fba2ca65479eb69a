#include "tandem/core/plan_template.h"

#include <algorithm>

namespace tandem::core {

namespace {

// Chinese and English text of one template default.
struct Text {
    const char* zh;
    const char* en;
    std::string in(Language language) const { return language == Language::Chinese ? zh : en; }
};

const Text kBackground{
    "说明协作要解决的核心问题与缘由（如：竞品抢占市场份额，需提升新品曝光），以及为什么需要多个部门共同推进。",
    "Why this collaboration is needed: the core problem it solves (e.g. a competitor is taking market share and the "
    "new product needs exposure) and why several departments must work on it together."};
const Text kGoalWhat{"按SMART原则填写具体目标（如：3个月内完成新产品X的区域市场推广）",
                     "A specific goal, following SMART (e.g. launch product X in the region within 3 months)"};
const Text kGoalMetric{"可衡量的指标（如：销售额、用户复购率）",
                       "A measurable metric (e.g. revenue, repeat-purchase rate)"};
const Text kGoalTarget{"目标值（如：销售额500万元，复购率提升15%）",
                       "The target value (e.g. 5 million yuan revenue, +15% repeat purchases)"};
const Text kScopeIn{"本次协作包含的工作（如：区域落地推广、销售培训、售后响应）",
                    "Work inside this collaboration (e.g. regional roll-out, sales training, after-sales response)"};
const Text kScopeOut{"不属于本次协作范围的工作（如：全国推广由总部市场部统筹）",
                     "Work outside it (e.g. the national campaign, run by HQ marketing)"};
const Text kCadence{"每周五 15:00 召开跨部门协作例会（30–60分钟）；各负责部门每周五 17:00 前提交周进度；月度线下复盘会",
                    "Cross-department meeting every Friday 15:00 (30–60 min); each responsible department submits its "
                    "progress by Friday 17:00; a monthly review meeting"};
const Text kChannels{
    "企业微信/钉钉群实时沟通；共享文档同步进度与资料；问题反馈后24小时内组织协调会，超过48小时未解决升级至分管领导",
    "Team chat group for day-to-day contact; a shared document for progress and files; a reported "
    "problem gets a coordination meeting within 24 hours and is escalated to the executive sponsor "
    "after 48 hours unresolved"};
const Text kSubgoal{"待填写：本部门子目标（可衡量，由部门负责人确认）",
                    "To fill in: this department's sub-goal (measurable, confirmed by its head)"};
const Text kPhase1{"筹备期：协作方案与任务分工", "Preparation: plan and task assignment"};
const Text kPhase1Deliverable{"输出《协作执行方案》《任务分配表》，经各部门负责人会签",
                              "The execution plan and task assignment table, countersigned by every department head"};
const Text kPhase2{"执行期：分阶段执行与周进度同步", "Execution: phased delivery and weekly progress"};
const Text kPhase2Deliverable{
    "按任务分配表交付，每周五提交进度；延迟超2个工作日发出风险预警",
    "Deliver per the assignment table, report progress every Friday; over 2 working days late "
    "raises a risk alert"};
const Text kPhase3{"复盘期：成果验收与复盘归档", "Review: acceptance, retrospective and filing"};
const Text kPhase3Deliverable{"《验收报告》（完整性、准确性、时效性）与《复盘总结报告》，归档保存不少于2年",
                              "Acceptance report (completeness, accuracy, timeliness) and retrospective, filed for at "
                              "least 2 years"};
const Text kResourceNeeds{"待填写：人力、预算、物料等资源需求；资源提供方2个工作日内反馈",
                          "To fill in: people, budget, materials; providers answer within 2 working days"};
const Text kContingency{
    "若关键输入延迟，优先完成不依赖该输入的部分，并在24小时内发起风险预警",
    "If a key input is late, finish what does not depend on it first and raise a risk alert within 24 hours"};
const Text kMilestone1{"协作方案定稿并会签", "Plan final and countersigned"};
const Text kMilestone1Deliverable{"最终执行计划发布并抄送所有参与部门",
                                  "Final execution plan published to every participating department"};
const Text kMilestone2{"成果验收通过", "Acceptance passed"};
const Text kMilestone2Deliverable{"验收报告由各方负责人签字确认", "Acceptance report signed by every department head"};
const Text kRiskTitle{"关键任务延期", "A key task slips"};
const Text kRiskDescription{"配合部门人力或资源不足，导致关键交付物延期，影响后续任务",
                            "A supporting department lacks people or resources, so a key deliverable slips and "
                            "blocks the tasks after it"};
const Text kRiskMitigation{"由牵头部门协调其他资源支持或调整时间计划；提前3天提醒下游依赖任务",
                           "The lead department brings in other resources or re-plans; downstream tasks are reminded 3 "
                           "days ahead"};
const Text kRiskTrigger{"任一关键任务延期超过2个工作日，或进度落后计划超过20%",
                        "Any key task more than 2 working days late, or more than 20 points behind plan"};
const Text kAcceptanceNote{"验收标准：完整性（覆盖全部需求）、准确性（数据真实无误）、时效性（按期交付）",
                           "Acceptance criteria: completeness (covers every requirement), accuracy (correct data), "
                           "timeliness (delivered on time)"};

// The last working day on or before `date` (due dates should not fall on days off).
CalendarDate onWorkingDay(CalendarDate date, const WorkCalendar& calendar) {
    return calendar.isWorkingDay(date) ? date : calendar.addWorkingDays(date, -1);
}
// The first working day on or after `date`.
CalendarDate fromWorkingDay(CalendarDate date, const WorkCalendar& calendar) {
    return calendar.isWorkingDay(date) ? date : calendar.addWorkingDays(date, 1);
}

}  // namespace

Result<std::vector<WriteOp>> standardPlanTemplate(const PlanTemplateInput& input,
                                                  const std::function<EntityId()>& newId,
                                                  const WorkCalendar& calendar) {
    const long titleLength = utf8Length(input.title);
    if (input.title.empty() || titleLength < 0 || titleLength > 200)
        return makeError("invalid_value", "title: must be 1 to 200 characters of UTF-8 text");
    const Language lang = input.language;
    std::vector<EntityId> participants;
    for (const EntityId& d : input.participants)
        if (d != input.leadDepartment && std::find(participants.begin(), participants.end(), d) == participants.end())
            participants.push_back(d);

    using std::chrono::days;
    const CalendarDate start = fromWorkingDay(input.start, calendar);
    const CalendarDate prepDue = onWorkingDay(start + days{13}, calendar);
    const CalendarDate execStart = fromWorkingDay(prepDue + days{1}, calendar);
    const CalendarDate execDue = onWorkingDay(start + days{55}, calendar);
    const CalendarDate reviewStart = fromWorkingDay(execDue + days{1}, calendar);
    const CalendarDate end = onWorkingDay(start + days{69}, calendar);
    const std::string lead = input.leadDepartment.hex();
    const std::string owner = input.owner.hex();

    std::vector<WriteOp> ops;
    const EntityId planId = newId();
    WriteOp plan{planId, "plan", {}};
    auto& pf = plan.fields;
    pf = {{"title", input.title},
          {"background", kBackground.in(lang)},
          {"goal_what", kGoalWhat.in(lang)},
          {"goal_metric", kGoalMetric.in(lang)},
          {"goal_target", kGoalTarget.in(lang)},
          {"goal_deadline", formatDate(end)},
          {"scope_in", kScopeIn.in(lang)},
          {"scope_out", kScopeOut.in(lang)},
          {"lead_department", lead},
          {"owner", owner},
          {"status", "draft"},
          {"start", formatDate(start)},
          {"end", formatDate(end)},
          {"meeting_cadence", kCadence.in(lang)},
          {"channels", kChannels.in(lang)},
          {"escalation_contact", input.escalationContact.value_or(input.owner).hex()},
          {"escalation_hours", 48},
          {"acceptance_completeness", "pending"},
          {"acceptance_accuracy", "pending"},
          {"acceptance_timeliness", "pending"},
          {"acceptance_result", "pending"},
          {"acceptance_note", kAcceptanceNote.in(lang)}};
    pf.emplace_back("subgoal." + lead, kSubgoal.in(lang));
    for (const EntityId& d : participants) {
        pf.emplace_back("participants." + d.hex(), true);
        pf.emplace_back("subgoal." + d.hex(), kSubgoal.in(lang));
    }
    ops.push_back(std::move(plan));

    struct Phase {
        const Text* name;
        const Text* deliverable;
        CalendarDate from;
        CalendarDate due;
        const char* leadRaci;
        const char* participantRaci;
        bool collaborators;
    };
    const Phase phases[] = {
        {&kPhase1, &kPhase1Deliverable, start, prepDue, "R", "C", false},
        {&kPhase2, &kPhase2Deliverable, execStart, execDue, "A", "R", true},
        {&kPhase3, &kPhase3Deliverable, reviewStart, end, "R", "I", false},
    };
    std::optional<EntityId> previous;
    int sortKey = 1;
    for (const Phase& phase : phases) {
        WriteOp task{newId(), "task", {}};
        task.fields = {{"plan", planId.hex()},
                       {"name", phase.name->in(lang)},
                       {"lead_department", lead},
                       {"owner", owner},
                       {"start", formatDate(phase.from)},
                       {"due", formatDate(phase.due)},
                       {"deliverable_standard", phase.deliverable->in(lang)},
                       {"resource_needs", kResourceNeeds.in(lang)},
                       {"contingency", kContingency.in(lang)},
                       {"status", "not_started"},
                       {"percent", 0},
                       {"sort_key", std::to_string(sortKey++)},
                       {"raci." + lead, phase.leadRaci}};
        for (const EntityId& d : participants) {
            task.fields.emplace_back("raci." + d.hex(), phase.participantRaci);
            if (phase.collaborators) task.fields.emplace_back("collaborators." + d.hex(), true);
        }
        if (previous) task.fields.emplace_back("predecessors." + previous->hex(), true);
        previous = task.entity;
        ops.push_back(std::move(task));
    }

    const std::pair<const Text*, const Text*> milestones[] = {{&kMilestone1, &kMilestone1Deliverable},
                                                              {&kMilestone2, &kMilestone2Deliverable}};
    const CalendarDate milestoneDue[] = {prepDue, end};
    for (int i = 0; i < 2; ++i) {
        ops.push_back(WriteOp{newId(),
                              "milestone",
                              {{"plan", planId.hex()},
                               {"name", milestones[i].first->in(lang)},
                               {"due", formatDate(milestoneDue[i])},
                               {"deliverable", milestones[i].second->in(lang)},
                               {"status", "pending"}}});
    }

    ops.push_back(WriteOp{newId(),
                          "risk",
                          {{"plan", planId.hex()},
                           {"title", kRiskTitle.in(lang)},
                           {"description", kRiskDescription.in(lang)},
                           {"impact", "M"},
                           {"probability", "M"},
                           {"owner_department", lead},
                           {"mitigation", kRiskMitigation.in(lang)},
                           {"trigger", kRiskTrigger.in(lang)},
                           {"status", "open"},
                           {"rag", "green"}}});
    return ops;
}

}  // namespace tandem::core
