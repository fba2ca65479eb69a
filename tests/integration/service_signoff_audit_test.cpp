// DESIGN §7: sign-offs compared with the server's content hash (current, stale),
// edits after approval, the plan approved by the server when every head has a current
// approval; the audit chain as listed (hash recomputed by hand) and tamper detection by
// editing the SQLite file behind the server's back.

#include <sqlite3.h>

#include "service_test_support.h"

using namespace tandem;
using namespace tandem::test;

namespace {

struct Flow {
    ServiceHarness h;
    std::string plan = newEntity();
    std::string task = newEntity();
    std::string ownerSite = newSite();
    int ownerN = 1;

    Flow() {
        const auto& d = h.demo();
        Json ops = h.ops(ownerSite, plan, "plan",
                         {{"title", "渠道拓展"},
                          {"lead_department", d.dept.at("MKT")},
                          {"owner", h.member("mkt.head")},
                          {"participants." + d.dept.at("SALES"), true},
                          {"status", "draft"}},
                         ownerN);
        ownerN += static_cast<int>(ops.size());
        Json t = h.ops(ownerSite, task, "task",
                       {{"plan", plan}, {"name", "签约经销商"}, {"lead_department", d.dept.at("SALES")}}, ownerN);
        ownerN += static_cast<int>(t.size());
        for (const Json& op : t) ops.push_back(op);
        REQUIRE(h.push("mkt.head", ownerSite, ops)["rejected"].empty());
    }
    Json ownerWrite(const std::string& entity, const std::string& type, const std::string& field, Json value) {
        Json ops = h.ops(ownerSite, entity, type, {{field, std::move(value)}}, ownerN++);
        return h.push("mkt.head", ownerSite, ops);
    }
    /// A sign-off by `head` for their department; returns its entity id.
    std::string sign(const std::string& head, const std::string& meaning, const std::string& hash) {
        const std::string id = signOff(h, head, plan, plan, meaning, hash);
        h.advance(1);
        return id;
    }
    Merged state() { return h.state("hq.zhao"); }
    std::vector<Json> audit() {
        return ServiceHarness::json(h.call("GET", "/api/v1/audit?plan=" + plan, "", h.token("sales.head")))["entries"];
    }
};

}  // namespace

TEST_CASE("signoff: current approvals from every head approve the plan; the server writes it", "[service][signoff]") {
    Flow f;
    REQUIRE(f.ownerWrite(f.plan, "plan", "status", "in_review")["rejected"].empty());
    REQUIRE(f.state().get(f.plan, "approval") == "pending");
    const std::string hash = clientHash(f.h, "sales.head", f.plan);

    const std::string s1 = f.sign("sales.head", "approve", hash);
    Merged mid = f.state();
    REQUIRE(mid.get(s1, "stale").is_null());
    REQUIRE(mid.get(f.plan, "status") == "in_review");  // MKT's head has not approved yet

    const std::string s2 = f.sign("mkt.head", "approve", hash);
    auto ops = f.h.pullAll("hq.zhao");
    Merged done(ops);
    REQUIRE(done.get(f.plan, "status") == "approved");
    REQUIRE(done.get(f.plan, "approval") == "approved");
    REQUIRE(done.get(s2, "stale").is_null());
    for (const Json& op : ops)
        if (op["entity"] == f.plan && op["field"] == "status" && op["value"] == "approved") {
            REQUIRE(op["site"] == "0000000000000000");
            REQUIRE(op["author"].is_null());
        }

    std::vector<std::string> actions;
    for (const Json& e : f.audit()) actions.push_back(e["action"]);
    // Creating the plan and its task set who may do what: four permission entries.
    REQUIRE(actions == std::vector<std::string>{"permission", "permission", "permission", "permission", "plan_status",
                                                "signoff", "signoff", "plan_status"});
    Json last = f.audit()[7];
    REQUIRE(last["actor"].is_null());
    REQUIRE(last["details"]["to"] == "approved");

    // Publishing is the owner's, and now allowed.
    REQUIRE(f.ownerWrite(f.plan, "plan", "status", "in_progress")["rejected"].empty());
    REQUIRE(f.audit().back()["action"] == "publish");
}

TEST_CASE("signoff: a wrong hash, or a plan not in review, gives a stale sign-off", "[service][signoff]") {
    Flow f;
    SECTION("not in review") {
        const std::string hash = clientHash(f.h, "sales.head", f.plan);
        const std::string s = f.sign("sales.head", "approve", hash);
        REQUIRE(f.state().get(s, "stale") == true);
        REQUIRE(f.audit().back()["action"] == "signoff_stale");
        REQUIRE(f.audit().back()["details"]["reason"] == "not_in_review");
    }
    SECTION("content differs") {
        REQUIRE(f.ownerWrite(f.plan, "plan", "status", "in_review")["rejected"].empty());
        const std::string s = f.sign("sales.head", "approve", std::string(64, '0'));
        Merged m = f.state();
        REQUIRE(m.get(s, "stale") == true);
        REQUIRE(f.audit().back()["details"]["reason"] == "content_changed");
        f.sign("mkt.head", "approve", clientHash(f.h, "mkt.head", f.plan));
        REQUIRE(f.state().get(f.plan, "status") == "in_review");  // SALES' approval is stale
    }
}

TEST_CASE("signoff: editing signed content marks approvals stale and blocks publishing", "[service][signoff]") {
    Flow f;
    REQUIRE(f.ownerWrite(f.plan, "plan", "status", "in_review")["rejected"].empty());
    const std::string hash = clientHash(f.h, "sales.head", f.plan);
    const std::string a = f.sign("sales.head", "approve", hash);
    const std::string b = f.sign("mkt.head", "approve", hash);
    REQUIRE(f.state().get(f.plan, "status") == "approved");

    // A non-signable field does not disturb the approvals …
    REQUIRE(f.ownerWrite(f.plan, "plan", "retrospective", "—")["rejected"].empty());
    REQUIRE(f.state().get(a, "stale").is_null());
    // … a task's signable field does.
    REQUIRE(f.ownerWrite(f.task, "task", "due", "2031-01-01")["rejected"].empty());
    Merged m = f.state();
    REQUIRE(m.get(a, "stale") == true);
    REQUIRE(m.get(b, "stale") == true);
    REQUIRE(m.get(f.plan, "approval") == "pending");
    Json publish = f.ownerWrite(f.plan, "plan", "status", "in_progress");
    REQUIRE(publish["rejected"][0]["code"] == "forbidden");
}

TEST_CASE("signoff: clients cannot write derived fields", "[service][signoff]") {
    Flow f;
    REQUIRE(f.ownerWrite(f.plan, "plan", "status", "in_review")["rejected"].empty());
    const std::string s = f.sign("sales.head", "approve", std::string(64, '1'));
    const std::string site = newSite();
    Json unstale = f.h.ops(site, s, "signoff", {{"stale", false}});
    REQUIRE(rejectionOf(f.h.push("sales.head", site, unstale), opId(unstale[0]))["code"] == "forbidden");
    Json approve = f.h.ops(site, f.plan, "plan", {{"approval", "approved"}}, 2);
    REQUIRE(rejectionOf(f.h.push("mkt.head", site, approve), opId(approve[0]))["code"] == "bad_site");
    Json approve2 = f.h.ops(newSite(), f.plan, "plan", {{"status", "approved"}});
    REQUIRE(rejectionOf(f.h.push("mkt.head", approve2[0]["site"].get<std::string>(), approve2),
                        opId(approve2[0]))["code"] == "forbidden");
}

TEST_CASE("audit: listed entries hash as DESIGN §5 says; paging by after/limit", "[service][audit]") {
    ServiceHarness h;
    Json all = ServiceHarness::json(h.call("GET", "/api/v1/audit?after=0&limit=5000", "", h.token("hq.zhao")));
    REQUIRE(all["more"] == false);
    const Json& entries = all["entries"];
    REQUIRE(entries.size() >= 6);
    std::string prev(64, '0');
    for (std::size_t i = 0; i < entries.size(); ++i) {
        Json e = entries[i];
        REQUIRE(e["seq"] == static_cast<std::int64_t>(i + 1));
        REQUIRE(e["prev_hash"] == prev);
        const std::string hash = e["hash"];
        e.erase("hash");
        auto canonical = core::canonicalJson(e);
        REQUIRE(canonical);
        REQUIRE(core::sha256Hex(prev + *canonical) == hash);
        prev = hash;
    }
    Json page = ServiceHarness::json(h.call("GET", "/api/v1/audit?after=2&limit=2", "", h.token("admin")));
    REQUIRE(page["entries"].size() == 2);
    REQUIRE(page["entries"][0]["seq"] == 3);
    REQUIRE(page["more"] == true);
    Json verify = ServiceHarness::json(h.call("GET", "/api/v1/audit/verify", "", h.token("sales.li")));
    REQUIRE(verify == Json{{"ok", true}, {"entries", entries.size()}, {"head", prev}});
    REQUIRE(h.call("GET", "/api/v1/audit?after=x", "", h.token("admin")).status == 400);
    REQUIRE(h.call("GET", "/api/v1/audit?plan=nothex", "", h.token("admin")).status == 400);
}

TEST_CASE("audit: editing, removing, reordering or truncating entries in the file is detected", "[service][audit]") {
    ServiceHarness h;
    auto count = h.api().verifyAudit();
    REQUIRE(count);
    REQUIRE(count->ok);
    const std::int64_t n = count->entries;
    REQUIRE(n >= 6);
    auto tamper = [&](const std::string& sql) {
        h.close();
        if (!h.dbUrl().empty()) {
            auto db = server::pg::PgConnection::open(h.dbUrl());
            REQUIRE(db);
            REQUIRE((*db)->script(sql));
        } else {
            sqlite3* db = nullptr;
            REQUIRE(sqlite3_open((h.dir() + "/tandem.db").c_str(), &db) == SQLITE_OK);
            REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
            sqlite3_close(db);
        }
        h.open(true);
        Json v = ServiceHarness::json(h.call("GET", "/api/v1/audit/verify", "", h.token("hq.zhao")));
        REQUIRE(v["ok"] == false);
        return v["broken_at"].get<std::int64_t>();
    };
    SECTION("edited details") {
        REQUIRE(tamper("UPDATE srv_audit SET details = '{\"meaning\":\"reject\"}' WHERE seq = 3") == 3);
    }
    SECTION("edited actor") {
        REQUIRE(tamper("UPDATE srv_audit SET actor = NULL WHERE seq = 2") == 2);
    }
    SECTION("removed entry") {
        REQUIRE(tamper("DELETE FROM srv_audit WHERE seq = 4") == 4);
    }
    SECTION("reordered entries") {
        REQUIRE(tamper("UPDATE srv_audit SET seq = -1 WHERE seq = 2; UPDATE srv_audit SET seq = 2 WHERE seq = 3;"
                       "UPDATE srv_audit SET seq = 3 WHERE seq = -1") == 2);
    }
    SECTION("truncated at the end") {
        REQUIRE(tamper("DELETE FROM srv_audit WHERE seq = (SELECT max(seq) FROM srv_audit)") == n);
    }
    SECTION("rewritten with a recomputed hash is still caught by the next entry") {
        REQUIRE(tamper("UPDATE srv_audit SET hash = '" + std::string(64, 'f') + "' WHERE seq = 1") == 1);
    }
}

TEST_CASE("signoff: a department's latest current word counts — a reject holds the approval back",
          "[service][signoff]") {
    Flow f;
    REQUIRE(f.ownerWrite(f.plan, "plan", "status", "in_review")["rejected"].empty());
    const std::string hash = clientHash(f.h, "sales.head", f.plan);
    f.sign("sales.head", "reject", hash);
    f.sign("mkt.head", "approve", hash);
    REQUIRE(f.state().get(f.plan, "status") == "in_review");
    f.sign("sales.head", "acknowledge", hash);  // not a vote
    REQUIRE(f.state().get(f.plan, "status") == "in_review");
    f.sign("sales.head", "approve", hash);
    Merged m = f.state();
    REQUIRE(m.get(f.plan, "status") == "approved");
    REQUIRE(m.get(f.plan, "approval") == "approved");
}

TEST_CASE("signoff: a change request's sign-offs go stale when it is edited", "[service][signoff]") {
    Flow f;
    const auto& d = f.h.demo();
    const std::string cr = newEntity();
    const std::string site = newSite();
    Json ops = f.h.ops(site, cr, "change_request",
                       {{"plan", f.plan},
                        {"title", "延后签约"},
                        {"reason", "经销商预算未批"},
                        {"owner_department", d.dept.at("SALES")},
                        {"requested_by", f.h.member("sales.head")}});
    REQUIRE(f.h.push("sales.head", site, ops)["rejected"].empty());
    Json submit = f.h.ops(site, cr, "change_request", {{"status", "in_review"}}, 6);
    REQUIRE(f.h.push("sales.head", site, submit)["rejected"].empty());
    const std::string hash = clientHash(f.h, "sales.head", cr);
    const std::string signSite = newSite();
    const std::string signoff = newEntity();
    Login head = f.h.login("mkt.head");
    Json sign = f.h.ops(signSite, signoff, "signoff",
                        {{"plan", f.plan},
                         {"subject", cr},
                         {"signer", head.member},
                         {"department", head.department},
                         {"meaning", "approve"},
                         {"content_hash", hash},
                         {"signed_at", f.h.now()}});
    REQUIRE(f.h.push("mkt.head", signSite, sign)["rejected"].empty());
    REQUIRE(f.state().get(signoff, "stale").is_null());
    Json edit = f.h.ops(site, cr, "change_request", {{"proposal", "改为下季度签约"}}, 7);
    REQUIRE(f.h.push("sales.head", site, edit)["rejected"].empty());
    REQUIRE(f.state().get(signoff, "stale") == true);
    auto entries = f.audit();
    REQUIRE(entries.back()["action"] == "signoff_stale");
    REQUIRE(entries.back()["subject"] == cr);
}
