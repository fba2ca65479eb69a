// DESIGN §5a: the demo plan, pulled into a client replica, gives every page and the
// main warnings of §8 something to show (dates are relative to the server's today).

#include <set>

#include "service_test_support.h"
#include "tandem/core/op.h"
#include "tandem/core/replica.h"
#include "tandem/core/rules.h"

using namespace tandem;
using namespace tandem::test;

TEST_CASE("demo: the seeded plan raises the main warnings and is approved by every head", "[service][demo]") {
    ServiceHarness h;
    const auto& d = h.demo();
    ServiceTempDir dir;
    auto replica = core::Replica::open(dir.path() + "/client.db");
    REQUIRE(replica);
    std::vector<core::Op> ops;
    for (const Json& j : h.pullAll("sales.li")) {
        auto op = core::decodeOp(j);
        REQUIRE(op);
        ops.push_back(*op);
    }
    REQUIRE((*replica)->applyRemote(ops));
    auto plan = core::EntityId::parse(d.plan);
    auto snapshot = core::PlanSnapshot::load(**replica, *plan);
    REQUIRE(snapshot);
    CHECK(snapshot->tasks.size() == 7);
    CHECK(snapshot->milestones.size() == 4);
    CHECK(snapshot->risks.size() == 3);
    CHECK(snapshot->problems.size() == 1);
    CHECK(snapshot->resourceRequests.size() == 1);
    CHECK(snapshot->progressEntries.size() >= 10);
    CHECK(snapshot->meetingRecords.size() == 1);
    CHECK(snapshot->signoffs.size() == 4);
    for (const core::Entity& s : snapshot->signoffs) CHECK(s.get("stale").is_null());
    CHECK(snapshot->plan.get("status") == "in_progress");
    CHECK(snapshot->plan.get("approval") == "approved");
    CHECK(snapshot->plan.get("goal_what") == "3个月内实现新品销售额500万元");

    core::RuleContext ctx;
    ctx.nowMs = h.now();
    std::set<core::WarningKind> kinds;
    bool redDelay = false;
    for (const core::Warning& w : core::evaluateRules(*snapshot, ctx)) {
        kinds.insert(w.kind);
        if (w.kind == core::WarningKind::TaskDelayed && w.severity == core::Rag::Red) redDelay = true;
    }
    CHECK(redDelay);
    CHECK(kinds.count(core::WarningKind::ProgressBehind) == 1);
    CHECK(kinds.count(core::WarningKind::ProblemEscalated) == 1);
    CHECK(kinds.count(core::WarningKind::ResourceRequestOverdue) == 1);
    CHECK(kinds.count(core::WarningKind::DependencyReminder) == 1);
    auto warnings = core::evaluateRules(*snapshot, ctx);
    CHECK(core::planRag(*snapshot, warnings) == core::Rag::Red);
}
