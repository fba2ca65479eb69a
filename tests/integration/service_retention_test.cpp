// Retention through the sync endpoint (issue 6, DESIGN §6): the server stamps
// archived_at with its own clock; the archived plan and its records stay read-only until
// archived_at + --retention-days, after which an admin may delete them and do nothing else.

#include "service_test_support.h"

using namespace tandem;
using namespace tandem::test;

namespace {

constexpr std::int64_t kDay = 24LL * 3600 * 1000;

/// The owner (mkt.head) records acceptance and archives the demo plan; returns archived_at.
std::int64_t archiveDemoPlan(ServiceHarness& h) {
    const auto& d = h.demo();
    for (const char* status : {"done", "archived"}) {
        const std::string site = newSite();
        Json ops = h.ops(site, d.plan, "plan", {{"status", status}});
        REQUIRE(acceptedIn(h.push("mkt.head", site, ops), opId(ops[0])));
    }
    const Json at = h.state("hq.zhao").get(d.plan, "archived_at");
    REQUIRE(at.is_number_integer());
    return at.get<std::int64_t>();
}

/// Pushes one field write as `who`; "accepted" or the rejection's code and message.
std::string write(ServiceHarness& h, const std::string& who, const std::string& entity, const std::string& type,
                  const std::string& field, Json value) {
    const std::string site = newSite();
    Json ops = h.ops(site, entity, type, {{field, std::move(value)}});
    Json r = rejectionOf(h.push(who, site, ops), opId(ops[0]));
    return r.is_null() ? std::string("accepted")
                       : r["code"].get<std::string>() + ": " + r["message"].get<std::string>();
}

/// Moves the server clock by `ms`; tokens outlive no 30-day session, so sign in afresh.
void advance(ServiceHarness& h, std::int64_t ms) {
    h.advance(ms);
    h.close();
    h.open();
}

}  // namespace

TEST_CASE("retention: the server stamps archived_at with its own clock, and no client may write it",
          "[service][retention]") {
    ServiceHarness h;
    const auto& d = h.demo();
    const std::int64_t before = h.now();
    const std::int64_t archivedAt = archiveDemoPlan(h);
    CHECK(archivedAt >= before);
    CHECK(archivedAt <= h.now());
    for (const char* who : {"mkt.head", "admin"})
        CHECK(write(h, who, d.plan, "plan", "archived_at", before - 1000 * kDay) ==
              "forbidden: this field is written by the server only");
}

TEST_CASE("retention: an archived plan cannot be deleted a day before archived_at + 730 days; an admin can a day after",
          "[service][retention]") {
    ServiceHarness h;
    const auto& d = h.demo();
    const std::string task = d.task.at("销售培训材料制作");
    const std::int64_t archivedAt = archiveDemoPlan(h);

    advance(h, archivedAt + 729 * kDay - h.now());
    const std::string early = write(h, "admin", d.plan, "plan", "deleted", true);
    CHECK_THAT(early, Catch::StartsWith("forbidden: the plan is archived and kept for 730 days"));
    CHECK(write(h, "admin", task, "task", "deleted", true).rfind("forbidden", 0) == 0);
    CHECK(write(h, "mkt.head", d.plan, "plan", "title", "改名").rfind("forbidden", 0) == 0);

    advance(h, 2 * kDay);
    // Only an admin, only `deleted`, only on records that exist.
    CHECK(write(h, "mkt.head", d.plan, "plan", "deleted", true).rfind("forbidden", 0) == 0);
    CHECK(write(h, "hq.zhao", task, "task", "deleted", true).rfind("forbidden", 0) == 0);
    CHECK(write(h, "admin", d.plan, "plan", "title", "改名") ==
          "forbidden: the plan is archived: it and its records are read-only");
    CHECK(write(h, "admin", task, "task", "percent", 10).rfind("forbidden", 0) == 0);
    CHECK(write(h, "admin", newEntity(), "risk", "plan", d.plan).rfind("forbidden", 0) == 0);
    CHECK(write(h, "admin", task, "task", "deleted", true) == "accepted");
    CHECK(write(h, "admin", d.plan, "plan", "deleted", true) == "accepted");

    Merged s = h.state("admin");
    CHECK(s.get(d.plan, "deleted") == true);
    CHECK(s.get(task, "deleted") == true);
    CHECK(s.get(d.plan, "title") == "Q3 新品推广");
    CHECK(s.get(d.plan, "status") == "archived");
}

TEST_CASE("retention: a server configured with a longer period holds deletion back until it ends",
          "[service][retention]") {
    ServiceHarness h(true, 1000);
    const auto& d = h.demo();
    const std::int64_t archivedAt = archiveDemoPlan(h);
    advance(h, archivedAt + 999 * kDay - h.now());
    CHECK_THAT(write(h, "admin", d.plan, "plan", "deleted", true),
               Catch::StartsWith("forbidden: the plan is archived and kept for 1000 days"));
    advance(h, 2 * kDay);
    CHECK(write(h, "admin", d.plan, "plan", "deleted", true) == "accepted");
}
