// The server tables' schema versions (storage/sqlite_server_store.h): recorded on a new
// database, applied in place to one from before versions, and a database written by a
// newer build refused with both versions named, untouched.

#include "service_test_support.h"
#include "storage/sqlite_server_store.h"
#include "tandem/core/sqlite.h"

using namespace tandem;
using tandem::test::ServiceTempDir;

namespace {

server::SyncApiOptions quickOptions() {
    server::SyncApiOptions options;
    options.durable = false;
    options.passwordIterations = 1000;
    return options;
}

std::unique_ptr<core::Database> openFile(const ServiceTempDir& dir) {
    auto db = core::Database::open(dir.path() + "/tandem.db", core::Database::Mode::ReadWrite);
    REQUIRE(db);
    return std::move(*db);
}

std::int64_t queryInt(core::Database& db, const std::string& sql) {
    auto st = db.prepare(sql);
    REQUIRE(st);
    auto row = (*st)->step();
    REQUIRE(row);
    REQUIRE(*row);
    const std::int64_t value = (*st)->getInt(0);
    (*st)->reset();
    return value;
}

/// A database with one account (and its audit entry), closed again.
void makeDatabase(const ServiceTempDir& dir) {
    auto api = server::SyncApi::open(dir.path(), quickOptions());
    REQUIRE(api);
    server::NewUser user;
    user.username = "ana";
    user.password = "correct horse";
    REQUIRE((*api)->addUser(user));
}

}  // namespace

TEST_CASE("schema: a new server database records this build's schema version", "[service][schema]") {
    if (tandem::test::skippedOnPostgres(
            "the SQLite schema version; PostgreSQL migrations are tested in server_pg_tests"))
        return;
    ServiceTempDir dir;
    makeDatabase(dir);
    auto db = openFile(dir);
    CHECK(queryInt(*db, "SELECT version FROM srv_schema WHERE id = 1") == server::SqliteServerStore::kSchemaVersion);
    CHECK(queryInt(*db, "SELECT count(*) FROM srv_account") == 1);
}

TEST_CASE("schema: a database from before schema versions is brought to the current one in place",
          "[service][schema]") {
    if (tandem::test::skippedOnPostgres(
            "the SQLite schema version; PostgreSQL migrations are tested in server_pg_tests"))
        return;
    ServiceTempDir dir;
    makeDatabase(dir);
    REQUIRE(openFile(dir)->exec("DROP TABLE srv_schema"));

    auto api = server::SyncApi::open(dir.path(), quickOptions());
    REQUIRE(api);
    auto verdict = (*api)->verifyAudit();
    REQUIRE(verdict);
    CHECK(verdict->ok);
    api->reset();
    auto db = openFile(dir);
    CHECK(queryInt(*db, "SELECT version FROM srv_schema WHERE id = 1") == server::SqliteServerStore::kSchemaVersion);
    CHECK(queryInt(*db, "SELECT count(*) FROM srv_account") == 1);
}

TEST_CASE("schema: a database written by a newer server is refused with both versions named and left untouched",
          "[service][schema]") {
    if (tandem::test::skippedOnPostgres(
            "the SQLite schema version; PostgreSQL migrations are tested in server_pg_tests"))
        return;
    ServiceTempDir dir;
    makeDatabase(dir);
    const std::int64_t newer = server::SqliteServerStore::kSchemaVersion + 1;
    REQUIRE(openFile(dir)->exec("UPDATE srv_schema SET version = " + std::to_string(newer)));

    auto api = server::SyncApi::open(dir.path(), quickOptions());
    REQUIRE_FALSE(api);
    CHECK(api.error().code == "newer_version");
    INFO(api.error().message);
    CHECK(api.error().message.find("version " + std::to_string(newer)) != std::string::npos);
    CHECK(api.error().message.find("(" + std::to_string(server::SqliteServerStore::kSchemaVersion) + ")") !=
          std::string::npos);
    auto db = openFile(dir);
    CHECK(queryInt(*db, "SELECT version FROM srv_schema WHERE id = 1") == newer);
    CHECK(queryInt(*db, "SELECT count(*) FROM srv_account") == 1);
}
