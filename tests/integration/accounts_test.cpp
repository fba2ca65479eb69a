// `tandem-server user …` run as a second process while the server serves: the running
// server honours the change on the very next request (issue 11, DESIGN §5a).

#include "fixtures.h"

#include <catch2/catch.hpp>

using namespace tandem::test;
using nlohmann::json;

namespace {

/// A demo server of its own (these tests change accounts), with login and sync helpers.
struct AccountsServer {
    TempDir dir;
    ServerProcess process{ServerOptions{dir.path(), true, {}, {}}};

    HttpResult login(const std::string& username, const std::string& password = "tandem-demo") {
        return httpRequest(process.host(), process.port(), "POST", "/api/v1/login",
                           json{{"username", username}, {"password", password}}.dump(),
                           {{"Content-Type", "application/json"}});
    }
    std::string token(const std::string& username, const std::string& password = "tandem-demo") {
        const HttpResult r = login(username, password);
        REQUIRE(r.status == 200);
        return json::parse(r.body)["token"].get<std::string>();
    }
    HttpResult sync(const std::string& token, const json& body) {
        return httpRequest(process.host(), process.port(), "POST", "/api/v1/sync", body.dump(),
                           {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}});
    }
    HttpResult pull(const std::string& token) {
        return sync(token, {{"site", randomHex(16)}, {"cursor", 0}, {"ops", json::array()}, {"limit", 5}});
    }
    CommandResult user(std::vector<std::string> args, const std::string& password = {}) {
        args.insert(args.begin(), "user");
        args.insert(args.end(), {"--data", dir.path()});
        std::vector<std::pair<std::string, std::string>> env;
        if (!password.empty()) env.emplace_back("TANDEM_PASSWORD", password);
        return runServerCommand(args, env);
    }
};

}  // namespace

TEST_CASE("accounts: a user disabled by a second process loses their session on its next call", "[accounts]") {
    AccountsServer server;
    REQUIRE(server.process.started());
    const std::string token = server.token("sales.li");
    REQUIRE(server.pull(token).status == 200);  // the session is cached now

    const CommandResult disabled = server.user({"disable", "sales.li"});
    INFO(disabled.output);
    REQUIRE(disabled.status == 0);
    const HttpResult after = server.pull(token);
    CHECK(after.status == 401);
    CHECK(after.errorCode() == "unauthorized");
    CHECK(server.login("sales.li").status == 401);
    // Nobody else is touched.
    CHECK(server.pull(server.token("sales.wang")).status == 200);
    CHECK(server.process.stop() == 0);
}

TEST_CASE("accounts: a password changed by a second process ends the old sessions; the new one works",
          "[accounts]") {
    AccountsServer server;
    REQUIRE(server.process.started());
    const std::string stolen = server.token("prod.liu");
    REQUIRE(server.pull(stolen).status == 200);

    const CommandResult changed = server.user({"passwd", "prod.liu"}, "a-new-secret-2026");
    INFO(changed.output);
    REQUIRE(changed.status == 0);
    CHECK(server.pull(stolen).status == 401);
    CHECK(server.login("prod.liu").status == 401);
    CHECK(server.pull(server.token("prod.liu", "a-new-secret-2026")).status == 200);
    CHECK(server.process.stop() == 0);
}

TEST_CASE("accounts: a user added by a second process signs in and syncs; the server's own writes go on",
          "[accounts]") {
    AccountsServer server;
    REQUIRE(server.process.started());
    const std::string head = server.token("mkt.head");
    const std::string department = json::parse(server.login("mkt.head").body)["department"];
    REQUIRE(server.pull(head).status == 200);

    const CommandResult added =
        server.user({"add", "mkt.zhou", "--display-name", "周婷", "--department", "MKT"}, "welcome-2026");
    INFO(added.output);
    REQUIRE(added.status == 0);

    // The server writes ops of its own (a new plan's owner) after the other process did:
    // they must not collide with the ops `user add` wrote.
    for (int i = 0; i < 3; ++i) {
        const std::string site = randomHex(16);
        const HttpResult created = server.sync(
            head, {{"site", site}, {"cursor", 0}, {"ops", newPlanOps(site, department, "季度复盘 " + std::to_string(i))},
                   {"limit", 1}});
        INFO(created.body);
        REQUIRE(created.status == 200);
        CHECK(json::parse(created.body)["rejected"].empty());
    }
    // The new colleague signs in and pulls the organisation, themselves included.
    const std::string zhou = server.token("mkt.zhou", "welcome-2026");
    json ops = json::array();
    std::int64_t cursor = 0;
    for (;;) {
        const HttpResult page = server.sync(zhou, {{"site", randomHex(16)}, {"cursor", cursor}, {"ops", json::array()}});
        REQUIRE(page.status == 200);
        const json answer = json::parse(page.body);
        for (const json& op : answer["ops"]) ops.push_back(op);
        cursor = answer["cursor"];
        if (!answer["more"].get<bool>()) break;
    }
    bool seesSelf = false;
    for (const json& op : ops)
        if (op["type"] == "member" && op["field"] == "username" && op["value"] == "mkt.zhou") seesSelf = true;
    CHECK(seesSelf);
    CHECK(server.pull(server.token("sales.wang")).status == 200);
    INFO(server.process.stderrText());
    CHECK(server.process.stderrText().find("internal") == std::string::npos);
    CHECK(server.process.stop() == 0);
}
