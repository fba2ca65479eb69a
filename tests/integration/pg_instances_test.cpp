// Several real tandem-server instances on one PostgreSQL database: what one instance
// learns reaches the others — failed logins (shared throttling), a logout, a password
// changed or an account disabled by `tandem-server user … --db` — and concurrent
// sign-offs through every instance make one audit chain with each entry once.

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

#include "fixtures.h"
#include "pg_shared_cluster.h"

using namespace tandem::test;
using nlohmann::json;

namespace {

/// `count` instances on one fresh database, the first seeding the demo.
std::vector<std::unique_ptr<ServerProcess>> instances(const std::string& url, int count) {
    std::vector<std::unique_ptr<ServerProcess>> out;
    for (int i = 0; i < count; ++i) {
        ServerOptions options;
        options.dbUrl = url;
        options.demo = i == 0;
        out.push_back(std::make_unique<ServerProcess>(options));
        INFO(out.back()->firstLine() << "\n" << out.back()->stderrText());
        REQUIRE(out.back()->started());
    }
    return out;
}

HttpResult post(ServerProcess& server, const std::string& path, const json& body, const std::string& token = {}) {
    std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/json"}};
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    return httpRequest(server.host(), server.port(), "POST", path, body.dump(), headers);
}

HttpResult login(ServerProcess& server, const std::string& username, const std::string& password) {
    return post(server, "/api/v1/login", {{"username", username}, {"password", password}});
}

json signIn(ServerProcess& server, const std::string& username, const std::string& password = "tandem-demo") {
    const HttpResult r = login(server, username, password);
    REQUIRE(r.status == 200);
    return json::parse(r.body);
}

/// A pull of one page from a new site: the status says whether the token is accepted.
int pullStatus(ServerProcess& server, const std::string& token) {
    return post(server, "/api/v1/sync", {{"site", randomHex(16)}, {"cursor", 0}, {"ops", json::array()}, {"limit", 1}},
                token)
        .status;
}

/// Wrong-password logins for `username`, each through the next instance in turn, until
/// one is refused with 429: how many failed (401) before it.
int failuresUntilLimited(std::vector<std::unique_ptr<ServerProcess>>& servers, const std::string& username) {
    for (int failures = 0; failures < 100; ++failures) {
        const HttpResult r = login(*servers[static_cast<std::size_t>(failures) % servers.size()], username, "wrong");
        if (r.status == 429) return failures;
        REQUIRE(r.status == 401);
    }
    FAIL("no 429 after 100 failed logins");
    return -1;
}

std::string dbName(const std::string& url) {
    return url.substr(url.rfind('/') + 1);
}

}  // namespace

TEST_CASE("pg instances: failed logins spread over two instances hit 429 at the same total as on one",
          "[pg][instances][login]") {
    auto one = instances(freshPgDatabase("throttle_one"), 1);
    const int alone = failuresUntilLimited(one, "sales.head");
    const std::string url = freshPgDatabase("throttle_two");
    auto two = instances(url, 2);
    const int spread = failuresUntilLimited(two, "sales.head");
    CHECK(alone == 10);  // kLoginFailureLimit, DESIGN §5
    CHECK(spread == alone);
    // Both instances refuse now, whichever is asked; the right password too.
    CHECK(login(*two[0], "sales.head", "tandem-demo").status == 429);
    CHECK(login(*two[1], "sales.head", "tandem-demo").status == 429);
    // Each failure left one row per key, and nothing else (a success writes none).
    CHECK(sharedCluster().psql("SELECT count(*) FROM srv_login_failure", dbName(url)) == std::to_string(2 * spread));
}

TEST_CASE("pg instances: a successful login records no failure, and rows out of every window are pruned",
          "[pg][instances][login]") {
    const std::string url = freshPgDatabase("throttle_prune");
    auto servers = instances(url, 1);
    // An old failure, from before any window.
    sharedCluster().psql("INSERT INTO srv_login_failure(key, at) VALUES ('u:old', 1), ('a:old', 1)", dbName(url));
    signIn(*servers[0], "mkt.head");
    CHECK(sharedCluster().psql("SELECT count(*) FROM srv_login_failure", dbName(url)) == "2");
    CHECK(login(*servers[0], "mkt.head", "wrong").status == 401);
    CHECK(sharedCluster().psql("SELECT string_agg(key, ',' ORDER BY key) FROM srv_login_failure", dbName(url)) ==
          "a:127.0.0.1,u:mkt.head");
}

TEST_CASE("pg instances: a token logged out at one instance is refused at the other on its next call",
          "[pg][instances][sessions]") {
    auto servers = instances(freshPgDatabase("logout"), 2);
    const std::string token = signIn(*servers[0], "mkt.head")["token"].get<std::string>();
    const std::string other = signIn(*servers[1], "sales.head")["token"].get<std::string>();
    // Both instances know (and cache) the session.
    REQUIRE(pullStatus(*servers[0], token) == 200);
    REQUIRE(pullStatus(*servers[1], token) == 200);
    REQUIRE(pullStatus(*servers[1], other) == 200);
    CHECK(post(*servers[0], "/api/v1/logout", json::object(), token).status == 204);
    CHECK(pullStatus(*servers[1], token) == 401);
    CHECK(pullStatus(*servers[0], token) == 401);
    // Someone else's session is untouched.
    CHECK(pullStatus(*servers[1], other) == 200);
    CHECK(pullStatus(*servers[0], other) == 200);
}

TEST_CASE("pg instances: user disable --db and user passwd --db reach every running instance",
          "[pg][instances][accounts]") {
    const std::string url = freshPgDatabase("accounts");
    auto servers = instances(url, 2);
    const std::string sales = signIn(*servers[0], "sales.head")["token"].get<std::string>();
    const std::string mkt = signIn(*servers[1], "mkt.head")["token"].get<std::string>();
    for (auto& server : servers) {
        REQUIRE(pullStatus(*server, sales) == 200);
        REQUIRE(pullStatus(*server, mkt) == 200);
    }

    auto disabled = runServerCommand({"user", "disable", "sales.head", "--db", url});
    INFO(disabled.output);
    REQUIRE(disabled.status == 0);
    for (auto& server : servers) {
        CHECK(pullStatus(*server, sales) == 401);
        CHECK(login(*server, "sales.head", "tandem-demo").status == 401);
        CHECK(pullStatus(*server, mkt) == 200);  // another account's session stays
    }

    auto changed =
        runServerCommand({"user", "passwd", "mkt.head", "--db", url}, {{"TANDEM_PASSWORD", "a-new-long-password"}});
    INFO(changed.output);
    REQUIRE(changed.status == 0);
    for (auto& server : servers) {
        CHECK(pullStatus(*server, mkt) == 401);
        CHECK(login(*server, "mkt.head", "tandem-demo").status == 401);
        const std::string fresh = signIn(*server, "mkt.head", "a-new-long-password")["token"].get<std::string>();
        CHECK(pullStatus(*server, fresh) == 200);
    }
}

TEST_CASE("pg instances: concurrent sign-offs through three instances make one chain with each entry once",
          "[pg][instances][audit]") {
    const std::string url = freshPgDatabase("audit");
    auto servers = instances(url, 3);
    const json head = signIn(*servers[0], "mkt.head");
    const std::string token = head["token"].get<std::string>();
    const std::string department = head["department"].get<std::string>();
    const std::string planSite = randomHex(16);
    const json planOps = newPlanOps(planSite, department, "signed by many");
    const std::string plan = planOps[0]["entity"].get<std::string>();
    {
        const HttpResult r =
            post(*servers[0], "/api/v1/sync", {{"site", planSite}, {"cursor", 0}, {"ops", planOps}}, token);
        REQUIRE(r.status == 200);
    }

    // Two clients per instance, eight sign-offs each, every one its own sync.
    constexpr int kClients = 6;
    constexpr int kEach = 8;
    std::mutex mutex;
    std::vector<std::string> signoffs;
    std::vector<std::string> errors;
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
        clients.emplace_back([&, c] {
            ServerProcess& server = *servers[static_cast<std::size_t>(c) % servers.size()];
            for (int i = 0; i < kEach; ++i) {
                const std::string site = randomHex(16);
                const std::string id = randomHex(32);
                const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
                json ops = json::array();
                int n = 0;
                for (const auto& [field, value] :
                     std::vector<std::pair<std::string, json>>{{"plan", plan},
                                                               {"subject", plan},
                                                               {"signer", head["member"]},
                                                               {"department", department},
                                                               {"meaning", "approve"},
                                                               {"content_hash", std::string(64, '0')},
                                                               {"signed_at", now}}) {
                    ++n;
                    char hlc[17];
                    std::snprintf(hlc, sizeof hlc, "%016llx", static_cast<unsigned long long>((now << 16) | n));
                    ops.push_back({{"site", site},
                                   {"n", n},
                                   {"entity", id},
                                   {"type", "signoff"},
                                   {"field", field},
                                   {"value", value},
                                   {"hlc", hlc}});
                }
                const HttpResult r = post(server, "/api/v1/sync", {{"site", site}, {"cursor", 0}, {"ops", ops}}, token);
                std::lock_guard lock(mutex);
                const json answer = json::parse(r.body, nullptr, false);
                if (r.status != 200 || !answer.is_object() || !answer["rejected"].empty())
                    errors.push_back(std::to_string(r.status) + " " + r.body);
                else
                    signoffs.push_back(id);
            }
        });
    }
    for (std::thread& t : clients) t.join();
    INFO((errors.empty() ? std::string() : errors.front()));
    REQUIRE(errors.empty());
    REQUIRE(signoffs.size() == static_cast<std::size_t>(kClients * kEach));

    auto verified = runServerCommand({"audit", "verify", "--db", url});
    INFO(verified.output);
    CHECK(verified.status == 0);
    CHECK(verified.output.find("audit chain ok") != std::string::npos);
    // Every sign-off's entry is there exactly once; the chain's seqs are 1..N, no gap.
    std::sort(signoffs.begin(), signoffs.end());
    std::string expected;
    for (const std::string& id : signoffs) expected += (expected.empty() ? "" : ",") + id;
    CHECK(sharedCluster().psql("SELECT string_agg(details::json->>'signoff', ',' ORDER BY details::json->>'signoff') "
                               "FROM srv_audit WHERE action = 'signoff' AND plan = '" +
                                   plan + "'",
                               dbName(url)) == expected);
    CHECK(sharedCluster().psql("SELECT count(*) = max(seq) AND min(seq) = 1 AND count(*) = "
                               "(SELECT count FROM srv_audit_head) FROM srv_audit",
                               dbName(url)) == "t");
}
