// Client core against a fake in-memory sync endpoint: paging and the cursor, batching,
// retries, rejections, clock skew, revocation, the session file and the service thread.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "support.h"
#include "tandem/client/backoff.h"
#include "tandem/client/client_service.h"
#include "tandem/client/server_url.h"
#include "tandem/client/session.h"
#include "tandem/client/sync_engine.h"
#include "tandem/core/replica.h"

using namespace tandem;
using client::HttpResponse;
using core::Json;
using core::Op;

namespace {

constexpr std::int64_t kDay = 86400000;
constexpr std::int64_t kNow = 1'780'000'000'000;  // the "server" clock

/// The sync endpoint of DESIGN §5, in memory: stores ops once by id, assigns seq,
/// pages pulls, refuses ops > 10 min ahead with clock_ahead, and applies `rule`.
struct FakeServer : client::Transport {
    std::vector<Op> log;
    std::map<std::string, Op> byId;
    std::int64_t serverTime = kNow;
    std::function<std::optional<std::string>(const Op&)> rule;  // a rejection code, or nullopt
    std::vector<core::EntityId> revokeOnce;
    std::string ackOnce;         // the next answer carries this ack token
    int failNext = 0;            // network failures to inject before answering
    int failAfterAnswers = -1;   // answer this many requests, then fail every one
    long statusOnce = 0;         // answer the next request with this HTTP status
    int answers = 0;
    std::vector<Json> requests;

    core::Result<HttpResponse> get(const std::string&, const std::string&) override {
        return HttpResponse{404, "{}"};
    }

    core::Result<HttpResponse> post(const std::string& path, const std::string& body, const std::string&) override {
        if (path != "/api/v1/sync") return HttpResponse{404, "{}"};
        if (failNext > 0) {
            --failNext;
            return core::makeError("network", "injected failure");
        }
        if (failAfterAnswers >= 0 && answers >= failAfterAnswers) return core::makeError("unreachable", "injected outage");
        if (statusOnce) {
            const long s = statusOnce;
            statusOnce = 0;
            return HttpResponse{s, R"({"error":{"code":"x","message":"y"}})"};
        }
        ++answers;
        Json req = Json::parse(body);
        requests.push_back(req);
        Json accepted = Json::array(), rejected = Json::array();
        for (const auto& o : req["ops"]) {
            auto op = core::decodeOp(o);
            REQUIRE(op);
            const std::string id = op->idString();
            std::optional<std::string> code;
            if (auto it = byId.find(id); it != byId.end() && !it->second.sameContent(*op)) code = "duplicate_id";
            else if (static_cast<std::int64_t>(op->hlc.physicalMs()) > serverTime + 600000) code = "clock_ahead";
            else if (rule) code = rule(*op);
            if (code) {
                rejected.push_back({{"id", id}, {"code", *code}, {"message", "refused: " + *code}});
                continue;
            }
            accepted.push_back(id);
            if (byId.count(id)) continue;
            Op stored = *op;
            stored.seq = static_cast<std::int64_t>(log.size()) + 1;
            log.push_back(stored);
            byId.emplace(id, stored);
        }
        const std::int64_t cursor = req["cursor"].get<std::int64_t>();
        const std::size_t limit = req.value("limit", 1000);
        Json ops = Json::array();
        std::int64_t last = cursor;
        for (const auto& op : log) {
            if (*op.seq <= cursor) continue;
            if (ops.size() == limit) break;
            ops.push_back(core::encodeOp(op, true));
            last = *op.seq;
        }
        const bool more = last < static_cast<std::int64_t>(log.size());
        Json answer = {{"accepted", accepted}, {"rejected", rejected}, {"ops", ops},
                       {"cursor", ops.empty() ? static_cast<std::int64_t>(log.size()) : last},
                       {"server_time", serverTime}, {"more", more}};
        if (!revokeOnce.empty()) {
            Json r = Json::array();
            for (const auto& p : revokeOnce) r.push_back(p.hex());
            answer["revoked"] = r;
            revokeOnce.clear();
        }
        if (!ackOnce.empty()) answer["ack"] = std::exchange(ackOnce, {});
        return HttpResponse{200, answer.dump()};
    }
};

struct Fixture {
    test::TempDir dir;
    std::int64_t deviceOffset = 0;
    std::unique_ptr<core::Replica> replica;
    explicit Fixture(std::uint64_t seed = 1, std::int64_t offset = 0) : deviceOffset(offset) {
        core::ReplicaOptions o;
        o.wall = [this] { return kNow + deviceOffset; };
        o.random = core::seededRandom(seed);
        o.durable = false;
        auto r = core::Replica::open(dir.sub("replica.db"), o);
        REQUIRE(r);
        replica = std::move(*r);
    }
};

client::SyncOptions quickOptions(std::vector<std::chrono::milliseconds>* waits = nullptr) {
    client::SyncOptions o;
    o.random = core::seededRandom(7);
    o.wait = [waits](std::chrono::milliseconds d) {
        if (waits) waits->push_back(d);
        return true;  // no real sleeping in unit tests
    };
    return o;
}

Op serverOp(std::uint64_t site, std::uint64_t n, const core::EntityId& entity, const std::string& field, Json value,
            std::int64_t ms) {
    Op op;
    op.site = core::SiteId{site};
    op.n = n;
    op.entity = entity;
    op.type = "department";
    op.field = field;
    op.value = std::move(value);
    op.hlc = core::Hlc::make(static_cast<std::uint64_t>(ms), 0);
    return op;
}

void seedServer(FakeServer& server, int count) {
    for (int i = 0; i < count; ++i) {
        Op op = serverOp(0x1111, static_cast<std::uint64_t>(i + 1), core::EntityId{1, static_cast<std::uint64_t>(i / 3 + 1)},
                         "name", "d" + std::to_string(i), kNow - 1000 + i);
        op.seq = static_cast<std::int64_t>(server.log.size()) + 1;
        server.byId.emplace(op.idString(), op);
        server.log.push_back(op);
    }
}

}  // namespace

TEST_CASE("sync: pulls every page until more is false and stores the cursor", "[client][sync]") {
    Fixture f;
    FakeServer server;
    seedServer(server, 25);
    auto options = quickOptions();
    options.pullLimit = 10;
    std::vector<client::SyncProgress> progress;
    options.onProgress = [&](const client::SyncProgress& p) { progress.push_back(p); };
    client::SyncEngine engine(*f.replica, server, "t", options);
    engine.setKnownHead(25);
    auto report = engine.sync();
    REQUIRE(report);
    CHECK(report->pulled == 25);
    CHECK(report->cursor == 25);
    CHECK(*client::storedCursor(*f.replica) == 25);
    CHECK(server.requests.size() == 3);
    REQUIRE(!progress.empty());
    CHECK(progress.back().done == 25);
    CHECK(progress.back().total == 25);
    auto d = f.replica->entity(core::EntityId{1, 9});
    REQUIRE(d);
    REQUIRE(*d);
    CHECK((*d)->get("name") == Json("d24"));
}

TEST_CASE("sync: a pull cut off mid-way keeps whole pages and resumes from the stored cursor", "[client][sync]") {
    Fixture f;
    FakeServer server;
    seedServer(server, 30);
    server.failAfterAnswers = 2;  // two pages arrive, then the network is gone
    auto options = quickOptions();
    options.pullLimit = 10;
    options.maxAttempts = 3;
    {
        client::SyncEngine engine(*f.replica, server, "t", options);
        auto report = engine.sync();
        REQUIRE_FALSE(report);
        CHECK(report.error().code == "unreachable");
    }
    CHECK(*client::storedCursor(*f.replica) == 20);
    server.failAfterAnswers = -1;
    server.requests.clear();
    client::SyncEngine engine(*f.replica, server, "t", options);
    auto report = engine.sync();
    REQUIRE(report);
    CHECK(server.requests.front()["cursor"] == 20);
    CHECK(report->pulled == 10);
    CHECK(*client::storedCursor(*f.replica) == 30);
}

TEST_CASE("sync: pushes pending ops in batches until none is left", "[client][sync]") {
    Fixture f;
    FakeServer server;
    const auto id = f.replica->newEntityId();
    for (int i = 0; i < 25; ++i) REQUIRE(f.replica->write(id, "department", "name", "v" + std::to_string(i)));
    auto options = quickOptions();
    options.pushBatch = 10;
    client::SyncEngine engine(*f.replica, server, "t", options);
    auto report = engine.sync();
    REQUIRE(report);
    CHECK(report->accepted == 25);
    CHECK(*f.replica->pendingCount() == 0);
    std::size_t pushes = 0;
    for (const auto& r : server.requests)
        if (!r["ops"].empty()) {
            ++pushes;
            CHECK(r["ops"].size() <= 10);
        }
    CHECK(pushes == 3);
    CHECK(server.log.size() == 25);
    CHECK(*f.replica->meta(client::kInflightKey) == std::optional<std::string>(""));
}

TEST_CASE("sync: network errors are retried with growing backoff, then succeed", "[client][sync]") {
    Fixture f;
    FakeServer server;
    REQUIRE(f.replica->write(f.replica->newEntityId(), "department", "name", "x"));
    server.failNext = 3;
    std::vector<std::chrono::milliseconds> waits;
    auto options = quickOptions(&waits);
    options.maxAttempts = 5;
    client::SyncEngine engine(*f.replica, server, "t", options);
    auto report = engine.sync();
    REQUIRE(report);
    CHECK(report->accepted == 1);
    REQUIRE(waits.size() == 3);
    CHECK(waits[0] <= std::chrono::milliseconds(200));
    CHECK(waits[2] >= std::chrono::milliseconds(400));  // window 800 ms, at least half of it
}

TEST_CASE("sync: a lost answer is pushed again and stored once", "[client][sync]") {
    Fixture f;
    FakeServer server;
    REQUIRE(f.replica->write(f.replica->newEntityId(), "department", "name", "x"));
    // First exchange (pull-only) answered, second (the push) stored but its answer lost.
    struct LosingServer : FakeServer {
        bool lose = true;
        core::Result<HttpResponse> post(const std::string& p, const std::string& b, const std::string& t) override {
            auto r = FakeServer::post(p, b, t);
            if (lose && !requests.back()["ops"].empty()) {
                lose = false;
                return core::makeError("network", "connection reset");
            }
            return r;
        }
    } losing;
    auto options = quickOptions();
    options.maxAttempts = 1;
    client::SyncEngine first(*f.replica, losing, "t", options);
    REQUIRE_FALSE(first.sync());
    CHECK(*f.replica->pendingCount() == 1);
    client::SyncEngine second(*f.replica, losing, "t", options);
    auto report = second.sync();
    REQUIRE(report);
    CHECK(*f.replica->pendingCount() == 0);
    CHECK(losing.log.size() == 1);
}

TEST_CASE("sync: a rejected edit is listed with its code and the field shows the server's value", "[client][sync]") {
    Fixture f;
    FakeServer server;
    const core::EntityId dept{1, 1};
    Op theirs = serverOp(0x2222, 1, dept, "name", "server value", kNow - 5000);
    theirs.seq = 1;
    server.log.push_back(theirs);
    server.byId.emplace(theirs.idString(), theirs);
    auto options = quickOptions();
    {
        client::SyncEngine engine(*f.replica, server, "t", options);
        REQUIRE(engine.sync());
    }
    REQUIRE(f.replica->write(dept, "department", "name", "my value"));
    CHECK((*f.replica->entity(dept))->get("name") == Json("my value"));
    server.rule = [](const Op&) { return std::optional<std::string>("forbidden"); };
    client::SyncEngine engine(*f.replica, server, "t", options);
    auto report = engine.sync();
    REQUIRE(report);
    CHECK(report->rejected == 1);
    CHECK(*f.replica->pendingCount() == 0);
    auto rejected = f.replica->rejectedEdits();
    REQUIRE(rejected);
    REQUIRE(rejected->size() == 1);
    CHECK(rejected->front().code == "forbidden");
    CHECK(rejected->front().message == "refused: forbidden");
    CHECK(rejected->front().op.value == Json("my value"));
    CHECK((*f.replica->entity(dept))->get("name") == Json("server value"));
}

TEST_CASE("sync: a device clock a day ahead is corrected and its unsent edits re-stamped", "[client][sync][clock]") {
    Fixture f(3, kDay);  // the device thinks it is tomorrow
    FakeServer server;
    const auto id = f.replica->newEntityId();
    REQUIRE(f.replica->write(id, "department", "name", "from the future"));
    REQUIRE(f.replica->write(id, "department", "code", "FUT"));
    client::SyncEngine engine(*f.replica, server, "t", quickOptions());
    auto report = engine.sync();
    REQUIRE(report);
    CHECK(report->accepted == 2);
    CHECK(report->rejected == 0);
    CHECK(report->restamps == 1);
    CHECK(std::llabs(report->clockOffsetMs + kDay) < 1000);
    REQUIRE(server.log.size() == 2);
    for (const auto& op : server.log) CHECK(std::llabs(static_cast<std::int64_t>(op.hlc.physicalMs()) - kNow) < 1000);
    CHECK(server.log[0].n < server.log[1].n);
    CHECK(server.log[0].hlc < server.log[1].hlc);  // order preserved
    // The offset is kept: new edits are stamped with the server's time.
    REQUIRE(f.replica->write(id, "department", "name", "later"));
    auto pending = f.replica->pendingOps(10);
    REQUIRE(pending->size() == 1);
    CHECK(std::llabs(static_cast<std::int64_t>(pending->front().hlc.physicalMs()) - kNow) < 1000);
}

TEST_CASE("sync: clock_ahead answers re-stamp and retry instead of recording a rejection", "[client][sync][clock]") {
    Fixture f;
    FakeServer server;
    REQUIRE(f.replica->write(f.replica->newEntityId(), "department", "name", "x"));
    // The offset is already learnt (so no re-stamp up front), but the device jumped ahead.
    f.deviceOffset = 0;
    client::SyncEngine warm(*f.replica, server, "t", quickOptions());
    REQUIRE(warm.sync());
    f.deviceOffset = kDay;
    f.replica->clock().setOffset(0);
    REQUIRE(f.replica->write(f.replica->newEntityId(), "department", "name", "y"));
    auto options = quickOptions();
    options.skewTolerance = std::chrono::milliseconds(kDay * 2);  // don't notice the skew up front
    client::SyncEngine engine(*f.replica, server, "t", options);
    auto report = engine.sync();
    REQUIRE(report);
    CHECK(report->rejected == 0);
    CHECK(report->restamps >= 1);
    CHECK(*f.replica->pendingCount() == 0);
    CHECK(f.replica->rejectedEdits()->empty());
}

TEST_CASE("sync: a device clock a day behind is re-stamped so its edits are not older than they are", "[client][sync][clock]") {
    Fixture f(4, -kDay);
    FakeServer server;
    const auto id = f.replica->newEntityId();
    REQUIRE(f.replica->write(id, "department", "name", "yesterday's clock"));
    client::SyncEngine engine(*f.replica, server, "t", quickOptions());
    auto report = engine.sync();
    REQUIRE(report);
    CHECK(report->restamps == 1);
    REQUIRE(server.log.size() == 1);
    CHECK(std::llabs(static_cast<std::int64_t>(server.log[0].hlc.physicalMs()) - kNow) < 1000);
}

TEST_CASE("sync: 401 fails at once with unauthorized; 413 halves the batch", "[client][sync]") {
    Fixture f;
    FakeServer server;
    server.statusOnce = 401;
    std::vector<std::chrono::milliseconds> waits;
    client::SyncEngine engine(*f.replica, server, "t", quickOptions(&waits));
    auto report = engine.sync();
    REQUIRE_FALSE(report);
    CHECK(report.error().code == "unauthorized");
    CHECK(waits.empty());

    for (int i = 0; i < 8; ++i) REQUIRE(f.replica->write(f.replica->newEntityId(), "department", "name", "x"));
    client::SyncEngine first(*f.replica, server, "t", quickOptions());
    REQUIRE(first.sync());  // pushes all 8
    CHECK(*f.replica->pendingCount() == 0);
    for (int i = 0; i < 8; ++i) REQUIRE(f.replica->write(f.replica->newEntityId(), "department", "name", "y"));
    struct TooLarge : FakeServer {
        core::Result<HttpResponse> post(const std::string& p, const std::string& b, const std::string& t) override {
            if (Json::parse(b)["ops"].size() > 2) return HttpResponse{413, R"({"error":{"code":"payload_too_large","message":"x"}})"};
            return FakeServer::post(p, b, t);
        }
    } small;
    static_cast<FakeServer&>(small) = server;  // the same server, now with a small body limit
    auto options = quickOptions();
    options.pushBatch = 8;
    client::SyncEngine engine2(*f.replica, small, "t", options);
    auto halved = engine2.sync();
    INFO((halved ? std::string() : halved.error().code + ": " + halved.error().message));
    REQUIRE(halved);
    CHECK(*f.replica->pendingCount() == 0);
    CHECK(small.log.size() == 16);
}

TEST_CASE("sync: a revoked plan is dropped from the replica", "[client][sync]") {
    Fixture f;
    FakeServer server;
    const auto plan = f.replica->newEntityId();
    Op title;
    title.site = core::SiteId{0x3333};
    title.n = 1;
    title.entity = plan;
    title.type = "plan";
    title.field = "title";
    title.value = "secret plan";
    title.hlc = core::Hlc::make(kNow - 10, 0);
    title.seq = 1;
    server.log.push_back(title);
    server.byId.emplace(title.idString(), title);
    client::SyncEngine engine(*f.replica, server, "t", quickOptions());
    REQUIRE(engine.sync());
    REQUIRE(*f.replica->entity(plan));
    server.revokeOnce = {plan};
    auto report = engine.sync();
    REQUIRE(report);
    CHECK(report->revoked == std::vector<std::string>{plan.hex()});
    CHECK_FALSE(*f.replica->entity(plan));
}

TEST_CASE("sync: each request acknowledges the last answer applied, also after a restart, never a lost one",
          "[client][sync][acks]") {
    test::TempDir dir;
    auto open = [&] {
        core::ReplicaOptions o;
        o.wall = [] { return kNow; };
        o.random = core::seededRandom(5);
        o.durable = false;
        auto r = core::Replica::open(dir.sub("replica.db"), o);
        REQUIRE(r);
        return std::move(*r);
    };
    FakeServer server;
    seedServer(server, 3);
    server.ackOnce = "a1";
    auto replica = open();
    {
        client::SyncEngine engine(*replica, server, "t", quickOptions());
        REQUIRE(engine.sync());
    }
    REQUIRE(server.requests.size() == 1);
    CHECK(server.requests[0]["ack"] == "");  // sent even with nothing to acknowledge
    CHECK(*replica->meta(client::kAckKey) == std::optional<std::string>("a1"));

    // The token is kept with its page: a restarted process acknowledges it.
    replica.reset();
    replica = open();
    for (std::uint64_t n = 1; n <= 2; ++n) {
        Op op = serverOp(0x2222, n, core::EntityId{2, n}, "name", "later", kNow);
        op.seq = static_cast<std::int64_t>(server.log.size()) + 1;
        server.byId.emplace(op.idString(), op);
        server.log.push_back(op);
    }
    server.ackOnce = "a2";
    struct Losing : client::Transport {
        FakeServer& inner;
        bool lose = true;
        explicit Losing(FakeServer& s) : inner(s) {}
        core::Result<HttpResponse> get(const std::string& p, const std::string& t) override { return inner.get(p, t); }
        core::Result<HttpResponse> post(const std::string& p, const std::string& b, const std::string& t) override {
            auto r = inner.post(p, b, t);
            if (lose && r && r->body.find("\"ack\"") != std::string::npos) {
                lose = false;
                return core::makeError("network", "connection reset");
            }
            return r;
        }
    } losing(server);
    auto options = quickOptions();
    options.maxAttempts = 1;
    {
        client::SyncEngine engine(*replica, losing, "t", options);
        REQUIRE_FALSE(engine.sync());  // the answer with "a2" was lost
    }
    REQUIRE(server.requests.size() == 2);
    CHECK(server.requests[1]["ack"] == "a1");
    CHECK(*replica->meta(client::kAckKey) == std::optional<std::string>("a1"));
    CHECK(*client::storedCursor(*replica) == 3);
    {
        client::SyncEngine engine(*replica, losing, "t", options);
        REQUIRE(engine.sync());
    }
    CHECK(server.requests[2]["ack"] == "a1");  // "a2" never arrived, so it is never sent
    CHECK(*replica->meta(client::kAckKey) == std::optional<std::string>(""));  // an answer without one clears it
    CHECK(*client::storedCursor(*replica) == 5);
}

TEST_CASE("sync answer: a malformed answer is bad_response, never an exception", "[client][sync]") {
    CHECK(client::decodeSyncAnswer("{").error().code == "bad_response");
    CHECK(client::decodeSyncAnswer(R"({"accepted":[],"rejected":[],"ops":[],"cursor":"1","server_time":1,"more":false})")
              .error().code == "bad_response");
    auto ok = client::decodeSyncAnswer(R"({"accepted":["a:1"],"rejected":[{"id":"a:2","code":"forbidden","message":"m"}],"ops":[],"cursor":5,"server_time":9,"more":true})");
    REQUIRE(ok);
    CHECK(ok->rejected.front().code == "forbidden");
    CHECK(ok->more);
    CHECK(ok->ack.empty());
    CHECK(client::decodeSyncAnswer(
              R"({"accepted":[],"rejected":[],"ops":[],"cursor":5,"server_time":9,"more":false,"ack":7})")
              .error()
              .code == "bad_response");
    auto acked = client::decodeSyncAnswer(
        R"({"accepted":[],"rejected":[],"ops":[],"cursor":5,"server_time":9,"more":false,"ack":"a1"})");
    REQUIRE(acked);
    CHECK(acked->ack == "a1");
}

TEST_CASE("backoff: exponential with jitter, capped", "[client]") {
    client::Backoff b({std::chrono::milliseconds(100), std::chrono::milliseconds(1000)}, core::seededRandom(3));
    std::int64_t prevWindow = 0;
    for (int i = 0; i < 10; ++i) {
        const std::int64_t window = std::min<std::int64_t>(1000, 100LL << i);
        const auto d = b.next().count();
        CHECK(d >= window / 2);
        CHECK(d <= window);
        CHECK(window >= prevWindow);
        prevWindow = window;
    }
    b.reset();
    CHECK(b.next().count() <= 100);
}

TEST_CASE("server url: parses what users type", "[client]") {
    auto u = client::ServerUrl::parse("http://127.0.0.1:8080/");
    REQUIRE(u);
    CHECK(u->host == "127.0.0.1");
    CHECK(u->port == "8080");
    CHECK(u->base() == "http://127.0.0.1:8080");
    CHECK(client::ServerUrl::parse("https://tandem.example/base")->port == "443");
    CHECK(client::ServerUrl::parse("http://[::1]:9")->host == "::1");
    CHECK_FALSE(client::ServerUrl::parse("ftp://x"));
    CHECK_FALSE(client::ServerUrl::parse("http://:80"));
    CHECK_FALSE(client::ServerUrl::parse("http://h:8x"));
}

TEST_CASE("session: stored readable only by the user, round-trips, verifies the password", "[client][session]") {
    test::TempDir dir;
    client::SessionStore store(dir.sub("replica"));
    CHECK_FALSE(*store.load());
    client::Session s;
    s.server = "http://127.0.0.1:1";
    s.username = "sales.li";
    s.member = std::string(32, 'a');
    s.token = "secret-token";
    s.roles = {"member"};
    client::setPasswordVerifier(s, "tandem-demo");
    REQUIRE(store.save(s));
    struct stat st {};
    REQUIRE(::stat(store.path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat(dir.sub("replica").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    auto loaded = store.load();
    REQUIRE(loaded);
    REQUIRE(*loaded);
    CHECK((*loaded)->token == "secret-token");
    CHECK((*loaded)->signedIn());
    CHECK(client::checkPassword(**loaded, "tandem-demo"));
    CHECK_FALSE(client::checkPassword(**loaded, "tandem-demO"));
    REQUIRE(store.remove());
    CHECK_FALSE(*store.load());
}

TEST_CASE("service: work runs on the worker thread, in order; sync without a session says so", "[client][service]") {
    test::TempDir dir;
    client::ServiceOptions options;
    options.replicaDir = dir.sub("r");
    std::vector<client::ServiceState> states;
    std::mutex m;
    options.onState = [&](const client::ServiceState& s) {
        std::lock_guard lock(m);
        states.push_back(s);
    };
    auto service = client::ClientService::open(options);
    REQUIRE(service);
    const auto caller = std::this_thread::get_id();
    auto worker = (*service)->call([](client::Context&) { return std::this_thread::get_id(); }).get();
    CHECK(worker != caller);
    std::vector<int> order;
    for (int i = 0; i < 5; ++i) (*service)->post([&order, i](client::Context&) { order.push_back(i); });
    auto written = (*service)
                       ->call([](client::Context& ctx) {
                           return ctx.replica().write(ctx.replica().newEntityId(), "department", "name", "x").ok();
                       })
                       .get();
    CHECK(written);
    CHECK(order == std::vector<int>{0, 1, 2, 3, 4});
    auto report = (*service)->syncNow().get();
    REQUIRE_FALSE(report);
    CHECK(report.error().code == "signed_out");
    CHECK((*service)->state().pending == 1);
    CHECK((*service)->state().session == client::SessionState::SignedOut);
    service->reset();
    std::lock_guard lock(m);
    CHECK_FALSE(states.empty());
}

TEST_CASE("service: a background sync retrying an unreachable server yields to work queued for the worker",
          "[client][service]") {
    // A port nothing listens on: bound, then closed, so a connect is refused at once.
    int port = 0;
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(fd >= 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        socklen_t len = sizeof addr;
        REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
        port = ntohs(addr.sin_port);
        ::close(fd);
    }
    test::TempDir dir;
    client::Session session;
    session.server = "http://127.0.0.1:" + std::to_string(port);
    session.username = "sales.li";
    session.member = core::EntityId::generate(core::systemRandom()).hex();
    session.token = "a-token";
    REQUIRE(client::SessionStore(dir.sub("r")).save(session));

    client::ServiceOptions options;
    options.replicaDir = dir.sub("r");
    options.useLive = false;
    // Retries 5–10 s apart, and no second tick during the test: the one sync's retries
    // would hold the worker for half a minute.
    options.sync.backoff = {std::chrono::seconds(10), std::chrono::seconds(60)};
    options.watchBackoff = {std::chrono::seconds(60), std::chrono::seconds(60)};
    std::mutex m;
    std::condition_variable cv;
    bool syncing = false;
    options.onState = [&](const client::ServiceState& s) {
        std::lock_guard lock(m);
        syncing = syncing || s.syncing;
        cv.notify_all();
    };
    auto service = client::ClientService::open(options);
    REQUIRE(service);
    (*service)->setWatching(true);
    {
        std::unique_lock lock(m);
        REQUIRE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return syncing; }));
    }
    // The first attempt is refused at once; the engine is now waiting to retry. Work
    // posted meanwhile runs without waiting out that backoff.
    const auto posted = std::chrono::steady_clock::now();
    auto done = (*service)->call([](client::Context&) { return std::chrono::steady_clock::now(); });
    REQUIRE(done.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    CHECK(done.get() - posted < std::chrono::seconds(3));
    const client::ServiceState state = (*service)->state();
    CHECK_FALSE(state.online);
    CHECK(state.lastErrorCode == "unreachable");
    service->reset();
}
