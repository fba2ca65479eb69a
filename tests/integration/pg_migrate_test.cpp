// `tandem-server migrate --from DIR --to postgresql://…` with the real binary: an
// organisation served from SQLite (the demo, pushes, sign-offs, sessions) moves to an
// empty PostgreSQL database without loss, and a client carries on against it.

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <set>

#include "fixtures.h"
#include "pg_shared_cluster.h"
#include "storage/pg/pg_op_store.h"
#include "storage/sqlite_op_store.h"

using namespace tandem::test;
using nlohmann::json;

namespace {

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// Ops writing `fields` of one entity from `site`, n from 1, at the current time.
json entityOps(const std::string& site, const std::string& entity, const std::string& type,
               const std::vector<std::pair<std::string, json>>& fields) {
    json ops = json::array();
    int n = 0;
    for (const auto& [field, value] : fields) {
        ++n;
        char hlc[17];
        std::snprintf(hlc, sizeof hlc, "%016llx", static_cast<unsigned long long>((nowMs() << 16) | n));
        ops.push_back({{"site", site},
                       {"n", n},
                       {"entity", entity},
                       {"type", type},
                       {"field", field},
                       {"value", value},
                       {"hlc", hlc}});
    }
    return ops;
}

HttpResult post(ServerProcess& server, const std::string& path, const json& body, const std::string& token = {}) {
    std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/json"}};
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    return httpRequest(server.host(), server.port(), "POST", path, body.dump(), headers);
}

json login(ServerProcess& server, const std::string& username) {
    HttpResult r = post(server, "/api/v1/login", {{"username", username}, {"password", "tandem-demo"}});
    REQUIRE(r.status == 200);
    return json::parse(r.body);
}

/// A client: one site, one token, its cursor; pulls page by page to the end.
struct Client {
    std::string site = randomHex(16);
    std::string token;
    std::int64_t cursor = 0;

    /// Syncs `ops` and pulls to the end; the ops received (empty and status kept on a non-200).
    std::vector<json> sync(ServerProcess& server, json ops = json::array(), int* status = nullptr) {
        std::vector<json> received;
        for (;;) {
            HttpResult r = post(server, "/api/v1/sync", {{"site", site}, {"cursor", cursor}, {"ops", ops}}, token);
            if (status) *status = r.status;
            if (r.status != 200) return received;
            json answer = json::parse(r.body);
            REQUIRE(answer["rejected"].empty());
            for (const json& op : answer["ops"]) received.push_back(op);
            cursor = answer["cursor"].get<std::int64_t>();
            ops = json::array();
            if (!answer.value("more", false)) return received;
        }
    }
};

std::set<std::int64_t> seqsOf(const std::vector<json>& ops) {
    std::set<std::int64_t> seqs;
    for (const json& op : ops) seqs.insert(op["seq"].get<std::int64_t>());
    return seqs;
}

std::string sqliteDump(const std::string& dir) {
    auto store = tandem::server::SqliteOpStore::open(dir + "/tandem.db", {});
    REQUIRE(store);
    auto dump = (*store)->dump();
    REQUIRE(dump);
    return *dump;
}

std::string pgDump(const std::string& url) {
    auto store = tandem::server::PgOpStore::open(url);
    REQUIRE(store);
    auto dump = (*store)->dump();
    REQUIRE(dump);
    return *dump;
}

}  // namespace

TEST_CASE("migrate: an organisation moves from SQLite to PostgreSQL without loss; its clients carry on",
          "[pg][migrate]") {
    TempDir dir;
    Client mkt;  // the client that carries on after the move
    std::int64_t cursorBefore = 0;
    std::set<std::int64_t> seenBefore;
    {
        ServerProcess sqlite(ServerOptions{dir.path(), true, {}, {}});
        INFO(sqlite.stderrText());
        REQUIRE(sqlite.started());
        const json head = login(sqlite, "mkt.head");
        mkt.token = head["token"].get<std::string>();
        const std::string department = head["department"].get<std::string>();
        // Pushes: plans of mkt.head's, then sign-offs on each (stale: the plans are
        // drafts), which the audit chain records.
        std::vector<std::string> plans;
        for (int i = 0; i < 3; ++i) {
            const std::string site = randomHex(16);
            const json ops = newPlanOps(site, department, "before the move " + std::to_string(i));
            plans.push_back(ops[0]["entity"].get<std::string>());
            Client pusher{site, mkt.token, 0};
            pusher.sync(sqlite, ops);
        }
        for (const std::string& plan : plans) {
            Client signer{randomHex(16), mkt.token, 0};
            signer.sync(sqlite, entityOps(signer.site, randomHex(32), "signoff",
                                          {{"plan", plan},
                                           {"subject", plan},
                                           {"signer", head["member"]},
                                           {"department", department},
                                           {"meaning", "approve"},
                                           {"content_hash", std::string(64, '0')},
                                           {"signed_at", nowMs()}}));
        }
        seenBefore = seqsOf(mkt.sync(sqlite));
        cursorBefore = mkt.cursor;
        REQUIRE(!seenBefore.empty());
        REQUIRE(sqlite.stop() == 0);
    }
    auto verifiedBefore = runServerCommand({"audit", "verify", "--data", dir.path()});
    INFO(verifiedBefore.output);
    REQUIRE(verifiedBefore.status == 0);
    REQUIRE(verifiedBefore.output.find("audit chain ok") != std::string::npos);
    const std::string dumpBefore = sqliteDump(dir.path());

    const std::string url = freshPgDatabase("migrate");
    auto moved = runServerCommand({"migrate", "--from", dir.path(), "--to", url});
    INFO(moved.output);
    REQUIRE(moved.status == 0);
    CHECK(moved.output.find("srv_audit: ") != std::string::npos);

    // The chain verifies with the same entries and head; the state is the same.
    auto verifiedAfter = runServerCommand({"audit", "verify", "--db", url});
    CHECK(verifiedAfter.status == 0);
    CHECK(verifiedAfter.output == verifiedBefore.output);
    CHECK(pgDump(url) == dumpBefore);

    // A second migrate into the same database is refused and changes nothing.
    auto again = runServerCommand({"migrate", "--from", dir.path(), "--to", url});
    CHECK(again.status == 1);
    CHECK(again.output.find("already holds data") != std::string::npos);
    CHECK(pgDump(url) == dumpBefore);

    ServerOptions options;
    options.demo = false;
    options.dbUrl = url;
    ServerProcess pg(options);
    INFO(pg.stderrText());
    REQUIRE(pg.started());
    // The session made on SQLite still works, from the client's cursor: it gets exactly
    // the ops committed since (none it had, none skipped).
    const std::string planAfter = randomHex(16);
    Client other{planAfter, login(pg, "mkt.head")["token"].get<std::string>(), 0};
    const json ops = newPlanOps(other.site, login(pg, "mkt.head")["department"].get<std::string>(), "after the move");
    other.sync(pg, ops);
    int status = 0;
    const std::vector<json> after = mkt.sync(pg, json::array(), &status);
    CHECK(status == 200);
    const std::set<std::int64_t> seenAfter = seqsOf(after);
    REQUIRE(!seenAfter.empty());
    CHECK(*seenAfter.begin() > cursorBefore);
    bool hasNewPlan = false;
    for (const json& op : after) hasNewPlan = hasNewPlan || op["entity"] == ops[0]["entity"];
    CHECK(hasNewPlan);
    Client fresh{randomHex(16), mkt.token, 0};
    std::set<std::int64_t> all = seqsOf(fresh.sync(pg));
    std::set<std::int64_t> both = seenBefore;
    both.insert(seenAfter.begin(), seenAfter.end());
    CHECK(both == all);
    CHECK(all.size() == seenBefore.size() + seenAfter.size());
}

TEST_CASE("migrate: a source the binary does not understand, or none, is refused with a clear message",
          "[pg][migrate]") {
    const std::string url = freshPgDatabase("migrate_bad");
    TempDir empty;
    auto none = runServerCommand({"migrate", "--from", empty.path(), "--to", url});
    CHECK(none.status == 1);
    CHECK(none.output.find("no Tandem server database") != std::string::npos);
    TempDir foreign;
    {
        std::ofstream junk(foreign.path() + "/tandem.db", std::ios::binary);
        junk << "not a database, but long enough to look like one's header";
    }
    auto refused = runServerCommand({"migrate", "--from", foreign.path(), "--to", url});
    CHECK(refused.status == 1);
    CHECK(refused.output.find("migrate: ") != std::string::npos);
    auto usage = runServerCommand({"migrate", "--from", foreign.path(), "--to", "/var/lib/x"});
    CHECK(usage.status == 2);
    // The refusals came before the target was touched: not even a table was made.
    CHECK(sharedCluster().psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
                               url.substr(url.rfind('/') + 1)) == "0");
}
