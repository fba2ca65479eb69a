// Change requests (issue 6, DESIGN §7) in core::mayWrite: who moves a request's status,
// closed requests, and a published plan whose content changes only while a change
// request is approved — the rules the server enforces and the client mirrors offline.
#include <catch2/catch.hpp>

#include "rules_fixture.h"
#include "tandem/core/permissions.h"

using namespace tandem::core;
using namespace tandem::test;

namespace {

const EntityId kRequest = entityId(0x200);

Principal member(EntityId id, EntityId department, bool head = false) {
    Principal who;
    who.member = id;
    who.department = department;
    if (head) who.headOf = {department};
    return who;
}
const Principal kOwner = member(kMktHead, kMkt, true);
const Principal kRequester = member(kSalesLi, kSales);
const Principal kSalesHeadP = member(kSalesHead, kSales, true);

Entity request(const char* status) {
    Fields fields{{"plan", kPlan.hex()},
                  {"title", "延后签约"},
                  {"requested_by", kSalesLi.hex()},
                  {"owner_department", kSales.hex()}};
    if (status) fields.emplace_back("status", status);
    return makeEntity(kRequest, "change_request", fields);
}

/// Writing `field` = `value` on stored `entity` of a plan with `planStatus`.
Decision judge(const Principal& who, const Entity& entity, const std::string& field, Json value,
               const char* planStatus = "in_progress", bool changeApproved = false, bool exists = true) {
    WriteFacts w = writeOn(entity, basePlan(planStatus), field, std::move(value));
    w.entityExists = exists;
    w.plan->changeApproved = changeApproved;
    return mayWrite(who, w);
}

}  // namespace

TEST_CASE("change request: the requester or the plan's owner submits and withdraws it") {
    CHECK(judge(kRequester, request("open"), "status", "in_review").allowed);
    CHECK(judge(kRequester, request(nullptr), "status", "in_review").allowed);  // no status: open
    CHECK(judge(kOwner, request("open"), "status", "in_review").allowed);
    CHECK(judge(kRequester, request("in_review"), "status", "open").allowed);
    const Decision other = judge(kSalesHeadP, request("open"), "status", "in_review");
    CHECK(!other.allowed);
    CHECK(other.message == "only the requester and the plan's owner submit or withdraw a change request");
    // The owner department still edits the request's content.
    CHECK(judge(kSalesHeadP, request("in_review"), "proposal", "改为下季度").allowed);
}

TEST_CASE("change request: only the server approves or rejects it") {
    for (const char* to : {"approved", "rejected"}) {
        INFO(to);
        const Decision d = judge(kOwner, request("in_review"), "status", to);
        CHECK(!d.allowed);
        CHECK(d.message == "only the server marks a change request approved or rejected, from its sign-offs");
        Principal server;
        server.server = true;
        CHECK(mayChangeRequestStatus(server, PlanFacts::fromEntity(basePlan()), request("in_review"), to).allowed);
    }
}

TEST_CASE("change request: only the plan's owner applies it, and only once approved") {
    CHECK(judge(kOwner, request("approved"), "status", "applied").allowed);
    CHECK(judge(kRequester, request("approved"), "status", "applied").message ==
          "only the plan's owner applies a change request");
    CHECK(judge(kOwner, request("in_review"), "status", "applied").message ==
          "only an approved change request is applied");
    CHECK(judge(kOwner, request("approved"), "status", "open").message ==
          "a change request cannot go from approved to open");
}

TEST_CASE("change request: nothing leaves applied or rejected, and a closed request is not edited") {
    for (const char* from : {"applied", "rejected"}) {
        INFO(from);
        const std::string closed = std::string("the change request is ") + from + " and closed: open a new one";
        for (const char* to : {"open", "in_review", "approved", "applied"})
            CHECK(judge(kOwner, request(from), "status", to).message == closed);
        CHECK(judge(kOwner, request(from), "proposal", "再改").message == closed);
        CHECK(judge(kOwner, request(from), "deleted", true).message == closed);
    }
    CHECK(!judge(kOwner, request("in_review"), "status", nullptr).allowed);
}

TEST_CASE("change request: a new one is filed open or submitted at once, by the same rules") {
    Entity fresh = request("in_review");  // as it will stand after its first push
    CHECK(judge(kRequester, fresh, "status", "open", "in_progress", false, false).allowed);
    CHECK(judge(kRequester, fresh, "status", "in_review", "in_progress", false, false).allowed);
    CHECK(judge(kSalesHeadP, fresh, "status", "in_review", "in_progress", false, false).message ==
          "only the requester and the plan's owner submit or withdraw a change request");
    CHECK(judge(kRequester, request("approved"), "status", "approved", "in_progress", false, false).message ==
          "only the server marks a change request approved or rejected, from its sign-offs");
}

TEST_CASE("published plan: its signable content changes only while a change request is approved") {
    const std::string published = "the plan is published: its content changes only through an approved change request";
    const Entity plan = basePlan();
    const Entity task = makeTask(0x300, "渠道铺货", kSales, kSalesHead, "2025-03-01", "2025-04-01");
    const Entity milestone = makeEntity(entityId(0x301), "milestone", {{"plan", kPlan.hex()}, {"name", "上市"}});
    CHECK(judge(kOwner, plan, "title", "新标题").message == published);
    CHECK(judge(kOwner, plan, "participants." + kProd.hex(), false).message == published);
    CHECK(judge(kSalesHeadP, task, "due", "2025-05-01").message == published);
    CHECK(judge(kOwner, task, "deleted", true).message == published);
    CHECK(judge(kOwner, milestone, "due", "2025-05-01").message == published);
    CHECK(judge(kOwner, milestone, "plan", kPlan.hex(), "in_progress", false, false).message ==
          published);  // a new one
    // Not signable: execution and the plan's other fields.
    CHECK(judge(kRequester, task, "percent", 50).allowed);
    CHECK(judge(kOwner, plan, "retrospective", "—").allowed);
    // With an approved change request, or before publication, the usual rules apply.
    CHECK(judge(kOwner, plan, "title", "新标题", "in_progress", true).allowed);
    CHECK(judge(kSalesHeadP, task, "due", "2025-05-01", "in_progress", true).allowed);
    CHECK(judge(kOwner, plan, "title", "新标题", "approved").allowed);
    CHECK(judge(kOwner, plan, "title", "新标题", "done").allowed);
    // Who may write is decided first.
    CHECK(judge(kRequester, plan, "title", "新标题").message ==
          "only the plan's owner and the lead department's head change the plan");
}

TEST_CASE("published plan: an approved change request opens it until applied") {
    std::vector<Entity> requests = {request("applied"), request("rejected"), request("in_review")};
    CHECK(!hasApprovedChange(requests));
    requests.push_back(request("approved"));
    CHECK(hasApprovedChange(requests));
    Entity deleted = request("approved");
    setField(deleted, "deleted", true, at("2025-01-03"));
    CHECK(!hasApprovedChange(std::vector<Entity>{deleted}));
    CHECK(!PlanFacts::fromEntity(basePlan()).changeApproved);
}
