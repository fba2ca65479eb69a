// DESIGN §5, acknowledged pages, through the sync endpoint: an answer that carries
// backfill ops or `revoked` is lost (built and committed by the server, never applied by
// the client), and nothing of it is lost; a client that never sends `ack` gets the
// behaviour of 0.1.

#include <set>

#include "service_test_support.h"
#include "tandem/core/sqlite.h"

using namespace tandem;
using namespace tandem::test;

namespace {

/// An ack-speaking client at the service level: it sends the token of the last answer
/// it applied ("" when none) with every request. An answer it does not apply is lost.
struct AckClient {
    AckClient(ServiceHarness& harness, std::string user) : h(harness), username(std::move(user)) {}

    ServiceHarness& h;
    std::string username;
    std::string site = newSite();
    std::int64_t cursor = 0;
    std::string ack;

    Json request(int limit = 0) {
        Json body{{"site", site}, {"cursor", cursor}, {"ops", Json::array()}, {"ack", ack}};
        if (limit > 0) body["limit"] = limit;
        return h.sync(username, body);
    }
    void apply(const Json& answer) {
        cursor = answer["cursor"];
        ack = answer.value("ack", "");
    }
    /// Requests and applies pages until `more` is false; every op received.
    std::vector<Json> pullUntilCurrent(int limit = 0) {
        std::vector<Json> ops;
        for (int page = 0; page < 1000; ++page) {
            Json answer = request(limit);
            apply(answer);
            for (const Json& op : answer["ops"]) ops.push_back(op);
            if (!answer["more"].get<bool>()) return ops;
        }
        FAIL("the pull never ends");
        return ops;
    }
    /// Pulls until current, then once more: with no op left to send, the answer's cursor
    /// is the server's head, so a plan gained later comes as a backfill (its ops are
    /// older than the cursor), not with the ordinary pull.
    void catchUp() {
        pullUntilCurrent();
        Json quiet = request();
        REQUIRE(quiet["ops"].empty());
        REQUIRE_FALSE(quiet.contains("ack"));  // nothing gained or lost: no token
        apply(quiet);
    }
};

/// The admin moves `username` to the department `code`; `n` counts the admin site's ops.
void moveTo(ServiceHarness& h, const std::string& adminSite, int n, const std::string& username,
            const std::string& code) {
    Json move = h.ops(adminSite, h.member(username), "member", {{"department", h.demo().dept.at(code)}}, n);
    REQUIRE(h.push("admin", adminSite, move)["rejected"].empty());
}

std::vector<std::string> idsOf(const Json& ops) {
    std::vector<std::string> ids;
    for (const Json& op : ops) ids.push_back(opId(op));
    return ids;
}

/// Ops of an answer older than the request's cursor: backfill, not the ordinary pull.
std::size_t backfillOps(const Json& answer, std::int64_t cursor) {
    std::size_t n = 0;
    for (const Json& op : answer["ops"])
        if (op["seq"].get<std::int64_t>() <= cursor) ++n;
    return n;
}

/// Every op of a plan (not of the organisation), as HQ pulls them.
std::set<std::string> planOpIds(ServiceHarness& h) {
    std::set<std::string> ids;
    for (const Json& op : h.pullAll("hq.zhao"))
        if (op["type"] != "department" && op["type"] != "member") ids.insert(opId(op));
    return ids;
}

}  // namespace

TEST_CASE("acks: a lost answer carrying a backfill page is sent again, and the plan arrives whole", "[service][acks]") {
    ServiceHarness h;
    const auto& d = h.demo();
    AckClient fin(h, "fin.head");
    fin.catchUp();
    const std::string adminSite = newSite();
    moveTo(h, adminSite, 1, "fin.head", "SALES");  // the demo plan becomes readable

    Json lost = fin.request(40);
    REQUIRE(lost.contains("ack"));
    REQUIRE(lost["more"] == true);
    REQUIRE(backfillOps(lost, fin.cursor) == 40);
    // Lost in transit: not applied. The server keeps the page across a restart.
    h.close();
    h.open();
    Json again = fin.request(40);
    REQUIRE(idsOf(again["ops"]) == idsOf(lost["ops"]));
    REQUIRE(again["ack"].is_string());
    REQUIRE(again["ack"] != lost["ack"]);
    // A token the server did not give for the last answer acknowledges nothing either.
    fin.ack = "0123456789abcdef0123456789abcdef";
    Json guessed = fin.request(40);
    REQUIRE(idsOf(guessed["ops"]) == idsOf(lost["ops"]));

    fin.apply(guessed);
    std::vector<Json> received(guessed["ops"].begin(), guessed["ops"].end());
    for (Json& op : fin.pullUntilCurrent(40)) received.push_back(std::move(op));
    // Every page acknowledged was sent once, and the plan is whole.
    std::set<std::string> unique, planOps;
    for (const Json& op : received) REQUIRE(unique.insert(opId(op)).second);
    for (const Json& op : received)
        if (op["type"] != "department" && op["type"] != "member") planOps.insert(opId(op));
    REQUIRE(planOps == planOpIds(h));
    REQUIRE(Merged(received).get(d.plan, "title") == "Q3 新品推广");
    // Once acknowledged, nothing comes again and no answer carries a token.
    Json after = fin.request();
    REQUIRE(after["ops"].empty());
    REQUIRE_FALSE(after.contains("ack"));
}

TEST_CASE("acks: a lost revocation is announced again until acknowledged, then never again", "[service][acks]") {
    ServiceHarness h;
    const auto& d = h.demo();
    AckClient fin(h, "fin.head");
    fin.catchUp();
    const std::string adminSite = newSite();
    moveTo(h, adminSite, 1, "fin.head", "SALES");
    REQUIRE(Merged(fin.pullUntilCurrent()).get(d.plan, "title") == "Q3 新品推广");
    fin.catchUp();  // the last page acknowledged: the next answer carries no token

    moveTo(h, adminSite, 2, "fin.head", "FIN");
    Json lost = fin.request();
    REQUIRE(lost["revoked"] == Json::array({d.plan}));
    REQUIRE(lost["ack"].is_string());
    // Lost: the client never applied it, and sends what it held before ("").
    Json again = fin.request();
    REQUIRE(again["revoked"] == Json::array({d.plan}));
    REQUIRE(again["ack"].is_string());
    for (const Json& op : again["ops"]) REQUIRE(op["entity"] != d.plan);
    fin.apply(again);
    Json after = fin.request();
    REQUIRE_FALSE(after.contains("revoked"));
    REQUIRE_FALSE(after.contains("ack"));
    fin.apply(after);
    Json later = fin.request();
    REQUIRE_FALSE(later.contains("revoked"));
}

TEST_CASE("acks: a plan regained before its revocation was acknowledged comes back whole, not revoked",
          "[service][acks]") {
    ServiceHarness h;
    const auto& d = h.demo();
    AckClient fin(h, "fin.head");
    fin.catchUp();
    const std::string adminSite = newSite();
    moveTo(h, adminSite, 1, "fin.head", "SALES");
    fin.catchUp();
    moveTo(h, adminSite, 2, "fin.head", "FIN");
    Json lost = fin.request();
    REQUIRE(lost["revoked"] == Json::array({d.plan}));
    moveTo(h, adminSite, 3, "fin.head", "SALES");  // back before the notice arrived

    const std::int64_t cursor = fin.cursor;
    Json first = fin.request();
    REQUIRE_FALSE(first.contains("revoked"));
    REQUIRE(backfillOps(first, cursor) > 0);
    fin.apply(first);
    std::vector<Json> received(first["ops"].begin(), first["ops"].end());
    for (Json& op : fin.pullUntilCurrent()) received.push_back(std::move(op));
    std::set<std::string> planOps;
    for (const Json& op : received)
        if (op["type"] != "department" && op["type"] != "member") planOps.insert(opId(op));
    REQUIRE(planOps == planOpIds(h));
}

TEST_CASE("acks: a client that never sends ack gets progress recorded at once and revoked announced once",
          "[service][acks]") {
    ServiceHarness h;
    const auto& d = h.demo();
    const std::string site = newSite();
    auto request = [&](std::int64_t from) {
        return h.sync("fin.head", {{"site", site}, {"cursor", from}, {"ops", Json::array()}, {"limit", 40}});
    };
    // Caught up, so the cursor is the head (see AckClient::catchUp).
    const std::int64_t cursor = request(h.pull("fin.head", site).cursor)["cursor"];
    const std::string adminSite = newSite();
    moveTo(h, adminSite, 1, "fin.head", "SALES");

    Json lost = request(cursor);
    REQUIRE_FALSE(lost.contains("ack"));
    REQUIRE(backfillOps(lost, cursor) == 40);
    // As in 0.1: the page counts as delivered when built, so the next request from the
    // same cursor goes on with the next page.
    Json next = request(cursor);
    REQUIRE_FALSE(next.contains("ack"));
    REQUIRE(backfillOps(next, cursor) > 0);
    const auto lostIds = idsOf(lost["ops"]);
    for (const std::string& id : idsOf(next["ops"]))
        REQUIRE(std::find(lostIds.begin(), lostIds.end(), id) == lostIds.end());
    const std::int64_t current = h.pull("fin.head", site, cursor).cursor;

    moveTo(h, adminSite, 2, "fin.head", "FIN");
    Json revoked = request(current);
    REQUIRE(revoked["revoked"] == Json::array({d.plan}));
    REQUIRE_FALSE(revoked.contains("ack"));
    Json once = request(current);
    REQUIRE_FALSE(once.contains("revoked"));
}

TEST_CASE("acks: a server database from before acks gains the table in place and keeps working", "[service][acks]") {
    if (tandem::test::skippedOnPostgres("it edits the SQLite file of an older server")) return;
    ServiceHarness h;
    const auto& d = h.demo();
    AckClient fin(h, "fin.head");
    fin.catchUp();
    const std::string adminSite = newSite();
    moveTo(h, adminSite, 1, "fin.head", "SALES");
    fin.catchUp();
    h.close();
    {
        auto db = core::Database::open(h.dir() + "/tandem.db", core::Database::Mode::ReadWrite);
        REQUIRE(db);
        // Such a database also predates the server tables' schema version.
        REQUIRE((*db)->exec("DROP TABLE srv_pending_ack; DROP TABLE srv_schema"));
    }
    h.open();
    moveTo(h, adminSite, 2, "fin.head", "FIN");
    Json lost = fin.request();
    REQUIRE(lost["revoked"] == Json::array({d.plan}));
    Json again = fin.request();
    REQUIRE(again["revoked"] == Json::array({d.plan}));
}
