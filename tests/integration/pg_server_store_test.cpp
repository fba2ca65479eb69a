// PgServerStore against a real PostgreSQL 15 (one throw-away cluster for the whole
// executable, tests/support/pg_cluster.h), with SqliteServerStore held to the same
// expectations where the two must agree.

#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <random>
#include <thread>

#include "pg_shared_cluster.h"
#include "storage/pg/pg_connection.h"
#include "storage/pg/pg_server_store.h"
#include "storage/sqlite_server_store.h"
#include "tandem/core/sqlite.h"

using namespace tandem;
using server::pg::PgConnection;

namespace {

test::PgCluster& cluster() {
    return test::sharedCluster();
}

std::string freshDatabase() {
    return test::freshPgDatabase("store");
}

std::unique_ptr<PgConnection> connect(const std::string& url) {
    auto db = PgConnection::open(url);
    REQUIRE(db);
    return std::move(*db);
}

core::EntityId id(std::uint64_t n) {
    return core::EntityId{0xabcd, n};
}

/// What every ServerStore must read back as it was written.
void roundTrip(server::ServerStore& store) {
    REQUIRE(store.migrate());
    // accounts
    REQUIRE(store.insertAccount({id(1), "ana", "hash-1", false}));
    auto byName = store.accountByUsername("ana");
    REQUIRE(byName);
    REQUIRE(*byName);
    CHECK((*byName)->member == id(1));
    CHECK((*byName)->passwordHash == "hash-1");
    CHECK_FALSE((*byName)->disabled);
    REQUIRE(store.setPasswordHash(id(1), "hash-2"));
    REQUIRE(store.setDisabled(id(1), true));
    auto byMember = store.accountByMember(id(1));
    REQUIRE(byMember);
    REQUIRE(*byMember);
    CHECK((*byMember)->passwordHash == "hash-2");
    CHECK((*byMember)->disabled);
    auto taken = store.insertAccount({id(2), "ana", "hash", false});
    CHECK_FALSE(taken);
    auto nobody = store.accountByUsername("bo");
    REQUIRE(nobody);
    CHECK_FALSE(*nobody);

    // sessions
    REQUIRE(store.insertSession("tok", id(1), 10, 20));
    auto session = store.session("tok");
    REQUIRE(session);
    REQUIRE(*session);
    CHECK((*session)->member == id(1));
    CHECK((*session)->expiresMs == 20);
    REQUIRE(store.deleteSessionsOf(id(1)));
    session = store.session("tok");
    REQUIRE(session);
    CHECK_FALSE(*session);

    // sites, backfills, pending acks
    const core::SiteId site{0x1234};
    server::SiteRecord record{site, id(1), id(2), 100, 90, "reader-key", 7};
    REQUIRE(store.upsertSite(record));
    record.lastSync = 200;
    REQUIRE(store.upsertSite(record));
    auto stored = store.site(site);
    REQUIRE(stored);
    REQUIRE(*stored);
    CHECK((*stored)->member == id(1));
    CHECK((*stored)->lastMember == id(2));
    CHECK((*stored)->lastSync == 200);
    CHECK((*stored)->reader == "reader-key");
    CHECK((*stored)->accessSeq == 7);
    auto all = store.sites();
    REQUIRE(all);
    CHECK(all->size() == 1);
    REQUIRE(store.setBackfill(site, id(3), {50, 10}));
    REQUIRE(store.setBackfill(site, id(3), {50, 20}));
    REQUIRE(store.setBackfill(site, id(4), {60, 0}));
    REQUIRE(store.deleteBackfill(site, id(4)));
    auto backfills = store.backfills(site);
    REQUIRE(backfills);
    REQUIRE(backfills->size() == 1);
    CHECK(backfills->at(id(3)).done == 20);
    server::PendingAck pending{"ack-1", {{id(3), {50, 50}}}, {id(5)}};
    REQUIRE(store.setPendingAck(site, pending));
    auto ack = store.pendingAck(site);
    REQUIRE(ack);
    REQUIRE(*ack);
    CHECK((*ack)->token == "ack-1");
    CHECK((*ack)->backfills.at(id(3)).done == 50);
    CHECK((*ack)->revoked == std::vector<core::EntityId>{id(5)});
    REQUIRE(store.deletePendingAck(site));
    ack = store.pendingAck(site);
    REQUIRE(ack);
    CHECK_FALSE(*ack);

    // failed logins: the windows of both keys after a time, read with the account, and
    // pruned by the next failure
    auto login = store.loginRecord("ana", "u:ana", "a:10.0.0.1", 0);
    REQUIRE(login);
    REQUIRE(login->account);
    CHECK(login->account->member == id(1));
    CHECK(login->account->disabled);
    CHECK(login->byUsername.count == 0);
    CHECK(login->byAddress.oldestMs == 0);
    REQUIRE(store.recordLoginFailure("u:ana", "a:10.0.0.1", 100, 0));
    REQUIRE(store.recordLoginFailure("u:bob", "a:10.0.0.1", 200, 0));
    REQUIRE(store.recordLoginFailure("u:ana", "a:10.0.0.2", 300, 0));
    login = store.loginRecord("ana", "u:ana", "a:10.0.0.1", 0);
    REQUIRE(login);
    CHECK(login->byUsername.count == 2);
    CHECK(login->byUsername.oldestMs == 100);
    CHECK(login->byAddress.count == 2);
    CHECK(login->byAddress.oldestMs == 100);
    login = store.loginRecord("nobody", "u:ana", "a:10.0.0.1", 150);
    REQUIRE(login);
    CHECK_FALSE(login->account);
    CHECK(login->byUsername.count == 1);
    CHECK(login->byUsername.oldestMs == 300);
    CHECK(login->byAddress.count == 1);
    CHECK(login->byAddress.oldestMs == 200);
    REQUIRE(store.recordLoginFailure("u:ana", "a:10.0.0.1", 400, 250));
    login = store.loginRecord("ana", "u:ana", "a:10.0.0.1", 0);
    REQUIRE(login);
    CHECK(login->byUsername.count == 2);
    CHECK(login->byUsername.oldestMs == 300);
    CHECK(login->byAddress.count == 1);
    CHECK(login->byAddress.oldestMs == 400);

    // access changes, counters
    REQUIRE(store.appendAccessChange({5, id(3), "before-a"}));
    REQUIRE(store.appendAccessChange({3, id(4), "before-b"}));
    auto changes = store.accessChanges(0);
    REQUIRE(changes);
    REQUIRE(changes->size() == 2);
    CHECK((*changes)[0].seq == 5);  // in the order appended
    CHECK((*changes)[1].before == "before-b");
    auto unset = store.counter("nothing");
    REQUIRE(unset);
    CHECK(*unset == 0);
    REQUIRE(store.setCounter("seq", 41));
    REQUIRE(store.setCounter("seq", 42));
    auto seq = store.counter("seq");
    REQUIRE(seq);
    CHECK(*seq == 42);

    // the audit log and its head
    auto head = store.auditHead();
    REQUIRE(head);
    CHECK(head->first == 0);
    CHECK(head->second == core::kAuditGenesis);
    for (int i = 1; i <= 3; ++i) {
        server::StoredAuditEntry e;
        e.entry.seq = i;
        e.entry.time = 1000 + i;
        e.entry.actor = i == 1 ? std::nullopt : std::optional<std::string>(id(1).hex());
        e.entry.action = "account";
        e.entry.details = core::Json{{"n", i}, {"text", "数据"}};
        e.entry.prevHash = "prev" + std::to_string(i);
        e.entry.hash = "hash" + std::to_string(i);
        if (i != 2) e.plan = id(3);
        REQUIRE(store.appendAudit(e));
        REQUIRE(store.setAuditHead(i, e.entry.hash));
    }
    auto after = store.auditAfter(1, 10);
    REQUIRE(after);
    REQUIRE(after->size() == 2);
    CHECK((*after)[0].entry.seq == 2);
    CHECK((*after)[0].entry.details == core::Json{{"n", 2}, {"text", "数据"}});
    CHECK_FALSE((*after)[0].plan);
    auto ofPlan = store.auditOfPlan(id(3), 0, 10);
    REQUIRE(ofPlan);
    REQUIRE(ofPlan->size() == 2);
    CHECK_FALSE((*ofPlan)[0].entry.actor);
    CHECK((*ofPlan)[1].entry.seq == 3);
    head = store.auditHead();
    REQUIRE(head);
    CHECK(head->first == 3);
    CHECK(head->second == "hash3");
    auto bytes = store.databaseBytes();
    REQUIRE(bytes);
    CHECK(*bytes > 0);
}

}  // namespace

TEST_CASE("pg store: every table reads back what was written, as the SQLite store does", "[pg][store]") {
    SECTION("PostgreSQL") {
        const std::string url = freshDatabase();
        auto db = connect(url);
        server::PgServerStore store(*db, url);
        roundTrip(store);
    }
    SECTION("SQLite") {
        const auto dir =
            std::filesystem::temp_directory_path() / ("tandem-store-" + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(dir);
        const std::string path = (dir / "tandem.db").string();
        {
            auto db = core::Database::open(path, core::Database::Mode::ReadWriteCreate);
            REQUIRE(db);
            REQUIRE((*db)->exec("PRAGMA journal_mode=WAL"));
            server::SqliteServerStore store(**db, path);
            roundTrip(store);
        }
        std::filesystem::remove_all(dir);
    }
}

TEST_CASE("pg store: migrations run once; instances starting together each find the schema whole",
          "[pg][store][schema]") {
    const std::string url = freshDatabase();
    std::vector<std::thread> starters;
    std::vector<core::Status> outcomes(4);
    for (std::size_t i = 0; i < outcomes.size(); ++i)
        starters.emplace_back([&, i] {
            auto db = PgConnection::open(url);
            if (!db) {
                outcomes[i] = db.error();
                return;
            }
            server::PgServerStore store(**db, url);
            outcomes[i] = store.migrate();
        });
    for (auto& t : starters) t.join();
    for (const auto& outcome : outcomes) {
        INFO((outcome ? std::string("ok") : outcome.error().message));
        CHECK(outcome);
    }
    CHECK(cluster().psql("SELECT version FROM srv_schema", url.substr(url.rfind('/') + 1)) ==
          std::to_string(server::PgServerStore::schemaVersion()));
}

TEST_CASE("pg store: a database at a newer schema version is refused with both versions named and left untouched",
          "[pg][store][schema]") {
    const std::string url = freshDatabase();
    const std::string name = url.substr(url.rfind('/') + 1);
    auto db = connect(url);
    {
        server::PgServerStore store(*db, url);
        REQUIRE(store.migrate());
        REQUIRE(store.insertAccount({id(1), "ana", "hash", false}));
    }
    const std::int64_t newer = server::PgServerStore::schemaVersion() + 1;
    cluster().psql("UPDATE srv_schema SET version = " + std::to_string(newer), name);
    server::PgServerStore store(*db, url);
    auto refused = store.migrate();
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == "newer_version");
    INFO(refused.error().message);
    CHECK(refused.error().message.find("version " + std::to_string(newer)) != std::string::npos);
    CHECK(refused.error().message.find("(" + std::to_string(server::PgServerStore::schemaVersion()) + ")") !=
          std::string::npos);
    CHECK(cluster().psql("SELECT version FROM srv_schema", name) == std::to_string(newer));
    CHECK(cluster().psql("SELECT count(*) FROM srv_account", name) == "1");
    // The connection is usable after the refusal (its transaction was rolled back).
    auto account = store.accountByUsername("ana");
    REQUIRE(account);
    CHECK(*account);
}

TEST_CASE("pg store: the accounts version and the seq head show another instance's commits, not our own",
          "[pg][store]") {
    const std::string url = freshDatabase();
    auto dbA = connect(url);
    auto dbB = connect(url);
    server::PgServerStore a(*dbA, url);
    server::PgServerStore b(*dbB, url);
    REQUIRE(a.migrate());
    REQUIRE(b.migrate());

    auto first = a.changedElsewhere();
    REQUIRE(first);
    CHECK_FALSE(*first);  // the first call says false
    REQUIRE(a.setCounter("seq", 10));
    auto own = a.changedElsewhere();
    REQUIRE(own);
    CHECK_FALSE(*own);  // our own write
    REQUIRE(b.setCounter("seq", 11));
    auto other = a.changedElsewhere();
    REQUIRE(other);
    CHECK(*other);
    auto settled = a.changedElsewhere();
    REQUIRE(settled);
    CHECK_FALSE(*settled);

    auto before = a.accountsVersion();
    REQUIRE(before);
    REQUIRE(b.bumpAccountsVersion());
    REQUIRE(b.bumpAccountsVersion());
    auto after = a.accountsVersion();
    REQUIRE(after);
    CHECK(*after == *before + 2);
}

TEST_CASE("pg store: a server that is away is unavailable, and the connection comes back with it",
          "[pg][store][restart]") {
    const std::string url = freshDatabase();
    auto db = connect(url);
    server::PgServerStore store(*db, url);
    REQUIRE(store.migrate());
    cluster().stop();
    auto away = store.counter("seq");
    cluster().start();
    REQUIRE_FALSE(away);
    CHECK(away.error().code == "unavailable");
    INFO(away.error().message);
    CHECK_FALSE(db->ok());
    REQUIRE(db->reset());
    auto back = store.counter("seq");
    REQUIRE(back);
    CHECK(*back == 0);
}

TEST_CASE("pg connection: statements have a time limit by default, a URL may set its own, and a timeout is "
          "unavailable",
          "[pg][store]") {
    const std::string url = test::freshPgDatabase("timeouts");
    {
        auto db = PgConnection::open(url);
        REQUIRE(db);
        auto shown = (*db)->exec("SHOW statement_timeout");
        REQUIRE(shown);
        CHECK(shown->text(0, 0) == "1min");
        auto idle = (*db)->exec("SHOW idle_in_transaction_session_timeout");
        REQUIRE(idle);
        CHECK(idle->text(0, 0) == "2min");
    }
    // The URL's own options win; a statement over the limit is `unavailable` (503 upstream),
    // and the connection serves the next one.
    const std::string sep = url.find('?') == std::string::npos ? "?" : "&";
    auto db = PgConnection::open(url + sep + "options=-c%20statement_timeout%3D200");
    REQUIRE(db);
    const auto t0 = std::chrono::steady_clock::now();
    auto slow = (*db)->exec("SELECT pg_sleep(5)");
    REQUIRE_FALSE(slow);
    CHECK(slow.error().code == "unavailable");
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3));
    auto next = (*db)->exec("SELECT 1");
    REQUIRE(next);
    CHECK(next->text(0, 0) == "1");
}
