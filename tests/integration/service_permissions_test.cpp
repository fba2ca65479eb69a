// DESIGN §6 through the sync endpoint: a table of (who, what write) → allowed or
// forbidden on the demo plan, with the store checked afterwards (nothing unauthorized
// kept), and reads: no unreadable plan leaks, newly readable plans arrive whole,
// lost ones are revoked.

#include <set>

#include "service_test_support.h"

using namespace tandem;
using namespace tandem::test;

namespace {

struct Row {
    const char* who;
    const char* what;
    bool allowed;
};

/// One write `what` as ops from a fresh site, given the demo ids.
Json writeFor(ServiceHarness& h, const std::string& who, const std::string& what, const std::string& site) {
    const auto& d = h.demo();
    const std::string plan = d.plan;
    Merged s = h.state("hq.zhao");
    auto one = [&](const std::string& entity, const std::string& type, const std::string& field, Json value) {
        return h.ops(site, entity, type, {{field, std::move(value)}});
    };
    if (what == "plan.title") return one(plan, "plan", "title", "Q3 新品推广（改）");
    if (what == "plan.participants") return one(plan, "plan", "participants." + d.dept.at("FIN"), true);
    if (what == "task.name") return one(d.task.at("销售培训材料制作"), "task", "name", "销售培训材料（改）");
    if (what == "task.percent") return one(d.task.at("销售培训材料制作"), "task", "percent", 65);
    if (what == "task.create")
        return h.ops(site, newEntity(), "task",
                     {{"plan", plan}, {"name", "新任务"}, {"lead_department", d.dept.at("SALES")}});
    if (what == "milestone.create")
        return h.ops(site, newEntity(), "milestone", {{"plan", plan}, {"name", "新里程碑"}});
    if (what == "progress.manual")
        return h.ops(
            site, newEntity(), "progress_entry",
            {{"plan", plan}, {"task", d.task.at("售后响应手册制定")}, {"author", h.member(who)}, {"percent", 35}});
    if (what == "progress.as_other")
        return h.ops(site, newEntity(), "progress_entry",
                     {{"plan", plan},
                      {"task", d.task.at("售后响应手册制定")},
                      {"author", h.member("svc.head")},
                      {"percent", 35}});
    if (what == "risk.create") return h.ops(site, newEntity(), "risk", {{"plan", plan}, {"title", "新风险"}});
    if (what == "risk.update") return one(s.one("risk", "title", "渠道备货不足"), "risk", "status", "watching");
    if (what == "request.respond") {
        auto requests = s.find("resource_request", "plan", plan);
        if (requests.size() != 1) throw std::runtime_error("expected one resource request");
        return one(requests.front(), "resource_request", "response", "本周五前发出");
    }
    if (what == "problem.create") return h.ops(site, newEntity(), "problem", {{"plan", plan}, {"description", "问题"}});
    if (what == "comment.create") return h.ops(site, newEntity(), "comment", {{"plan", plan}, {"text", "评论"}});
    if (what == "signoff.own_dept" || what == "signoff.other_dept") {
        Login l = h.login(who);
        std::string dept = l.department.empty() ? d.dept.at("MKT") : l.department;
        if (what == "signoff.other_dept") dept = dept == d.dept.at("PROD") ? d.dept.at("SVC") : d.dept.at("PROD");
        return h.ops(site, newEntity(), "signoff",
                     {{"plan", plan},
                      {"subject", plan},
                      {"signer", l.member},
                      {"department", dept},
                      {"meaning", "acknowledge"},
                      {"content_hash", std::string(64, 'a')}});
    }
    if (what == "department.name") return one(d.dept.at("FIN"), "department", "name", "财务中心");
    if (what == "member.roles") return one(h.member("sales.li"), "member", "roles.hq", true);
    if (what == "plan.create")
        return h.ops(site, newEntity(), "plan",
                     {{"title", "新计划"},
                      {"lead_department", h.login(who).department.empty() ? d.dept.at("MKT") : h.login(who).department},
                      {"owner", h.member(who)},
                      {"status", "draft"}});
    throw std::runtime_error("unknown write " + what);
}

/// The heads of the demo plan's approving departments (lead MKT; SALES, PROD, SVC).
const std::vector<std::string> kDemoHeads = {"mkt.head", "sales.head", "prod.head", "svc.head"};

const Row kMatrix[] = {
    // plan's defining fields: owner and lead head only
    {"mkt.head", "plan.title", true},
    {"mkt.chen", "plan.title", false},
    {"sales.head", "plan.title", false},
    {"sales.li", "plan.title", false},
    {"hq.zhao", "plan.title", false},
    {"admin", "plan.title", false},
    {"fin.head", "plan.title", false},
    {"sales.head", "plan.participants", false},
    // a task's defining fields: owner, lead head, the task's lead department head
    {"mkt.head", "task.name", true},
    {"sales.head", "task.name", true},
    {"sales.li", "task.name", false},
    {"prod.head", "task.name", false},
    {"mkt.chen", "task.name", false},
    {"hq.zhao", "task.name", false},
    {"fin.head", "task.name", false},
    // execution fields: the task's lead and collaborating departments
    {"sales.li", "task.percent", true},
    {"sales.wang", "task.percent", true},
    {"sales.head", "task.percent", true},
    {"prod.liu", "task.percent", true},
    {"mkt.chen", "task.percent", true},
    {"svc.sun", "task.percent", false},
    {"fin.head", "task.percent", false},
    {"hq.zhao", "task.percent", false},
    {"admin", "task.percent", false},
    // creating tasks and milestones: owner and lead head
    {"mkt.head", "task.create", true},
    {"sales.head", "task.create", false},
    {"sales.li", "task.create", false},
    {"admin", "task.create", false},
    {"mkt.head", "milestone.create", true},
    {"prod.head", "milestone.create", false},
    // progress entries: lead and collaborating departments, as themselves
    {"svc.sun", "progress.manual", true},
    {"prod.liu", "progress.manual", true},
    {"svc.head", "progress.manual", true},
    {"sales.li", "progress.manual", false},
    {"fin.head", "progress.manual", false},
    {"hq.zhao", "progress.manual", false},
    {"svc.sun", "progress.as_other", false},
    // risks, problems, comments: any participant creates; the owner department updates
    {"sales.li", "risk.create", true},
    {"svc.sun", "risk.create", true},
    {"fin.head", "risk.create", false},
    {"hq.zhao", "risk.create", false},
    {"sales.wang", "risk.update", true},
    {"mkt.chen", "risk.update", true},
    {"prod.liu", "risk.update", false},
    {"prod.liu", "request.respond", true},    // the provider department answers
    {"sales.wang", "request.respond", true},  // the requesting (owner) department
    {"svc.sun", "request.respond", false},
    {"fin.head", "risk.update", false},
    {"prod.liu", "problem.create", true},
    {"fin.head", "problem.create", false},
    {"svc.sun", "comment.create", true},
    {"fin.head", "comment.create", false},
    // sign-offs: a department head, for their own department, as themselves
    {"sales.head", "signoff.own_dept", true},
    {"sales.head", "signoff.other_dept", false},
    {"sales.li", "signoff.own_dept", false},
    {"fin.head", "signoff.own_dept", false},
    {"hq.zhao", "signoff.own_dept", false},
    // the organisation: admin only
    {"admin", "department.name", true},
    {"hq.zhao", "department.name", false},
    {"mkt.head", "department.name", false},
    {"admin", "member.roles", true},
    {"sales.li", "member.roles", false},
    // creating plans: department heads (for their department) and admin
    {"sales.head", "plan.create", true},
    {"admin", "plan.create", true},
    {"sales.li", "plan.create", false},
    {"hq.zhao", "plan.create", false},
};

/// A pull from `cursor` that brings `username` the demo plan it just gained, as a
/// backfill, with nothing revoked.
ServiceHarness::Pulled pullGainedDemoPlan(ServiceHarness& h, const std::string& username, const std::string& site,
                                          std::int64_t cursor, int limit) {
    auto pulled = h.pull(username, site, cursor, limit);
    REQUIRE(pulled.revoked.empty());
    Merged s(pulled.ops);
    REQUIRE(s.get(h.demo().plan, "title") == "Q3 新品推广");
    REQUIRE(s.get(h.demo().task.at("推广方案"), "name") == "推广方案");
    return pulled;
}

}  // namespace

TEST_CASE("permissions: the matrix of who may write what, and nothing unauthorized is stored",
          "[service][permissions]") {
    ServiceHarness h;
    // The demo plan is published: its content changes only under an approved change
    // request (tested in service_change_request_test.cpp). Open one, so this table is
    // about who may write.
    approvedChangeRequest(h, h.demo().plan, "mkt.head", kDemoHeads);
    std::vector<std::string> forbiddenIds;
    for (const Row& row : kMatrix) {
        const std::string site = newSite();
        Json ops = writeFor(h, row.who, row.what, site);
        Json answer = h.push(row.who, site, ops);
        INFO(row.who << " writes " << row.what << " → " << answer.dump());
        if (row.allowed) {
            REQUIRE(answer["rejected"].empty());
            REQUIRE(answer["accepted"].size() == ops.size());
        } else {
            // A forbidden write is refused whole: no op of it is accepted, at least one
            // is forbidden, and the others (judged without the refused ones) are either
            // forbidden too or have no plan left (unknown_entity).
            REQUIRE(answer["accepted"].empty());
            REQUIRE(answer["rejected"].size() == ops.size());
            bool anyForbidden = false;
            for (const Json& op : ops) {
                Json r = rejectionOf(answer, opId(op));
                REQUIRE(!r.is_null());
                CHECK((r["code"] == "forbidden" || r["code"] == "unknown_entity"));
                if (r["code"] == "forbidden") anyForbidden = true;
                forbiddenIds.push_back(opId(op));
            }
            REQUIRE(anyForbidden);
        }
    }
    std::set<std::string> stored;
    for (const Json& op : h.pullAll("hq.zhao")) stored.insert(opId(op));
    for (const std::string& id : forbiddenIds) {
        INFO(id);
        REQUIRE(stored.count(id) == 0);
    }
}

TEST_CASE("permissions: plan lifecycle — only the owner moves status, only the server approves",
          "[service][permissions]") {
    ServiceHarness h;
    const auto& d = h.demo();
    auto status = [&](const std::string& who, const std::string& to) {
        const std::string site = newSite();
        Json ops = h.ops(site, d.plan, "plan", {{"status", to}});
        Json r = rejectionOf(h.push(who, site, ops), opId(ops[0]));
        return r.is_null() ? std::string("accepted") : r["code"].get<std::string>();
    };
    REQUIRE(status("sales.head", "done") == "forbidden");
    REQUIRE(status("mkt.head", "approved") == "forbidden");
    REQUIRE(status("mkt.head", "archived") == "forbidden");  // in_progress → archived skips done
    REQUIRE(status("mkt.head", "done") == "accepted");
    REQUIRE(status("mkt.head", "archived") == "accepted");
    // Archived: the filed record is read-only for everyone, its owner included.
    REQUIRE(status("mkt.head", "in_progress") == "forbidden");
    for (const auto& [field, value] : std::vector<std::pair<std::string, Json>>{{"title", "edited"}, {"deleted", true}}) {
        const std::string site = newSite();
        Json ops = h.ops(site, d.plan, "plan", {{field, value}});
        Json r = rejectionOf(h.push("mkt.head", site, ops), opId(ops[0]));
        INFO(field);
        REQUIRE(!r.is_null());
        CHECK(r["code"] == "forbidden");
    }
    auto audit = ServiceHarness::json(h.call("GET", "/api/v1/audit?plan=" + d.plan, "", h.token("sales.li")));
    std::vector<std::string> transitions;
    for (const Json& e : audit["entries"])
        if (e["action"] == "plan_status" || e["action"] == "publish")
            transitions.push_back(e["details"]["from"].get<std::string>() + ">" +
                                  e["details"]["to"].get<std::string>());
    REQUIRE(transitions == std::vector<std::string>{"draft>in_review", "in_review>approved", "approved>in_progress",
                                                    "in_progress>done", "done>archived"});
}

TEST_CASE("reads: an outsider sees the organisation but not the plan, nor its audit", "[service][permissions]") {
    ServiceHarness h;
    const auto& d = h.demo();
    auto ops = h.pullAll("fin.head");
    Merged s(ops);
    REQUIRE(!s.has(d.plan));
    for (const auto& [name, task] : d.task) REQUIRE(!s.has(task));
    for (const Json& op : ops) REQUIRE((op["type"] == "department" || op["type"] == "member"));
    REQUIRE(s.find("department", "code", "FIN").size() == 1);
    REQUIRE(h.call("GET", "/api/v1/audit?plan=" + d.plan, "", h.token("fin.head")).status == 403);
    REQUIRE(h.call("GET", "/api/v1/audit?after=0", "", h.token("sales.head")).status == 403);
    for (const char* reader : {"mkt.chen", "sales.li", "prod.liu", "svc.sun", "hq.zhao", "admin"}) {
        INFO(reader);
        REQUIRE(h.state(reader).has(d.plan));
        REQUIRE(h.call("GET", "/api/v1/audit?plan=" + d.plan, "", h.token(reader)).status == 200);
    }
}

TEST_CASE("reads: a department that joins a plan gets its earlier ops; one that leaves gets revoked",
          "[service][permissions]") {
    ServiceHarness h;
    const auto& d = h.demo();
    const std::string finSite = newSite();
    std::int64_t cursor = h.pull("fin.head", finSite).cursor;
    approvedChangeRequest(h, d.plan, "mkt.head", kDemoHeads);  // the demo plan is published
    const std::string ownerSite = newSite();
    Json join = h.ops(ownerSite, d.plan, "plan", {{"participants." + d.dept.at("FIN"), true}});
    REQUIRE(h.push("mkt.head", ownerSite, join)["rejected"].empty());

    const auto gained = pullGainedDemoPlan(h, "fin.head", finSite, cursor, 50);
    cursor = gained.cursor;
    // And the full picture equals what HQ sees of that plan.
    std::set<std::string> planOps, finOps;
    for (const Json& op : h.pullAll("hq.zhao"))
        if (op["type"] != "department" && op["type"] != "member") planOps.insert(opId(op));
    for (const Json& op : gained.ops)
        if (op["type"] != "department" && op["type"] != "member") finOps.insert(opId(op));
    REQUIRE(finOps == planOps);

    Json leave = h.ops(ownerSite, d.plan, "plan", {{"participants." + d.dept.at("FIN"), false}}, 2);
    REQUIRE(h.push("mkt.head", ownerSite, leave)["rejected"].empty());
    Json a = h.sync("fin.head", {{"site", finSite}, {"cursor", cursor}, {"ops", Json::array()}});
    REQUIRE(a["revoked"] == Json::array({d.plan}));
    for (const Json& op : a["ops"]) REQUIRE(op["entity"] != d.plan);
    // Writing into a plan one can no longer read is forbidden.
    const std::string site = newSite();
    Json write = h.ops(site, newEntity(), "comment", {{"plan", d.plan}, {"text", "x"}});
    REQUIRE(rejectionOf(h.push("fin.head", site, write), opId(write[0]))["code"] == "forbidden");
}

TEST_CASE("reads: access follows a member who changes department, across a restart", "[service][permissions]") {
    ServiceHarness h;
    const auto& d = h.demo();
    const std::string finSite = newSite();
    const auto first = h.pull("fin.head", finSite);
    REQUIRE(first.revoked.empty());
    std::int64_t cursor = first.cursor;
    // The site's settled access survives a restart of the server.
    h.close();
    h.open();
    const std::string adminSite = newSite();
    const std::string finHead = h.member("fin.head");
    Json move = h.ops(adminSite, finHead, "member", {{"department", d.dept.at("SALES")}});
    REQUIRE(h.push("admin", adminSite, move)["rejected"].empty());

    cursor = pullGainedDemoPlan(h, "fin.head", finSite, cursor, 40).cursor;
    // Nothing is delivered twice once the backfill is done.
    Json again = h.sync("fin.head", {{"site", finSite}, {"cursor", cursor}, {"ops", Json::array()}});
    REQUIRE(again["ops"].empty());

    Json back = h.ops(adminSite, finHead, "member", {{"department", d.dept.at("FIN")}}, 2);
    REQUIRE(h.push("admin", adminSite, back)["rejected"].empty());
    Json a = h.sync("fin.head", {{"site", finSite}, {"cursor", cursor}, {"ops", Json::array()}});
    REQUIRE(a["revoked"] == Json::array({d.plan}));
    // Announced once; later syncs carry no revocation and none of the plan's ops.
    Json later = h.sync("fin.head", {{"site", finSite}, {"cursor", a["cursor"]}, {"ops", Json::array()}});
    REQUIRE(later.find("revoked") == later.end());
}

TEST_CASE("reads: a plan created after a site synced arrives with the pull, not as a backfill",
          "[service][permissions]") {
    ServiceHarness h;
    const auto& d = h.demo();
    const std::string svcSite = newSite();
    const std::int64_t cursor = h.pull("svc.sun", svcSite).cursor;
    const std::string site = newSite();
    const std::string plan = newEntity();
    Json create = h.ops(site, plan, "plan", {{"title", "售后季度改进"}, {"lead_department", d.dept.at("SVC")}});
    REQUIRE(h.push("svc.head", site, create)["rejected"].empty());
    Json a = h.sync("svc.sun", {{"site", svcSite}, {"cursor", cursor}, {"ops", Json::array()}});
    REQUIRE(a.find("revoked") == a.end());
    std::set<std::string> fields;
    for (const Json& op : a["ops"]) {
        REQUIRE(op["seq"].get<std::int64_t>() > cursor);
        if (op["entity"] == plan) fields.insert(op["field"].get<std::string>());
    }
    REQUIRE(fields == std::set<std::string>{"title", "lead_department", "owner"});
}

TEST_CASE("permissions: the creator of a plan becomes its owner when the push does not name one",
          "[service][permissions]") {
    ServiceHarness h;
    const auto& d = h.demo();
    const std::string site = newSite();
    const std::string plan = newEntity();
    Json ops = h.ops(site, plan, "plan", {{"title", "售后季度改进"}, {"lead_department", d.dept.at("SVC")}});
    REQUIRE(h.push("svc.head", site, ops)["rejected"].empty());
    Merged s = h.state("hq.zhao");
    REQUIRE(s.get(plan, "owner") == h.member("svc.head"));
    // … and may then write it as the owner; another head may not.
    Json more = h.ops(site, plan, "plan", {{"background", "x"}}, 3);
    REQUIRE(h.push("svc.head", site, more)["rejected"].empty());
    const std::string other = newSite();
    Json foreign = h.ops(other, plan, "plan", {{"background", "y"}});
    REQUIRE(rejectionOf(h.push("sales.head", other, foreign), opId(foreign[0]))["code"] == "forbidden");
}

TEST_CASE("permissions: a new entity whose defining ops are refused stores nothing of it",
          "[service][permissions]") {
    // sales.li may set a task's percent, but not create a task: the percent of a task
    // whose `plan` and `lead_department` were refused has no plan, and nothing is kept.
    ServiceHarness h;
    const auto& d = h.demo();
    const std::string site = newSite();
    const std::string task = newEntity();
    Json ops = h.ops(site, task, "task", {{"plan", d.plan}, {"lead_department", d.dept.at("SALES")}, {"percent", 50}});
    Json answer = h.push("sales.li", site, ops);
    INFO(answer.dump());
    REQUIRE(answer["accepted"].empty());
    REQUIRE(rejectionOf(answer, opId(ops[0]))["code"] == "forbidden");
    REQUIRE(rejectionOf(answer, opId(ops[1]))["code"] == "unknown_entity");
    REQUIRE(rejectionOf(answer, opId(ops[2]))["code"] == "unknown_entity");
    REQUIRE(!h.state("hq.zhao").has(task));
    REQUIRE(h.api().cursor() == h.pull("hq.zhao", newSite()).cursor);

    // The same when the percent comes first: the order of a push does not matter.
    const std::string task2 = newEntity();
    Json reordered =
        h.ops(site, task2, "task", {{"percent", 50}, {"lead_department", d.dept.at("SALES")}, {"plan", d.plan}}, 4);
    Json again = h.push("sales.li", site, reordered);
    REQUIRE(again["accepted"].empty());
    REQUIRE(!h.state("hq.zhao").has(task2));
}

TEST_CASE("permissions: a progress entry or sign-off without its author or signer is refused whole",
          "[service][permissions]") {
    ServiceHarness h;
    const auto& d = h.demo();
    const std::string site = newSite();
    Json noAuthor = h.ops(site, newEntity(), "progress_entry",
                          {{"plan", d.plan}, {"task", d.task.at("销售培训材料制作")}, {"percent", 35}});
    Json a = h.push("sales.li", site, noAuthor);
    REQUIRE(a["accepted"].empty());
    REQUIRE(a["rejected"].size() == noAuthor.size());
    REQUIRE(rejectionOf(a, opId(noAuthor[0]))["code"] == "forbidden");

    const Login head = h.login("sales.head");
    Json noSigner = h.ops(site, newEntity(), "signoff",
                          {{"plan", d.plan}, {"subject", d.plan}, {"department", head.department},
                           {"meaning", "acknowledge"}, {"content_hash", std::string(64, 'a')}},
                          static_cast<int>(noAuthor.size()) + 1);
    Json b = h.push("sales.head", site, noSigner);
    REQUIRE(b["accepted"].empty());
    REQUIRE(b["rejected"].size() == noSigner.size());
}

TEST_CASE("permissions: a sign-off is judged whole whatever the order of its fields", "[service][permissions]") {
    ServiceHarness h;
    const auto& d = h.demo();
    const std::string site = newSite();
    const Login head = h.login("sales.head");
    // signer and department last: the fields before them are judged with them.
    Json ops = h.ops(site, newEntity(), "signoff",
                     {{"meaning", "acknowledge"}, {"content_hash", std::string(64, 'a')}, {"subject", d.plan},
                      {"plan", d.plan}, {"signed_at", h.now()}, {"signer", head.member}, {"department", head.department}});
    Json answer = h.push("sales.head", site, ops);
    INFO(answer.dump());
    REQUIRE(answer["rejected"].empty());
    REQUIRE(answer["accepted"].size() == ops.size());
}
