// Stopping and restarting the real binary: SIGTERM drains a request in flight and exits
// 0; data survives a restart; /live sessions are closed on shutdown.

#include "fixtures.h"

#include <catch2/catch.hpp>

#include <signal.h>

using namespace tandem::test;
using nlohmann::json;

TEST_CASE("shutdown: SIGTERM lets a request in flight finish, refuses new connections, exits 0",
          "[lifecycle]") {
    TempDir dir;
    ServerProcess server({dir.path(), true, {}, {}});
    REQUIRE(server.started());

    // Headers and half of the body are sent: the request is in flight.
    const std::string body = R"({"username":"mkt.head","password":"tandem-demo"})";
    HttpConnection inFlight(server.host(), server.port());
    REQUIRE(inFlight.sendRaw("POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             "Content-Length: " +
                             std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10)));
    // An idle keep-alive connection, which the drain closes.
    HttpConnection idle(server.host(), server.port());
    REQUIRE(idle.request("GET", "/api/v1/health").status == 200);
    // A live session, which the drain closes with a close frame.
    std::string token;
    {
        auto login = httpRequest(server.host(), server.port(), "POST", "/api/v1/login", body,
                                 {{"Content-Type", "application/json"}});
        REQUIRE(login.status == 200);
        token = json::parse(login.body)["token"].get<std::string>();
    }
    LiveClient live(server.host(), server.port());
    REQUIRE(live.handshake("/api/v1/live", "Bearer " + token) == 101);
    REQUIRE(live.readText(std::chrono::seconds(10)).has_value());

    server.signal(SIGTERM);
    REQUIRE(server.waitForStderr("\"event\":\"draining\"", std::chrono::seconds(10)));
    CHECK(idle.waitClosedByPeer(std::chrono::seconds(10)));
    CHECK(live.waitClosed(std::chrono::seconds(10)));
    CHECK(httpRequest(server.host(), server.port(), "GET", "/api/v1/health").status == 0);

    // The rest of the body: the request is answered, with Connection: close.
    REQUIRE(inFlight.sendRaw(body.substr(10)));
    auto answer = inFlight.readResponse();
    CHECK(answer.status == 200);
    CHECK(answer.header("connection") == "close");
    CHECK(json::parse(answer.body, nullptr, false)["token"].is_string());

    CHECK(server.stop() == 0);
    INFO(server.stderrText());
    CHECK(server.stderrText().find("drain_timeout") == std::string::npos);
}

TEST_CASE("restart: data pushed before SIGTERM is there after a restart on the same directory",
          "[lifecycle]") {
    TempDir dir;
    const std::string site = randomHex(16);
    json pushed;
    std::int64_t headBefore = 0;
    {
        DemoServer first;
        first.process = std::make_unique<ServerProcess>(ServerOptions{dir.path(), true, {}, {}});
        REQUIRE(first.process->started());
        const std::string department = loginAs(first, "mkt.head")["department"].get<std::string>();
        pushed = newPlanOps(site, department, "survives a restart");
        const json answer = syncAs(first, "mkt.head", {{"site", site}, {"cursor", 0}, {"ops", pushed}});
        REQUIRE(answer.is_object());
        INFO(answer["rejected"].dump());
        REQUIRE(answer["accepted"].size() == pushed.size());
        headBefore = answer["cursor"].get<std::int64_t>();
        REQUIRE(first.process->stop() == 0);
    }
    DemoServer second;
    second.process = std::make_unique<ServerProcess>(ServerOptions{dir.path(), true, {}, {}});
    REQUIRE(second.process->started());
    // Pull everything as the pusher and find the plan's title.
    std::int64_t cursor = 0;
    bool found = false;
    for (int page = 0; page < 1000; ++page) {
        const json answer = syncAs(second, "mkt.head", {{"site", site}, {"cursor", cursor}, {"ops", json::array()}});
        REQUIRE(answer.is_object());
        for (const auto& op : answer["ops"]) {
            if (op["entity"] == pushed[0]["entity"] && op["field"] == "title") {
                found = op["value"] == "survives a restart";
            }
        }
        cursor = answer["cursor"].get<std::int64_t>();
        if (!answer["more"].get<bool>()) break;
    }
    CHECK(found);
    CHECK(cursor >= headBefore);
    CHECK(second.process->stop() == 0);
}

TEST_CASE("startup: --retention-days can only raise the 730-day retention of archived plans", "[lifecycle]") {
    TempDir dir;
    for (const char* refused : {"729", "0", "-730", "two-years", "800x"}) {
        INFO("--retention-days " << refused);
        ServerProcess server({dir.path(), false, {"--retention-days", refused}, {}});
        CHECK(!server.started());
        CHECK(server.stop() == 2);
        CHECK(server.waitForStderr("--retention-days", std::chrono::seconds(5)));
    }
    ServerProcess lowered({dir.path(), false, {"--retention-days", "729"}, {}});
    CHECK(lowered.stop() == 2);
    CHECK(lowered.waitForStderr("is below 730 (2 years): the retention period can only be raised",
                                std::chrono::seconds(5)));

    ServerProcess raised({dir.path(), false, {"--retention-days", "1000"}, {}});
    REQUIRE(raised.started());
    CHECK(raised.stop() == 0);
}
