// End-to-end, DESIGN §5 acknowledged pages: the real tandem-server and the real client
// core over HTTP, with the answer that carries a backfill page or `revoked` lost on the
// client's side after the server answered (and committed). Nothing of it is lost.

#include <functional>

#include "e2e_support.h"
#include "tandem/client/http_client.h"
#include "tandem/client/session.h"
#include "tandem/client/sync_engine.h"
#include "tandem/core/replica.h"

using namespace tandem;
using core::Json;
using test::Cli;
using test::Demo;
using test::Server;
using test::TempDir;

namespace {

/// The real HttpClient, except that the first sync answer `lose` picks never reaches
/// the caller: the server answered, the connection broke on the way back.
class LosingTransport final : public client::Transport {
public:
    LosingTransport(client::Transport& inner, std::function<bool(const client::SyncAnswer&)> lose)
        : m_inner(inner), m_lose(std::move(lose)) {}

    core::Result<client::HttpResponse> post(const std::string& path, const std::string& body,
                                            const std::string& token) override {
        auto response = m_inner.post(path, body, token);
        if (lost || !response || path != "/api/v1/sync" || response->status != 200) return response;
        auto answer = client::decodeSyncAnswer(response->body);
        if (!answer || !m_lose(*answer)) return response;
        lost = std::move(*answer);
        return core::makeError("network", "the answer was lost in transit (test)");
    }
    core::Result<client::HttpResponse> get(const std::string& path, const std::string& token) override {
        return m_inner.get(path, token);
    }
    client::WireStats stats() const override { return m_inner.stats(); }

    std::optional<client::SyncAnswer> lost;

private:
    client::Transport& m_inner;
    std::function<bool(const client::SyncAnswer&)> m_lose;
};

/// The replica and session of a signed-in tandem-cli folder, driven in-process.
struct CoreClient {
    std::unique_ptr<core::Replica> replica;
    client::Session session;

    explicit CoreClient(const Cli& cli) {
        client::SessionStore store(cli.dir());
        auto loaded = store.load();
        REQUIRE(loaded);
        REQUIRE(*loaded);
        session = **loaded;
        auto opened = core::Replica::open(cli.dir() + "/replica.db");
        REQUIRE(opened);
        replica = std::move(*opened);
        REQUIRE(client::loadClockOffset(*replica));
    }
    core::Result<client::SyncReport> sync(client::Transport& transport, int maxAttempts, std::size_t pullLimit) {
        client::SyncOptions options;
        options.maxAttempts = maxAttempts;
        options.pullLimit = pullLimit;
        options.backoff = {std::chrono::milliseconds(10), std::chrono::milliseconds(50)};
        client::SyncEngine engine(*replica, transport, session.token, options);
        return engine.sync();
    }
};

/// The admin moves `username` to the department `code` and syncs it to the server.
void moveTo(const Cli& admin, const Demo& demo, const std::string& username, const std::string& code) {
    admin.ok({"set", demo.members.at(username), "department", "\"" + demo.departments.at(code) + "\""});
    REQUIRE(admin.json({"sync"})["rejected"] == 0);
}

}  // namespace

TEST_CASE("e2e: a lost answer carrying a backfill page is sent again: the replica ends with the whole plan",
          "[e2e][acks]") {
    TempDir tmp;
    Server server(tmp);
    Cli admin(tmp, "admin");
    admin.signIn(server, "admin");
    const Demo demo = Demo::from(admin);
    Cli fin(tmp, "fin");
    fin.signIn(server, "fin.head");
    // Once more: with no op left to send, the cursor moves to the server's head, so the
    // plan's ops are older than it and come as a backfill, not with the ordinary pull.
    fin.ok({"sync"});
    REQUIRE_FALSE(core::parseJson(fin.dump())->at("entities").contains(demo.plan));
    moveTo(admin, demo, "fin.head", "SALES");  // fin.head now reads the demo plan

    std::int64_t cursorBefore = 0;
    {
        CoreClient device(fin);
        cursorBefore = *client::storedCursor(*device.replica);
        client::HttpClient http(device.session.server);
        LosingTransport losing(http, [](const client::SyncAnswer& a) { return !a.ack.empty() && !a.ops.empty(); });
        // One attempt per request: the loss ends this sync, as a phone losing its
        // connection would.
        auto failed = device.sync(losing, 1, 50);
        REQUIRE_FALSE(failed);
        CHECK(failed.error().code == "unreachable");
        REQUIRE(losing.lost);
        std::size_t backfilled = 0;
        for (const core::Op& op : losing.lost->ops)
            if (*op.seq <= cursorBefore) ++backfilled;
        CHECK(backfilled == 50);  // the first page of the plan's earlier ops
        CHECK(losing.lost->more);
    }
    {
        // A new process on the same replica syncs on.
        CoreClient device(fin);
        client::HttpClient http(device.session.server);
        auto report = device.sync(http, 1, 50);
        REQUIRE(report);
        CHECK(report->pulled > 50);
        // The last page is acknowledged by the next sync, which brings nothing again.
        auto next = device.sync(http, 1, 50);
        REQUIRE(next);
        CHECK(next->pulled == 0);
        CHECK(*device.replica->meta(client::kAckKey) == std::optional<std::string>(""));
    }
    // What fin.head holds is exactly what a fresh HQ replica holds (the demo plan is the
    // only plan): every op of the plan arrived, the lost page's included.
    Cli hq(tmp, "hq");
    hq.signIn(server, "hq.zhao");
    CHECK(fin.dump() == hq.dump());
    CHECK(server.stop() == 0);
}

TEST_CASE("e2e: a lost answer carrying revoked is announced again: the replica drops the plan", "[e2e][acks]") {
    TempDir tmp;
    Server server(tmp);
    Cli admin(tmp, "admin");
    admin.signIn(server, "admin");
    const Demo demo = Demo::from(admin);
    moveTo(admin, demo, "fin.head", "SALES");
    Cli fin(tmp, "fin");
    fin.signIn(server, "fin.head");
    REQUIRE(core::parseJson(fin.dump())->at("entities").contains(demo.plan));
    moveTo(admin, demo, "fin.head", "FIN");  // and out of it again

    {
        CoreClient device(fin);
        client::HttpClient http(device.session.server);
        LosingTransport losing(http, [](const client::SyncAnswer& a) { return !a.revoked.empty(); });
        // Two attempts: the engine sends the same request again after the loss.
        auto report = device.sync(losing, 2, 1000);
        REQUIRE(losing.lost);
        CHECK(losing.lost->revoked == std::vector<core::EntityId>{*core::EntityId::parse(demo.plan)});
        CHECK_FALSE(losing.lost->ack.empty());
        REQUIRE(report);
        CHECK(report->revoked == std::vector<std::string>{demo.plan});
        auto plan = device.replica->entity(*core::EntityId::parse(demo.plan));
        REQUIRE(plan);
        CHECK_FALSE(*plan);
        // Acknowledged: the next sync announces nothing.
        auto again = device.sync(http, 1, 1000);
        REQUIRE(again);
        CHECK(again->revoked.empty());
    }
    const Json entities = core::parseJson(fin.dump())->at("entities");
    CHECK_FALSE(entities.contains(demo.plan));
    for (const auto& [id, e] : entities.items()) CHECK(e["fields"].value("plan", "") != demo.plan);
    CHECK(server.stop() == 0);
}
