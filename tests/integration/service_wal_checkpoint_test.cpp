// The server's background WAL checkpoint (storage/wal_checkpointer.h) on a real SQLite
// file: it keeps the WAL from growing, falls back to the committing thread when the
// background cannot keep up, and unhooks cleanly.

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "service_test_support.h"
#include "storage/wal_checkpointer.h"
#include "tandem/core/sqlite.h"

using namespace tandem;
using tandem::test::ServiceTempDir;

namespace {

struct WalFile {
    ServiceTempDir dir;
    std::string path = dir.path() + "/wal.db";
    std::unique_ptr<core::Database> db;

    WalFile() {
        auto opened = core::Database::open(path, core::Database::Mode::ReadWriteCreate);
        REQUIRE(opened);
        db = std::move(*opened);
        REQUIRE(db->exec("PRAGMA journal_mode=WAL; CREATE TABLE t(x BLOB)"));
    }
    /// One commit of `pages` pages or so (4 KiB rows).
    void commit(int pages = 3) {
        REQUIRE(db->exec("BEGIN IMMEDIATE"));
        for (int i = 0; i < pages; ++i) REQUIRE(db->exec("INSERT INTO t VALUES(randomblob(3900))"));
        REQUIRE(db->exec("COMMIT"));
    }
    std::uintmax_t walPages() const {
        std::error_code ec;
        const auto bytes = std::filesystem::file_size(path + "-wal", ec);
        return ec ? 0 : bytes / 4096;
    }
    std::int64_t rows() {
        auto st = db->prepare("SELECT count(*) FROM t");
        REQUIRE(st);
        auto row = (*st)->step();
        REQUIRE(row);
        const std::int64_t n = (*st)->getInt(0);
        (*st)->reset();
        return n;
    }
};

bool waitFor(const std::function<bool()>& condition) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!condition()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

}  // namespace

TEST_CASE("wal checkpoint: the background thread keeps the WAL from growing") {
    if (tandem::test::skippedOnPostgres("the SQLite WAL")) return;
    WalFile file;
    auto checkpointer = server::WalCheckpointer::start(*file.db, file.path, 30, 1'000'000);
    REQUIRE(checkpointer);
    // 200 commits of ~3 pages: without checkpoints the WAL would hold over 600 pages.
    // Between commits the checkpoint may catch up, as it does between syncs, so the
    // next commit starts the WAL over: it never grows much past 30 pages.
    for (int i = 0; i < 200; ++i) {
        file.commit();
        REQUIRE(waitFor([&] { return !(*checkpointer)->busy(); }));
    }
    CHECK((*checkpointer)->backgroundCount() >= 10);
    CHECK((*checkpointer)->inlineCount() == 0);
    CHECK(file.walPages() < 100);
    checkpointer->reset();
    file.commit();  // unhooked: committing after the checkpointer is gone is safe
    CHECK(file.rows() == 201 * 3);
}

TEST_CASE("wal checkpoint: the committing thread checkpoints once the WAL reaches the limit") {
    if (tandem::test::skippedOnPostgres("the SQLite WAL")) return;
    WalFile file;
    // A background threshold never reached: only the limit acts.
    auto checkpointer = server::WalCheckpointer::start(*file.db, file.path, 1'000'000, 40);
    REQUIRE(checkpointer);
    for (int i = 0; i < 300; ++i) file.commit();
    CHECK((*checkpointer)->inlineCount() > 0);
    CHECK((*checkpointer)->backgroundCount() == 0);
    CHECK(file.walPages() < 200);
    CHECK(file.rows() == 900);
}

TEST_CASE("wal checkpoint: a database that is not in WAL mode is refused") {
    if (tandem::test::skippedOnPostgres("the SQLite WAL")) return;
    ServiceTempDir dir;
    const std::string path = dir.path() + "/rollback.db";
    auto db = core::Database::open(path, core::Database::Mode::ReadWriteCreate);
    REQUIRE(db);
    REQUIRE((*db)->exec("CREATE TABLE t(x)"));
    auto checkpointer = server::WalCheckpointer::start(**db, path, 10, 100);
    REQUIRE_FALSE(checkpointer);
    CHECK(checkpointer.error().message.find("not in WAL mode") != std::string::npos);
}
