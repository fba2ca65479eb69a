#include <catch2/catch.hpp>

#include "rules_fixture.h"
#include "tandem/core/rules.h"

using namespace tandem::core;
using namespace tandem::test;

namespace {

using Members = std::vector<EntityId>;

std::vector<Warning> ofKind(const std::vector<Warning>& all, WarningKind kind) {
    std::vector<Warning> out;
    for (const auto& w : all)
        if (w.kind == kind) out.push_back(w);
    return out;
}

// A task due `due`, seen at noon on `today`.
std::vector<Warning> delayAt(const char* due, const char* today, WorkCalendar cal = WorkCalendar::chinaDefault()) {
    auto plan = snapshotOf(
        {basePlan(), makeTask(0x200, "推广方案", kMkt, kMktChen, "2025-01-06", due, 50, "in_progress", kSales)});
    return taskDelayWarnings(plan, contextAt(at(today, 12), std::move(cal)));
}

}  // namespace

TEST_CASE("rules: a task is delayed the day after its due date, not on it") {
    CHECK(delayAt("2025-03-07", "2025-03-07").empty());
    auto w = delayAt("2025-03-07", "2025-03-08");  // Saturday: past due, 0 working days late
    REQUIRE(w.size() == 1);
    CHECK(w[0].severity == Rag::Yellow);
    CHECK(w[0].params.at("days") == "0");
    CHECK(w[0].sinceMs == at("2025-03-08"));
    // The task owner, who raises the 风险预警, and the head of its Accountable (RACI A)
    // department, who acts on it.
    CHECK(w[0].routedTo == Members{kMktChen, kSalesHead});
    CHECK(w[0].department == kMkt);
}

TEST_CASE("rules: exactly 2 working days late is yellow, 3 is red (风险预警)") {
    auto two = delayAt("2025-03-05", "2025-03-07");  // Wed due, Fri: Thu+Fri late
    REQUIRE(two.size() == 1);
    CHECK(two[0].severity == Rag::Yellow);
    CHECK(two[0].params.at("days") == "2");
    CHECK(two[0].messageKey == "warning.task_delayed");

    auto three = delayAt("2025-03-05", "2025-03-10");  // …and Monday
    REQUIRE(three.size() == 1);
    CHECK(three[0].severity == Rag::Red);
    CHECK(three[0].params.at("days") == "3");
    CHECK(three[0].messageKey == "warning.task_risk");
    CHECK(three[0].sinceMs == at("2025-03-10"));
    CHECK(three[0].routedTo == Members{kMktChen, kSalesHead});
}

TEST_CASE("rules: a late task without an Accountable department goes to its owner and the plan owner") {
    auto plan = snapshotOf({basePlan(), makeTask(0x201, "渠道铺货执行", kSales, kMktChen, "2025-01-06", "2025-03-05")});
    auto w = taskDelayWarnings(plan, contextAt(at("2025-03-10", 12)));
    REQUIRE(w.size() == 1);
    CHECK(w[0].severity == Rag::Red);
    CHECK(w[0].routedTo == Members{kMktChen, kMktHead});
    // The owner who is also the plan owner is told once.
    auto own = snapshotOf({basePlan(), makeTask(0x202, "推广方案", kMkt, kMktHead, "2025-01-06", "2025-03-05")});
    CHECK(taskDelayWarnings(own, contextAt(at("2025-03-10", 12)))[0].routedTo == Members{kMktHead});
}

TEST_CASE("rules: lateness across a weekend counts working days only") {
    // Due Thursday: Fri (1), Sat, Sun, Mon (2) → still yellow on Monday; red on Tuesday.
    auto monday = delayAt("2025-03-06", "2025-03-10");
    REQUIRE(monday.size() == 1);
    CHECK(monday[0].severity == Rag::Yellow);
    CHECK(monday[0].params.at("days") == "2");
    auto tuesday = delayAt("2025-03-06", "2025-03-11");
    REQUIRE(tuesday.size() == 1);
    CHECK(tuesday[0].severity == Rag::Red);
}

TEST_CASE("rules: lateness across a 调休 Saturday counts that Saturday") {
    // Due Friday 2025-02-07; Saturday 2/8 is a make-up working day.
    auto monday = delayAt("2025-02-07", "2025-02-10");  // Sat (1), Mon (2)
    REQUIRE(monday.size() == 1);
    CHECK(monday[0].severity == Rag::Yellow);
    CHECK(monday[0].params.at("days") == "2");
    auto tuesday = delayAt("2025-02-07", "2025-02-11");  // … Tue (3)
    REQUIRE(tuesday.size() == 1);
    CHECK(tuesday[0].severity == Rag::Red);
    CHECK(tuesday[0].sinceMs == at("2025-02-11"));
    // Without the 调休, Tuesday is only 2 working days late.
    auto plain = delayAt("2025-02-07", "2025-02-11", WorkCalendar{});
    REQUIRE(plain.size() == 1);
    CHECK(plain[0].severity == Rag::Yellow);
    // And across 春节: due 1/27, the 8 days off do not count; 2/5 (1), 2/6 (2), 2/7 (3).
    CHECK(delayAt("2025-01-27", "2025-02-06")[0].severity == Rag::Yellow);
    CHECK(delayAt("2025-01-27", "2025-02-07")[0].severity == Rag::Red);
}

TEST_CASE("rules: done tasks and closed plans raise no delay") {
    auto done = makeTask(0x200, "推广方案", kMkt, kMktChen, "2025-01-06", "2025-03-05", 100, "done");
    auto finished = makeTask(0x201, "渠道铺货", kSales, kSalesLi, "2025-01-06", "2025-03-05", 90, "in_progress");
    setField(finished, "actual_finish", "2025-03-05", at("2025-03-05"));
    CHECK(taskDelayWarnings(snapshotOf({basePlan(), done, finished}), contextAt(at("2025-03-20"))).empty());
    auto late = makeTask(0x202, "培训", kSales, kSalesLi, "2025-01-06", "2025-03-05");
    CHECK(taskDelayWarnings(snapshotOf({basePlan("archived"), late}), contextAt(at("2025-03-20"))).empty());
    CHECK(taskDelayWarnings(snapshotOf({basePlan("done"), late}), contextAt(at("2025-03-20"))).empty());
}

TEST_CASE("rules: expected progress is linear over the task's working days") {
    // Mon 3/3 .. Fri 3/14: 10 working days.
    auto task = makeTask(0x200, "推广方案", kMkt, kMktChen, "2025-03-03", "2025-03-14");
    const auto cal = WorkCalendar::chinaDefault();
    CHECK(expectedPercent(task, date("2025-03-03"), cal) == 0);
    CHECK(expectedPercent(task, date("2025-03-04"), cal) == 10);
    CHECK(expectedPercent(task, date("2025-03-06"), cal) == 30);
    CHECK(expectedPercent(task, date("2025-03-09"), cal) == 50);  // Sunday: Mon–Fri done
    CHECK(expectedPercent(task, date("2025-03-10"), cal) == 50);
    CHECK(expectedPercent(task, date("2025-03-14"), cal) == 90);
    CHECK(expectedPercent(task, date("2025-03-15"), cal) == 100);
    CHECK(expectedPercent(task, date("2025-04-15"), cal) == 100);
    CHECK(expectedPercent(task, date("2025-02-15"), cal) == 0);
}

TEST_CASE("rules: 20 points behind plan is fine, 21 raises a 进度预警") {
    // On Thursday 3/6 the plan expects 30 %.
    auto at20 = snapshotOf({basePlan(), makeTask(0x200, "推广方案", kMkt, kMktChen, "2025-03-03", "2025-03-14", 10)});
    CHECK(progressWarnings(at20, contextAt(at("2025-03-06", 9))).empty());

    auto at21 = snapshotOf({basePlan(), makeTask(0x200, "推广方案", kMkt, kMktChen, "2025-03-03", "2025-03-14", 9)});
    auto w = progressWarnings(at21, contextAt(at("2025-03-06", 9)));
    REQUIRE(w.size() == 1);
    CHECK(w[0].kind == WarningKind::ProgressBehind);
    CHECK(w[0].severity == Rag::Yellow);
    CHECK(w[0].params.at("expected") == "30");
    CHECK(w[0].params.at("actual") == "9");
    CHECK(w[0].params.at("behind") == "21");
    CHECK(w[0].sinceMs == at("2025-03-06"));  // on Wednesday 9 was only 11 behind
    CHECK(w[0].routedTo == Members{kMktChen});
    CHECK(formatWarning(w[0], Language::Chinese) ==
          "进度预警：任务「推广方案」计划进度 30%，实际 9%，落后 21 个百分点");
    CHECK(formatWarning(w[0], Language::English) ==
          "Progress alert: task \"推广方案\" is at 9% against 30% planned (21 points behind)");
    const Json json = warningJson(w[0]);
    CHECK(json["kind"] == "progress_behind");
    CHECK(json["severity"] == "yellow");
    CHECK(json["routed_to"] == Json::array({kMktChen.hex()}));
    CHECK(json["related"].is_null());
    CHECK(json["since"] == at("2025-03-06"));
    CHECK(json["message"]["zh"] == formatWarning(w[0], Language::Chinese));
    CHECK(json["params"]["behind"] == "21");
    // A task spanning centuries still answers at once (and since is still exact).
    auto longTask =
        snapshotOf({basePlan(), makeTask(0x200, "长期任务", kMkt, kMktChen, "0001-01-01", "5000-12-31", 0)});
    auto longWarning = progressWarnings(longTask, contextAt(at("2025-03-06", 9)));
    REQUIRE(longWarning.size() == 1);
    const auto firstDay = localDate(longWarning[0].sinceMs, kChinaUtcOffsetMinutes);
    const auto& cal = WorkCalendar::chinaDefault();
    CHECK(*expectedPercent(longTask.tasks[0], firstDay, cal) > 20);
    CHECK(*expectedPercent(longTask.tasks[0], firstDay - std::chrono::days{1}, cal) <= 20);
    // A past-due task has a delay warning instead.
    CHECK(progressWarnings(at21, contextAt(at("2025-03-17", 9))).empty());
}

TEST_CASE("rules: an open problem needs a meeting at 24 h and escalates at 48 h") {
    const std::int64_t reported = at("2025-03-03", 14);
    const std::int64_t hour = 3'600'000;
    auto problem = makeEntity(entityId(0x300), "problem",
                              {{"plan", kPlan.hex()},
                               {"description", "线上广告素材未通过审核"},
                               {"severity", "key"},
                               {"owner_department", kSales.hex()},
                               {"reported_at", reported},
                               {"status", "open"}});
    auto plan = snapshotOf({basePlan(), problem});
    CHECK(problemWarnings(plan, contextAt(reported + 24 * hour - 1)).empty());

    auto meeting = problemWarnings(plan, contextAt(reported + 24 * hour));
    REQUIRE(meeting.size() == 1);
    CHECK(meeting[0].kind == WarningKind::ProblemMeetingDue);
    CHECK(meeting[0].severity == Rag::Yellow);
    CHECK(meeting[0].routedTo == Members{kMktHead});  // the plan owner calls the meeting
    CHECK(meeting[0].department == kSales);
    CHECK(meeting[0].sinceMs == reported + 24 * hour);

    auto stillMeeting = problemWarnings(plan, contextAt(reported + 48 * hour - 1));
    REQUIRE(stillMeeting.size() == 1);
    CHECK(stillMeeting[0].kind == WarningKind::ProblemMeetingDue);

    auto escalated = problemWarnings(plan, contextAt(reported + 48 * hour));
    REQUIRE(escalated.size() == 1);
    CHECK(escalated[0].kind == WarningKind::ProblemEscalated);
    CHECK(escalated[0].severity == Rag::Red);
    CHECK(escalated[0].routedTo == Members{kMktHead, kHq});  // … and the plan's escalation contact too
    CHECK(formatWarning(escalated[0], Language::Chinese) ==
          "问题「线上广告素材未通过审核」超过 48 小时未解决，已升级至 赵总");

    setField(problem, "status", "resolved", reported + hour);
    CHECK(problemWarnings(snapshotOf({basePlan(), problem}), contextAt(reported + 100 * hour)).empty());
}

TEST_CASE("rules: the plan's escalation_hours replaces the 48 h default") {
    const std::int64_t reported = at("2025-03-03", 14);
    auto plan = basePlan();
    setField(plan, "escalation_hours", 72, at("2025-01-02"));
    auto problem = makeEntity(entityId(0x300), "problem",
                              {{"plan", kPlan.hex()}, {"description", "x"}, {"reported_at", reported}});
    auto snapshot = snapshotOf({plan, problem});
    CHECK(problemWarnings(snapshot, contextAt(reported + 71 * 3'600'000LL))[0].kind == WarningKind::ProblemMeetingDue);
    CHECK(problemWarnings(snapshot, contextAt(reported + 72 * 3'600'000LL))[0].kind == WarningKind::ProblemEscalated);
}

TEST_CASE("rules: a resource request is answered within 2 working days") {
    auto request = makeEntity(entityId(0x400), "resource_request",
                              {{"plan", kPlan.hex()},
                               {"requester", kMktChen.hex()},
                               {"provider", kSales.hex()},
                               {"purpose", "10个渠道门店"},
                               {"needed_by", "2025-03-20"},
                               {"requested_at", at("2025-03-03", 10)},
                               {"status", "open"}});
    auto plan = snapshotOf({basePlan(), request});
    CHECK(resourceRequestWarnings(plan, contextAt(at("2025-03-05", 9, 59))).empty());
    auto w = resourceRequestWarnings(plan, contextAt(at("2025-03-05", 10)));
    REQUIRE(w.size() == 1);
    CHECK(w[0].severity == Rag::Yellow);
    CHECK(w[0].routedTo == Members{kSalesHead});  // the provider department's head
    CHECK(w[0].department == kSales);
    CHECK(w[0].params.at("deadline") == "2025-03-05 10:00");

    // Past its needed-by date it turns red.
    auto red = resourceRequestWarnings(plan, contextAt(at("2025-03-21", 9)));
    REQUIRE(red.size() == 1);
    CHECK(red[0].severity == Rag::Red);
    CHECK(red[0].messageKey == "warning.resource_request_late");

    setField(request, "status", "approved", at("2025-03-04"));
    CHECK(resourceRequestWarnings(snapshotOf({basePlan(), request}), contextAt(at("2025-03-21"))).empty());
}

TEST_CASE("rules: resource request deadlines count a 调休 Saturday") {
    // Thursday 2025-02-06 10:00: Friday 2/7 and Saturday 2/8 (make-up day) → due Sat 10:00.
    auto request = makeEntity(entityId(0x400), "resource_request",
                              {{"plan", kPlan.hex()},
                               {"provider", kProd.hex()},
                               {"purpose", "测试设备"},
                               {"requested_at", at("2025-02-06", 10)}});
    auto plan = snapshotOf({basePlan(), request});
    CHECK(resourceRequestWarnings(plan, contextAt(at("2025-02-08", 9, 59))).empty());
    REQUIRE(resourceRequestWarnings(plan, contextAt(at("2025-02-08", 10))).size() == 1);
    CHECK(resourceRequestWarnings(plan, contextAt(at("2025-02-08", 10)))[0].routedTo == Members{kProdHead});
}

TEST_CASE("rules: a predecessor due in 3 days reminds its owner, in 4 days does not") {
    auto upstream = makeTask(0x200, "产品技术参数", kProd, kProdHead, "2025-03-01", "2025-03-13", 40);
    auto downstream = makeTask(0x201, "销售培训材料制作", kSales, kSalesLi, "2025-03-10", "2025-03-20");
    setField(downstream, "predecessors." + upstream.id.hex(), true, at("2025-01-02"));
    auto plan = snapshotOf({basePlan(), upstream, downstream});

    CHECK(dependencyReminders(plan, contextAt(at("2025-03-09", 8))).empty());  // due in 4 days
    auto w = dependencyReminders(plan, contextAt(at("2025-03-10", 8)));        // due in 3 days
    REQUIRE(w.size() == 1);
    CHECK(w[0].subject == downstream.id);
    CHECK(w[0].related == upstream.id);
    CHECK(w[0].routedTo == Members{kProdHead});  // the upstream owner
    CHECK(w[0].sinceMs == at("2025-03-10"));
    CHECK(w[0].params.at("days") == "3");
    CHECK(formatWarning(w[0], Language::Chinese) ==
          "上游任务「产品技术参数」将于 2025-03-13 到期且未完成，下游任务「销售培训材料制作」依赖它");
    // Still reminding once it is past due.
    CHECK(dependencyReminders(plan, contextAt(at("2025-03-14", 8)))[0].messageKey == "warning.dependency_overdue");

    // A finished predecessor, or a removed dependency, reminds nobody.
    setField(upstream, "status", "done", at("2025-03-09"));
    CHECK(dependencyReminders(snapshotOf({basePlan(), upstream, downstream}), contextAt(at("2025-03-10"))).empty());
}

TEST_CASE("rules: participating departments acknowledge within 1 working day of review") {
    auto plan = basePlan();
    setField(plan, "status", "in_review", at("2025-03-07", 10));  // Friday 10:00 → due Monday 10:00
    auto ack = makeEntity(entityId(0x500), "signoff",
                          {{"plan", kPlan.hex()},
                           {"subject", kPlan.hex()},
                           {"signer", kSalesHead.hex()},
                           {"department", kSales.hex()},
                           {"meaning", "acknowledge"},
                           {"signed_at", at("2025-03-07", 11)}});
    auto snapshot = snapshotOf({plan, ack});
    CHECK(acknowledgementWarnings(snapshot, contextAt(at("2025-03-10", 9, 59))).empty());
    auto w = acknowledgementWarnings(snapshot, contextAt(at("2025-03-10", 10)));
    REQUIRE(w.size() == 1);  // SALES acknowledged; PROD did not; MKT leads
    CHECK(w[0].related == kProd);
    CHECK(w[0].routedTo == Members{kProdHead});
    CHECK(w[0].sinceMs == at("2025-03-10", 10));
    CHECK(formatWarning(w[0], Language::Chinese) ==
          "产品部未在计划提交评审后 1 个工作日内确认（截止 2025-03-10 10:00）");

    // A stale acknowledgement does not count.
    setField(ack, "stale", true, at("2025-03-08"));
    CHECK(acknowledgementWarnings(snapshotOf({plan, ack}), contextAt(at("2025-03-10", 10))).size() == 2);
    // Outside review, nothing.
    CHECK(acknowledgementWarnings(snapshotOf({basePlan(), ack}), contextAt(at("2025-03-20"))).empty());
}

TEST_CASE("rules: a failed acceptance is reworked within 2 working days") {
    auto plan = basePlan();
    setField(plan, "acceptance_result", "rejected", at("2025-03-07", 10));  // Friday → Tuesday 10:00
    auto snapshot = snapshotOf({plan});
    auto before = rectificationWarnings(snapshot, contextAt(at("2025-03-11", 9, 59)));
    REQUIRE(before.size() == 1);
    CHECK(before[0].kind == WarningKind::RectificationDue);
    CHECK(before[0].severity == Rag::Yellow);
    auto after = rectificationWarnings(snapshot, contextAt(at("2025-03-11", 10)));
    REQUIRE(after.size() == 1);
    CHECK(after[0].kind == WarningKind::RectificationOverdue);
    CHECK(after[0].severity == Rag::Red);
    CHECK(after[0].routedTo == Members{kMktHead});
    // An explicit rectification_due date wins.
    setField(plan, "rectification_due", "2025-03-14", at("2025-03-07", 11));
    CHECK(rectificationWarnings(snapshotOf({plan}), contextAt(at("2025-03-14", 23)))[0].severity == Rag::Yellow);
    CHECK(rectificationWarnings(snapshotOf({plan}), contextAt(at("2025-03-15")))[0].severity == Rag::Red);
    setField(plan, "acceptance_result", "accepted", at("2025-03-12"));
    CHECK(rectificationWarnings(snapshotOf({plan}), contextAt(at("2025-03-20"))).empty());
}

TEST_CASE("rules: plan RAG is the worst of open risks and warnings") {
    auto risk = makeEntity(entityId(0x600), "risk",
                           {{"plan", kPlan.hex()}, {"title", "研发人力不足"}, {"status", "open"}, {"rag", "yellow"}});
    auto closedRed = makeEntity(entityId(0x601), "risk",
                                {{"plan", kPlan.hex()}, {"title", "x"}, {"status", "closed"}, {"rag", "red"}});
    auto plan = snapshotOf({basePlan(), risk, closedRed});
    CHECK(planRag(plan, {}) == Rag::Yellow);
    auto green = snapshotOf({basePlan()});
    CHECK(planRag(green, {}) == Rag::Green);
    Warning red;
    red.severity = Rag::Red;
    CHECK(planRag(plan, std::vector<Warning>{red}) == Rag::Red);
    CHECK(ragName(Rag::Yellow) == "yellow");
}

TEST_CASE("rules: evaluateRules is deterministic whatever the entity order") {
    std::vector<Entity> entities{
        basePlan(),
        makeTask(0x200, "推广方案", kMkt, kMktChen, "2025-03-01", "2025-03-05"),
        makeTask(0x201, "渠道铺货", kSales, kSalesLi, "2025-03-01", "2025-03-12"),
        makeTask(0x202, "培训", kProd, kProdHead, "2025-03-10", "2025-03-28", 0),
        makeEntity(entityId(0x300), "problem",
                   {{"plan", kPlan.hex()}, {"description", "p"}, {"reported_at", at("2025-03-05")}}),
    };
    setField(entities[3], "predecessors." + entityId(0x201).hex(), true, at("2025-01-02"));
    const auto ctx = contextAt(at("2025-03-11", 12));
    auto first = evaluateRules(snapshotOf(entities), ctx);
    std::reverse(entities.begin(), entities.end());
    auto second = evaluateRules(snapshotOf(entities), ctx);
    REQUIRE(first.size() == second.size());
    REQUIRE(first.size() >= 4);
    for (std::size_t i = 0; i < first.size(); ++i) {
        CHECK(first[i].kind == second[i].kind);
        CHECK(first[i].subject == second[i].subject);
        CHECK(first[i].sinceMs == second[i].sinceMs);
    }
    CHECK(first.front().severity == Rag::Red);  // red first
    CHECK(ofKind(first, WarningKind::DependencyReminder).size() == 1);
    for (const auto& w : first) CHECK_FALSE(formatWarning(w, Language::English).empty());
}

TEST_CASE("rules: HQ roll-ups count overdue tasks, open problems and missing sign-offs per department") {
    auto inReview = basePlan("in_review");
    auto approve = makeEntity(
        entityId(0x500), "signoff",
        {{"plan", kPlan.hex()}, {"subject", kPlan.hex()}, {"department", kSales.hex()}, {"meaning", "approve"}});
    auto plan = snapshotOf({inReview, approve, makeTask(0x200, "推广方案", kMkt, kMktChen, "2025-03-01", "2025-03-05"),
                            makeTask(0x201, "渠道铺货", kSales, kSalesLi, "2025-03-01", "2025-03-06"),
                            makeTask(0x202, "培训", kSales, kSalesLi, "2025-03-01", "2025-03-07", 100, "done"),
                            makeEntity(entityId(0x300), "problem",
                                       {{"plan", kPlan.hex()},
                                        {"description", "p"},
                                        {"owner_department", kProd.hex()},
                                        {"reported_at", at("2025-03-06")}})});
    std::vector<PlanSnapshot> plans{plan};
    auto rows = departmentRollups(plans, contextAt(at("2025-03-12", 12)));
    REQUIRE(rows.size() == 3);
    auto find = [&](const EntityId& id) -> const DepartmentRollup& {
        for (const auto& r : rows)
            if (r.department == id) return r;
        FAIL("no row");
        return rows.front();
    };
    CHECK(find(kMkt).overdueTasks == 1);
    CHECK(find(kMkt).missingSignoffs == 1);
    CHECK(find(kMkt).rag == Rag::Red);  // 5 working days late
    CHECK(find(kSales).overdueTasks == 1);
    CHECK(find(kSales).missingSignoffs == 0);
    CHECK(find(kProd).openProblems == 1);
    CHECK(find(kProd).missingSignoffs == 1);
    CHECK(find(kProd).rag == Rag::Red);  // problem open > 48 h
    CHECK(find(kProd).name == "产品部");

    const Json prod = departmentRollupJson(find(kProd));
    CHECK(prod == Json{{"department", kProd.hex()}, {"name", "产品部"}, {"overdue_tasks", 0}, {"open_problems", 1},
                       {"missing_signoffs", 1}, {"warnings", find(kProd).warnings}, {"rag", "red"}});
    const std::string zh = departmentRollupsMarkdown(rows, Language::Chinese);
    CHECK(zh.rfind("# 各部门汇总\n\n| 部门 | 逾期任务 | 未解决问题 | 缺少签字 | 预警 | 状态 |\n", 0) == 0);
    CHECK(zh.find("| 产品部 | 0 | 1 | 1 | " + std::to_string(find(kProd).warnings) + " | 红灯 |\n") != std::string::npos);
    CHECK(departmentRollupsMarkdown(rows, Language::English).find("| Department | Overdue tasks |") != std::string::npos);
}

TEST_CASE("rules: warnings, the RAG and the roll-ups read no progress entry, so a Scope::Rules snapshot judges alike") {
    // A late task, a task behind plan, an old open problem — and progress entries about
    // them, recent and stale. PlanSnapshot::Scope::Rules leaves the entries out.
    auto late = makeTask(0x200, "渠道铺货", kSales, kSalesLi, "2025-03-03", "2025-03-07", 40);
    auto behind = makeTask(0x201, "培训材料", kMkt, kMktChen, "2025-03-03", "2025-03-21", 10);
    auto entry = makeEntity(entityId(0x700), "progress_entry",
                            {{"plan", kPlan.hex()},
                             {"task", late.id.hex()},
                             {"author", kSalesLi.hex()},
                             {"percent", 40},
                             {"problem", "门店暂停合作"},
                             {"reported_at", at("2025-03-12", 9)}});
    auto stale = makeEntity(entityId(0x701), "progress_entry",
                            {{"plan", kPlan.hex()}, {"task", behind.id.hex()}, {"percent", 5}, {"reported_at", at("2025-02-20")}});
    auto problem = makeEntity(entityId(0x300), "problem",
                              {{"plan", kPlan.hex()},
                               {"description", "广告素材未通过审核"},
                               {"owner_department", kMkt.hex()},
                               {"reported_at", at("2025-03-10", 9)},
                               {"status", "open"}});
    auto whole = snapshotOf({basePlan(), late, behind, entry, stale, problem});
    REQUIRE(whole.progressEntries.size() == 2);
    auto forRules = whole;
    forRules.progressEntries.clear();
    const auto context = contextAt(at("2025-03-14", 17));
    const auto warnings = evaluateRules(whole, context);
    REQUIRE(warnings.size() >= 2);
    auto described = [](const std::vector<Warning>& list) {
        std::vector<std::string> out;
        for (const Warning& w : list) {
            std::string routed;
            for (const EntityId& m : w.routedTo) routed += m.hex() + ",";
            out.push_back(formatWarning(w, Language::English) + "|" + ragName(w.severity) + "|" + routed);
        }
        return out;
    };
    CHECK(described(evaluateRules(forRules, context)) == described(warnings));
    CHECK(planRag(forRules, evaluateRules(forRules, context)) == planRag(whole, warnings));
    const std::vector<PlanSnapshot> wholes{whole}, rulesOnly{forRules};
    const auto rollups = departmentRollups(wholes, context), rollupsForRules = departmentRollups(rulesOnly, context);
    REQUIRE(rollups.size() == rollupsForRules.size());
    for (std::size_t i = 0; i < rollups.size(); ++i)
        CHECK(departmentRollupJson(rollups[i]) == departmentRollupJson(rollupsForRules[i]));
}

TEST_CASE("rules: the weekly report is compiled from the week's entries, problems and requests") {
    auto done = makeTask(0x200, "推广方案", kMkt, kMktChen, "2025-03-03", "2025-03-07", 100, "done");
    setField(done, "actual_finish", "2025-03-06", at("2025-03-06"));
    auto running = makeTask(0x201, "渠道铺货", kSales, kSalesLi, "2025-03-05", "2025-03-14", 50);
    auto later = makeTask(0x202, "效果复盘", kMkt, kMktChen, "2025-04-01", "2025-04-10");
    auto entry = makeEntity(entityId(0x700), "progress_entry",
                            {{"plan", kPlan.hex()},
                             {"task", running.id.hex()},
                             {"author", kSalesLi.hex()},
                             {"percent", 50},
                             {"note", "3个门店暂停合作"},
                             {"next_step", "协调2个新门店替代"},
                             {"reported_at", at("2025-03-07", 16)}});
    auto oldEntry = makeEntity(entityId(0x701), "progress_entry",
                               {{"plan", kPlan.hex()},
                                {"task", running.id.hex()},
                                {"percent", 10},
                                {"next_step", "旧计划"},
                                {"reported_at", at("2025-02-28", 16)}});
    auto problem = makeEntity(entityId(0x300), "problem",
                              {{"plan", kPlan.hex()},
                               {"description", "广告素材未通过审核"},
                               {"severity", "general"},
                               {"owner_department", kMkt.hex()},
                               {"reported_at", at("2025-03-06", 9)},
                               {"status", "open"}});
    auto oldResolved = makeEntity(
        entityId(0x301), "problem",
        {{"plan", kPlan.hex()}, {"description", "旧问题"}, {"reported_at", at("2025-02-20")}, {"status", "resolved"}});
    auto request = makeEntity(entityId(0x400), "resource_request",
                              {{"plan", kPlan.hex()},
                               {"provider", kSales.hex()},
                               {"purpose", "10个渠道门店"},
                               {"needed_by", "2025-03-12"},
                               {"requested_at", at("2025-03-04", 10)},
                               {"status", "open"}});
    auto snapshot = snapshotOf({basePlan(), done, running, later, entry, oldEntry, problem, oldResolved, request});
    auto report = weeklyReport(snapshot, contextAt(at("2025-03-07", 17)));
    CHECK(report.weekStart == date("2025-03-03"));
    CHECK(report.weekEnd == date("2025-03-09"));
    CHECK(report.progressEntries == 1);
    REQUIRE(report.doneThisWeek.size() == 1);
    CHECK(report.doneThisWeek[0].name == "推广方案");
    CHECK(report.doneThisWeek[0].finished == "2025-03-06");
    REQUIRE(report.nextWeek.size() == 1);
    CHECK(report.nextWeek[0].name == "渠道铺货");
    CHECK(report.nextWeek[0].nextStep == "协调2个新门店替代");
    CHECK(report.nextWeek[0].department == "销售部");
    REQUIRE(report.problems.size() == 1);
    CHECK(report.problems[0].description == "广告素材未通过审核");
    REQUIRE(report.resourcesNeeded.size() == 1);
    CHECK(report.resourcesNeeded[0].provider == "销售部");
    REQUIRE(report.ragByDepartment.size() == 3);
    CHECK(report.ragByDepartment[0].name == "市场部");
    CHECK(report.ragByDepartment[0].rag == Rag::Yellow);  // the open problem needs a meeting
    CHECK(report.planRag == Rag::Yellow);
    const std::string md = weeklyReportMarkdown(report, snapshot, Language::Chinese);
    CHECK(md.find("# 项目周报：2025年Q1新品推广") != std::string::npos);
    CHECK(md.find("| 渠道铺货 | 销售部 | 2025-03-14 | 50% | 协调2个新门店替代 |") != std::string::npos);
    CHECK(md.find("## 需协调资源") != std::string::npos);
    CHECK(weeklyReportMarkdown(report, snapshot, Language::English).find("## Done this week") != std::string::npos);

    const Json json = weeklyReportJson(report);
    CHECK(json["plan"] == kPlan.hex());
    CHECK(json["week_start"] == "2025-03-03");
    CHECK(json["week_end"] == "2025-03-09");
    CHECK(json["rag"] == "yellow");
    CHECK(json["progress_entries"] == 1);
    CHECK(json["done_this_week"] ==
          Json::array({{{"task", done.id.hex()}, {"name", "推广方案"}, {"department", "市场部"}, {"finished", "2025-03-06"}}}));
    CHECK(json["next_week"][0]["next_step"] == "协调2个新门店替代");
    CHECK(json["next_week"][0]["percent"] == 50);
    CHECK(json["problems"][0]["problem"] == problem.id.hex());
    CHECK(json["resources_needed"][0]["needed_by"] == "2025-03-12");
    CHECK(json["rag_by_department"][0] == Json{{"department", kMkt.hex()}, {"name", "市场部"}, {"rag", "yellow"}});
}

TEST_CASE("rules: a snapshot loaded from a replica gives the same warnings as plain entities") {
    TempDir dir;
    ManualClock clock;
    clock.set(at("2025-01-02"));
    auto replica = Replica::open(dir.file("r.db"), fastOptions(clock, 0x42));
    REQUIRE(replica);
    std::vector<Entity> entities = organisation();
    entities.push_back(basePlan());
    entities.push_back(
        makeTask(0x200, "推广方案", kMkt, kMktChen, "2025-03-01", "2025-03-05", 10, "in_progress", kSales));
    entities.push_back(makeEntity(entityId(0x300), "problem",
                                  {{"plan", kPlan.hex()}, {"description", "p"}, {"reported_at", at("2025-03-05")}}));
    for (const Entity& e : entities) {
        std::vector<std::pair<std::string, Json>> fields;
        for (const auto& [name, fv] : e.fields) fields.emplace_back(name, fv.value);
        auto written = (*replica)->write(e.id, e.type, fields);
        INFO((written ? std::string() : written.error().code + ": " + written.error().message));
        REQUIRE(written);
    }
    auto fromReplica = PlanSnapshot::load(**replica, kPlan);
    REQUIRE(fromReplica);
    CHECK(fromReplica->tasks.size() == 1);
    CHECK(fromReplica->departments.size() == 3);
    const auto ctx = contextAt(at("2025-03-12", 12));
    auto a = evaluateRules(*fromReplica, ctx);
    auto b = evaluateRules(snapshotOf({entities.begin() + 9, entities.end()}), ctx);
    REQUIRE(a.size() == b.size());
    REQUIRE(a.size() == 2);
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].kind == b[i].kind);
        CHECK(a[i].severity == b[i].severity);
        CHECK(a[i].routedTo == b[i].routedTo);
    }
    CHECK_FALSE(PlanSnapshot::load(**replica, entityId(0x999)));
}
