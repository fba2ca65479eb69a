// Login beyond the username rule of DESIGN §5: stored hashes weaker than the password
// policy are replaced at the next successful login; failed logins are limited per client
// address too; password checks running at once are bounded (service/login_guard.h).

#include <future>
#include <thread>

#include "service/login_guard.h"
#include "service_test_support.h"
#include "storage/pg/pg_server_store.h"
#include "storage/sqlite_server_store.h"
#include "tandem/core/password.h"
#include "tandem/core/sqlite.h"

using namespace tandem;
using namespace tandem::test;

namespace {

/// The password hash stored for `username`, read through a connection of its own.
std::string storedHash(ServiceHarness& h, const std::string& username) {
    std::optional<server::Account> account;
    if (!h.dbUrl().empty()) {
        auto db = server::pg::PgConnection::open(h.dbUrl());
        REQUIRE(db);
        server::PgServerStore store(**db, h.dbUrl());
        auto found = store.accountByUsername(username);
        REQUIRE(found);
        account = *found;
    } else {
        const std::string path = h.dir() + "/tandem.db";
        auto db = core::Database::open(path, core::Database::Mode::ReadWrite);
        REQUIRE(db);
        server::SqliteServerStore store(**db, path);
        auto found = store.accountByUsername(username);
        REQUIRE(found);
        account = *found;
    }
    REQUIRE(account);
    return account->passwordHash;
}

server::HttpAnswer loginFrom(ServiceHarness& h, const std::string& remote, const std::string& username,
                             const std::string& password) {
    server::HttpRequest request;
    request.method = "POST";
    request.target = "/api/v1/login";
    request.contentType = "application/json";
    request.body = Json{{"username", username}, {"password", password}}.dump();
    request.remote = remote;
    return h.api().handle(request);
}

std::string errorCode(const server::HttpAnswer& answer) {
    auto body = core::parseJson(answer.body);
    if (!body || !body->is_object() || !body->contains("error")) return {};
    return (*body)["error"].value("code", "");
}

int accountAuditEntries(ServiceHarness& h) {
    auto answer = h.call("GET", "/api/v1/audit?after=0&limit=5000", "", h.token("admin"));
    REQUIRE(answer.status == 200);
    int count = 0;
    const Json body = ServiceHarness::json(answer);
    for (const Json& entry : body["entries"])
        if (entry["action"] == "account") ++count;
    return count;
}

/// The value of one sample line of GET /metrics, e.g. `tandem_logins_total{result="busy"}`.
std::string metric(ServiceHarness& h, const std::string& sample) {
    const std::string text = h.api().metricsText();
    const auto at = text.find("\n" + sample + " ");
    if (at == std::string::npos) return "missing";
    const auto begin = at + sample.size() + 2;
    return text.substr(begin, text.find('\n', begin) - begin);
}

}  // namespace

TEST_CASE("login: a hash stored under a weaker policy is re-hashed at the next successful login, not audited",
          "[service][login]") {
    ServiceHarness h;  // demo accounts hashed at 1,000 iterations
    const std::string before = storedHash(h, "fin.head");
    REQUIRE(core::passwordIterations(before) == 1000);
    const int audited = accountAuditEntries(h);

    h.passwordIterations = 3000;  // the policy is raised
    h.close();
    h.open();
    // A wrong password re-hashes nothing.
    REQUIRE(h.call("POST", "/api/v1/login", R"({"username":"fin.head","password":"wrong"})").status == 401);
    CHECK(storedHash(h, "fin.head") == before);

    // The right one replaces the hash by one at the policy's strength, which still works.
    REQUIRE(h.call("POST", "/api/v1/login", R"({"username":"fin.head","password":"tandem-demo"})").status == 200);
    const std::string after = storedHash(h, "fin.head");
    CHECK(after != before);
    CHECK(core::passwordIterations(after) == 3000);
    CHECK(core::verifyPassword("tandem-demo", after));
    REQUIRE(h.call("POST", "/api/v1/login", R"({"username":"fin.head","password":"tandem-demo"})").status == 200);
    CHECK(storedHash(h, "fin.head") == after);  // at the policy: left as it is
    CHECK(h.call("POST", "/api/v1/login", R"({"username":"fin.head","password":"tandem-demO"})").status == 401);
    // Other accounts keep their hash until their own next login.
    CHECK(storedHash(h, "prod.head") == before);
    // Not an account change by a person: the audit trail is as it was.
    CHECK(accountAuditEntries(h) == audited);

    // A policy lowered again never weakens a stored hash.
    h.passwordIterations = 1000;
    h.close();
    h.open();
    REQUIRE(h.call("POST", "/api/v1/login", R"({"username":"fin.head","password":"tandem-demo"})").status == 200);
    CHECK(storedHash(h, "fin.head") == after);
}

TEST_CASE("login: 100 failures a minute per address, whatever the usernames; other addresses are not affected",
          "[service][login]") {
    ServiceHarness h;
    const std::string office = "203.0.113.7";
    // A spray of made-up usernames from one address: each name fails once only.
    for (int i = 0; i < 100; ++i) {
        auto answer = loginFrom(h, office, "ghost-" + randomHex(6), "guess");
        INFO(i << " " << answer.body);
        REQUIRE(answer.status == 401);
    }
    auto limited = loginFrom(h, office, "ghost-" + randomHex(6), "guess");
    CHECK(limited.status == 429);
    CHECK(errorCode(limited) == "too_many_requests");
    REQUIRE(limited.headers.count("Retry-After") == 1);
    CHECK(std::stoi(limited.headers.at("Retry-After")) >= 1);
    // While limited, every login from there is 429, the right password too; 429s do not count.
    CHECK(loginFrom(h, office, "fin.head", "tandem-demo").status == 429);
    // IPv4-mapped IPv6 is the same address.
    CHECK(loginFrom(h, "::ffff:" + office, "fin.head", "tandem-demo").status == 429);
    // Another address is not affected, neither for the right password nor for a failure.
    CHECK(loginFrom(h, "198.51.100.9", "fin.head", "tandem-demo").status == 200);
    CHECK(loginFrom(h, "198.51.100.9", "ghost-x", "guess").status == 401);
    CHECK(metric(h, R"(tandem_logins_total{result="limited_address"})") == "3");

    h.advance(61 * 1000);
    CHECK(loginFrom(h, office, "fin.head", "tandem-demo").status == 200);
}

TEST_CASE("login: an office behind one address survives its typos; successful logins never count", "[service][login]") {
    ServiceHarness h;
    const std::string nat = "192.0.2.44";
    const std::vector<std::string> staff = {"mkt.head", "mkt.chen", "sales.head", "sales.li", "sales.wang", "prod.head",
                                            "prod.liu", "svc.head", "svc.sun",    "fin.head", "hq.zhao",    "admin"};
    // 12 people mistype their password 8 times each within the minute (96 failures), and
    // every one of them then signs in; then 200 more sign-ins, none refused.
    for (const std::string& user : staff)
        for (int i = 0; i < 8; ++i) REQUIRE(loginFrom(h, nat, user, "typo").status == 401);
    for (const std::string& user : staff) {
        INFO(user);
        REQUIRE(loginFrom(h, nat, user, "tandem-demo").status == 200);
    }
    for (int i = 0; i < 200; ++i) REQUIRE(loginFrom(h, nat, staff[i % staff.size()], "tandem-demo").status == 200);
}

TEST_CASE("login: an IPv6 client is limited by its /64", "[service][login]") {
    CHECK(server::addressKey("2001:db8:1:2::1") == "2001:db8:1:2::/64");
    CHECK(server::addressKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "2001:db8:1:2::/64");
    CHECK(server::addressKey("::ffff:192.0.2.1") == "192.0.2.1");
    CHECK(server::addressKey("192.0.2.1") == "192.0.2.1");
    CHECK(server::addressKey("") == "");

    ServiceHarness h;
    for (int i = 0; i < 100; ++i)
        REQUIRE(loginFrom(h, "2001:db8:1:2::" + std::to_string(i + 1), "ghost-" + randomHex(6), "guess").status == 401);
    CHECK(loginFrom(h, "2001:db8:1:2:ffff::9", "fin.head", "tandem-demo").status == 429);
    CHECK(loginFrom(h, "2001:db8:1:3::1", "fin.head", "tandem-demo").status == 200);
}

TEST_CASE("login: a username of 100 KiB is limited like any other (kept as its SHA-256)", "[service][login]") {
    ServiceHarness h;
    const std::string huge(100 * 1024, 'u');
    for (int i = 0; i < 10; ++i) REQUIRE(loginFrom(h, "10.1.1." + std::to_string(i), huge, "guess").status == 401);
    CHECK(loginFrom(h, "10.1.2.1", huge, "guess").status == 429);
    CHECK(loginFrom(h, "10.1.2.1", huge + "v", "guess").status == 401);  // another name
}

TEST_CASE("login guard: the hash gate runs N checks at once, lets a few wait their turn, turns the rest away at once",
          "[service][login]") {
    server::HashGate gate(1, 1, std::chrono::seconds(20));
    auto first = gate.enter();
    REQUIRE(first);
    // Two more at once: one takes the waiting room, the other is turned away without waiting.
    auto a = std::async(std::launch::async, [&] { return static_cast<bool>(gate.enter()); });
    auto b = std::async(std::launch::async, [&] { return static_cast<bool>(gate.enter()); });
    std::future<bool>* turnedAway = nullptr;
    while (!turnedAway) {  // the first slot is still held, so only the turned-away one returns
        if (a.wait_for(std::chrono::milliseconds(10)) == std::future_status::ready)
            turnedAway = &a;
        else if (b.wait_for(std::chrono::milliseconds(10)) == std::future_status::ready)
            turnedAway = &b;
    }
    CHECK_FALSE(turnedAway->get());
    std::future<bool>& waiter = turnedAway == &a ? b : a;
    CHECK(waiter.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout);  // still waiting
    { auto released = std::move(first); }
    CHECK(waiter.get());  // got the freed slot (and gave it back)

    // A waiter gives up after the longest wait.
    server::HashGate brief(1, 1, std::chrono::milliseconds(50));
    auto held = brief.enter();
    REQUIRE(held);
    const auto start = std::chrono::steady_clock::now();
    CHECK_FALSE(brief.enter());
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(50));
}

TEST_CASE("login: with every password-check slot busy, a login is answered 503 with Retry-After at once",
          "[service][login]") {
    // A SyncApi with one slot and the real policy: each check lasts long enough (about
    // 0.1 s) to overlap the others, which arrive at once from different addresses.
    ServiceTempDir dir;
    server::SyncApiOptions options;
    options.demo = true;
    options.durable = false;
    options.loginHashSlots = 1;
    auto opened = server::SyncApi::open(dir.path(), options);
    REQUIRE(opened);
    server::SyncApi& api = **opened;
    auto login = [&api](const std::string& remote) {
        server::HttpRequest request;
        request.method = "POST";
        request.target = "/api/v1/login";
        request.body = R"({"username":"fin.head","password":"tandem-demo"})";
        request.remote = remote;
        return api.handle(request);
    };
    std::vector<std::future<server::HttpAnswer>> answers;
    for (int i = 0; i < 24; ++i)
        answers.push_back(std::async(std::launch::async, [&login, i] { return login("10.9.8." + std::to_string(i)); }));
    int ok = 0, busy = 0;
    for (auto& f : answers) {
        auto answer = f.get();
        INFO(answer.status << " " << answer.body);
        if (answer.status == 200) {
            ++ok;
        } else {
            REQUIRE(answer.status == 503);
            CHECK(errorCode(answer) == "unavailable");
            CHECK(answer.headers.at("Retry-After") == "1");
            ++busy;
        }
    }
    // One runs, a few wait their turn (4 at a time, each at most 2 s), the rest are
    // turned away.
    CHECK(ok >= 1);
    CHECK(busy >= 1);
    CHECK(api.metricsText().find("tandem_logins_total{result=\"busy\"} " + std::to_string(busy) + "\n") !=
          std::string::npos);
    // Busy answers are not failures: more than 10 of them do not limit the username.
    CHECK(login("10.9.8.1").status == 200);
}
