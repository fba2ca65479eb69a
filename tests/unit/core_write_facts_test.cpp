// The one builder of permission facts (write_facts.h), which the server's push and the
// client both call: what it reads from its FactSource, and what it leaves out.
#include <catch2/catch.hpp>
#include <map>

#include "rules_fixture.h"
#include "tandem/core/write_facts.h"

using namespace tandem::core;
using namespace tandem::test;

namespace {

/// Entities in memory, counting what the builder asks.
struct MemoryFacts : FactSource {
    std::map<EntityId, Entity> entities;
    bool approved = false;
    int approvedAsked = 0;
    int planFactsBuilt = 0;

    Result<const Entity*> entityById(const EntityId& id) override {
        auto it = entities.find(id);
        return it == entities.end() ? nullptr : &it->second;
    }
    Result<bool> hasApprovedChange(const EntityId&) override {
        ++approvedAsked;
        return approved;
    }
    PlanFacts planFacts(const Entity& plan) override {
        ++planFactsBuilt;
        return PlanFacts::fromEntity(plan);
    }
    void add(const Entity& e) { entities[e.id] = e; }
};

const EntityId kTask = entityId(0x300);
const EntityId kOtherPlan = entityId(0x101);

FieldWrite fieldWrite(Entity entity, bool exists, const std::string& field, Json value) {
    return FieldWrite{std::move(entity), exists, field, std::move(value), at("2025-04-01"), kMinRetentionDays};
}

}  // namespace

TEST_CASE("write facts: a plan-scoped write gets its plan's facts, and changeApproved only while in_progress",
          "[permissions][write_facts]") {
    MemoryFacts source;
    source.approved = true;
    source.add(basePlan("in_progress"));
    const Entity task = makeTask(0x300, "培训", kSales, kSalesLi, "2025-03-01", "2025-04-30");
    source.add(task);
    auto facts = buildWriteFacts(source, fieldWrite(task, true, "name", "新名字"));
    REQUIRE(facts);
    REQUIRE(*facts);
    const WriteFacts& w = **facts;
    CHECK(w.type->name == "task");
    CHECK(w.field->name == "name");
    CHECK(w.fieldName == "name");
    CHECK(w.value == "新名字");
    CHECK(w.entityExists);
    REQUIRE(w.plan);
    CHECK(w.plan->id == kPlan);
    CHECK(w.plan->owner == kMktHead);
    CHECK(w.plan->changeApproved);
    REQUIRE(w.task);
    CHECK(w.task->leadDepartment == kSales);
    CHECK(w.nowMs == at("2025-04-01"));
    CHECK(source.approvedAsked == 1);
    CHECK(source.planFactsBuilt == 1);

    source.add(basePlan("draft"));
    auto draft = buildWriteFacts(source, fieldWrite(task, true, "name", "x"));
    REQUIRE(draft);
    CHECK_FALSE((*draft)->plan->changeApproved);
    CHECK(source.approvedAsked == 1);  // not asked for a plan that is not published
}

TEST_CASE("write facts: a plan is judged as it will stand; a new one is not yet stored", "[permissions][write_facts]") {
    MemoryFacts source;
    Entity plan = basePlan("draft");
    setField(plan, "owner", kSalesHead.hex(), at("2025-01-03"));
    auto facts = buildWriteFacts(source, fieldWrite(plan, false, "status", "draft"));
    REQUIRE(facts);
    REQUIRE(*facts);
    CHECK_FALSE((*facts)->plan->exists);
    CHECK((*facts)->plan->owner == kSalesHead);
    CHECK(source.planFactsBuilt == 0);  // from the write itself, not the source
}

TEST_CASE("write facts: the task an entity names counts only when it is a task of the same plan",
          "[permissions][write_facts]") {
    MemoryFacts source;
    source.add(basePlan());
    const Entity entry = makeEntity(entityId(0x400), "progress_entry",
                                    {{"plan", kPlan.hex()}, {"task", kTask.hex()}, {"author", kSalesLi.hex()}});
    auto taskOf = [&] {
        auto facts = buildWriteFacts(source, fieldWrite(entry, false, "percent", 50));
        REQUIRE(facts);
        REQUIRE(*facts);
        return (*facts)->task;
    };
    CHECK_FALSE(taskOf());  // not held
    source.add(makeEntity(kTask, "risk", {{"plan", kPlan.hex()}, {"title", "not a task"}}));
    CHECK_FALSE(taskOf());
    Entity elsewhere = makeTask(0x300, "别的计划", kSales, kSalesLi, "2025-03-01", "2025-04-30");
    elsewhere.plan = kOtherPlan;
    source.add(elsewhere);
    CHECK_FALSE(taskOf());
    source.add(makeTask(0x300, "培训", kSales, kSalesLi, "2025-03-01", "2025-04-30"));
    REQUIRE(taskOf());
    CHECK(taskOf()->leadDepartment == kSales);
}

TEST_CASE("write facts: nothing for a plan the source does not hold; errors for what the schema lacks",
          "[permissions][write_facts]") {
    MemoryFacts source;
    const Entity risk = makeEntity(entityId(0x500), "risk", {{"plan", kPlan.hex()}, {"title", "延期"}});
    auto unknownPlan = buildWriteFacts(source, fieldWrite(risk, false, "title", "延期"));
    REQUIRE(unknownPlan);
    CHECK_FALSE(*unknownPlan);
    source.add(makeEntity(kPlan, "task", {{"name", "not a plan"}}));
    auto notAPlan = buildWriteFacts(source, fieldWrite(risk, false, "title", "延期"));
    REQUIRE(notAPlan);
    CHECK_FALSE(*notAPlan);

    auto department = buildWriteFacts(source, fieldWrite(makeEntity(kMkt, "department", {}), true, "name", "x"));
    REQUIRE(department);
    REQUIRE(*department);
    CHECK_FALSE((*department)->plan);  // the organisation has no plan

    auto badType = buildWriteFacts(source, fieldWrite(makeEntity(entityId(1), "gizmo", {}), false, "x", 1));
    REQUIRE_FALSE(badType);
    CHECK(badType.error().code == "unknown_type");
    auto badField = buildWriteFacts(source, fieldWrite(risk, false, "colour", "red"));
    REQUIRE_FALSE(badField);
    CHECK(badField.error().code == "unknown_field");
}
