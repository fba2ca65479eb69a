// /api/v1 through SyncApi::handle: every endpoint, error bodies, the login rate limit,
// and every rejection code of DESIGN §5 with its order.

#include <functional>
#include <set>
#include <thread>

#include "service_test_support.h"

using namespace tandem;
using namespace tandem::test;

namespace {

void requireError(const server::HttpAnswer& answer, int status, const std::string& code) {
    INFO(answer.body);
    REQUIRE(answer.status == status);
    Json body = ServiceHarness::json(answer);
    REQUIRE(body.is_object());
    REQUIRE(body.size() == 1);
    REQUIRE(body["error"]["code"] == code);
    REQUIRE(body["error"]["message"].is_string());
}

Json progressFields(ServiceHarness& h, const std::string& username, int percent) {
    const auto& d = h.demo();
    return Json::array({Json::array({"plan", d.plan}), Json::array({"task", d.task.at("销售培训材料制作")}),
                        Json::array({"author", h.member(username)}), Json::array({"percent", percent}),
                        Json::array({"note", "n"})});
}

std::vector<std::pair<std::string, Json>> progress(ServiceHarness& h, const std::string& username, int percent) {
    std::vector<std::pair<std::string, Json>> out;
    for (const Json& pair : progressFields(h, username, percent)) out.emplace_back(pair[0].get<std::string>(), pair[1]);
    return out;
}

}  // namespace

TEST_CASE("api: health answers ok without a token", "[service]") {
    ServiceHarness h;
    auto answer = h.call("GET", "/api/v1/health");
    REQUIRE(answer.status == 200);
    Json body = ServiceHarness::json(answer);
    REQUIRE(body["status"] == "ok");
    REQUIRE(body["version"].is_string());
}

TEST_CASE("api: unknown paths are 404, wrong methods 405, missing tokens 401", "[service]") {
    ServiceHarness h;
    requireError(h.call("GET", "/api/v1/no-such-endpoint", "", h.token("hq.zhao")), 404, "not_found");
    requireError(h.call("GET", "/nothing"), 404, "not_found");
    auto wrong = h.call("GET", "/api/v1/sync", "", h.token("hq.zhao"));
    requireError(wrong, 405, "method_not_allowed");
    REQUIRE(wrong.headers.at("Allow") == "POST");
    requireError(h.call("POST", "/api/v1/health"), 405, "method_not_allowed");
    requireError(h.call("POST", "/api/v1/sync", R"({"site":"0123456789abcdef","cursor":0,"ops":[]})"), 401,
                 "unauthorized");
    requireError(h.call("POST", "/api/v1/sync", R"({"site":"0123456789abcdef","cursor":0,"ops":[]})", "made-up"), 401,
                 "unauthorized");
    requireError(h.call("GET", "/api/v1/freshness"), 401, "unauthorized");
    requireError(h.call("GET", "/api/v1/audit/verify"), 401, "unauthorized");
}

TEST_CASE("api: metrics are Prometheus text with TYPE lines", "[service]") {
    ServiceHarness h;
    auto answer = h.call("GET", "/metrics");
    REQUIRE(answer.status == 200);
    REQUIRE(answer.contentType.rfind("text/plain", 0) == 0);
    REQUIRE(answer.body.find("# TYPE tandem_ops_applied_total counter") != std::string::npos);
    REQUIRE(h.api().metricsText().find("tandem_database_bytes") != std::string::npos);
    CHECK(answer.body.find("# TYPE tandem_sync_commits_total counter") != std::string::npos);
    // WAL checkpoints are SQLite's: on PostgreSQL there are none to count.
    for (const char* line : {"# TYPE tandem_wal_checkpoints_total counter",
                             "tandem_wal_checkpoints_total{thread=\"background\"} ",
                             "tandem_wal_checkpoints_total{thread=\"commit\"} "}) {
        INFO(line);
        CHECK((answer.body.find(line) != std::string::npos) == !serviceOnPostgres());
    }
    CHECK(answer.body.find("# TYPE tandem_logins_total counter") != std::string::npos);
    for (const char* result : {"ok", "failed", "limited", "limited_address", "busy"}) {
        INFO(result);
        CHECK(answer.body.find("\ntandem_logins_total{result=\"" + std::string(result) + "\"} 0\n") !=
              std::string::npos);
    }
}

TEST_CASE("login: every demo account logs in; member ids are the member entities", "[service]") {
    ServiceHarness h;
    const std::map<std::string, std::string> names = {
        {"mkt.head", "王敏"},   {"mkt.chen", "陈晨"},  {"sales.head", "李强"}, {"sales.li", "李娜"},
        {"sales.wang", "王磊"}, {"prod.head", "刘洋"}, {"prod.liu", "刘芳"},   {"svc.head", "赵静"},
        {"svc.sun", "孙涛"},    {"fin.head", "周杰"},  {"hq.zhao", "赵总"},    {"admin", "系统管理员"}};
    Merged s = h.state("hq.zhao");
    for (const auto& [username, display] : names) {
        auto answer = h.call("POST", "/api/v1/login", Json{{"username", username}, {"password", "tandem-demo"}}.dump());
        REQUIRE(answer.status == 200);
        Json body = ServiceHarness::json(answer);
        REQUIRE(body["display_name"] == display);
        REQUIRE(body["token"].get<std::string>().size() == 64);
        REQUIRE(s.one("member", "username", username) == body["member"]);
        REQUIRE(body["server_time"] == h.now());
        REQUIRE(body["roles"].is_array());
    }
    auto hq =
        ServiceHarness::json(h.call("POST", "/api/v1/login", R"({"username":"hq.zhao","password":"tandem-demo"})"));
    REQUIRE(hq["department"].is_null());
    REQUIRE(hq["roles"] == Json::array({"hq"}));
    auto head =
        ServiceHarness::json(h.call("POST", "/api/v1/login", R"({"username":"sales.head","password":"tandem-demo"})"));
    REQUIRE(head["department"] == h.demo().dept.at("SALES"));
    REQUIRE(head["roles"] == Json::array({"member", "dept_head"}));
}

TEST_CASE("login: wrong password 401, malformed 400, logout ends the token", "[service]") {
    ServiceHarness h;
    requireError(h.call("POST", "/api/v1/login", R"({"username":"fin.head","password":"nope"})"), 401, "unauthorized");
    requireError(h.call("POST", "/api/v1/login", R"({"username":"nobody","password":"nope"})"), 401, "unauthorized");
    requireError(h.call("POST", "/api/v1/login", R"({"username":"fin.head"})"), 400, "bad_request");
    requireError(h.call("POST", "/api/v1/login", R"({"username":1,"password":"x"})"), 400, "bad_request");
    requireError(h.call("POST", "/api/v1/login", "{"), 400, "bad_request");

    const std::string token = h.token("sales.li");
    REQUIRE(!h.api().authenticate("Bearer " + token).empty());
    auto out = h.call("POST", "/api/v1/logout", "", token);
    REQUIRE(out.status == 204);
    REQUIRE(h.api().authenticate("Bearer " + token).empty());
    requireError(h.call("POST", "/api/v1/sync", R"({"site":"0123456789abcdef","cursor":0,"ops":[]})", token), 401,
                 "unauthorized");
}

TEST_CASE("login: 10 failures a minute per username, then 429 even for the right password", "[service]") {
    ServiceHarness h;
    for (int i = 0; i < 10; ++i)
        requireError(h.call("POST", "/api/v1/login", R"({"username":"fin.head","password":"bad"})"), 401,
                     "unauthorized");
    auto limited = h.call("POST", "/api/v1/login", R"({"username":"fin.head","password":"tandem-demo"})");
    requireError(limited, 429, "too_many_requests");
    REQUIRE(limited.headers.count("Retry-After") == 1);
    // 429 answers do not count; another username is not affected; unknown names too.
    for (int i = 0; i < 5; ++i)
        requireError(h.call("POST", "/api/v1/login", R"({"username":"fin.head","password":"bad"})"), 429,
                     "too_many_requests");
    REQUIRE(h.call("POST", "/api/v1/login", R"({"username":"prod.head","password":"tandem-demo"})").status == 200);
    for (int i = 0; i < 10; ++i)
        requireError(h.call("POST", "/api/v1/login", R"({"username":"ghost","password":"bad"})"), 401, "unauthorized");
    requireError(h.call("POST", "/api/v1/login", R"({"username":"ghost","password":"bad"})"), 429, "too_many_requests");
    h.advance(61 * 1000);
    REQUIRE(h.call("POST", "/api/v1/login", R"({"username":"fin.head","password":"tandem-demo"})").status == 200);
}

TEST_CASE("sync: structurally malformed bodies are 400 and apply nothing; > 5000 ops is 413", "[service]") {
    ServiceHarness h;
    const std::string token = h.token("sales.li");
    const std::int64_t head = h.api().cursor();
    const std::string site = newSite();
    Json good = h.ops(site, newEntity(), "progress_entry", progress(h, "sales.li", 10));
    const std::vector<std::string> bodies = {
        "{\"site\":\"" + site + "\",\"cursor\":0,\"ops\":[",
        "[]",
        Json{{"site", "XYZ"}, {"cursor", 0}, {"ops", good}}.dump(),
        Json{{"site", site}, {"cursor", "0"}, {"ops", good}}.dump(),
        Json{{"site", site}, {"cursor", -1}, {"ops", good}}.dump(),
        Json{{"site", site}, {"ops", good}}.dump(),
        Json{{"site", site}, {"cursor", 0}}.dump(),
        Json{{"site", site}, {"cursor", 0}, {"ops", good}, {"limit", "5"}}.dump(),
    };
    for (const auto& body : bodies) requireError(h.call("POST", "/api/v1/sync", body, token), 400, "bad_request");
    // One malformed op (non-hex entity, missing member, n = 0) fails the whole push.
    for (auto breakOp : std::vector<std::function<void(Json&)>>{
             [](Json& op) { op["entity"] = "not-hex"; }, [](Json& op) { op.erase("hlc"); },
             [](Json& op) { op["n"] = 0; }, [](Json& op) { op["field"] = 5; }}) {
        Json ops = good;
        breakOp(ops[2]);
        requireError(h.call("POST", "/api/v1/sync", Json{{"site", site}, {"cursor", 0}, {"ops", ops}}.dump(), token),
                     400, "bad_request");
    }
    REQUIRE(h.api().cursor() == head);

    Json many = Json::array();
    for (int i = 1; i <= 5001; ++i)
        many.push_back({{"site", site},
                        {"n", i},
                        {"entity", newEntity()},
                        {"type", "comment"},
                        {"field", "text"},
                        {"value", "x"},
                        {"hlc", hlcHex(h.now(), i)}});
    requireError(h.call("POST", "/api/v1/sync", Json{{"site", site}, {"cursor", 0}, {"ops", many}}.dump(), token), 413,
                 "payload_too_large");
    REQUIRE(h.api().cursor() == head);
}

TEST_CASE("sync: accepted ops come back with seq and the pusher as author; a repeat is stored once", "[service]") {
    ServiceHarness h;
    const std::string site = newSite();
    Json ops = h.ops(site, newEntity(), "progress_entry", progress(h, "sales.li", 40));
    Json answer = h.push("sales.li", site, ops);
    REQUIRE(answer["rejected"].empty());
    REQUIRE(answer["accepted"].size() == ops.size());
    REQUIRE(h.push("sales.li", site, ops)["accepted"].size() == ops.size());
    auto pulled = h.pullAll("hq.zhao");
    for (const Json& op : ops) {
        int copies = 0;
        for (const Json& p : pulled)
            if (opId(p) == opId(op)) {
                ++copies;
                REQUIRE(p["author"] == h.member("sales.li"));
                REQUIRE(p["value"] == op["value"]);
                REQUIRE(p["seq"].get<std::int64_t>() >= 1);
            }
        REQUIRE(copies == 1);
    }
    std::int64_t last = 0;
    for (const Json& p : pulled) {
        REQUIRE(p["seq"].get<std::int64_t>() > last);
        last = p["seq"];
        if (p["site"] == "0000000000000000") REQUIRE(p["author"].is_null());
    }
}

TEST_CASE("sync: paging with limit, cursor is the last op's seq, head when nothing is sent", "[service]") {
    ServiceHarness h;
    auto full = h.pullAll("hq.zhao");
    std::vector<Json> paged;
    std::int64_t cursor = 0;
    const std::string site = newSite();
    bool first = true;
    for (;;) {
        Json a = h.sync("hq.zhao", {{"site", site}, {"cursor", cursor}, {"ops", Json::array()}, {"limit", 7}});
        REQUIRE(a["ops"].size() <= 7);
        if (first) REQUIRE(a["more"] == true);
        first = false;
        if (!a["ops"].empty()) REQUIRE(a["cursor"] == a["ops"].back()["seq"]);
        for (const Json& op : a["ops"]) paged.push_back(op);
        cursor = a["cursor"];
        if (!a["more"].get<bool>()) break;
    }
    REQUIRE(paged == full);
    Json empty = h.sync("hq.zhao", {{"site", site}, {"cursor", cursor}, {"ops", Json::array()}});
    REQUIRE(empty["ops"].empty());
    REQUIRE(empty["cursor"] == h.api().cursor());
    REQUIRE(empty["more"] == false);
    // An outsider's view ends at the head too, though most ops are not theirs to read.
    const std::string finSite = newSite();
    Json fin = h.sync("fin.head", {{"site", finSite}, {"cursor", 0}, {"ops", Json::array()}});
    REQUIRE(fin["more"] == false);
    REQUIRE(fin["cursor"] == fin["ops"].back()["seq"]);
    Json finAgain = h.sync("fin.head", {{"site", finSite}, {"cursor", fin["cursor"]}, {"ops", Json::array()}});
    REQUIRE(finAgain["ops"].empty());
    REQUIRE(finAgain["cursor"] == h.api().cursor());
    // limit above 5000 is capped, not refused.
    Json big = h.sync("hq.zhao", {{"site", newSite()}, {"cursor", 0}, {"ops", Json::array()}, {"limit", 100000}});
    REQUIRE(big["ops"].size() == full.size());
}

TEST_CASE("sync: every rejection code with its exact answer", "[service]") {
    ServiceHarness h;
    const auto& d = h.demo();
    const std::string site = newSite();
    const std::string task = d.task.at("销售培训材料制作");
    auto check = [&](const std::string& username, const std::string& pushSite, const Json& op,
                     const std::string& code) {
        Json answer = h.push(username, pushSite, Json::array({op}));
        INFO(op.dump() << " → " << answer.dump());
        REQUIRE(!acceptedIn(answer, opId(op)));
        Json r = rejectionOf(answer, opId(op));
        REQUIRE(r.is_object());
        REQUIRE(r.size() == 3);
        REQUIRE(r["code"] == code);
        REQUIRE(r["message"].is_string());
        REQUIRE(!r["message"].get<std::string>().empty());
    };
    auto checkOwn = [&](const std::string& username, const Json& o, const std::string& code) {
        check(username, o["site"].get<std::string>(), o, code);
    };
    auto op = [&](int n, const std::string& entity, const std::string& type, const std::string& field, Json value,
                  std::int64_t offset = 0) {
        return h.ops(site, entity, type, {{field, value}}, n, offset)[0];
    };
    // Claim the site for sales.li with an accepted op.
    Json first = op(1, task, "task", "percent", 61);
    REQUIRE(acceptedIn(h.push("sales.li", site, Json::array({first})), opId(first)));

    SECTION("bad_site: op site differs from the request's") {
        Json other = h.ops(newSite(), task, "task", {{"percent", 62}})[0];
        check("sales.li", site, other, "bad_site");
    }
    SECTION("bad_site: the site belongs to another member") {
        check("sales.wang", site, op(2, task, "task", "percent", 62), "bad_site");
    }
    SECTION("bad_site: the server's site") {
        Json server = h.ops("0000000000000000", task, "task", {{"percent", 62}}, 900000)[0];
        check("sales.li", "0000000000000000", server, "bad_site");
    }
    SECTION("duplicate_id: a stored id with other content") {
        check("sales.li", site, op(1, task, "task", "percent", 70), "duplicate_id");
    }
    SECTION("duplicate_id: within one push the first stands") {
        Json a = op(2, task, "task", "percent", 63);
        Json b = op(2, task, "task", "percent", 64);
        Json answer = h.push("sales.li", site, Json::array({a, b}));
        REQUIRE(acceptedIn(answer, opId(a)));
        REQUIRE(rejectionOf(answer, opId(b))["code"] == "duplicate_id");
    }
    SECTION("clock_ahead") {
        check("sales.li", site, op(2, task, "task", "percent", 62, 11 * 60 * 1000), "clock_ahead");
    }
    SECTION("clock within 10 minutes is fine") {
        Json ok = op(2, task, "task", "percent", 62, 9 * 60 * 1000);
        REQUIRE(acceptedIn(h.push("sales.li", site, Json::array({ok})), opId(ok)));
    }
    SECTION("unknown_type") {
        check("sales.li", site, op(2, newEntity(), "no_such_type", "name", "x"), "unknown_type");
    }
    SECTION("unknown_field") {
        check("sales.li", site, op(2, task, "task", "colour", "red"), "unknown_field");
    }
    SECTION("unknown_field: a family key that is not an id") {
        check("sales.li", site, op(2, task, "task", "collaborators.x", true), "unknown_field");
    }
    SECTION("invalid_value: percent out of range, objects, long titles, bad dates, enums") {
        check("sales.li", site, op(2, task, "task", "percent", 150), "invalid_value");
        check("sales.li", site, op(3, task, "task", "percent", Json::object()), "invalid_value");
        check("sales.li", site, op(4, task, "task", "actual_finish", "2025-02-30"), "invalid_value");
        check("sales.li", site, op(5, task, "task", "status", "sleeping"), "invalid_value");
        check("sales.li", site, op(6, task, "task", "percent", Json::array({1})), "invalid_value");
        checkOwn("mkt.head", h.ops(newSite(), task, "task", {{"name", std::string(201, 'x')}})[0], "invalid_value");
    }
    SECTION("unknown_entity: a plan-scoped entity without a plan, or a plan that does not exist") {
        check("sales.li", site, op(2, newEntity(), "progress_entry", "note", "x"), "unknown_entity");
        check("sales.li", site, op(3, newEntity(), "progress_entry", "plan", newEntity()), "unknown_entity");
        check("sales.li", site, op(4, task, "risk", "title", "x"), "unknown_entity");  // task is not a risk
    }
    SECTION("forbidden: a task's defining field by a plain member") {
        check("sales.li", site, op(2, task, "task", "name", "x"), "forbidden");
    }
    SECTION("forbidden: a derived field") {
        checkOwn("mkt.head", h.ops(newSite(), d.plan, "plan", {{"approval", "approved"}})[0], "forbidden");
    }
    SECTION("immutable: an entity's plan never changes") {
        const std::string plan2 = newEntity();
        const std::string adminSite = newSite();
        Json created = h.ops(adminSite, plan2, "plan",
                             {{"title", "p2"},
                              {"lead_department", d.dept.at("MKT")},
                              {"owner", h.member("mkt.head")},
                              {"participants." + d.dept.at("SALES"), true}});
        REQUIRE(h.push("admin", adminSite, created)["rejected"].empty());
        // The owner of both plans may write the task, but not move it.
        checkOwn("mkt.head", h.ops(newSite(), task, "task", {{"plan", plan2}})[0], "immutable");
        Json same = h.ops(newSite(), task, "task", {{"plan", d.plan}})[0];
        REQUIRE(h.push("mkt.head", same["site"].get<std::string>(), Json::array({same}))["rejected"].empty());
        // Someone else may not move it either: forbidden comes before immutable.
        checkOwn("fin.head", h.ops(newSite(), task, "task", {{"plan", plan2}})[0], "forbidden");
    }
    SECTION("unknown_entity before immutable: a task moved to a plan that does not exist") {
        checkOwn("mkt.head", h.ops(newSite(), task, "task", {{"plan", newEntity()}})[0], "unknown_entity");
    }
    SECTION("immutable: an append-only record is written once") {
        const std::string entry = newEntity();
        Json ops = h.ops(site, entry, "progress_entry", progress(h, "sales.li", 20), 2);
        REQUIRE(h.push("sales.li", site, ops)["rejected"].empty());
        check("sales.li", site, op(20, entry, "progress_entry", "note", "edited"), "immutable");
    }
    SECTION("order: the first check that applies wins") {
        // clock_ahead before unknown_type, unknown_type before anything else
        check("sales.li", site, op(2, newEntity(), "no_such_type", "x", 1, 20 * 60 * 1000), "clock_ahead");
        // duplicate_id before clock_ahead
        check("sales.li", site, op(1, task, "task", "percent", 1, 20 * 60 * 1000), "duplicate_id");
        // invalid_value before unknown_entity and forbidden
        checkOwn("fin.head", h.ops(newSite(), newEntity(), "progress_entry", {{"percent", 500}})[0], "invalid_value");
        // unknown_entity before forbidden
        checkOwn("fin.head", h.ops(newSite(), newEntity(), "progress_entry", {{"note", "x"}})[0], "unknown_entity");
        // unknown_entity before forbidden and immutable: a plan that does not exist
        checkOwn("fin.head", h.ops(newSite(), task, "task", {{"plan", newEntity()}})[0], "unknown_entity");
    }
}

TEST_CASE("sync: an append-only record cut in two is accepted whole from its site, until its closing field",
          "[service]") {
    // A push that ends inside a record (an older client, a retry after a 413) leaves the
    // rest for the next push: it is accepted from the site that created the record
    // until its closing field (reported_at) is stored; after that, nothing more.
    ServiceHarness h;
    const std::string site = newSite();
    const std::string entry = newEntity();
    auto fields = progress(h, "sales.li", 30);  // plan, task, author, percent, note
    Json first = h.ops(site, entry, "progress_entry", {fields[0], fields[1], fields[2]});
    REQUIRE(h.push("sales.li", site, first)["rejected"].empty());
    Json rest = h.ops(site, entry, "progress_entry", {fields[3], fields[4], {"reported_at", h.now()}}, 4);
    Json answer = h.push("sales.li", site, rest);
    INFO(answer.dump());
    REQUIRE(answer["rejected"].empty());
    Merged s = h.state("hq.zhao");
    REQUIRE(s.get(entry, "percent") == 30);
    REQUIRE(s.get(entry, "note") == "n");
    // Complete: a field never written is now refused too.
    Json late = h.ops(site, entry, "progress_entry", {{"problem", "late"}}, 7);
    REQUIRE(rejectionOf(h.push("sales.li", site, late), opId(late[0]))["code"] == "immutable");

    // Before its closing field, only the site that created it adds to it: not the same
    // member from another device, nor a colleague who may report on the task.
    const std::string entry2 = newEntity();
    Json part = h.ops(site, entry2, "progress_entry", {fields[0], fields[1], fields[2]}, 8);
    REQUIRE(h.push("sales.li", site, part)["rejected"].empty());
    const std::string laptop = newSite();
    Json fromLaptop = h.ops(laptop, entry2, "progress_entry", {{"note", "from my laptop"}});
    CHECK(rejectionOf(h.push("sales.li", laptop, fromLaptop), opId(fromLaptop[0]))["code"] == "immutable");
    const std::string other = newSite();
    Json foreign = h.ops(other, entry2, "progress_entry", {{"note", "not mine"}});
    CHECK(rejectionOf(h.push("sales.wang", other, foreign), opId(foreign[0]))["code"] == "forbidden");
}

TEST_CASE("freshness: HQ sees every site, a head their department, others 403", "[service]") {
    ServiceHarness h;
    const std::string liSite = newSite();
    Json ops = h.ops(liSite, newEntity(), "progress_entry", progress(h, "sales.li", 30));
    REQUIRE(h.push("sales.li", liSite, ops)["rejected"].empty());
    h.pullAll("prod.liu");
    auto hq = ServiceHarness::json(h.call("GET", "/api/v1/freshness", "", h.token("hq.zhao")));
    bool found = false;
    for (const Json& s : hq["sites"])
        if (s["site"] == liSite) {
            found = true;
            REQUIRE(s["member"] == h.member("sales.li"));
            REQUIRE(s["department"] == h.demo().dept.at("SALES"));
            REQUIRE(s["last_push"] == h.now());
            REQUIRE(s["last_sync"] == h.now());
        }
    REQUIRE(found);
    auto head = ServiceHarness::json(h.call("GET", "/api/v1/freshness", "", h.token("sales.head")));
    REQUIRE(!head["sites"].empty());
    for (const Json& s : head["sites"]) REQUIRE(s["department"] == h.demo().dept.at("SALES"));
    requireError(h.call("GET", "/api/v1/freshness", "", h.token("sales.li")), 403, "forbidden");
}

TEST_CASE("accounts: add, passwd and disable manage logins and are audited", "[service]") {
    ServiceHarness h;
    server::NewUser user;
    user.username = "sales.zhou";
    user.password = "secret-1";
    user.displayName = "周敏";
    user.departmentCode = "SALES";
    auto id = h.api().addUser(user);
    REQUIRE(id);
    REQUIRE(h.api().addUser(user).error().code == "conflict");
    user.username = "x";
    user.departmentCode = "NOPE";
    REQUIRE(h.api().addUser(user).error().code == "not_found");

    Login l = h.login("sales.zhou", "secret-1");
    REQUIRE(l.member == id->hex());
    REQUIRE(l.department == h.demo().dept.at("SALES"));
    Merged s = h.state("hq.zhao");
    REQUIRE(s.get(l.member, "display_name") == "周敏");

    REQUIRE(h.api().setPassword("sales.zhou", "secret-2"));
    REQUIRE(h.api().authenticate("Bearer " + l.token).empty());
    REQUIRE(h.call("POST", "/api/v1/login", R"({"username":"sales.zhou","password":"secret-1"})").status == 401);
    REQUIRE(h.call("POST", "/api/v1/login", R"({"username":"sales.zhou","password":"secret-2"})").status == 200);
    REQUIRE(h.api().disableUser("sales.zhou"));
    REQUIRE(h.call("POST", "/api/v1/login", R"({"username":"sales.zhou","password":"secret-2"})").status == 401);
    REQUIRE(h.api().disableUser("nobody").error().code == "not_found");

    auto audit = ServiceHarness::json(h.call("GET", "/api/v1/audit?after=0&limit=5000", "", h.token("admin")));
    int accountEntries = 0;
    for (const Json& e : audit["entries"])
        if (e["action"] == "account") ++accountEntries;
    REQUIRE(accountEntries == 3);
    auto verdict = h.api().verifyAudit();
    REQUIRE(verdict);
    REQUIRE(verdict->ok);
}

TEST_CASE("demo: seeded once, kept on reopen", "[service]") {
    ServiceHarness h;
    const std::int64_t head = h.api().cursor();
    REQUIRE(head > 100);
    h.close();
    h.open(true);
    REQUIRE(h.api().cursor() == head);
    Merged s = h.state("hq.zhao");
    REQUIRE(s.find("plan", "title", "Q3 新品推广").size() == 1);
    REQUIRE(s.find("department", "code", "MKT").size() == 1);
}

TEST_CASE("sync: a push of 5,000 ops is applied in one go", "[service][large]") {
    ServiceHarness h;
    const auto& d = h.demo();
    const std::string site = newSite();
    Json ops = Json::array();
    int n = 1;
    for (int i = 0; i < 1000; ++i) {
        Json entry = h.ops(site, newEntity(), "progress_entry",
                           {{"plan", d.plan},
                            {"task", d.task.at("销售培训材料制作")},
                            {"author", h.member("sales.li")},
                            {"percent", i % 101},
                            {"note", "批量"}},
                           n);
        n += 5;
        for (const Json& op : entry) ops.push_back(op);
    }
    REQUIRE(ops.size() == 5000);
    const auto started = std::chrono::steady_clock::now();
    Json answer = h.push("sales.li", site, ops);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    WARN("5000-op push took " << ms << " ms");
    REQUIRE(answer["rejected"].empty());
    REQUIRE(answer["accepted"].size() == 5000);
}

TEST_CASE("sync: concurrent pushes and pulls from several threads all land once", "[service][concurrency]") {
    ServiceHarness h;
    const auto& d = h.demo();
    const std::vector<std::string> users = {"sales.li", "sales.wang", "prod.liu", "mkt.chen"};
    std::map<std::string, std::string> tokens;
    for (const auto& u : users) tokens[u] = h.token(u);
    std::map<std::string, std::string> members;
    for (const auto& u : users) members[u] = h.member(u);
    std::vector<Json> pushed(users.size());
    for (std::size_t i = 0; i < users.size(); ++i) {
        const std::string site = newSite();
        Json ops = Json::array();
        for (int e = 0; e < 20; ++e)
            for (const Json& op : h.ops(site, newEntity(), "progress_entry",
                                        {{"plan", d.plan},
                                         {"task", d.task.at("销售培训材料制作")},
                                         {"author", members[users[i]]},
                                         {"percent", e}},
                                        e * 4 + 1))
                ops.push_back(op);
        pushed[i] = ops;
    }
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < users.size(); ++i) {
        threads.emplace_back([&, i] {
            const std::string site = pushed[i][0]["site"];
            for (std::size_t at = 0; at < pushed[i].size(); at += 8) {
                Json part = Json::array();
                for (std::size_t k = at; k < std::min(at + 8, pushed[i].size()); ++k) part.push_back(pushed[i][k]);
                auto answer =
                    h.call("POST", "/api/v1/sync",
                           Json{{"site", site}, {"cursor", 0}, {"ops", part}, {"limit", 5}}.dump(), tokens[users[i]]);
                auto body = core::parseJson(answer.body);
                if (answer.status != 200 || !body || (*body)["accepted"].size() != part.size()) ++failures;
                (void)h.call("GET", "/api/v1/audit?plan=" + d.plan, "", tokens[users[i]]);
            }
        });
    }
    for (auto& t : threads) t.join();
    REQUIRE(failures == 0);
    std::map<std::string, int> copies;
    std::int64_t last = 0;
    for (const Json& op : h.pullAll("hq.zhao")) {
        ++copies[opId(op)];
        REQUIRE(op["seq"].get<std::int64_t>() > last);
        last = op["seq"];
    }
    for (const Json& ops : pushed)
        for (const Json& op : ops) REQUIRE(copies[opId(op)] == 1);
}
