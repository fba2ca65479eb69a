// The real tandem-server binary on PostgreSQL (--db), one shared throw-away cluster:
// the demo served from the database, subcommands with --db, two instances on one
// database, and a database restart.

#include <catch2/catch.hpp>

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>

#include "fixtures.h"
#include "pg_shared_cluster.h"

using namespace tandem::test;
using nlohmann::json;

namespace {

std::unique_ptr<DemoServer> startOn(const std::string& url) {
    auto server = std::make_unique<DemoServer>();
    ServerOptions options;
    options.dbUrl = url;
    server->process = std::make_unique<ServerProcess>(options);
    INFO(server->process->firstLine() << "\n" << server->process->stderrText());
    REQUIRE(server->process->started());
    return server;
}

/// Every op readable by `username` from a new site, paging to the end.
std::vector<json> pullAll(DemoServer& server, const std::string& username) {
    const std::string site = randomHex(16);
    std::vector<json> ops;
    std::int64_t cursor = 0;
    for (;;) {
        json answer = syncAs(server, username, {{"site", site}, {"cursor", cursor}, {"ops", json::array()}});
        REQUIRE(answer.is_object());
        for (const json& op : answer["ops"]) ops.push_back(op);
        cursor = answer["cursor"].get<std::int64_t>();
        if (!answer.value("more", false)) return ops;
    }
}

/// Pushes a new plan as mkt.head; its entity id.
std::string pushPlan(DemoServer& server, const std::string& title) {
    const std::string site = randomHex(16);
    const std::string department = loginAs(server, "mkt.head")["department"].get<std::string>();
    const json ops = newPlanOps(site, department, title);
    const json answer = syncAs(server, "mkt.head", {{"site", site}, {"cursor", 0}, {"ops", ops}});
    REQUIRE(answer.is_object());
    INFO(answer["rejected"].dump());
    REQUIRE(answer["accepted"].size() == ops.size());
    return ops[0]["entity"].get<std::string>();
}

bool holdsEntity(const std::vector<json>& ops, const std::string& entity) {
    for (const json& op : ops)
        if (op["entity"] == entity) return true;
    return false;
}

}  // namespace

TEST_CASE("pg server: --db serves the demo; a push is pulled back, and audit verify --db agrees", "[pg][server]") {
    const std::string url = freshPgDatabase("srv");
    auto server = startOn(url);
    const std::string plan = pushPlan(*server, "pg plan");
    CHECK(holdsEntity(pullAll(*server, "mkt.head"), plan));

    auto added = runServerCommand({"user", "add", "pg.user", "--db", url}, {{"TANDEM_PASSWORD", "a-long-password"}});
    INFO(added.output);
    CHECK(added.status == 0);
    auto verified = runServerCommand({"audit", "verify", "--db", url});
    INFO(verified.output);
    CHECK(verified.status == 0);
    CHECK(verified.output.find("audit chain ok") != std::string::npos);
    // The running server sees the account the subcommand added.
    json body = {{"username", "pg.user"}, {"password", "a-long-password"}};
    auto login = httpRequest(server->process->host(), server->process->port(), "POST", "/api/v1/login", body.dump(),
                             {{"Content-Type", "application/json"}});
    CHECK(login.status == 200);
}

TEST_CASE("pg server: --data and --db exclude each other, and --db wants a postgresql URL", "[pg][server]") {
    auto both = runServerCommand({"audit", "verify", "--db", "postgresql://x@127.0.0.1:1/x", "--data", "/tmp/x"});
    CHECK(both.status == 2);
    CHECK(both.output.find("exclude each other") != std::string::npos);
    auto notUrl = runServerCommand({"audit", "verify", "--db", "/var/lib/tandem"});
    CHECK(notUrl.status == 2);
    CHECK(notUrl.output.find("postgresql://") != std::string::npos);
}

TEST_CASE("pg server: two instances started together seed the demo once and serve each other's pushes",
          "[pg][server][instances]") {
    const std::string url = freshPgDatabase("two");
    // Both with --demo, at the same time: the seed runs in one write batch at a time.
    auto a = std::make_unique<DemoServer>();
    auto b = std::make_unique<DemoServer>();
    ServerOptions options;
    options.dbUrl = url;
    std::thread startB([&] { b->process = std::make_unique<ServerProcess>(options); });
    a->process = std::make_unique<ServerProcess>(options);
    startB.join();
    INFO(a->process->stderrText() << "\n" << b->process->stderrText());
    REQUIRE(a->process->started());
    REQUIRE(b->process->started());
    const std::string db = url.substr(url.rfind('/') + 1);
    CHECK(sharedCluster().psql("SELECT count(*) FROM srv_account WHERE username = 'mkt.head'", db) == "1");
    // Seeded once, not twice with other ids: one demo plan, one server op per field.
    CHECK(sharedCluster().psql("SELECT count(*) FROM ops WHERE field = 'title' AND value = '\"Q3 新品推广\"'", db) ==
          "1");
    CHECK(sharedCluster().psql("SELECT count(*) FROM srv_counter WHERE name = 'demo_seeded' AND value = 1", db) == "1");

    const std::string fromA = pushPlan(*a, "pushed to A");
    const std::string fromB = pushPlan(*b, "pushed to B");
    const auto onB = pullAll(*b, "mkt.head");
    const auto onA = pullAll(*a, "mkt.head");
    CHECK(holdsEntity(onB, fromA));
    CHECK(holdsEntity(onA, fromB));
    CHECK(onA.size() == onB.size());
    // Gap-free: the seqs a client saw are 1..N without a hole in what it may read.
    std::int64_t last = 0;
    for (const json& op : onA) {
        CHECK(op["seq"].get<std::int64_t>() > last);
        last = op["seq"].get<std::int64_t>();
    }
    auto verified = runServerCommand({"audit", "verify", "--db", url});
    INFO(verified.output);
    CHECK(verified.status == 0);
}

TEST_CASE("pg server: with the database stopped a sync is 503 with a clear log line; it recovers by itself",
          "[pg][server][restart]") {
    const std::string url = freshPgDatabase("restart");
    auto server = startOn(url);
    pushPlan(*server, "before the restart");
    sharedCluster().stop();
    HttpResult raw;
    const std::string site = randomHex(16);
    syncAs(*server, "mkt.head", {{"site", site}, {"cursor", 0}, {"ops", json::array()}}, &raw);
    sharedCluster().start();
    CHECK(raw.status == 503);
    CHECK(server->process->waitForStderr("database unavailable", std::chrono::seconds(10)));
    // The next call reconnects.
    json answer;
    for (int attempt = 0; attempt < 5 && !answer.is_object(); ++attempt)
        answer = syncAs(*server, "mkt.head", {{"site", site}, {"cursor", 0}, {"ops", json::array()}}, &raw);
    REQUIRE(answer.is_object());
    const std::string plan = pushPlan(*server, "after the restart");
    CHECK(holdsEntity(pullAll(*server, "mkt.head"), plan));
}

TEST_CASE("pg server: an instance killed with SIGKILL mid-push loses no acknowledged op", "[pg][server][instances]") {
    const std::string url = freshPgDatabase("kill");
    auto a = startOn(url);
    auto b = startOn(url);
    const std::string department = loginAs(*a, "mkt.head")["department"].get<std::string>();
    const std::string token = bearer(*a, "mkt.head");

    // Pushes to A, one after another, until A is gone; the plans A acknowledged.
    std::mutex mutex;
    std::condition_variable progressed;
    std::vector<std::string> acknowledged;
    bool stopped = false;
    std::thread pusher([&] {
        for (;;) {
            const std::string site = randomHex(16);
            const json ops = newPlanOps(site, department, "before the kill");
            const json body = {{"site", site}, {"cursor", 0}, {"ops", ops}};
            auto result = httpRequest(a->process->host(), a->process->port(), "POST", "/api/v1/sync", body.dump(),
                                      {{"Content-Type", "application/json"}, {"Authorization", token}});
            std::lock_guard lock(mutex);
            if (result.status != 200) break;
            json answer = json::parse(result.body, nullptr, false);
            if (!answer.is_object() || answer["accepted"].size() != ops.size()) break;
            acknowledged.push_back(ops[0]["entity"].get<std::string>());
            progressed.notify_all();
        }
        std::lock_guard lock(mutex);
        stopped = true;
        progressed.notify_all();
    });
    {
        std::unique_lock lock(mutex);
        progressed.wait_for(lock, std::chrono::seconds(60), [&] { return acknowledged.size() >= 20 || stopped; });
    }
    a->process->signal(SIGKILL);
    pusher.join();
    REQUIRE(acknowledged.size() >= 20);
    const auto onB = pullAll(*b, "mkt.head");
    std::set<std::string> entities;
    for (const json& op : onB) entities.insert(op["entity"].get<std::string>());
    for (const std::string& plan : acknowledged) CHECK(entities.count(plan) == 1);
    auto verified = runServerCommand({"audit", "verify", "--db", url});
    INFO(verified.output);
    CHECK(verified.status == 0);
}

TEST_CASE("pg server: /live on one instance hears a push made through another", "[pg][server][instances][live]") {
    const std::string url = freshPgDatabase("live");
    auto a = startOn(url);
    auto b = startOn(url);
    LiveClient live(b->process->host(), b->process->port());
    REQUIRE(live.handshake("/api/v1/live", bearer(*b, "sales.head")) == 101);
    auto first = live.readText(std::chrono::seconds(10));
    REQUIRE(first);
    const std::int64_t initial = json::parse(*first)["cursor"].get<std::int64_t>();

    const std::string site = randomHex(16);
    const std::string department = loginAs(*a, "mkt.head")["department"].get<std::string>();
    const json answer =
        syncAs(*a, "mkt.head", {{"site", site}, {"cursor", 0}, {"ops", newPlanOps(site, department, "via A")}});
    REQUIRE(answer.is_object());
    const std::int64_t head = answer["cursor"].get<std::int64_t>();
    REQUIRE(head > initial);
    std::int64_t seen = initial;
    while (seen < head) {
        auto frame = live.readText(std::chrono::seconds(10));
        REQUIRE(frame);
        seen = json::parse(*frame)["cursor"].get<std::int64_t>();
    }
    CHECK(seen == head);
}
