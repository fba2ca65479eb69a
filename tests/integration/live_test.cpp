// GET /api/v1/live over the real binary: cursor frames after another client's push;
// unauthorized upgrades are refused.

#include "fixtures.h"

#include <catch2/catch.hpp>

using namespace tandem::test;
using nlohmann::json;

namespace {

constexpr auto kWait = std::chrono::seconds(10);

std::int64_t cursorOf(const std::optional<std::string>& frame) {
    REQUIRE(frame.has_value());
    const auto message = json::parse(*frame, nullptr, false);
    REQUIRE(message.is_object());
    REQUIRE(message.size() == 1);
    REQUIRE(message["cursor"].is_number_integer());
    return message["cursor"].get<std::int64_t>();
}

}  // namespace

TEST_CASE("live: a subscriber gets the current cursor, then {cursor:N} after another client pushes",
          "[live]") {
    auto& server = sharedServer();
    LiveClient live(server.process->host(), server.process->port());
    REQUIRE(live.handshake("/api/v1/live", bearer(server, "sales.head")) == 101);
    const std::int64_t initial = cursorOf(live.readText(kWait));
    CHECK(initial >= 0);

    const std::string site = randomHex(16);
    const std::string department = loginAs(server, "mkt.head")["department"].get<std::string>();
    const json ops = newPlanOps(site, department, "live test plan");
    const json answer = syncAs(server, "mkt.head", {{"site", site}, {"cursor", 0}, {"ops", ops}});
    REQUIRE(answer.is_object());
    INFO(answer["rejected"].dump());
    REQUIRE(answer["accepted"].size() == ops.size());

    // Frames may coalesce; read until the pushed ops' seq is announced.
    const std::int64_t head = answer["cursor"].get<std::int64_t>();
    std::int64_t seen = initial;
    while (seen < head) {
        const std::int64_t next = cursorOf(live.readText(kWait));
        CHECK(next > seen);
        seen = next;
    }
    CHECK(seen >= initial + static_cast<std::int64_t>(ops.size()));

    auto metrics = httpRequest(server.process->host(), server.process->port(), "GET", "/metrics");
    CHECK(metrics.body.find("\ntandem_live_sessions 1\n") != std::string::npos);
}

TEST_CASE("live: upgrades without a valid bearer token are refused with 401", "[live]") {
    auto& server = sharedServer();
    for (const std::string& authorization :
         {std::string(), std::string("Bearer nope"), std::string("Basic dXNlcjpwYXNz"),
          std::string("Bearer "), "Bearer " + std::string(4096, 'a')}) {
        LiveClient live(server.process->host(), server.process->port());
        INFO("Authorization: " << authorization.substr(0, 40));
        CHECK(live.handshake("/api/v1/live", authorization) == 401);
    }
    // A plain GET (no upgrade) with a good token is told to upgrade.
    auto plain = httpRequest(server.process->host(), server.process->port(), "GET", "/api/v1/live", {},
                             {{"Authorization", bearer(server, "sales.head")}});
    CHECK(plain.status == 400);
    CHECK(plain.errorCode() == "bad_request");
    CHECK(httpRequest(server.process->host(), server.process->port(), "GET", "/api/v1/health").status ==
          200);
}
