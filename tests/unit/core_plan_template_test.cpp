#include <catch2/catch.hpp>

#include "rules_fixture.h"
#include "tandem/core/plan_template.h"
#include "tandem/core/schema.h"
#include "tandem/core/signable.h"

using namespace tandem::core;
using namespace tandem::test;

namespace {

PlanTemplateInput input(Language language = Language::Chinese) {
    PlanTemplateInput in;
    in.title = "2025年Q3新产品X推广";
    in.leadDepartment = kMkt;
    in.owner = kMktHead;
    in.participants = {kSales, kProd, kMkt, kSales};  // the lead and a duplicate are dropped
    in.start = date("2025-09-27");                    // a Saturday (and no 调休)
    in.language = language;
    return in;
}

std::function<EntityId()> counter() {
    auto n = std::make_shared<std::uint64_t>(0x1000);
    return [n] { return entityId((*n)++); };
}

const Json* field(const WriteOp& op, const std::string& name) {
    for (const auto& [k, v] : op.fields)
        if (k == name) return &v;
    return nullptr;
}

}  // namespace

TEST_CASE("plan template: every write passes the schema, plan first") {
    for (Language language : {Language::Chinese, Language::English}) {
        auto ops = standardPlanTemplate(input(language), counter());
        REQUIRE(ops);
        REQUIRE(ops->size() == 1 + 3 + 2 + 1);
        CHECK((*ops)[0].type == "plan");
        for (const WriteOp& op : *ops) {
            const TypeSpec* type = findType(op.type);
            REQUIRE(type);
            for (const auto& [name, value] : op.fields) {
                INFO(op.type << "." << name << " = " << value.dump());
                CHECK(validateField(*type, name, value));
            }
            if (type->planScoped) CHECK(*field(op, "plan") == (*ops)[0].entity.hex());
        }
    }
}

TEST_CASE("plan template: sections are prefilled from the seed template") {
    auto ops = standardPlanTemplate(input(), counter());
    REQUIRE(ops);
    const WriteOp& plan = (*ops)[0];
    CHECK(*field(plan, "title") == "2025年Q3新产品X推广");
    CHECK(*field(plan, "status") == "draft");
    CHECK(*field(plan, "start") == "2025-09-28");  // moved to the first working day: Sunday 9/28 is 调休
    CHECK(field(plan, "meeting_cadence")->get<std::string>().find("每周五") != std::string::npos);
    CHECK(field(plan, "channels")->get<std::string>().find("24小时") != std::string::npos);
    CHECK(field(plan, "channels")->get<std::string>().find("48小时") != std::string::npos);
    CHECK(*field(plan, "escalation_hours") == 48);
    CHECK(*field(plan, "escalation_contact") == kMktHead.hex());
    CHECK(*field(plan, "participants." + kSales.hex()) == true);
    CHECK(*field(plan, "participants." + kProd.hex()) == true);
    CHECK(field(plan, "participants." + kMkt.hex()) == nullptr);
    CHECK(field(plan, "subgoal." + kProd.hex()) != nullptr);
    for (const char* name : {"background", "goal_what", "goal_metric", "goal_target", "goal_deadline", "scope_in",
                             "scope_out", "lead_department", "owner", "end", "acceptance_note"})
        CHECK(field(plan, name) != nullptr);

    // Phase tasks chain by predecessors; RACI covers every department.
    const WriteOp& prep = (*ops)[1];
    const WriteOp& exec = (*ops)[2];
    const WriteOp& review = (*ops)[3];
    CHECK(*field(exec, "predecessors." + prep.entity.hex()) == true);
    CHECK(*field(review, "predecessors." + exec.entity.hex()) == true);
    CHECK(*field(exec, "raci." + kMkt.hex()) == "A");
    CHECK(*field(exec, "raci." + kSales.hex()) == "R");
    CHECK(*field(exec, "collaborators." + kProd.hex()) == true);
    CHECK(*field(prep, "raci." + kProd.hex()) == "C");
    const auto cal = WorkCalendar::chinaDefault();
    for (const WriteOp* task : {&prep, &exec, &review}) {
        CHECK(cal.isWorkingDay(*parseDate(field(*task, "due")->get<std::string>())));
        CHECK(cal.isWorkingDay(*parseDate(field(*task, "start")->get<std::string>())));
    }
    // Execution starts after 国庆 (10/1–10/8).
    CHECK(*field(exec, "start") == "2025-10-13");
    CHECK(*field((*ops)[6], "trigger") == "任一关键任务延期超过2个工作日，或进度落后计划超过20%");
    CHECK(*field((*ops)[6], "rag") == "green");
}

TEST_CASE("plan template: an empty or over-long title is refused") {
    auto in = input();
    in.title = "";
    CHECK_FALSE(standardPlanTemplate(in, counter()));
    in.title = std::string(201, 'x');
    auto refused = standardPlanTemplate(in, counter());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == "invalid_value");
}

TEST_CASE("plan template: written to a replica, the new plan is green on its first day") {
    TempDir dir;
    ManualClock clock;
    clock.set(at("2025-09-26"));
    auto replica = Replica::open(dir.file("r.db"), fastOptions(clock, 0x42));
    REQUIRE(replica);
    Replica& r = **replica;
    for (const Entity& e : organisation()) {
        std::vector<std::pair<std::string, Json>> fields;
        for (const auto& [name, fv] : e.fields) fields.emplace_back(name, fv.value);
        auto written = r.write(e.id, e.type, fields);
        INFO((written ? std::string() : written.error().code + ": " + written.error().message));
        REQUIRE(written);
    }
    auto ops = standardPlanTemplate(input(), [&] { return r.newEntityId(); });
    REQUIRE(ops);
    for (const WriteOp& op : *ops) REQUIRE(r.write(op.entity, op.type, op.fields));
    auto snapshot = PlanSnapshot::load(r, (*ops)[0].entity);
    REQUIRE(snapshot);
    CHECK(snapshot->tasks.size() == 3);
    CHECK(snapshot->milestones.size() == 2);
    CHECK(snapshot->risks.size() == 1);
    CHECK(snapshot->participants().size() == 2);
    auto warnings = evaluateRules(*snapshot, contextAt(at("2025-09-29", 9)));
    CHECK(warnings.empty());
    CHECK(planRag(*snapshot, warnings) == Rag::Green);
    CHECK(contentHash(r, (*ops)[0].entity));
}
