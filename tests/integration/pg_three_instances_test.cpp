// Three real tandem-server instances on one PostgreSQL database, with clients that send
// every request to another instance: what the clients pulled converges to the database's
// canonical state, every cursor is gap-free, /live at each instance hears pushes made at
// the others, and the audit chain is one chain that verifies (issue 13).

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "fixtures.h"
#include "pg_shared_cluster.h"
#include "storage/pg/pg_op_store.h"
#include "storage/sqlite_op_store.h"
#include "tandem/core/op.h"

using namespace tandem;
using namespace tandem::test;
using nlohmann::json;

namespace {

constexpr int kInstances = 3;
constexpr int kRounds = 8;
constexpr auto kWait = std::chrono::seconds(20);

std::string hlcHex(std::uint64_t n) {
    const auto nowMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx",
                  static_cast<unsigned long long>((static_cast<std::uint64_t>(nowMs) << 16) | (n & 0xffff)));
    return buffer;
}

/// One client: its own site (so its op numbers run on), a session made at one instance
/// and used at all of them, and every op it pulled, in the order it pulled them.
struct Client {
    Client(std::string name, bool pushing) : user(std::move(name)), pushes(pushing) {}
    std::string user;
    bool pushes = false;
    std::string site = randomHex(16);
    std::string department;
    std::string token;
    std::uint64_t nextN = 0;
    std::int64_t cursor = 0;
    std::vector<json> pulled;
    std::vector<std::string> failures;  // kept off the worker threads' REQUIREs

    json planOps(const std::string& title) {
        const std::string entity = randomHex(32);
        json ops = json::array();
        for (const auto& [field, value] : std::vector<std::pair<std::string, json>>{
                 {"title", title}, {"lead_department", department}, {"status", "draft"}}) {
            const std::uint64_t n = ++nextN;
            ops.push_back({{"site", site},
                           {"n", n},
                           {"entity", entity},
                           {"type", "plan"},
                           {"field", field},
                           {"value", value},
                           {"hlc", hlcHex(n)}});
        }
        return ops;
    }

    /// One sync at `server` (its push, then pages until `more` is false, each page possibly
    /// at the next instance); false with a failure noted when an answer is not as expected.
    bool sync(std::vector<std::unique_ptr<DemoServer>>& servers, int first, const json& ops) {
        json push = ops;
        for (int page = 0;; ++page) {
            ServerProcess& server = *servers[static_cast<std::size_t>(first + page) % servers.size()]->process;
            const json body = {{"site", site}, {"cursor", cursor}, {"ops", push}, {"limit", 25}};
            const HttpResult raw = httpRequest(server.host(), server.port(), "POST", "/api/v1/sync", body.dump(),
                                               {{"Content-Type", "application/json"}, {"Authorization", token}});
            const json answer = json::parse(raw.body, nullptr, false);
            if (raw.status != 200 || !answer.is_object()) {
                failures.push_back(user + ": " + std::to_string(raw.status) + " " + raw.body + raw.error);
                return false;
            }
            if (answer["accepted"].size() != push.size()) {
                failures.push_back(user + ": not all accepted: " + answer["rejected"].dump());
                return false;
            }
            push = json::array();
            for (const json& op : answer["ops"]) pulled.push_back(op);
            cursor = answer["cursor"].get<std::int64_t>();
            if (!answer.value("more", false)) return true;
        }
    }
};

/// Every op `token`'s user may read, pulled from a new site at one instance.
std::vector<json> pullEverything(DemoServer& server, const std::string& token) {
    const std::string site = randomHex(16);
    std::vector<json> ops;
    std::int64_t cursor = 0;
    for (;;) {
        const json body = {{"site", site}, {"cursor", cursor}, {"ops", json::array()}};
        const HttpResult raw =
            httpRequest(server.process->host(), server.process->port(), "POST", "/api/v1/sync", body.dump(),
                        {{"Content-Type", "application/json"}, {"Authorization", token}});
        REQUIRE(raw.status == 200);
        const json answer = json::parse(raw.body);
        for (const json& op : answer["ops"]) ops.push_back(op);
        cursor = answer["cursor"].get<std::int64_t>();
        if (!answer.value("more", false)) return ops;
    }
}

std::vector<std::int64_t> seqsOf(const std::vector<json>& ops) {
    std::vector<std::int64_t> seqs;
    for (const json& op : ops) seqs.push_back(op["seq"].get<std::int64_t>());
    return seqs;
}

/// The canonical dump of a replica that applied `ops` (pulled, in seq order).
std::string replicaDump(const std::vector<json>& ops) {
    const auto dir = std::filesystem::temp_directory_path() / ("tandem-instances-" + randomHex(8));
    std::filesystem::create_directories(dir);
    std::string dump;
    {
        auto store = server::SqliteOpStore::open((dir / "tandem.db").string(), {core::systemWallClock(), false});
        REQUIRE(store);
        auto batch = (*store)->begin();
        REQUIRE(batch);
        for (const json& wire : ops) {
            auto op = core::decodeOp(wire);
            REQUIRE(op);
            op->seq = wire["seq"].get<std::int64_t>();
            REQUIRE((*batch)->apply(*op));
        }
        REQUIRE((*batch)->commit());
        auto dumped = (*store)->dump();
        REQUIRE(dumped);
        dump = *dumped;
    }
    std::filesystem::remove_all(dir);
    return dump;
}

}  // namespace

TEST_CASE(
    "pg instances: three instances with clients spread over them converge, with gap-free cursors, "
    "/live everywhere and one audit chain",
    "[pg][server][instances]") {
    const std::string url = freshPgDatabase("three");
    std::vector<std::unique_ptr<DemoServer>> servers(kInstances);
    {
        // All three with --demo, started together: the seed runs once.
        std::vector<std::thread> starting;
        for (auto& server : servers) {
            starting.emplace_back([&server, &url] {
                server = std::make_unique<DemoServer>();
                ServerOptions options;
                options.dbUrl = url;
                server->process = std::make_unique<ServerProcess>(options);
            });
        }
        for (auto& thread : starting) thread.join();
    }
    for (auto& server : servers) {
        INFO(server->process->stderrText());
        REQUIRE(server->process->started());
    }

    // Four heads push plans of their department; two readers only pull. Each signs in at
    // one instance and uses the session at all three.
    std::vector<Client> clients;
    for (const char* user : {"mkt.head", "sales.head", "prod.head", "svc.head"}) clients.emplace_back(user, true);
    for (const char* user : {"hq.zhao", "mkt.chen"}) clients.emplace_back(user, false);
    for (std::size_t i = 0; i < clients.size(); ++i) {
        DemoServer& at = *servers[i % kInstances];
        const json session = loginAs(at, clients[i].user);
        clients[i].token = "Bearer " + session["token"].get<std::string>();
        if (session["department"].is_string()) clients[i].department = session["department"];
    }

    // A /live subscriber at every instance.
    std::vector<std::unique_ptr<LiveClient>> lives;
    std::vector<std::int64_t> liveSeen;
    for (auto& server : servers) {
        lives.push_back(std::make_unique<LiveClient>(server->process->host(), server->process->port()));
        REQUIRE(lives.back()->handshake("/api/v1/live", bearer(*server, "hq.zhao")) == 101);
        auto first = lives.back()->readText(kWait);
        REQUIRE(first);
        liveSeen.push_back(json::parse(*first)["cursor"].get<std::int64_t>());
    }

    // The clients at once, every request at the next instance: pushes of one instance
    // commit between pages another instance serves.
    std::vector<std::thread> workers;
    for (std::size_t c = 0; c < clients.size(); ++c) {
        workers.emplace_back([&servers, &client = clients[c], c] {
            for (int round = 0; round < kRounds; ++round) {
                const json ops =
                    client.pushes ? client.planOps(client.user + " " + std::to_string(round)) : json::array();
                if (!client.sync(servers, static_cast<int>(c) + round, ops)) return;
            }
        });
    }
    for (auto& worker : workers) worker.join();
    // Once every push is in: one more sync each, its pages until `more` is false.
    for (std::size_t c = 0; c < clients.size(); ++c)
        if (clients[c].failures.empty()) (void)clients[c].sync(servers, static_cast<int>(c), json::array());
    for (const Client& client : clients) {
        INFO(client.user);
        for (const std::string& failure : client.failures) FAIL_CHECK(failure);
        REQUIRE(client.failures.empty());
    }

    // The database: seqs 1..N without a hole, and every pushed op stored.
    const std::string db = url.substr(url.rfind('/') + 1);
    const std::string head = sharedCluster().psql("SELECT max(seq) FROM ops", db);
    CHECK(sharedCluster().psql("SELECT count(*) FROM ops", db) == head);
    CHECK(sharedCluster().psql("SELECT count(*) FROM ops WHERE seq IS NULL", db) == "0");

    // Gap-free cursors: what each client pulled, page by page at changing instances while
    // others pushed, is exactly what it may read — nothing skipped, nothing twice, in order.
    for (std::size_t c = 0; c < clients.size(); ++c) {
        Client& client = clients[c];
        INFO(client.user);
        const std::vector<std::int64_t> got = seqsOf(client.pulled);
        CHECK(std::is_sorted(got.begin(), got.end()));
        CHECK(std::adjacent_find(got.begin(), got.end()) == got.end());
        // docs/protocol.md, Pull: an answer's cursor is the seq of the last op it returned,
        // or the head when it returned none. The ops after the last one a client may read can
        // all be other departments' plans, so after `more` is false its cursor is the head or
        // its last op; one sync more then brings nothing and answers the head.
        if (client.cursor != std::stoll(head)) {
            REQUIRE_FALSE(got.empty());
            CHECK(client.cursor == got.back());
        }
        const std::size_t had = client.pulled.size();
        const bool synced = client.sync(servers, static_cast<int>(c) + 1, json::array());
        for (const std::string& failure : client.failures) FAIL_CHECK(failure);
        REQUIRE(synced);
        CHECK(client.pulled.size() == had);
        CHECK(client.cursor == std::stoll(head));
        for (int i = 0; i < kInstances; ++i) {
            INFO("full pull at instance " << i);
            CHECK(seqsOf(pullEverything(*servers[static_cast<std::size_t>(i)], client.token)) == got);
        }
    }

    // Converged: hq.zhao reads every plan; a replica of what it pulled through each
    // instance has the database's canonical dump.
    auto store = server::PgOpStore::open(url);
    REQUIRE(store);
    auto stored = (*store)->dump();
    REQUIRE(stored);
    const Client& reader = clients[4];
    CHECK(replicaDump(reader.pulled) == *stored);
    for (int i = 0; i < kInstances; ++i) {
        INFO("through instance " << i);
        CHECK(replicaDump(pullEverything(*servers[static_cast<std::size_t>(i)], reader.token)) == *stored);
    }

    // /live: every instance's subscriber reaches the head, though most pushes were made
    // through the other two.
    for (std::size_t i = 0; i < lives.size(); ++i) {
        INFO("live at instance " << i);
        while (liveSeen[i] < std::stoll(head)) {
            auto frame = lives[i]->readText(kWait);
            REQUIRE(frame);
            liveSeen[i] = json::parse(*frame)["cursor"].get<std::int64_t>();
        }
        CHECK(liveSeen[i] == std::stoll(head));
    }

    // One audit chain, appended to by three processes, that verifies.
    auto verified = runServerCommand({"audit", "verify", "--db", url});
    INFO(verified.output);
    CHECK(verified.status == 0);
    CHECK(verified.output.find("audit chain ok") != std::string::npos);
    for (auto& server : servers) CHECK(server->process->stop() == 0);
}

TEST_CASE("pg instances: a plan shared with a department at one instance reaches that department's reader at another",
          "[pg][server][instances]") {
    // Both instances have served a sync before the change, so the second follows the
    // first's commit by catching up on what changed (the plan's participants and the
    // access change it made), not by loading everything.
    const std::string url = freshPgDatabase("shared");
    std::vector<std::unique_ptr<DemoServer>> servers(2);
    for (auto& server : servers) {
        server = std::make_unique<DemoServer>();
        ServerOptions options;
        options.dbUrl = url;
        server->process = std::make_unique<ServerProcess>(options);
        INFO(server->process->stderrText());
        REQUIRE(server->process->started());
    }
    Client head("mkt.head", true), reader("sales.wang", false);
    for (auto [client, at] : {std::pair{&head, 0}, std::pair{&reader, 1}}) {
        const json session = loginAs(*servers[static_cast<std::size_t>(at)], client->user);
        client->token = "Bearer " + session["token"].get<std::string>();
        if (session["department"].is_string()) client->department = session["department"];
    }
    REQUIRE(!reader.department.empty());
    auto onlyHere = [](std::vector<std::unique_ptr<DemoServer>>& all, std::size_t i) {
        std::vector<std::unique_ptr<DemoServer>> one;
        one.push_back(std::move(all[i]));
        return one;
    };
    // Each client talks to its own instance only.
    auto headAt = onlyHere(servers, 0);
    auto readerAt = onlyHere(servers, 1);
    const json created = head.planOps("共享给销售部的计划");
    const std::string plan = created[0]["entity"];
    REQUIRE(head.sync(headAt, 0, created));
    REQUIRE(reader.sync(readerAt, 0, json::array()));
    auto sawPlan = [&] {
        return std::any_of(reader.pulled.begin(), reader.pulled.end(),
                           [&](const json& op) { return op["entity"] == plan && op["field"] == "title"; });
    };
    CHECK_FALSE(sawPlan());  // led by MKT: not the reader's yet

    // At the first instance, MKT's head makes SALES a participant.
    const std::uint64_t n = ++head.nextN;
    const json share = json::array({{{"site", head.site},
                                     {"n", n},
                                     {"entity", plan},
                                     {"type", "plan"},
                                     {"field", "participants." + reader.department},
                                     {"value", true},
                                     {"hlc", hlcHex(n)}}});
    REQUIRE(head.sync(headAt, 0, share));
    // At the second, the reader's next sync brings the whole plan.
    REQUIRE(reader.sync(readerAt, 0, json::array()));
    for (const std::string& failure : head.failures) FAIL_CHECK(failure);
    for (const std::string& failure : reader.failures) FAIL_CHECK(failure);
    CHECK(sawPlan());
}
