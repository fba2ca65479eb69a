// Retention of archived plans (issue 6, DESIGN §6): core::mayWrite keeps an archived
// plan and its records read-only; from archived_at + the retention period on, an admin
// may set `deleted` on them and nothing else.
#include <catch2/catch.hpp>

#include "rules_fixture.h"
#include "tandem/core/permissions.h"

using namespace tandem::core;
using namespace tandem::test;

namespace {

constexpr std::int64_t kDay = 24LL * 3600 * 1000;
const std::int64_t kArchivedAt = at("2025-07-04", 10);
const EntityId kAdmin = entityId(0x30);

Entity archivedPlan() {
    Entity plan = basePlan("archived");
    setField(plan, "archived_at", kArchivedAt, kArchivedAt);
    return plan;
}

Principal admin() {
    Principal who;
    who.member = kAdmin;
    who.admin = true;
    return who;
}

Principal owner() {
    Principal who;
    who.member = kMktHead;
    who.department = kMkt;
    who.headOf = {kMkt};
    return who;
}

/// Writing `field` = `value` on `entity` (a stored record of the plan) at `nowMs`.
Decision judge(const Principal& who, const Entity& entity, const Entity& plan, const std::string& field, Json value,
               std::int64_t nowMs, int retentionDays = kMinRetentionDays) {
    WriteFacts w = writeOn(entity, plan, field, std::move(value));
    w.nowMs = nowMs;
    w.retentionDays = retentionDays;
    return mayWrite(who, w);
}

}  // namespace

TEST_CASE("retention: the plan's archived_at reaches the permission facts") {
    CHECK(PlanFacts::fromEntity(archivedPlan()).archivedAtMs == kArchivedAt);
    CHECK(!PlanFacts::fromEntity(basePlan()).archivedAtMs);
}

TEST_CASE("retention: an admin may delete an archived plan from archived_at + 730 days, not a day before") {
    const Entity plan = archivedPlan();
    const std::int64_t expiry = kArchivedAt + 730 * kDay;
    const Decision before = judge(admin(), plan, plan, "deleted", true, expiry - kDay);
    CHECK(!before.allowed);
    CHECK_THAT(before.message, Catch::Contains("kept for 730 days") && Catch::Contains("2027-07-04 10:00"));
    CHECK(!judge(admin(), plan, plan, "deleted", true, expiry - 1).allowed);
    CHECK(judge(admin(), plan, plan, "deleted", true, expiry).allowed);
    CHECK(judge(admin(), plan, plan, "deleted", true, expiry + kDay).allowed);
}

TEST_CASE("retention: after expiry an admin deletes the archived plan's records, and may restore them") {
    const Entity plan = archivedPlan();
    const Entity task = makeTask(0x200, "推广方案", kMkt, kMktChen, "2025-03-01", "2025-04-30", 100, "done");
    const std::int64_t later = kArchivedAt + 731 * kDay;
    CHECK(judge(admin(), task, plan, "deleted", true, later).allowed);
    CHECK(judge(admin(), task, plan, "deleted", false, later).allowed);
    CHECK(!judge(admin(), task, plan, "deleted", true, kArchivedAt + 729 * kDay).allowed);
}

TEST_CASE("retention: an archived plan's other fields stay read-only, even for an admin after expiry") {
    const Entity plan = archivedPlan();
    const Entity task = makeTask(0x200, "推广方案", kMkt, kMktChen, "2025-03-01", "2025-04-30", 100, "done");
    const std::int64_t later = kArchivedAt + 731 * kDay;
    for (const std::int64_t now : {kArchivedAt + kDay, later}) {
        INFO("now " << now);
        const Decision title = judge(owner(), plan, plan, "title", "改名", now);
        CHECK(!title.allowed);
        CHECK(title.message == "the plan is archived: it and its records are read-only");
        CHECK(!judge(owner(), plan, plan, "status", "done", now).allowed);
        CHECK(!judge(owner(), task, plan, "percent", 50, now).allowed);
    }
    CHECK(!judge(admin(), plan, plan, "title", "改名", later).allowed);
    CHECK(!judge(admin(), plan, plan, "retrospective", "补写", later).allowed);
    CHECK(!judge(admin(), task, plan, "name", "改名", later).allowed);
}

TEST_CASE("retention: only an admin deletes after expiry; the owner and HQ are refused") {
    const Entity plan = archivedPlan();
    const std::int64_t later = kArchivedAt + 731 * kDay;
    const Decision byOwner = judge(owner(), plan, plan, "deleted", true, later);
    CHECK(!byOwner.allowed);
    CHECK_THAT(byOwner.message, Catch::Contains("only an admin deletes them"));
    Principal hq;
    hq.member = kHq;
    hq.hq = true;
    CHECK(!judge(hq, plan, plan, "deleted", true, later).allowed);
}

TEST_CASE("retention: nothing new is added to an archived plan, even by an admin after expiry") {
    const Entity plan = archivedPlan();
    WriteFacts w;
    w.type = findType("risk");
    w.field = w.type->field("deleted");
    w.fieldName = "deleted";
    w.value = true;
    w.entityExists = false;
    w.entity = makeEntity(entityId(0x300), "risk", {{"plan", kPlan.hex()}});
    w.plan = PlanFacts::fromEntity(plan);
    w.nowMs = kArchivedAt + 731 * kDay;
    CHECK(!mayWrite(admin(), w).allowed);
}

TEST_CASE("retention: a longer retention period holds deletion back longer") {
    const Entity plan = archivedPlan();
    CHECK(!judge(admin(), plan, plan, "deleted", true, kArchivedAt + 731 * kDay, 1000).allowed);
    CHECK(!judge(admin(), plan, plan, "deleted", true, kArchivedAt + 1000 * kDay - 1, 1000).allowed);
    CHECK(judge(admin(), plan, plan, "deleted", true, kArchivedAt + 1000 * kDay, 1000).allowed);
}

TEST_CASE("retention: an archived plan without archived_at is kept") {
    const Entity plan = basePlan("archived");
    const Decision d = judge(admin(), plan, plan, "deleted", true, kArchivedAt + 10000 * kDay);
    CHECK(!d.allowed);
    CHECK_THAT(d.message, Catch::Contains("no archiving time"));
}

TEST_CASE("retention: archived_at is the server's to write") {
    Entity plan = basePlan("done");
    const Decision d = judge(owner(), plan, plan, "archived_at", kArchivedAt - 1000 * kDay, kArchivedAt);
    CHECK(!d.allowed);
    CHECK(d.message == "this field is written by the server only");
}
