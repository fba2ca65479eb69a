#include <catch2/catch.hpp>

#include <string>

#include "tandem/core/sqlite.h"
#include "test_support.h"

using namespace tandem::core;
using tandem::test::TempDir;

namespace {
std::unique_ptr<Database> openDb(const std::string& path) {
    auto db = Database::open(path, Database::Mode::ReadWriteCreate);
    REQUIRE(db.ok());
    return std::move(db).value();
}

std::int64_t countRows(Database& db) {
    auto st = db.prepare("SELECT count(*) FROM t");
    REQUIRE(st.ok());
    auto row = st.value()->reset().step();
    REQUIRE(row.ok());
    REQUIRE(row.value());
    return st.value()->getInt(0);
}
}  // namespace

TEST_CASE("sqlite: statements bind and read every column kind", "[sqlite]") {
    TempDir dir;
    auto db = openDb(dir.file("a.db"));
    REQUIRE(db->exec("CREATE TABLE t(i INTEGER, s TEXT, b BLOB, n)").ok());
    auto ins = db->prepare("INSERT INTO t VALUES(?1, ?2, ?3, ?4)");
    REQUIRE(ins.ok());
    const unsigned char blob[3] = {0, 0xff, 7};
    REQUIRE(ins.value()->reset().bind(1, std::int64_t{-42}).bind(2, std::string_view("\xe4\xb8\xad")).bindBlob(3, blob, 3).bindNull(4).run().ok());
    CHECK(db->changes() == 1);
    CHECK(db->lastInsertRowid() == 1);

    auto sel = db->prepare("SELECT i, s, b, n FROM t");
    REQUIRE(sel.ok());
    Statement* st = sel.value();
    auto row = st->reset().step();
    REQUIRE(row.ok());
    REQUIRE(row.value());
    CHECK(st->getInt(0) == -42);
    CHECK(st->getText(1) == "\xe4\xb8\xad");
    CHECK(st->getTextView(1) == "\xe4\xb8\xad");
    auto b = st->getBlob(2);
    REQUIRE(b.size() == 3);
    CHECK(b[1] == 0xff);
    CHECK(st->isNull(3));
    CHECK_FALSE(st->isNull(0));
    auto done = st->step();
    REQUIRE(done.ok());
    CHECK_FALSE(done.value());
}

TEST_CASE("sqlite: prepare caches statements by SQL text", "[sqlite]") {
    auto db = openDb(":memory:");
    auto a = db->prepare("SELECT 1");
    auto b = db->prepare("SELECT 1");
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a.value() == b.value());
}

TEST_CASE("sqlite: failures come back as results with mapped codes", "[sqlite]") {
    TempDir dir;
    auto db = openDb(dir.file("a.db"));
    auto bad = db->prepare("SELEKT nonsense");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == "sqlite");
    REQUIRE(db->exec("CREATE TABLE t(k INTEGER PRIMARY KEY)").ok());
    REQUIRE(db->exec("INSERT INTO t VALUES(1)").ok());
    auto dup = db->exec("INSERT INTO t VALUES(1)");
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.error().code == "constraint");
    auto ins = db->prepare("INSERT INTO t VALUES(?1)");
    REQUIRE(ins.ok());
    auto run = ins.value()->reset().bind(1, std::int64_t{1}).run();
    REQUIRE_FALSE(run.ok());
    CHECK(run.error().code == "constraint");

    auto missing = Database::open(dir.file("missing.db"), Database::Mode::ReadWrite);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == "cant_open");

    tandem::test::writeFile(dir.file("garbage.db"), std::string(4096, 'x'));
    auto garbage = Database::open(dir.file("garbage.db"), Database::Mode::ReadWrite);
    Status probe = garbage.ok() ? garbage.value()->exec("SELECT * FROM sqlite_master") : Status(garbage.error());
    REQUIRE_FALSE(probe.ok());
    CHECK(probe.error().code == "not_a_database");
}

TEST_CASE("sqlite: a transaction rolls back unless committed", "[sqlite]") {
    TempDir dir;
    auto db = openDb(dir.file("a.db"));
    REQUIRE(db->exec("CREATE TABLE t(k INTEGER)").ok());
    {
        auto tx = Transaction::begin(*db);
        REQUIRE(tx.ok());
        REQUIRE(db->exec("INSERT INTO t VALUES(1)").ok());
    }
    CHECK(countRows(*db) == 0);
    {
        auto tx = Transaction::begin(*db);
        REQUIRE(tx.ok());
        REQUIRE(db->exec("INSERT INTO t VALUES(1)").ok());
        REQUIRE(tx.value().commit().ok());
    }
    CHECK(countRows(*db) == 1);
    {
        auto tx = Transaction::begin(*db);
        REQUIRE(tx.ok());
        Transaction moved(std::move(tx.value()));
        REQUIRE(db->exec("INSERT INTO t VALUES(2)").ok());
        REQUIRE(moved.commit().ok());
    }  // the moved-from transaction must not roll back the committed one
    CHECK(countRows(*db) == 2);
}

TEST_CASE("sqlite: a second writer gets busy, not a hang", "[sqlite]") {
    TempDir dir;
    auto a = openDb(dir.file("a.db"));
    REQUIRE(a->exec("CREATE TABLE t(k INTEGER)").ok());
    auto b = openDb(dir.file("a.db"));
    auto txA = Transaction::begin(*a);
    REQUIRE(txA.ok());
    auto txB = Transaction::begin(*b);
    REQUIRE_FALSE(txB.ok());
    CHECK(txB.error().code == "busy");
}
