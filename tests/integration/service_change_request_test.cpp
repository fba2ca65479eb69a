// Change requests (DESIGN §7, issue 6) through the sync endpoint: the status the server
// derives from the heads' sign-offs, with its audit entries; who moves the status; and a
// published plan whose content changes only under an approved change request, applied
// by the owner (audit `change_applied`).

#include "service_test_support.h"

using namespace tandem;
using namespace tandem::test;

namespace {

/// A draft plan led by MKT (owner mkt.head) with SALES participating, and one change
/// request of it by sales.li (SALES), open.
struct RequestFlow {
    ServiceHarness h;
    std::string plan = newEntity();
    std::string request = newEntity();
    std::string requesterSite = newSite();
    int requesterN = 1;
    Json content;  // the request's signable fields

    RequestFlow() {
        const auto& d = h.demo();
        const std::string site = newSite();
        Json ops = h.ops(site, plan, "plan",
                         {{"title", "渠道拓展"},
                          {"lead_department", d.dept.at("MKT")},
                          {"owner", h.member("mkt.head")},
                          {"participants." + d.dept.at("SALES"), true},
                          {"status", "draft"}});
        REQUIRE(h.push("mkt.head", site, ops)["rejected"].empty());
        content = {{"title", "延后签约"},
                   {"reason", "经销商预算未批"},
                   {"owner_department", d.dept.at("SALES")},
                   {"requested_by", h.member("sales.li")}};
        std::vector<std::pair<std::string, Json>> fields = {{"plan", plan}, {"status", "open"}};
        for (const auto& [name, value] : content.items()) fields.emplace_back(name, value);
        REQUIRE(requesterWrite(fields)["rejected"].empty());
    }
    Json requesterWrite(const std::vector<std::pair<std::string, Json>>& fields) {
        Json ops = h.ops(requesterSite, request, "change_request", fields, requesterN);
        requesterN += static_cast<int>(ops.size());
        return h.push("sales.li", requesterSite, ops);
    }
    /// One field written by `who` from a fresh site; returns the op's rejection or null.
    Json write(const std::string& who, const std::string& entity, const std::string& type, const std::string& field,
               Json value) {
        Json ops = h.ops(newSite(), entity, type, {{field, std::move(value)}});
        Json answer = h.push(who, ops[0]["site"], ops);
        return rejectionOf(answer, opId(ops[0]));
    }
    std::string hash() const { return changeRequestHash(content); }
    Json status() { return h.state("hq.zhao").get(request, "status"); }
    std::vector<Json> audit(const std::string& action) {
        Json all = ServiceHarness::json(h.call("GET", "/api/v1/audit?plan=" + plan, "", h.token("hq.zhao")));
        std::vector<Json> out;
        for (const Json& e : all["entries"])
            if (e["action"] == action) out.push_back(e);
        return out;
    }
};

void requireChainVerifies(ServiceHarness& h) {
    Json verify = ServiceHarness::json(h.call("GET", "/api/v1/audit/verify", "", h.token("sales.li")));
    REQUIRE(verify["ok"] == true);
}

}  // namespace

TEST_CASE("change request: the client's hash of a request is the hash computed by hand", "[service][change]") {
    RequestFlow f;
    REQUIRE(clientHash(f.h, "sales.head", f.request) == f.hash());
}

TEST_CASE("change request: every participating head's current approval approves it, with an audit entry",
          "[service][change]") {
    RequestFlow f;
    REQUIRE(f.requesterWrite({{"status", "in_review"}})["rejected"].empty());
    auto submitted = f.audit("change_request_status");
    REQUIRE(submitted.size() == 1);
    REQUIRE(submitted[0]["actor"] == f.h.member("sales.li"));
    REQUIRE(submitted[0]["details"] == Json{{"from", "open"}, {"to", "in_review"}, {"content_hash", f.hash()}});

    signOff(f.h, "sales.head", f.plan, f.request, "approve", f.hash());
    signOff(f.h, "mkt.head", f.plan, f.request, "acknowledge", f.hash());  // not a vote
    REQUIRE(f.status() == "in_review");
    signOff(f.h, "mkt.head", f.plan, f.request, "approve", f.hash());
    REQUIRE(f.status() == "approved");

    auto entries = f.audit("change_request_status");
    REQUIRE(entries.size() == 2);
    REQUIRE(entries[1]["actor"].is_null());
    REQUIRE(entries[1]["subject"] == f.request);
    REQUIRE(entries[1]["details"] == Json{{"from", "in_review"}, {"to", "approved"}, {"content_hash", f.hash()}});
    // The server's op: site 0, author null.
    for (const Json& op : f.h.pullAll("hq.zhao"))
        if (op["entity"] == f.request && op["field"] == "status" && op["value"] == "approved") {
            REQUIRE(op["site"] == "0000000000000000");
            REQUIRE(op["author"].is_null());
        }
    requireChainVerifies(f.h);
}

TEST_CASE("change request: one department's reject rejects it, and a rejected request is closed", "[service][change]") {
    RequestFlow f;
    REQUIRE(f.requesterWrite({{"status", "in_review"}})["rejected"].empty());
    signOff(f.h, "mkt.head", f.plan, f.request, "approve", f.hash());
    signOff(f.h, "sales.head", f.plan, f.request, "reject", f.hash());
    REQUIRE(f.status() == "rejected");
    REQUIRE(f.audit("change_request_status").back()["details"]["to"] == "rejected");

    Json reopen = f.write("sales.li", f.request, "change_request", "status", "in_review");
    REQUIRE(reopen["code"] == "forbidden");
    REQUIRE(reopen["message"] == "the change request is rejected and closed: open a new one");
    REQUIRE(f.write("sales.li", f.request, "change_request", "proposal", "再试一次")["code"] == "forbidden");
    // A later approval does not revive it: sign-offs on a request not in review are stale.
    const std::string late = signOff(f.h, "sales.head", f.plan, f.request, "approve", f.hash());
    REQUIRE(f.status() == "rejected");
    REQUIRE(f.h.state("hq.zhao").get(late, "stale") == true);
    REQUIRE(f.audit("signoff_stale").back()["details"]["reason"] == "not_in_review");
}

TEST_CASE("change request: an edit after approval makes the approvals stale and sends it back to review",
          "[service][change]") {
    RequestFlow f;
    REQUIRE(f.requesterWrite({{"status", "in_review"}})["rejected"].empty());
    const std::string a = signOff(f.h, "sales.head", f.plan, f.request, "approve", f.hash());
    const std::string b = signOff(f.h, "mkt.head", f.plan, f.request, "approve", f.hash());
    REQUIRE(f.status() == "approved");

    REQUIRE(f.requesterWrite({{"proposal", "改为下季度签约"}})["rejected"].empty());
    f.content["proposal"] = "改为下季度签约";
    Merged m = f.h.state("hq.zhao");
    REQUIRE(m.get(a, "stale") == true);
    REQUIRE(m.get(b, "stale") == true);
    REQUIRE(m.get(f.request, "status") == "in_review");
    REQUIRE(f.audit("change_request_status").back()["details"] ==
            Json{{"from", "approved"}, {"to", "in_review"}, {"content_hash", f.hash()}});

    // The old hash no longer counts; the new content, approved again, does.
    signOff(f.h, "sales.head", f.plan, f.request, "approve", changeRequestHash(Json{{"title", "x"}}));
    signOff(f.h, "sales.head", f.plan, f.request, "approve", f.hash());
    REQUIRE(f.status() == "in_review");
    signOff(f.h, "mkt.head", f.plan, f.request, "approve", f.hash());
    REQUIRE(f.status() == "approved");
    requireChainVerifies(f.h);
}

TEST_CASE("change request: who moves its status", "[service][change]") {
    RequestFlow f;
    SECTION("a sign-off while it is open is stale") {
        const std::string s = signOff(f.h, "sales.head", f.plan, f.request, "approve", f.hash());
        REQUIRE(f.h.state("hq.zhao").get(s, "stale") == true);
        REQUIRE(f.audit("signoff_stale").back()["details"]["reason"] == "not_in_review");
    }
    SECTION("neither the requester nor the owner: refused") {
        Json r = f.write("sales.head", f.request, "change_request", "status", "in_review");
        REQUIRE(r["code"] == "forbidden");
        REQUIRE(r["message"] == "only the requester and the plan's owner submit or withdraw a change request");
    }
    SECTION("the plan's owner submits; the requester withdraws") {
        REQUIRE(f.write("mkt.head", f.request, "change_request", "status", "in_review").is_null());
        REQUIRE(f.requesterWrite({{"status", "open"}})["rejected"].empty());
        REQUIRE(f.status() == "open");
    }
    SECTION("only the server approves or rejects") {
        REQUIRE(f.requesterWrite({{"status", "in_review"}})["rejected"].empty());
        Json r = f.write("mkt.head", f.request, "change_request", "status", "approved");
        REQUIRE(r["code"] == "forbidden");
        REQUIRE(r["message"] == "only the server marks a change request approved or rejected, from its sign-offs");
        REQUIRE(f.write("mkt.head", f.request, "change_request", "status", "applied")["message"] ==
                "only an approved change request is applied");
    }
    SECTION("a new request is filed and submitted in one push, never approved by its client") {
        const std::string site = newSite();
        const std::string cr = newEntity();
        Json ops = f.h.ops(site, cr, "change_request",
                           {{"plan", f.plan},
                            {"title", "直接提交"},
                            {"requested_by", f.h.member("sales.li")},
                            {"status", "open"},
                            {"status", "in_review"}});
        REQUIRE(f.h.push("sales.li", site, ops)["rejected"].empty());
        REQUIRE(f.h.state("hq.zhao").get(cr, "status") == "in_review");
        Json approved = f.h.ops(newSite(), newEntity(), "change_request",
                                {{"plan", f.plan}, {"title", "直接审批"}, {"status", "approved"}});
        Json answer = f.h.push("sales.li", approved[0]["site"], approved);
        REQUIRE(rejectionOf(answer, opId(approved[2]))["message"] ==
                "only the server marks a change request approved or rejected, from its sign-offs");
    }
}

TEST_CASE("change request: a published plan changes only under an approved request, applied by its owner",
          "[service][change]") {
    ServiceHarness h;
    const auto& d = h.demo();
    const std::vector<std::string> heads = {"mkt.head", "sales.head", "prod.head", "svc.head"};
    const std::string task = d.task.at("销售培训材料制作");
    auto write = [&](const std::string& who, const std::string& entity, const std::string& type,
                     std::vector<std::pair<std::string, Json>> fields) {
        Json ops = h.ops(newSite(), entity, type, fields);
        return h.push(who, ops[0]["site"], ops);
    };
    const std::string published = "the plan is published: its content changes only through an approved change request";
    Merged before = h.state("hq.zhao");
    REQUIRE(before.get(d.plan, "status") == "in_progress");
    REQUIRE(before.get(d.plan, "approval") == "approved");
    const std::vector<std::string> planSignoffs = before.find("signoff", "subject", d.plan);
    REQUIRE(!planSignoffs.empty());

    // Without an approved change request: signable content is refused, the rest is not.
    REQUIRE(write("mkt.head", d.plan, "plan", {{"title", "Q3 新品推广（改）"}})["rejected"][0]["message"] == published);
    REQUIRE(write("sales.head", task, "task", {{"due", "2031-01-01"}})["rejected"][0]["message"] == published);
    REQUIRE(write("mkt.head", task, "task", {{"deleted", true}})["rejected"][0]["message"] == published);
    REQUIRE(write("mkt.head", newEntity(), "milestone",
                  {{"plan", d.plan}, {"name", "新里程碑"}})["rejected"][0]["message"] == published);
    REQUIRE(write("mkt.head", d.plan, "plan", {{"retrospective", "—"}})["rejected"].empty());
    REQUIRE(write("sales.li", task, "task", {{"percent", 70}})["rejected"].empty());

    const std::string cr = approvedChangeRequest(h, d.plan, "sales.li", heads);
    REQUIRE(write("mkt.head", d.plan, "plan", {{"title", "Q3 新品推广（改）"}})["rejected"].empty());
    REQUIRE(write("sales.head", task, "task", {{"due", "2031-01-01"}})["rejected"].empty());
    Merged during = h.state("hq.zhao");
    REQUIRE(during.get(d.plan, "status") == "in_progress");
    REQUIRE(during.get(d.plan, "approval") == "approved");                              // not thrown back to review
    for (const std::string& s : planSignoffs) REQUIRE(during.get(s, "stale") == true);  // they signed other content

    // Applying is the owner's; then the plan is closed again.
    Json byOther = write("sales.li", cr, "change_request", {{"status", "applied"}});
    REQUIRE(byOther["rejected"][0]["message"] == "only the plan's owner applies a change request");
    REQUIRE(write("mkt.head", cr, "change_request", {{"status", "applied"}})["rejected"].empty());
    Json entries =
        ServiceHarness::json(h.call("GET", "/api/v1/audit?plan=" + d.plan, "", h.token("hq.zhao")))["entries"];
    const Json& applied = entries.back();
    REQUIRE(applied["action"] == "change_applied");
    REQUIRE(applied["actor"] == h.member("mkt.head"));
    REQUIRE(applied["subject"] == d.plan);
    REQUIRE(applied["details"] == Json{{"change_request", cr}, {"content_hash", clientHash(h, "hq.zhao", d.plan)}});
    REQUIRE(h.state("hq.zhao").get(cr, "status") == "applied");
    REQUIRE(write("mkt.head", d.plan, "plan", {{"title", "再改"}})["rejected"][0]["message"] == published);
    REQUIRE(write("mkt.head", cr, "change_request", {{"status", "approved"}})["rejected"][0]["code"] == "forbidden");
    requireChainVerifies(h);
}
