// End-to-end: the real tandem-server (--demo, 127.0.0.1:0) and real tandem-cli
// processes on temporary replicas (DESIGN §4, §5, §5b, §7).
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <set>

#include "e2e_support.h"
#include "tandem/client/http_client.h"
#include "tandem/client/session.h"
#include "tandem/client/sync_engine.h"
#include "tandem/core/password.h"
#include "tandem/core/replica.h"
#include "tandem/core/signable.h"

using namespace tandem;
using core::Json;
using test::Cli;
using test::Demo;
using test::Server;
using test::TempDir;

namespace {

constexpr const char* kDay = "86400000";

Json historyOf(const Cli& cli, const std::string& id, const std::string& field) {
    return cli.json({"history", id, field});
}

std::set<std::string> historyValues(const Json& history) {
    std::set<std::string> values;
    for (const auto& h : history) values.insert(h["value"].dump());
    return values;
}

/// Writes `entries` progress entries (5 ops each) straight into a signed-in replica
/// folder, as a user working offline for days would, without a process per edit.
void writeProgressEntries(const Cli& cli, const std::string& plan, const std::string& task, int entries) {
    client::SessionStore store(cli.dir());
    auto session = store.load();
    REQUIRE(session);
    REQUIRE(*session);
    core::ReplicaOptions options;
    options.durable = false;
    auto replica = core::Replica::open(cli.dir() + "/replica.db", options);
    REQUIRE(replica);
    for (int i = 0; i < entries; ++i) {
        auto w = (*replica)->write((*replica)->newEntityId(), "progress_entry",
                                   {{"plan", plan}, {"task", task}, {"author", (*session)->member},
                                    {"percent", i % 101}, {"note", "offline note " + std::to_string(i)}});
        REQUIRE(w);
    }
}

/// Every op of `site` the server holds, by a raw paged pull as hq.zhao.
std::vector<core::Op> serverOpsOfSite(const Server& server, const std::string& site) {
    client::HttpClient http(server.url());
    auto login = client::requestLogin(http, "hq.zhao", test::kDemoPassword);
    REQUIRE(login);
    std::vector<core::Op> ops;
    std::int64_t cursor = 0;
    const std::string probeSite = "00000000000000aa";  // a read-only pull from a fresh site
    for (;;) {
        Json body = {{"site", probeSite}, {"cursor", cursor}, {"ops", Json::array()}, {"limit", 5000}};
        auto r = http.post("/api/v1/sync", body.dump(), login->session.token);
        REQUIRE(r);
        REQUIRE(r->status == 200);
        auto answer = client::decodeSyncAnswer(r->body);
        REQUIRE(answer);
        for (auto& op : answer->ops)
            if (op.site.hex() == site) ops.push_back(op);
        cursor = answer->cursor;
        if (!answer->more) break;
    }
    return ops;
}

std::string siteOf(const Cli& cli) { return cli.json({"status"})["site"].get<std::string>(); }

constexpr const char* kPublished =
    "the plan is published: its content changes only through an approved change request";

/// Files a change request on `plan` as `requester` and submits it for review (in_review),
/// through tandem-cli as a user would; it reaches the server with this sync. Returns its id.
std::string fileChangeRequest(const Cli& requester, const std::string& plan, const std::string& title) {
    const Json filed = requester.json({"new", "change_request", "plan=\"" + plan + "\"", "title=\"" + title + "\"",
                                       "reason=\"渠道反馈需要调整计划\"", "proposal=\"按各部门意见修改任务安排\""});
    const std::string id = filed["id"].get<std::string>();
    requester.ok({"set", id, "status", "\"in_review\""});
    CHECK(requester.json({"sync"})["rejected"] == 0);
    return id;
}

/// Each head syncs (to hold the request), signs it approve (password asked) and syncs.
void approveAs(const std::vector<const Cli*>& heads, const std::string& request) {
    for (const Cli* head : heads) {
        head->ok({"sync"});
        head->ok({"sign", request, "approve", "--comment", "同意"});
        CHECK(head->json({"sync"})["rejected"] == 0);
    }
}

std::string statusOf(const Cli& cli, const std::string& id) {
    return cli.json({"show", id})["fields"]["status"].get<std::string>();
}

/// Signs `li` in as sales.li, syncs, then makes 10,000 ops offline (2,000 progress
/// entries on a SALES task of the demo plan).
Demo signInWithOfflineWork(const Server& server, const Cli& li) {
    li.signIn(server, "sales.li");
    Demo demo = Demo::from(li);
    writeProgressEntries(li, demo.plan, demo.taskLedBy("SALES"), 2000);
    return demo;
}

}  // namespace

TEST_CASE("e2e: three departments edit offline, sync in different orders, and converge with nothing lost", "[e2e]") {
    TempDir tmp;
    Server server(tmp);
    Cli a(tmp, "mkt"), b(tmp, "sales"), c(tmp, "prod");
    a.ok({"login", server.url(), "mkt.head"});
    b.ok({"login", server.url(), "sales.head"});
    c.ok({"login", server.url(), "prod.head"});
    for (const Cli* x : {&a, &b, &c}) x->ok({"sync"});
    const Demo demo = Demo::from(a);
    const std::string mktTask = demo.taskLedBy("MKT");      // PROD and SALES collaborate on it
    const std::string salesTask = demo.taskLedBy("SALES");
    // The demo plan is published: its content changes under an approved change request.
    // The owner (mkt.head) files one; the heads of every participating department approve.
    Cli d(tmp, "svc");
    d.ok({"login", server.url(), "svc.head"});
    const std::string change = fileChangeRequest(a, demo.plan, "调整任务分工");
    approveAs({&a, &b, &c, &d}, change);
    for (const Cli* x : {&a, &b, &c}) x->ok({"sync"});
    for (const Cli* x : {&a, &b, &c}) REQUIRE(statusOf(*x, change) == "approved");
    // A task for the delete-against-edit case, known to everyone before going offline.
    const std::string doomed = a.ok({"new", "task", "plan=\"" + demo.plan + "\"", "name=\"临时任务\"",
                                     "lead_department=\"" + demo.departments.at("SALES") + "\""});
    const std::string doomedId = doomed.substr(0, 32);
    for (const Cli* x : {&a, &b, &c}) x->ok({"sync"});

    // ---- offline -------------------------------------------------------------------
    // Same field: all three set the MKT task's percent.
    a.ok({"set", mktTask, "percent", "41"});
    b.ok({"set", mktTask, "percent", "42"});
    c.ok({"set", mktTask, "percent", "43"});
    // Different fields of one record.
    b.ok({"set", mktTask, "status", "\"in_progress\""});
    c.ok({"set", mktTask, "actual_finish", "\"2026-11-20\""});
    // Set members: different departments added to one set by two heads.
    a.ok({"set", salesTask, "collaborators." + demo.departments.at("FIN"), "true"});
    b.ok({"set", salesTask, "collaborators." + demo.departments.at("SVC"), "true"});
    // A delete against an edit.
    a.ok({"delete", doomedId});
    b.ok({"set", doomedId, "name", "\"临时任务（改）\""});

    // ---- reconnect in different orders ---------------------------------------------------
    for (const Cli* x : {&b, &c, &a}) x->ok({"sync"});
    for (const Cli* x : {&a, &c, &b}) x->ok({"sync"});
    for (const Cli* x : {&c, &a, &b}) x->ok({"sync"});
    // Every edit is in: the owner applies the request, which closes the plan again.
    a.ok({"set", change, "status", "\"applied\""});
    for (const Cli* x : {&a, &b, &c}) x->ok({"sync"});

    for (const Cli* x : {&a, &b, &c}) CHECK(x->json({"rejected"}).empty());
    for (const Cli* x : {&a, &b, &c}) {
        CHECK(statusOf(*x, change) == "applied");
        CHECK(statusOf(*x, demo.plan) == "in_progress");
    }
    const std::string dumpA = a.dump();
    CHECK(b.dump() == dumpA);
    CHECK(c.dump() == dumpA);

    auto task = a.json({"show", mktTask})["fields"];
    CHECK(task["status"] == "in_progress");
    CHECK(task["actual_finish"] == "2026-11-20");
    auto sales = a.json({"show", salesTask})["fields"];
    CHECK(sales["collaborators." + demo.departments.at("FIN")] == true);
    CHECK(sales["collaborators." + demo.departments.at("SVC")] == true);
    auto gone = a.json({"show", doomedId});
    CHECK(gone["deleted"] == true);
    CHECK(gone["fields"]["name"] == "临时任务（改）");  // the concurrent edit is kept

    // Every overwritten value is in the history on every replica, one of them current.
    for (const Cli* x : {&a, &b, &c}) {
        auto history = historyOf(*x, mktTask, "percent");
        auto values = historyValues(history);
        CHECK(values.count("41"));
        CHECK(values.count("42"));
        CHECK(values.count("43"));
        int current = 0;
        for (const auto& h : history) current += h["current"].get<bool>() ? 1 : 0;
        CHECK(current == 1);
        CHECK(historyValues(historyOf(*x, doomedId, "name")).count("\"临时任务\""));
    }
    CHECK(server.stop() == 0);
}

TEST_CASE("e2e: a forbidden edit is rejected, rolled back and listed", "[e2e]") {
    TempDir tmp;
    Server server(tmp);
    Cli li(tmp, "li"), admin(tmp, "admin");
    li.signIn(server, "sales.li");
    const Demo demo = Demo::from(li);
    const std::string mktTask = demo.taskLedBy("MKT");
    const std::string salesTask = demo.taskLedBy("SALES");  // SVC never collaborates on it

    // What the replica can judge, it refuses on the spot with the server's message and
    // exit status 1; nothing is saved or waits to sync.
    const Json name = li.json({"show", mktTask})["fields"]["name"];
    CHECK(li.run({"set", mktTask, "name", "\"不该改的名字\""}).status == 1);
    CHECK_THAT(li.lastError(),
               Catch::Contains("only the plan's owner and the heads of the lead and task departments change a task") &&
                   Catch::Contains("[forbidden]"));
    CHECK(li.json({"show", mktTask})["fields"]["name"] == name);
    CHECK(li.json({"status"})["pending"] == 0);

    // What it cannot: li, in SALES, reports on a SALES task offline — allowed as far as
    // her replica knows — while an admin moves her to SVC, which does not work on it.
    // The server judges the push on what it knows then, and refuses it.
    const Json before = li.json({"show", salesTask})["fields"]["percent"];
    REQUIRE(before != 37);
    li.ok({"set", salesTask, "percent", "37"});
    CHECK(li.json({"show", salesTask})["fields"]["percent"] == 37);
    CHECK(li.json({"status"})["pending"] == 1);
    admin.signIn(server, "admin");
    admin.ok({"set", demo.members.at("sales.li"), "department", "\"" + demo.departments.at("SVC") + "\""});
    CHECK(admin.json({"sync"})["rejected"] == 0);

    const Json report = li.json({"sync"});
    CHECK(report["rejected"] == 1);
    CHECK(li.json({"show", salesTask})["fields"]["percent"] == before);  // rolled back
    auto rejected = li.json({"rejected"});
    REQUIRE(rejected.size() == 1);
    CHECK(rejected[0]["code"] == "forbidden");
    CHECK(rejected[0]["entity"] == salesTask);
    CHECK(rejected[0]["field"] == "percent");
    CHECK(rejected[0]["value"] == 37);
    const std::string message = rejected[0]["message"].get<std::string>();
    CHECK(message == "only members of the task's lead and collaborating departments report on it");
    CHECK(li.json({"status"})["rejected"] == 1);
    CHECK(li.json({"status"})["pending"] == 0);
    CHECK(li.json({"show", demo.members.at("sales.li")})["fields"]["department"] == demo.departments.at("SVC"));

    // Now the replica holds the move: the same edit is refused offline, with the message
    // the server gave, and the rejected list does not grow.
    CHECK(li.run({"set", salesTask, "percent", "38"}).status == 1);
    CHECK_THAT(li.lastError(), Catch::Contains(message) && Catch::Contains("[forbidden]"));
    CHECK(li.json({"show", salesTask})["fields"]["percent"] == before);
    CHECK(li.json({"status"})["pending"] == 0);
    CHECK(li.json({"rejected"}).size() == 1);

    // The plan as the user sees it: listed with a RAG, exported as a document.
    auto plans = li.json({"plans"});
    REQUIRE(plans.size() == 1);
    CHECK(plans[0]["id"] == demo.plan);
    CHECK((plans[0]["rag"] == "red" || plans[0]["rag"] == "yellow" || plans[0]["rag"] == "green"));
    li.ok({"export", demo.plan, "--format", "md", "-o", tmp.sub("plan.md")});
    std::ifstream md(tmp.sub("plan.md"));
    const std::string text((std::istreambuf_iterator<char>(md)), std::istreambuf_iterator<char>());
    CHECK(text.find("Q3 新品推广") != std::string::npos);
    CHECK(li.run({"export", demo.plan, "--format", "doc", "-o", tmp.sub("x")}).status == 2);
}

TEST_CASE("e2e: progress and sign-offs are judged offline like every write: refused with the server's message",
          "[e2e]") {
    TempDir tmp;
    Server server(tmp);
    Cli li(tmp, "li"), head(tmp, "head");
    li.signIn(server, "sales.li");  // a SALES member, not a head
    head.signIn(server, "sales.head");
    const Demo demo = Demo::from(li);
    const std::string prodTask = demo.taskLedBy("PROD");  // SALES does not collaborate on it
    const std::string salesTask = demo.taskLedBy("SALES");
    const Json prodPercent = li.json({"show", prodTask})["fields"]["percent"];
    const std::string before = li.dump();
    constexpr const char* kNotTheirTask =
        "only members of the task's lead and collaborating departments log its progress";
    constexpr const char* kNotAHead = "only department heads sign off";

    // Offline, what the server would refuse is refused on the spot, before anything is
    // written: no progress entry, no percent, no sign-off, nothing pending.
    CHECK(server.stop() == 0);
    CHECK(li.run({"progress", prodTask, "50", "--note", "不是我们部门的任务"}).status == 1);
    CHECK_THAT(li.lastError(), Catch::Contains(kNotTheirTask) && Catch::Contains("[forbidden]"));
    CHECK(li.json({"show", prodTask})["fields"]["percent"] == prodPercent);
    // A non-head is refused before the password is even checked.
    CHECK(li.run({"sign", demo.plan, "approve"}, {{"TANDEM_PASSWORD", "wrong"}}).status == 1);
    CHECK_THAT(li.lastError(), Catch::Contains(kNotAHead) && Catch::Contains("[forbidden]"));
    CHECK(li.json({"status"})["pending"] == 0);
    CHECK(li.dump() == before);

    // Progress on one's own department's task and a head's sign-off are accepted offline.
    const Json entry = li.json({"progress", salesTask, "65", "--note", "实操视频录制中", "--next", "完成考核题库"});
    CHECK(entry["percent"] == 65);
    CHECK(li.json({"show", salesTask})["fields"]["percent"] == 65);
    CHECK(li.json({"status"})["pending"] > 0);
    const Json signoff = head.json({"sign", demo.plan, "acknowledge", "--comment", "已阅"});
    CHECK(head.json({"status"})["pending"] > 0);

    // Back online, the server accepts both, and each replica receives the other's.
    server.restart();
    const Json liSynced = li.json({"sync"});
    CHECK(liSynced["accepted"] > 0);
    CHECK(liSynced["rejected"] == 0);
    CHECK(head.json({"sync"})["rejected"] == 0);
    li.ok({"sync"});
    for (const Cli* cli : {&li, &head}) {
        CHECK(cli->json({"status"})["pending"] == 0);
        CHECK(cli->json({"rejected"}).empty());
        CHECK(cli->json({"show", salesTask})["fields"]["percent"] == 65);
        const Json e = cli->json({"show", entry["id"].get<std::string>()})["fields"];
        CHECK(e["author"] == demo.members.at("sales.li"));
        CHECK(e["note"] == "实操视频录制中");
        const Json s = cli->json({"show", signoff["id"].get<std::string>()})["fields"];
        CHECK(s["signer"] == demo.members.at("sales.head"));
        CHECK(s["department"] == demo.departments.at("SALES"));
        CHECK(s["meaning"] == "acknowledge");
    }

    // The message is the server's: the same progress entry, slipped past the CLI into the
    // replica, is refused by the server with it.
    writeProgressEntries(li, demo.plan, prodTask, 1);
    CHECK(li.json({"sync"})["rejected"] > 0);
    const Json rejected = li.json({"rejected"});
    REQUIRE(!rejected.empty());
    // Its `plan` op is forbidden; the others, without that plan, are unknown_entity and
    // say why.
    int forbidden = 0;
    for (const Json& r : rejected) {
        if (r["code"] == "forbidden") {
            ++forbidden;
            CHECK(r["message"] == kNotTheirTask);
        } else {
            CHECK(r["code"] == "unknown_entity");
            CHECK_THAT(r["message"].get<std::string>(), Catch::Contains(kNotTheirTask));
        }
    }
    CHECK(forbidden == 1);
    CHECK(server.stop() == 0);
}

TEST_CASE("e2e: a device clock a day ahead or behind: edits accepted, later correct-clock edits win", "[e2e][clock]") {
    TempDir tmp;
    Server server(tmp);
    Cli li(tmp, "li"), head(tmp, "head");
    li.ok({"login", server.url(), "sales.li"});
    head.ok({"login", server.url(), "sales.head"});
    li.ok({"sync"});
    const Demo demo = Demo::from(li);
    const std::string task = demo.taskLedBy("SALES");
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();

    for (const std::string& skew : {std::string(kDay), "-" + std::string(kDay)}) {
        INFO("device clock offset " << skew);
        const std::map<std::string, std::string> env = {{"TANDEM_CLOCK_OFFSET_MS", skew}};
        // The device clock went wrong after sign-in; the user edits offline.
        li.ok({"set", task, "percent", skew[0] == '-' ? "71" : "51"}, env);
        auto report = li.json({"sync"}, env);
        CHECK(report["rejected"] == 0);
        CHECK(report["restamps"].get<int>() >= 1);
        CHECK(li.json({"status"}, env)["pending"] == 0);
        // The edit went out stamped with the server's time, not the device's.
        for (const auto& h : historyOf(li, task, "percent"))
            if (h["current"].get<bool>()) CHECK(std::llabs(h["time"].get<std::int64_t>() - now) < 10 * 60 * 1000);
        // Later, someone with a right clock edits the same field: theirs wins everywhere.
        head.ok({"sync"});
        head.ok({"set", task, "percent", skew[0] == '-' ? "72" : "52"});
        head.ok({"sync"});
        li.ok({"sync"}, env);
        CHECK(li.json({"show", task}, env)["fields"]["percent"] == (skew[0] == '-' ? 72 : 52));
        CHECK(head.json({"show", task})["fields"]["percent"] == (skew[0] == '-' ? 72 : 52));
        CHECK(li.json({"rejected"}, env).empty());
    }
    CHECK(li.dump() == head.dump());
}

TEST_CASE("e2e: 10,000 offline edits go out in one sync and reach another replica", "[e2e][big]") {
    TempDir tmp;
    Server server(tmp);
    Cli li(tmp, "li"), wang(tmp, "wang");
    wang.ok({"login", server.url(), "sales.wang"});
    signInWithOfflineWork(server, li);
    CHECK(li.json({"status"})["pending"] == 10000);
    auto pushed = li.json({"sync"});
    CHECK(pushed["accepted"] == 10000);
    CHECK(pushed["rejected"] == 0);
    CHECK(li.json({"status"})["pending"] == 0);
    auto pulled = wang.json({"sync"});
    CHECK(pulled["pulled"].get<int>() >= 10000);
    CHECK(wang.dump() == li.dump());
}

TEST_CASE("e2e: 300 progress reports logged offline sync whole, also when 413 halves the batch", "[e2e][big]") {
    // A week of field work without signal: each report is a progress entry (6 fields)
    // and its task's percent, 7 ops, so batches of 1,000 would end inside an entry. No
    // push may cut an entry in two, whatever the batch size.
    TempDir tmp;
    std::map<std::string, std::string> env;
    SECTION("batches of 1,000") {}
    SECTION("a body limit that answers 413 until the batch is halved twice") { env["TANDEM_BODY_LIMIT"] = "100000"; }
    Server server(tmp, env);
    Cli li(tmp, "li"), hq(tmp, "hq");
    li.signIn(server, "sales.li");
    const Demo demo = Demo::from(li);
    const std::string task = demo.taskLedBy("SALES");
    server.stop();
    constexpr int kReports = 300;
    for (int i = 0; i < kReports; ++i)
        li.ok({"progress", task, std::to_string(i % 101), "--note", "拜访门店 " + std::to_string(i)});
    CHECK(li.json({"status"})["pending"] == kReports * 7);
    server.restart();
    const Json synced = li.json({"sync"});
    CHECK(synced["rejected"] == 0);
    CHECK(synced["accepted"] == kReports * 7);
    CHECK(li.json({"rejected"}).empty());

    // Every field of every entry reached the server: a second replica has them all.
    hq.signIn(server, "hq.zhao");
    const Json entities = (*core::parseJson(hq.dump()))["entities"];
    int whole = 0;
    for (const auto& [id, e] : entities.items()) {
        const Json& f = e["fields"];
        if (e["type"] != "progress_entry" || f.value("note", "").rfind("拜访门店 ", 0) != 0) continue;
        INFO(id << " " << f.dump());
        CHECK(e["plan"] == demo.plan);
        for (const char* field : {"plan", "task", "author", "percent", "note", "reported_at"})
            CHECK(f.contains(field));
        ++whole;
    }
    CHECK(whole == kReports);
}

TEST_CASE("e2e: server SIGKILLed mid-push of 10,000 ops: nothing acknowledged lost, rest pushed again, no duplicates",
          "[e2e][crash]") {
    TempDir tmp;
    Server server(tmp);
    Cli li(tmp, "li");
    signInWithOfflineWork(server, li);
    const std::string site = siteOf(li);

    std::int64_t acknowledged = 0;
    {
        client::SessionStore store(li.dir());
        auto session = store.load();
        REQUIRE(session);
        auto replica = core::Replica::open(li.dir() + "/replica.db");
        REQUIRE(replica);
        client::HttpClient http((*session)->server);
        client::SyncOptions options;
        options.maxAttempts = 2;
        options.backoff = {std::chrono::milliseconds(10), std::chrono::milliseconds(50)};
        bool killed = false;
        options.onProgress = [&](const client::SyncProgress& p) {
            if (!killed && p.phase == client::SyncProgress::Phase::Push && p.done >= 2000) {
                killed = true;
                server.kill();  // between two pushed batches, with more on the way
            }
        };
        client::SyncEngine engine(**replica, http, (*session)->token, options);
        auto report = engine.sync();
        REQUIRE(killed);
        REQUIRE_FALSE(report);
        CHECK(report.error().code == "unreachable");
        acknowledged = 10000 - *(*replica)->pendingCount();
        CHECK(acknowledged >= 2000);
        CHECK(acknowledged < 10000);
    }
    CHECK(li.run({"sync"}).status == 3);  // still down: exit 3, work kept
    server.restart();
    // Everything acknowledged before the crash survived it.
    auto stored = serverOpsOfSite(server, site);
    CHECK(static_cast<std::int64_t>(stored.size()) >= acknowledged);
    auto report = li.json({"sync"});
    CHECK(report["rejected"] == 0);
    CHECK(li.json({"status"})["pending"] == 0);
    stored = serverOpsOfSite(server, site);
    std::set<std::uint64_t> ns;
    for (const auto& op : stored) ns.insert(op.n);
    CHECK(stored.size() == 10000);  // every op once: none lost, none stored twice
    CHECK(ns.size() == 10000);
    CHECK(server.stop() == 0);
}

TEST_CASE("e2e: client SIGKILLed mid-pull: the replica opens intact and the next sync completes", "[e2e][crash]") {
    TempDir tmp;
    Server server(tmp);
    Cli li(tmp, "li"), wang(tmp, "wang"), fresh(tmp, "fresh");
    signInWithOfflineWork(server, li);
    li.ok({"sync"});

    wang.ok({"login", server.url(), "sales.wang"});
    auto pulling = wang.spawn({"sync", "--progress"});
    REQUIRE(pulling->waitForLine("progress pull"));
    pulling->signal(SIGKILL);
    CHECK(pulling->wait() == 128 + SIGKILL);

    auto status = wang.json({"status"});  // opens (and checks) the replica
    CHECK(status["cursor"].get<std::int64_t>() > 0);
    wang.ok({"sync"});
    fresh.signIn(server, "sales.wang");
    CHECK(wang.dump() == fresh.dump());
    CHECK(wang.dump() == li.dump());
}

TEST_CASE("e2e: sync --watch backs off while the server is down and resumes when it returns", "[e2e][watch]") {
    TempDir tmp;
    Server server(tmp);
    Cli li(tmp, "li"), head(tmp, "head");
    li.ok({"login", server.url(), "sales.li"});
    head.signIn(server, "sales.head");
    const Demo demo = Demo::from(head);
    const std::string task = demo.taskLedBy("SALES");

    auto watch = li.spawn({"sync", "--watch"}, {{"TANDEM_POLL_MS", "500"}});
    REQUIRE(watch->waitForLine("synced:"));
    CHECK(server.stop() == 0);
    REQUIRE(watch->waitForLine("offline:"));
    server.restart();
    REQUIRE(watch->waitForLine("synced:", std::chrono::seconds(60)));
    // An edit elsewhere reaches the watching replica by itself (/live or polling).
    head.ok({"set", task, "percent", "77"});
    const std::int64_t editCursor = head.json({"sync"})["cursor"].get<std::int64_t>();
    // Lines from earlier syncs may still be in the pipe: wait for one that covers the edit.
    bool reached = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!reached && std::chrono::steady_clock::now() < deadline) {
        auto line = watch->waitForLine("synced:", std::chrono::seconds(30));
        REQUIRE(line);
        const auto at = line->find("cursor ");
        REQUIRE(at != std::string::npos);
        reached = std::stoll(line->substr(at + 7)) >= editCursor;
    }
    REQUIRE(reached);
    watch->signal(SIGTERM);
    CHECK(watch->wait() == 0);
    CHECK(li.json({"show", task})["fields"]["percent"] == 77);
    CHECK(li.dump() == head.dump());
}

TEST_CASE("e2e: session: token file 0600, sign-off asks the password, logout then 'sign in again'", "[e2e][session]") {
    TempDir tmp;
    Server server(tmp);
    Cli head(tmp, "mkt");
    CHECK(head.run({"login", server.url(), "mkt.head"}, {{"TANDEM_PASSWORD", "wrong"}}).status == 1);
    head.ok({"login", server.url(), "mkt.head"});
    struct stat st {};
    REQUIRE(::stat((head.dir() + "/session.json").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    head.ok({"sync"});
    const Demo demo = Demo::from(head);
    CHECK(head.run({"sign", demo.plan, "approve"}, {{"TANDEM_PASSWORD", "wrong"}}).status == 1);
    auto signoff = head.json({"sign", demo.plan, "acknowledge", "--comment", "已阅"});
    CHECK(signoff["content_hash"].get<std::string>().size() == 64);
    head.ok({"sync"});
    CHECK(head.json({"rejected"}).empty());
    auto fields = head.json({"show", signoff["id"].get<std::string>()})["fields"];
    CHECK(fields["meaning"] == "acknowledge");
    CHECK(fields["signer"] == demo.members.at("mkt.head"));
    CHECK(head.ok({"audit", "verify"}).find("intact") != std::string::npos);

    // Offline start with the last session: no server needed for local work.
    CHECK(server.stop() == 0);
    CHECK(head.json({"status"})["session"] == "signed in");
    head.ok({"set", demo.taskLedBy("MKT"), "percent", "99"});
    auto down = head.run({"sync"});
    CHECK(down.status == 3);
    auto offline = head.json({"status"});
    CHECK(offline["online"] == false);
    CHECK(offline["pending"] == 1);
    server.restart();
    head.ok({"sync"});
    CHECK(head.json({"status"})["online"] == true);
    // A token the server no longer accepts: a clear "sign in again".
    {
        client::SessionStore store(head.dir());
        auto s = store.load();
        REQUIRE(s);
        client::HttpClient http(server.url());
        auto r = http.post("/api/v1/logout", "{}", (*s)->token);  // e.g. revoked by another device
        REQUIRE(r);
    }
    CHECK(head.run({"sync"}).status == 1);
    CHECK(head.json({"status"})["session"] == "sign in again");
    head.signIn(server, "mkt.head");
    head.ok({"logout"});
    CHECK(head.json({"status"})["session"] == "signed out");
}

TEST_CASE("e2e: session: a verifier of the old strength checks offline and is upgraded by the check and at sign-in",
          "[e2e][session]") {
    TempDir tmp;
    Server server(tmp);
    Cli head(tmp, "mkt");
    head.signIn(server, "mkt.head");
    const Demo demo = Demo::from(head);
    client::SessionStore store(head.dir());
    auto verifierIterations = [&store] {
        auto session = store.load();
        REQUIRE(session);
        REQUIRE(*session);
        return core::passwordIterations((*session)->verifier).value_or(0);
    };
    // A session file as 0.1 wrote it: the verifier at 100,000 iterations.
    auto makeVerifierOld = [&store] {
        auto session = store.load();
        REQUIRE(session);
        REQUIRE(*session);
        auto old = core::hashPassword(test::kDemoPassword, 100000);
        REQUIRE(old);
        (*session)->verifier = *old;
        REQUIRE(store.save(**session));
    };
    CHECK(verifierIterations() == core::kDefaultPasswordIterations);  // a new sign-in: at the policy

    // Offline, the old verifier still checks the password; a wrong one upgrades nothing, the
    // right one replaces it by one at the policy, which checks as well.
    makeVerifierOld();
    CHECK(server.stop() == 0);
    CHECK(head.run({"sign", demo.plan, "approve"}, {{"TANDEM_PASSWORD", "wrong"}}).status == 1);
    CHECK(verifierIterations() == 100000);
    head.json({"sign", demo.plan, "acknowledge", "--comment", "旧口令校验"});
    CHECK(verifierIterations() == core::kDefaultPasswordIterations);
    CHECK(head.run({"sign", demo.plan, "approve"}, {{"TANDEM_PASSWORD", "wrong"}}).status == 1);
    head.json({"sign", demo.plan, "acknowledge", "--comment", "新口令校验"});

    // The next online sign-in upgrades an old verifier as well.
    makeVerifierOld();
    server.restart();
    head.ok({"login", server.url(), "mkt.head"});
    CHECK(verifierIterations() == core::kDefaultPasswordIterations);
    head.ok({"sync"});
    CHECK(head.json({"rejected"}).empty());
}

TEST_CASE("e2e: warnings lists what is routed to the signed-in user; --all lists every plan's warnings", "[e2e]") {
    TempDir tmp;
    Server server(tmp);
    Cli zhao(tmp, "zhao");
    const Json me = zhao.json({"login", server.url(), "hq.zhao"})["member"];
    REQUIRE(me.is_string());
    zhao.ok({"sync"});

    // The demo's problem is unresolved for more than 48 h: it escalates to the plan's
    // escalation contact, 赵总.
    const Json mine = zhao.json({"warnings"});
    const Json all = zhao.json({"warnings", "--all"});
    REQUIRE(mine.is_array());
    REQUIRE(all.is_array());
    REQUIRE(!mine.empty());
    CHECK(all.size() > mine.size());
    bool escalated = false;
    for (const Json& w : mine) {
        CHECK(std::find(w["routed_to"].begin(), w["routed_to"].end(), Json(me)) != w["routed_to"].end());
        escalated = escalated || w["kind"] == "problem_escalated";
    }
    CHECK(escalated);
    CHECK(zhao.run({"warnings", "--bogus"}).status == 2);
}

TEST_CASE("e2e: a published plan changes through a change request the heads approve and the owner applies",
          "[e2e][change_request]") {
    TempDir tmp;
    Server server(tmp);
    Cli owner(tmp, "owner"), sales(tmp, "sales"), prod(tmp, "prod"), svc(tmp, "svc"), zhao(tmp, "zhao");
    owner.ok({"login", server.url(), "mkt.head"});  // the plan's owner, head of its lead department
    sales.ok({"login", server.url(), "sales.head"});
    prod.ok({"login", server.url(), "prod.head"});
    svc.ok({"login", server.url(), "svc.head"});
    zhao.ok({"login", server.url(), "hq.zhao"});
    owner.ok({"sync"});
    const Demo demo = Demo::from(owner);
    REQUIRE(statusOf(owner, demo.plan) == "in_progress");
    const Json title = owner.json({"show", demo.plan})["fields"]["title"];

    // Published, no approved request: even the owner's edit is refused offline.
    auto refusedOffline = [&](const std::string& value) {
        CHECK(owner.run({"set", demo.plan, "title", "\"" + value + "\""}).status == 1);
        CHECK_THAT(owner.lastError(), Catch::Contains(kPublished) && Catch::Contains("[forbidden]"));
        CHECK(owner.json({"status"})["pending"] == 0);
    };
    refusedOffline("Q3 新品推广（未经批准）");
    CHECK(owner.json({"show", demo.plan})["fields"]["title"] == title);

    // Filed and submitted; in review until every participating head has approved.
    const std::string change = fileChangeRequest(owner, demo.plan, "发布会延期一周");
    CHECK(statusOf(owner, change) == "in_review");
    approveAs({&owner, &sales, &prod}, change);
    owner.ok({"sync"});
    CHECK(statusOf(owner, change) == "in_review");  // SVC has not signed yet
    refusedOffline("Q3 新品推广（审批中）");
    approveAs({&svc}, change);
    CHECK(statusOf(svc, change) == "approved");  // derived by the server in that push
    owner.ok({"sync"});
    CHECK(statusOf(owner, change) == "approved");
    // The request lists the four heads' sign-offs.
    const std::string shown = owner.ok({"show", change});
    for (const char* dept : {"MKT", "SALES", "PROD", "SVC"})
        CHECK_THAT(shown, Catch::Contains(demo.departments.at(dept)));

    // Approved: the owner's edit is saved and accepted; everyone gets it.
    owner.ok({"set", demo.plan, "title", "\"Q3 新品推广（延期版）\""});
    auto pushed = owner.json({"sync"});
    CHECK(pushed["accepted"] == 1);
    CHECK(pushed["rejected"] == 0);
    zhao.ok({"sync"});
    CHECK(zhao.json({"show", demo.plan})["fields"]["title"] == "Q3 新品推广（延期版）");

    // Applied: the plan is closed again, still published.
    owner.ok({"set", change, "status", "\"applied\""});
    CHECK(owner.json({"sync"})["rejected"] == 0);
    CHECK(statusOf(owner, change) == "applied");
    CHECK(statusOf(owner, demo.plan) == "in_progress");
    refusedOffline("Q3 新品推广（再改）");
    CHECK(owner.json({"show", demo.plan})["fields"]["title"] == "Q3 新品推广（延期版）");
    CHECK(owner.json({"rejected"}).empty());
    zhao.ok({"sync"});
    CHECK(statusOf(zhao, change) == "applied");
    CHECK(zhao.dump() == owner.dump());

    // The audit chain holds, recomputed in full by HQ, and records the decision.
    const Json verified = zhao.json({"audit", "verify"});
    CHECK(verified["ok"] == true);
    CHECK(verified["local"]["ok"] == true);
    CHECK(owner.ok({"audit", "verify"}).find("intact") != std::string::npos);

    std::string planHash;
    {
        auto replica = core::Replica::open(owner.dir() + "/replica.db");
        REQUIRE(replica);
        auto hash = core::contentHash(**replica, *core::EntityId::parse(demo.plan));
        REQUIRE(hash);
        planHash = *hash;
    }
    client::HttpClient http(server.url());
    auto login = client::requestLogin(http, "mkt.head", test::kDemoPassword);
    REQUIRE(login);
    auto listing = http.get("/api/v1/audit?plan=" + demo.plan + "&limit=5000", login->session.token);
    REQUIRE(listing);
    REQUIRE(listing->status == 200);
    auto audit = core::parseJson(listing->body);
    REQUIRE(audit);
    CHECK((*audit)["more"] == false);
    const std::string ownerId = demo.members.at("mkt.head");
    bool submitted = false, approved = false, applied = false;
    for (const Json& e : (*audit)["entries"]) {
        const Json& details = e["details"];
        if (e["action"] == "change_request_status" && e["subject"] == change) {
            if (details["from"] == "open" && details["to"] == "in_review") submitted = e["actor"] == ownerId;
            if (details["from"] == "in_review" && details["to"] == "approved") approved = e["actor"].is_null();
        }
        if (e["action"] == "change_applied" && e["subject"] == demo.plan) {
            applied = e["actor"] == ownerId && details["change_request"] == change;
            CHECK(details["content_hash"] == planHash);
        }
    }
    CHECK(submitted);
    CHECK(approved);
    CHECK(applied);
    CHECK(server.stop() == 0);
}
