// End-to-end (issue 6): acceptance, archive, the weekly report and the department
// roll-ups through the real tandem-server (--demo) and tandem-cli processes.

#include "e2e_support.h"
#include "tandem/core/calendar.h"

using namespace tandem;
using core::Json;
using test::Cli;
using test::Demo;
using test::Server;
using test::TempDir;

namespace {

using Env = std::map<std::string, std::string>;

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// The device clock set to 10:00 (UTC+8) on `day`, through the CLI's clock test hook.
Env deviceClockAt(const char* day) {
    const std::int64_t target = core::startOfDay(*core::parseDate(day), core::kChinaUtcOffsetMinutes) + 10 * 3600'000;
    return {{"TANDEM_CLOCK_OFFSET_MS", std::to_string(target - nowMs())}};
}

/// Text in one language: LANG decides when LC_ALL and LC_MESSAGES are unset.
Env language(const char* lang) {
    return {{"LANG", lang}, {"LC_ALL", ""}, {"LC_MESSAGES", ""}};
}

Json fieldsOf(const Cli& cli, const std::string& id, const Env& env = {}) {
    return cli.json({"show", id}, env)["fields"];
}

/// The demo task called `name`.
std::string taskNamed(const Demo& demo, const std::string& name) {
    for (auto& [id, e] : demo.entities.items())
        if (e["type"] == "task" && e["fields"].value("name", "") == name) return id;
    FAIL("no task " << name);
    return {};
}

}  // namespace

TEST_CASE("e2e: a failed acceptance's rework is due 2 working days out, across a weekend and synced holidays",
          "[e2e][acceptance]") {
    TempDir tmp;
    Server server(tmp);
    // Two replicas of the owner: the device clock is set before each one's first offline
    // edit (a sync teaches a replica the server's time, which then overrides the device's).
    Cli owner(tmp, "owner"), ownerAgain(tmp, "owner-again"), admin(tmp, "admin"), zhao(tmp, "zhao");
    owner.signIn(server, "mkt.head");
    const Demo demo = Demo::from(owner);

    // Usage: a failed acceptance names the rework; a passed one has no failed check.
    CHECK(owner.run({"accept", demo.plan, "fail"}).status == 2);
    CHECK(owner.run({"accept", demo.plan, "pass", "--accuracy", "fail"}).status == 2);
    CHECK(owner.run({"accept", demo.plan, "pass", "--rectification", "x"}).status == 2);
    CHECK(owner.run({"accept", demo.plan, "maybe"}).status == 2);

    // Friday 2026-12-04: two working days later is Tuesday 2026-12-08.
    const Env friday = deviceClockAt("2026-12-04");
    const Json failed = owner.json({"accept", demo.plan, "fail", "--completeness", "pass", "--accuracy", "fail",
                                    "--note", "渠道数据不全", "--rectification", "补充各渠道铺货数据并重新提交"},
                                   friday);
    CHECK(failed["result"] == "rejected");
    CHECK(failed["rectification_due"] == "2026-12-08");
    Json fields = fieldsOf(owner, demo.plan, friday);
    CHECK(fields["acceptance_result"] == "rejected");
    CHECK(fields["acceptance_completeness"] == "pass");
    CHECK(fields["acceptance_accuracy"] == "fail");
    CHECK(fields["acceptance_timeliness"].is_null());
    CHECK(fields["acceptance_note"] == "渠道数据不全");
    CHECK(fields["rectification"] == "补充各渠道铺货数据并重新提交");
    CHECK(fields["rectification_due"] == "2026-12-08");
    CHECK(fields["status"] == "in_progress");
    CHECK(owner.json({"sync"}, friday)["rejected"] == 0);

    // The organisation declares Monday 2026-12-07 a holiday: the rework is due Wednesday.
    admin.signIn(server, "admin");
    admin.ok({"new", "calendar_day", "date=\"2026-12-07\"", "kind=\"holiday\"", "name=\"测试假日\""});
    admin.ok({"sync"});
    ownerAgain.signIn(server, "mkt.head");
    CHECK(fieldsOf(ownerAgain, demo.plan)["rectification_due"] == "2026-12-08");
    CHECK(ownerAgain.json({"accept", demo.plan, "fail", "--rectification", "再次补充"}, friday)["rectification_due"] ==
          "2026-12-09");
    CHECK(ownerAgain.json({"sync"}, friday)["rejected"] == 0);

    // Everyone sees the acceptance as the owner recorded it last.
    zhao.signIn(server, "hq.zhao");
    CHECK(fieldsOf(zhao, demo.plan)["rectification_due"] == "2026-12-09");
    CHECK(fieldsOf(zhao, demo.plan)["rectification"] == "再次补充");
}

TEST_CASE("e2e: a passed acceptance closes the plan; archive writes the retrospective and the server's archived_at",
          "[e2e][acceptance]") {
    TempDir tmp;
    Server server(tmp);
    Cli owner(tmp, "owner"), zhao(tmp, "zhao");
    owner.signIn(server, "mkt.head");
    const Demo demo = Demo::from(owner);

    const Json passed = owner.json({"accept", demo.plan, "pass", "--completeness", "pass", "--accuracy", "pass",
                                    "--timeliness", "pass", "--note", "目标达成"});
    CHECK(passed["status"] == "done");
    CHECK(passed["rectification_due"].is_null());
    CHECK(owner.json({"sync"})["rejected"] == 0);

    const std::int64_t before = nowMs();
    const Json archived = owner.json({"archive", demo.plan, "--retrospective", "复盘：渠道铺货提前两周启动效果更好"});
    CHECK(archived["status"] == "archived");
    CHECK(owner.json({"sync"})["rejected"] == 0);

    zhao.signIn(server, "hq.zhao");
    const Json fields = fieldsOf(zhao, demo.plan);
    CHECK(fields["status"] == "archived");
    CHECK(fields["acceptance_result"] == "accepted");
    CHECK(fields["acceptance_timeliness"] == "pass");
    CHECK(fields["retrospective"] == "复盘：渠道铺货提前两周启动效果更好");
    REQUIRE(fields["archived_at"].is_number_integer());
    CHECK(fields["archived_at"].get<std::int64_t>() >= before);
    CHECK(fields["archived_at"].get<std::int64_t>() <= nowMs());
}

TEST_CASE("e2e: offline, acceptance and archive refuse what the server would, with its message; archived is read-only",
          "[e2e][acceptance]") {
    TempDir tmp;
    Server server(tmp);
    Cli owner(tmp, "owner"), sales(tmp, "sales"), admin(tmp, "admin");
    owner.signIn(server, "mkt.head");
    const Demo demo = Demo::from(owner);

    // Only the owner records a passed acceptance (it moves the plan to done).
    sales.signIn(server, "sales.head");
    CHECK(sales.run({"accept", demo.plan, "pass"}).status == 1);
    CHECK_THAT(sales.lastError(), Catch::Contains("only the plan's owner and the lead department's head"));
    CHECK(sales.json({"status"})["pending"] == 0);
    // Archiving comes after acceptance.
    CHECK(owner.run({"archive", demo.plan}).status == 1);
    CHECK_THAT(owner.lastError(), Catch::Contains("a plan cannot go from in_progress to archived"));

    owner.ok({"accept", demo.plan, "pass"});
    owner.ok({"archive", demo.plan, "--retrospective", "复盘"});
    owner.ok({"sync"});
    // Archived: the owner's edit and the admin's delete (730 days not yet past) are
    // refused on the spot, and nothing waits to sync.
    CHECK(owner.run({"set", demo.plan, "title", "\"改名\""}).status == 1);
    CHECK_THAT(owner.lastError(), Catch::Contains("the plan is archived: it and its records are read-only"));
    CHECK(owner.run({"archive", demo.plan, "--retrospective", "补写"}).status == 1);
    admin.signIn(server, "admin");
    CHECK(admin.run({"delete", demo.plan}).status == 1);
    CHECK_THAT(admin.lastError(), Catch::Contains("kept for 730 days"));
    CHECK(owner.json({"status"})["pending"] == 0);
    CHECK(admin.json({"status"})["pending"] == 0);
}

TEST_CASE("e2e: report prints the week's 项目周报 from progress, problems and requests, in Chinese or English",
          "[e2e][report]") {
    TempDir tmp;
    Server server(tmp);
    Cli li(tmp, "li");
    li.signIn(server, "sales.li");
    const Demo demo = Demo::from(li);
    const std::string task = taskNamed(demo, "销售培训材料制作");
    li.ok({"progress", task, "100", "--note", "培训材料定稿", "--next", "安排门店培训"});
    li.ok({"new", "problem", "plan=\"" + demo.plan + "\"", "description=\"培训场地不足\"",
           "owner_department=\"" + demo.departments.at("SALES") + "\"", "status=\"open\""});

    const Json report = li.json({"report", demo.plan});
    const core::CalendarDate today = core::localDate(nowMs(), core::kChinaUtcOffsetMinutes);
    CHECK(report["plan"] == demo.plan);
    CHECK(report["week_start"] == core::formatDate(core::weekStart(today)));
    CHECK(report["week_end"] == core::formatDate(core::weekStart(today) + std::chrono::days{6}));
    CHECK(report["progress_entries"].get<int>() >= 1);
    bool done = false, problem = false;
    for (const Json& item : report["done_this_week"]) done = done || item["task"] == task;
    for (const Json& item : report["problems"]) problem = problem || item["description"] == "培训场地不足";
    CHECK(done);
    CHECK(problem);
    CHECK(report["rag_by_department"].size() == 4);  // MKT leads; SALES, PROD, SVC join
    for (const char* section : {"next_week", "resources_needed"}) CHECK(report[section].is_array());

    const std::string zh = li.ok({"report", demo.plan}, language("zh_CN.UTF-8"));
    CHECK_THAT(zh, Catch::StartsWith("# 项目周报：Q3 新品推广"));
    for (const char* heading : {"## 本周完成", "## 下周计划", "## 问题", "## 需协调资源", "## 各部门状态"})
        CHECK_THAT(zh, Catch::Contains(heading));
    CHECK_THAT(zh, Catch::Contains("销售培训材料制作") && Catch::Contains("培训场地不足"));
    const std::string en = li.ok({"report", demo.plan}, language("C"));
    CHECK_THAT(en, Catch::StartsWith("# Weekly report: Q3 新品推广"));
    for (const char* heading : {"## Done this week", "## Next week", "## Problems", "## Resources needed"})
        CHECK_THAT(en, Catch::Contains(heading));

    // Two weeks back: that week's report, without this week's finish.
    const std::string earlier = core::formatDate(today - std::chrono::days{14});
    const Json past = li.json({"report", demo.plan, "--week", earlier});
    CHECK(past["week_start"] == core::formatDate(core::weekStart(today - std::chrono::days{14})));
    for (const Json& item : past["done_this_week"]) CHECK(item["task"] != task);
    CHECK(li.run({"report", demo.plan, "--week", "2026-02-30"}).status == 2);
    CHECK(li.run({"report"}).status == 2);
}

TEST_CASE("e2e: rollup counts overdue tasks, open problems and missing sign-offs per department (HQ's view)",
          "[e2e][report]") {
    TempDir tmp;
    Server server(tmp);
    Cli zhao(tmp, "zhao"), li(tmp, "li");
    zhao.signIn(server, "hq.zhao");
    const Demo demo = Demo::from(zhao);

    auto byName = [](const Json& rows) {
        std::map<std::string, Json> out;
        for (const Json& row : rows) out[row["name"].get<std::string>()] = row;
        return out;
    };
    auto rows = byName(zhao.json({"rollup"}));
    REQUIRE(rows.size() == 4);
    for (const char* name : {"市场部", "销售部", "产品部", "售后部"}) {
        INFO(name);
        REQUIRE(rows.count(name));
        for (const char* key : {"department", "overdue_tasks", "open_problems", "missing_signoffs", "warnings", "rag"})
            CHECK(rows[name].contains(key));
        CHECK(rows[name]["missing_signoffs"] == 0);  // the demo plan is approved and published
    }
    int overdue = 0;
    for (const auto& [name, row] : rows) overdue += row["overdue_tasks"].get<int>();
    CHECK(overdue > 0);  // the demo has late work

    // A problem SALES owns counts against SALES once it reaches HQ.
    const int salesProblems = rows["销售部"]["open_problems"].get<int>();
    li.signIn(server, "sales.li");
    li.ok({"new", "problem", "plan=\"" + demo.plan + "\"", "description=\"门店缺货\"",
           "owner_department=\"" + demo.departments.at("SALES") + "\"", "status=\"open\""});
    li.ok({"sync"});
    zhao.ok({"sync"});
    rows = byName(zhao.json({"rollup"}));
    CHECK(rows["销售部"]["open_problems"] == salesProblems + 1);

    CHECK_THAT(zhao.ok({"rollup"}, language("zh_CN.UTF-8")),
               Catch::StartsWith("# 各部门汇总") && Catch::Contains("| 销售部 | "));
    CHECK_THAT(zhao.ok({"rollup"}, language("en_US.UTF-8")),
               Catch::StartsWith("# Department roll-up") && Catch::Contains("Missing sign-offs"));
    CHECK(zhao.run({"rollup", "--all"}).status == 2);
}
