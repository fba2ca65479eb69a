#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tandem/core/canonical_json.h"
#include "tandem/core/replica.h"
#include "tandem/core/schema.h"
#include "tandem/core/signable.h"
#include "test_support.h"

using namespace tandem::core;
using tandem::test::entityId;
using tandem::test::fastOptions;
using tandem::test::makeOp;
using tandem::test::ManualClock;
using tandem::test::readFile;
using tandem::test::TempDir;

namespace {

constexpr std::uint64_t kT = 1'700'000'000'000;  // the tests' "now"

std::unique_ptr<Replica> openReplica(const std::string& path, ReplicaOptions options) {
    auto r = Replica::open(path, std::move(options));
    INFO("open " << path << ": " << (r.ok() ? std::string("ok") : r.error().code + " " + r.error().message));
    REQUIRE(r.ok());
    return std::move(r).value();
}

std::string dumpOf(Replica& r) {
    auto d = r.dump();
    INFO((d.ok() ? std::string() : d.error().code + " " + d.error().message));
    REQUIRE(d.ok());
    return d.value();
}

std::vector<ApplyOutcome> applyOps(Replica& r, const std::vector<Op>& ops) {
    auto out = r.applyRemote(ops);
    INFO((out.ok() ? std::string() : out.error().code + " " + out.error().message));
    REQUIRE(out.ok());
    REQUIRE(out->size() == ops.size());
    return out.value();
}

Json valueOf(Replica& r, const EntityId& id, const std::string& field) {
    auto f = r.field(id, field);
    REQUIRE(f.ok());
    return f->has_value() ? f->value().value : Json();
}

Entity entityOf(Replica& r, const EntityId& id) {
    auto e = r.entity(id);
    REQUIRE(e.ok());
    REQUIRE(e->has_value());
    return **e;
}

std::vector<HistoryEntry> historyOf(Replica& r, const EntityId& id, const std::string& field) {
    auto h = r.history(id, field);
    REQUIRE(h.ok());
    return h.value();
}

std::int64_t pending(Replica& r) {
    auto c = r.pendingCount();
    REQUIRE(c.ok());
    return c.value();
}

/// Creates a file with sqlite3 directly (not through tandem_store): another app's database.
void makeForeignSqlite(const std::string& path) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);"
                             "INSERT INTO notes(body) VALUES('shopping list'),('meeting notes');",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_close(db) == SQLITE_OK);
}

/// A server's op log: two plans, a department, a task of the second plan (its `plan`
/// field comes after its name), and a late write to P1's title that loses.
struct ServerLog {
    EntityId p1 = entityId(1), p2 = entityId(2), dept = entityId(3), task = entityId(4);
    std::vector<Op> ops = {makeOp(0x11, 1, p1, "plan", "title", "P1", kT), makeOp(0x11, 2, p2, "plan", "title", "P2", kT + 1),
                           makeOp(0x11, 3, dept, "department", "name", "MKT", kT + 2),
                           makeOp(0x11, 4, p1, "plan", "title", "P1 renamed", kT + 3),
                           makeOp(0x11, 5, task, "task", "name", "T", kT + 4),
                           makeOp(0x11, 6, task, "task", "plan", p2.hex(), kT + 5),
                           makeOp(0x11, 7, p1, "plan", "title", "P1 loser", kT - 10)};
};

/// Stores the log as a server does: seq 1, 2, … and an author, in one batch. Returns,
/// per op, whether it became its field's value.
std::vector<bool> applySequenced(Replica& r, const ServerLog& log) {
    auto batch = r.begin();
    REQUIRE(batch.ok());
    std::vector<bool> won;
    std::int64_t seq = 0;
    for (Op op : log.ops) {
        op.seq = ++seq;
        op.author = EntityId{0, 0xabc};
        bool w = false;
        auto o = batch->apply(op, op.entity == log.task ? std::optional<EntityId>(log.p2) : std::nullopt, &w);
        REQUIRE(o.ok());
        REQUIRE(o.value() == ApplyOutcome::Applied);
        won.push_back(w);
    }
    REQUIRE(batch->commit().ok());
    return won;
}

}  // namespace

// ---- opening ---------------------------------------------------------------------

TEST_CASE("replica: creates a new file and reopens it with its data, site and counter", "[replica]") {
    TempDir dir;
    ManualClock clock;
    ReplicaOptions options;
    options.wall = clock.wall();
    options.random = seededRandom(11);
    const std::string path = dir.file("replica.db");
    const EntityId plan = entityId(1);
    SiteId site;
    Hlc firstStamp;
    {
        auto r = openReplica(path, options);
        site = r->site();
        CHECK(site.value != 0);
        auto op = r->write(plan, "plan", "title", "Q3 \xe6\x96\xb0\xe5\x93\x81\xe6\x8e\xa8\xe5\xb9\xbf");
        REQUIRE(op.ok());
        CHECK(op->n == 1);
        CHECK(op->site == site);
        firstStamp = op->hlc;
        REQUIRE(r->setMeta("server", "http://127.0.0.1:8080").ok());
    }
    CHECK(std::filesystem::exists(path));
    ReplicaOptions again;
    again.wall = clock.wall();
    again.random = seededRandom(99);  // another seed: the site must come from the file
    auto r = openReplica(path, again);
    CHECK(r->site() == site);
    CHECK(valueOf(*r, plan, "title") == "Q3 \xe6\x96\xb0\xe5\x93\x81\xe6\x8e\xa8\xe5\xb9\xbf");
    CHECK(pending(*r) == 1);
    auto meta = r->meta("server");
    REQUIRE(meta.ok());
    CHECK(meta.value() == std::optional<std::string>("http://127.0.0.1:8080"));
    auto missing = r->meta("nothing");
    REQUIRE(missing.ok());
    CHECK_FALSE(missing->has_value());
    auto next = r->write(plan, "plan", "title", "again");
    REQUIRE(next.ok());
    CHECK(next->n == 2);  // the per-site counter survives a reopen
    CHECK(next->hlc > firstStamp);
}

TEST_CASE("replica: the clock stays monotonic across a reopen with the wall clock set back", "[replica]") {
    TempDir dir;
    ManualClock clock;
    clock.set(kT + 3'600'000);
    const std::string path = dir.file("replica.db");
    Hlc before;
    {
        auto r = openReplica(path, fastOptions(clock, 0xa1));
        auto op = r->write(entityId(1), "plan", "title", "x");
        REQUIRE(op.ok());
        before = op->hlc;
    }
    clock.set(kT);  // the device clock went back an hour
    auto r = openReplica(path, fastOptions(clock, 0xa1));
    auto op = r->write(entityId(1), "plan", "title", "y");
    REQUIRE(op.ok());
    CHECK(op->hlc > before);
    CHECK(valueOf(*r, entityId(1), "title") == "y");
}

TEST_CASE("replica: a non-SQLite file is refused and left byte-identical", "[replica]") {
    TempDir dir;
    const std::string path = dir.file("notes.txt");
    std::string bytes = "This is not a database.\n";
    for (int i = 0; i < 200; ++i) bytes += "line " + std::to_string(i) + " \xe4\xb8\xad\n";
    tandem::test::writeFile(path, bytes);
    auto r = Replica::open(path);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "foreign_file");
    CHECK(readFile(path) == bytes);
    CHECK_FALSE(std::filesystem::exists(path + "-wal"));
    CHECK_FALSE(std::filesystem::exists(path + "-journal"));
}

TEST_CASE("replica: an SQLite file of another app is refused and left byte-identical", "[replica]") {
    TempDir dir;
    const std::string path = dir.file("other-app.db");
    makeForeignSqlite(path);
    const std::string bytes = readFile(path);
    REQUIRE(bytes.size() > 100);
    auto r = Replica::open(path);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "foreign_file");
    CHECK(readFile(path) == bytes);
    CHECK_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST_CASE("replica: an empty SQLite file of another app (no tables, user_version set) is refused", "[replica]") {
    TempDir dir;
    const std::string path = dir.file("other-app.db");
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "PRAGMA user_version=7; CREATE TABLE t(x); DROP TABLE t;", nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_close(db) == SQLITE_OK);
    const std::string bytes = readFile(path);
    auto r = Replica::open(path);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "foreign_file");
    CHECK(readFile(path) == bytes);
}

TEST_CASE("replica: a corrupt replica is refused and left byte-identical", "[replica]") {
    TempDir dir;
    ManualClock clock;
    const std::string path = dir.file("replica.db");
    {
        auto r = openReplica(path, fastOptions(clock, 0xc0));
        for (int i = 0; i < 300; ++i) {
            auto op = r->write(entityId(static_cast<std::uint64_t>(i + 1)), "plan", "background", std::string(200, static_cast<char>('a' + i % 26)));
            REQUIRE(op.ok());
        }
    }
    REQUIRE_FALSE(std::filesystem::exists(path + "-wal"));  // checkpointed on close
    std::string bytes = readFile(path);
    REQUIRE(bytes.size() >= 8 * 4096);
    // Keep page 1 (the header and schema), scribble over every page after it.
    for (std::size_t i = 4096; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 31 + 7) & 0xff);
    tandem::test::writeFile(path, bytes);
    ReplicaOptions options = fastOptions(clock, 0xc0);
    options.checkIntegrity = true;
    auto r = Replica::open(path, options);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "corrupt");
    CHECK(readFile(path) == bytes);
}

TEST_CASE("replica: a replica of a newer schema version is refused and left byte-identical", "[replica]") {
    TempDir dir;
    ManualClock clock;
    const std::string path = dir.file("replica.db");
    {
        auto r = openReplica(path, fastOptions(clock, 0xc1));
        REQUIRE(r->write(entityId(1), "plan", "title", "from the future").ok());
    }
    // A newer Tandem bumped the schema version (SQLite's user_version).
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    const std::string bump = "PRAGMA user_version=" + std::to_string(Replica::kSchemaVersion + 1);
    REQUIRE(sqlite3_exec(db, bump.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_close(db) == SQLITE_OK);
    REQUIRE_FALSE(std::filesystem::exists(path + "-wal"));
    const std::string bytes = readFile(path);
    auto r = Replica::open(path);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "newer_version");
    CHECK(readFile(path) == bytes);
}

TEST_CASE("replica: a schema 1 replica upgrades itself on open and keeps every entity", "[replica]") {
    TempDir dir;
    ManualClock clock;
    const std::string path = dir.file("replica.db");
    std::string before;
    {
        auto r = openReplica(path, fastOptions(clock, 0xc2));
        REQUIRE(r->write(entityId(1), "plan", {{"title", "春季新品上市"}, {"status", "draft"}}).ok());
        REQUIRE(r->write(entityId(2), "task", {{"plan", entityId(1).hex()}, {"name", "渠道铺货"}}).ok());
        REQUIRE(r->write(entityId(3), "department", "name", "销售部").ok());
        before = dumpOf(*r);
    }
    // Schema 1 kept `entities` keyed by the entity id.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "BEGIN; ALTER TABLE entities RENAME TO e2; DROP INDEX entities_type;"
                         "CREATE TABLE entities(entity BLOB PRIMARY KEY, type TEXT NOT NULL, plan BLOB,"
                         " th INTEGER NOT NULL, ts INTEGER NOT NULL, tn INTEGER NOT NULL) WITHOUT ROWID;"
                         "CREATE INDEX entities_type ON entities(type, plan);"
                         "INSERT INTO entities SELECT entity, type, plan, th, ts, tn FROM e2; DROP TABLE e2;"
                         "DROP TABLE write_ends; PRAGMA user_version=1; COMMIT;",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_close(db) == SQLITE_OK);

    auto r = openReplica(path, fastOptions(clock, 0xc2));
    CHECK(dumpOf(*r) == before);
    auto tasks = r->entities("task", entityId(1));
    REQUIRE(tasks.ok());
    REQUIRE(tasks->size() == 1);
    CHECK(tasks->front().get("name") == "渠道铺货");
    REQUIRE(r->write(entityId(4), "task", {{"plan", entityId(1).hex()}, {"name", "门店培训"}}).ok());
    auto task = r->entity(entityId(4));
    REQUIRE(task.ok());
    REQUIRE(*task);
    CHECK((*task)->plan == entityId(1));
    r.reset();

    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT (SELECT user_version FROM pragma_user_version),"
                                   " (SELECT count(*) FROM pragma_table_info('entities') WHERE name = 'id'),"
                                   " (SELECT count(*) FROM sqlite_master WHERE name IN ('e2', 'entities_v1'))",
                               -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_int(st, 0) == Replica::kSchemaVersion);
    CHECK(sqlite3_column_int(st, 1) == 1);
    CHECK(sqlite3_column_int(st, 2) == 0);
    sqlite3_finalize(st);
    REQUIRE(sqlite3_close(db) == SQLITE_OK);
}

TEST_CASE("replica: a push batch never cuts one local write to one entity in two", "[replica]") {
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("replica.db"), fastOptions(clock, 0xc3));
    // Three progress commands: a record of 7 ops (the entry) and one of 1 (its task's
    // percent) each.
    const EntityId plan = entityId(1), task = entityId(2);
    std::uint64_t next = 100;
    auto logThree = [&] {
        for (int i = 0; i < 3; ++i) {
            const Replica::EntityWrite writes[] = {
                {entityId(next++),
                 "progress_entry",
                 {{"plan", plan.hex()}, {"task", task.hex()}, {"author", entityId(9).hex()}, {"percent", 10 * i},
                  {"note", "n"}, {"next_step", "x"}, {"reported_at", 1000 + i}}},
                {task, "task", {{"percent", 10 * i}}}};
            REQUIRE(r->write(writes).ok());
        }
    };
    auto sizes = [&](std::size_t limit) {
        std::vector<std::size_t> out;
        for (;;) {
            auto batch = r->pendingBatch(limit);
            REQUIRE(batch.ok());
            if (batch->empty()) break;
            out.push_back(batch->size());
            std::vector<std::string> ids;
            for (const Op& op : *batch) ids.push_back(op.idString());
            REQUIRE(r->markAccepted(ids).ok());
        }
        return out;
    };
    // 10 holds one command and stops before the next record; 5 cannot hold a record of
    // 7, which goes alone; 1 sends each record whole.
    logThree();
    CHECK(sizes(10) == std::vector<std::size_t>{8, 8, 8});
    logThree();
    CHECK(sizes(5) == std::vector<std::size_t>{7, 1, 7, 1, 7, 1});
    logThree();
    CHECK(sizes(1) == std::vector<std::size_t>{7, 1, 7, 1, 7, 1});
    logThree();
    CHECK(sizes(24) == std::vector<std::size_t>{24});
}

TEST_CASE("replica: a record larger than the batch goes alone, and older pending ops cut at entity changes",
          "[replica]") {
    TempDir dir;
    ManualClock clock;
    const std::string path = dir.file("replica.db");
    auto r = openReplica(path, fastOptions(clock, 0xc4));
    const EntityId plan = entityId(1), task = entityId(2), entry = entityId(3);
    REQUIRE(r->write(entry, "progress_entry",
                     {{"plan", plan.hex()}, {"task", task.hex()}, {"author", entityId(9).hex()}, {"percent", 5},
                      {"note", "n"}, {"reported_at", 1000}})
                .ok());
    for (int i = 0; i < 4; ++i) REQUIRE(r->write(task, "task", "percent", i).ok());
    auto batch = r->pendingBatch(4);
    REQUIRE(batch.ok());
    CHECK(batch->size() == 6);  // the whole entry
    batch = r->pendingBatch(1);
    REQUIRE(batch.ok());
    CHECK(batch->size() == 6);
    // Four writes to one task are four records, not one.
    std::vector<std::string> ids;
    for (const Op& op : *batch) ids.push_back(op.idString());
    REQUIRE(r->markAccepted(ids).ok());
    batch = r->pendingBatch(3);
    REQUIRE(batch.ok());
    CHECK(batch->size() == 3);
    r.reset();

    // Ops written before schema 3 have no recorded ends: the batch ends where the entity
    // changes.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "DROP TABLE write_ends; PRAGMA user_version=2;", nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_close(db) == SQLITE_OK);
    r = openReplica(path, fastOptions(clock, 0xc4));
    REQUIRE(r->write(entityId(4), "comment", {{"plan", plan.hex()}, {"text", "t"}, {"posted_at", 1}}).ok());
    batch = r->pendingBatch(2);
    REQUIRE(batch.ok());
    CHECK(batch->size() == 4);  // the four task writes (no ends known), not cut before the comment's 3
    REQUIRE(batch->back().entity == task);
    batch = r->pendingBatch(10);
    REQUIRE(batch.ok());
    CHECK(batch->size() == 7);
}

TEST_CASE("replica: a missing directory is an error, not a crash", "[replica]") {
    TempDir dir;
    auto r = Replica::open(dir.file("no/such/dir/replica.db"));
    REQUIRE_FALSE(r.ok());
    CHECK_FALSE(r.error().code.empty());
}

// ---- local edits ------------------------------------------------------------------

TEST_CASE("replica: a write of several entities stores all of them or none", "[replica]") {
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("replica.db"), fastOptions(clock, 0xd1));
    const EntityId plan = entityId(1), task = entityId(2), entry = entityId(3);
    REQUIRE(r->write(plan, "plan", "title", "春季新品上市").ok());
    REQUIRE(r->write(task, "task", {{"plan", plan.hex()}, {"name", "渠道铺货"}}).ok());

    // A progress entry and its task's percent, as `tandem-cli progress` writes them.
    const std::vector<Replica::EntityWrite> progress = {
        {entry, "progress_entry", {{"plan", plan.hex()}, {"task", task.hex()}, {"percent", 40}}},
        {task, "task", {{"percent", 40}}}};
    // The second entity's write fails inside the transaction (a disk error, say).
    REQUIRE(r->db().exec("CREATE TEMP TRIGGER fail_percent BEFORE INSERT ON main.fields"
                         " WHEN NEW.field = 'percent' AND NEW.entity = X'" + task.hex() + "'"
                         " BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"));
    const std::int64_t pendingBefore = pending(*r);
    auto failed = r->write(progress);
    REQUIRE_FALSE(failed.ok());
    CHECK(pending(*r) == pendingBefore);
    auto stored = r->entity(entry);
    REQUIRE(stored.ok());
    CHECK_FALSE(stored->has_value());  // the entry went with the percent

    REQUIRE(r->db().exec("DROP TRIGGER temp.fail_percent"));
    auto written = r->write(progress);
    REQUIRE(written.ok());
    REQUIRE(written->size() == 4);
    CHECK(pending(*r) == pendingBefore + 4);
    CHECK(valueOf(*r, entry, "percent") == 40);
    CHECK(valueOf(*r, task, "percent") == 40);
    // The failed write used no op numbers: the site's ops stay gap-free.
    auto ops = r->pendingOps(100);
    REQUIRE(ops.ok());
    for (std::size_t i = 0; i < ops->size(); ++i) CHECK((*ops)[i].n == i + 1);
}

TEST_CASE("replica: a local write is durable and pending when the call returns", "[replica]") {
    TempDir dir;
    const std::string path = dir.file("replica.db");
    const EntityId plan = entityId(7);
    {
        ManualClock clock;
        ReplicaOptions options;
        options.wall = clock.wall();
        options.site = SiteId{0xd0};
        auto r = openReplica(path, options);  // durable = true: synchronous=FULL
    }
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // The child writes and dies without any clean-up: no destructor, no close.
        ManualClock clock;
        ReplicaOptions options;
        options.wall = clock.wall();
        options.site = SiteId{0xd0};
        auto r = Replica::open(path, options);
        if (!r.ok()) _exit(2);
        auto op = r.value()->write(plan, "plan", {{"title", "written"}, {"status", "draft"}});
        _exit(op.ok() ? 0 : 3);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);

    ManualClock clock;
    auto r = openReplica(path, fastOptions(clock, 0xd0));
    CHECK(valueOf(*r, plan, "title") == "written");
    CHECK(valueOf(*r, plan, "status") == "draft");
    CHECK(pending(*r) == 2);
    auto ops = r->pendingOps(10);
    REQUIRE(ops.ok());
    REQUIRE(ops->size() == 2);
    CHECK((*ops)[0].n == 1);
    CHECK((*ops)[1].n == 2);
}

TEST_CASE("replica: a multi-field write is one set of ops stamped in order", "[replica]") {
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xe1));
    const EntityId plan = entityId(1);
    auto ops = r->write(plan, "plan", {{"title", "T"}, {"status", "draft"}, {"participants.0123456789abcdef0123456789abcdef", true}});
    REQUIRE(ops.ok());
    REQUIRE(ops->size() == 3);
    for (std::size_t i = 0; i < ops->size(); ++i) {
        const Op& op = (*ops)[i];
        CHECK(op.site == SiteId{0xe1});
        CHECK(op.n == i + 1);
        CHECK(op.entity == plan);
        CHECK(op.type == "plan");
        if (i > 0) CHECK(op.hlc > (*ops)[i - 1].hlc);
    }
    CHECK(pending(*r) == 3);
    auto limited = r->pendingOps(2);
    REQUIRE(limited.ok());
    REQUIRE(limited->size() == 2);
    CHECK((*limited)[0].n == 1);
    CHECK((*limited)[1].n == 2);
    Entity e = entityOf(*r, plan);
    CHECK(e.type == "plan");
    CHECK(e.plan == std::optional<EntityId>(plan));  // a plan's plan is itself
    CHECK(e.get("title") == "T");
    CHECK(e.get("never_written").is_null());
    CHECK_FALSE(e.deleted());
}

TEST_CASE("replica: markAccepted clears pending without changing values", "[replica]") {
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xe2));
    auto ops = r->write(entityId(1), "plan", {{"title", "a"}, {"status", "draft"}, {"background", "b"}});
    REQUIRE(ops.ok());
    std::vector<std::string> ids = {(*ops)[0].idString(), (*ops)[2].idString()};
    REQUIRE(r->markAccepted(ids).ok());
    CHECK(pending(*r) == 1);
    auto left = r->pendingOps(10);
    REQUIRE(left.ok());
    REQUIRE(left->size() == 1);
    CHECK((*left)[0].field == "status");
    CHECK(valueOf(*r, entityId(1), "title") == "a");
    CHECK(valueOf(*r, entityId(1), "background") == "b");
}

TEST_CASE("replica: new entity ids come from the injected random source", "[replica]") {
    TempDir dir;
    ManualClock clock;
    auto a = openReplica(dir.file("a.db"), fastOptions(clock, 0xe3, 5));
    auto b = openReplica(dir.file("b.db"), fastOptions(clock, 0xe4, 5));
    EntityId x = a->newEntityId();
    CHECK_FALSE(x.isNull());
    CHECK(x == b->newEntityId());
    CHECK(a->newEntityId() != x);
}

// ---- remote ops -------------------------------------------------------------------

TEST_CASE("replica: applyRemote is idempotent", "[replica]") {
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xf1));
    const EntityId plan = entityId(1);
    std::vector<Op> ops = {makeOp(0x11, 1, plan, "plan", "title", "first", kT),
                           makeOp(0x11, 2, plan, "plan", "status", "draft", kT + 1),
                           makeOp(0x22, 1, plan, "plan", "title", "second", kT + 5)};
    auto first = applyOps(*r, ops);
    CHECK(std::all_of(first.begin(), first.end(), [](ApplyOutcome o) { return o == ApplyOutcome::Applied; }));
    const std::string before = dumpOf(*r);
    const auto historyBefore = historyOf(*r, plan, "title");
    auto second = applyOps(*r, ops);
    CHECK(std::all_of(second.begin(), second.end(), [](ApplyOutcome o) { return o == ApplyOutcome::Duplicate; }));
    // A duplicate inside one batch as well.
    std::vector<Op> twice = {ops[2], ops[2]};
    auto third = applyOps(*r, twice);
    CHECK(third[0] == ApplyOutcome::Duplicate);
    CHECK(third[1] == ApplyOutcome::Duplicate);
    CHECK(dumpOf(*r) == before);
    CHECK(historyOf(*r, plan, "title").size() == historyBefore.size());
    CHECK(pending(*r) == 0);  // remote ops are never pending
}

TEST_CASE("replica: an applied duplicate within the first batch is stored once", "[replica]") {
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xf2));
    Op op = makeOp(0x11, 1, entityId(1), "plan", "title", "x", kT);
    std::vector<Op> ops = {op, op};
    auto out = applyOps(*r, ops);
    CHECK(out[0] == ApplyOutcome::Applied);
    CHECK(out[1] == ApplyOutcome::Duplicate);
    CHECK(historyOf(*r, entityId(1), "title").size() == 1);
}

TEST_CASE("replica: the same id with other content is a Conflict and changes nothing", "[replica]") {
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xf3));
    const EntityId plan = entityId(1);
    Op original = makeOp(0x11, 1, plan, "plan", "title", "original", kT);
    REQUIRE(applyOps(*r, {original})[0] == ApplyOutcome::Applied);
    const std::string before = dumpOf(*r);

    std::vector<Op> variants;
    Op v = original;
    v.value = "other";
    variants.push_back(v);
    v = original;
    v.hlc = Hlc::make(kT + 100, 0);
    variants.push_back(v);
    v = original;
    v.field = "background";
    variants.push_back(v);
    v = original;
    v.entity = entityId(2);
    variants.push_back(v);
    for (const Op& variant : variants) {
        INFO(encodeOp(variant).dump());
        CHECK(applyOps(*r, {variant})[0] == ApplyOutcome::Conflict);
    }
    CHECK(dumpOf(*r) == before);
    CHECK(valueOf(*r, plan, "title") == "original");
    auto e2 = r->entity(entityId(2));
    REQUIRE(e2.ok());
    CHECK_FALSE(e2->has_value());

    // Within one batch: the first stands.
    Op a = makeOp(0x33, 1, plan, "plan", "status", "draft", kT + 1);
    Op b = a;
    b.value = "in_review";
    auto out = applyOps(*r, {a, b});
    CHECK(out[0] == ApplyOutcome::Applied);
    CHECK(out[1] == ApplyOutcome::Conflict);
    CHECK(valueOf(*r, plan, "status") == "draft");
}

TEST_CASE("replica: a remote op with a local id and other content is a Conflict", "[replica]") {
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xf4));
    auto local = r->write(entityId(1), "plan", "title", "mine");
    REQUIRE(local.ok());
    Op echo = local.value();
    CHECK(applyOps(*r, {echo})[0] == ApplyOutcome::Duplicate);
    Op forged = local.value();
    forged.value = "forged";
    CHECK(applyOps(*r, {forged})[0] == ApplyOutcome::Conflict);
    CHECK(valueOf(*r, entityId(1), "title") == "mine");
}

TEST_CASE("replica: last writer wins per field by (hlc, site) whatever the order", "[replica]") {
    const EntityId plan = entityId(1);
    std::vector<Op> ops = {makeOp(0x11, 1, plan, "plan", "title", "old", kT),
                           makeOp(0x22, 1, plan, "plan", "title", "newest", kT + 10),
                           makeOp(0x33, 1, plan, "plan", "title", "middle", kT + 5),
                           // same hlc, different sites: the greater site wins
                           makeOp(0x11, 2, plan, "plan", "status", "draft", kT + 20, 3),
                           makeOp(0x99, 1, plan, "plan", "status", "in_review", kT + 20, 3),
                           makeOp(0x55, 1, plan, "plan", "status", "done", kT + 20, 3)};
    std::vector<std::size_t> order = {0, 1, 2, 3, 4, 5};
    std::string firstDump;
    TempDir dir;
    int run = 0;
    do {
        if (++run % 37 != 1) continue;  // a spread of the 720 permutations
        ManualClock clock;
        auto r = openReplica(dir.file("r" + std::to_string(run) + ".db"), fastOptions(clock, 0xf5));
        for (std::size_t i : order) applyOps(*r, {ops[i]});
        INFO("run " << run);
        CHECK(valueOf(*r, plan, "title") == "newest");
        CHECK(valueOf(*r, plan, "status") == "in_review");
        auto f = r->field(plan, "title");
        REQUIRE(f.ok());
        REQUIRE(f->has_value());
        CHECK((*f)->site == SiteId{0x22});
        CHECK((*f)->hlc == Hlc::make(kT + 10, 0));
        CHECK((*f)->n == 1);
        if (firstDump.empty()) firstDump = dumpOf(*r);
        CHECK(dumpOf(*r) == firstDump);
    } while (std::next_permutation(order.begin(), order.end()));
}

TEST_CASE("replica: a site's unsigned order decides ties (high bit set)", "[replica]") {
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xf6));
    const EntityId plan = entityId(1);
    applyOps(*r, {makeOp(0xffffffffffffff00ULL, 1, plan, "plan", "title", "high", kT),
               makeOp(0x7fffffffffffffffULL, 1, plan, "plan", "title", "low", kT)});
    CHECK(valueOf(*r, plan, "title") == "high");
    applyOps(*r, {makeOp(0x11, 1, plan, "plan", "status", "draft", 0x800000000000ULL),
               makeOp(0x11, 2, plan, "plan", "status", "done", 0x7fffffffffffULL)});
    CHECK(valueOf(*r, plan, "status") == "draft");
}

TEST_CASE("replica: receiving ops advances the local clock past them", "[replica]") {
    TempDir dir;
    ManualClock clock;
    clock.set(kT);
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xf7));
    const EntityId plan = entityId(1);
    applyOps(*r, {makeOp(0x11, 1, plan, "plan", "title", "from the future", kT + 60'000)});
    auto local = r->write(plan, "plan", "title", "mine, later");
    REQUIRE(local.ok());
    CHECK(local->hlc > Hlc::make(kT + 60'000, 0));
    CHECK(valueOf(*r, plan, "title") == "mine, later");
}

TEST_CASE("merge: concurrent edits to different fields both survive", "[replica][merge]") {
    TempDir dir;
    ManualClock clockA, clockB;
    clockB.advance(3);
    auto a = openReplica(dir.file("a.db"), fastOptions(clockA, 0xa));
    auto b = openReplica(dir.file("b.db"), fastOptions(clockB, 0xb));
    const EntityId plan = entityId(1);
    auto base = a->write(plan, "plan", {{"title", "base"}, {"status", "draft"}});
    REQUIRE(base.ok());
    applyOps(*b, base.value());
    auto ea = a->write(plan, "plan", "title", "title by A");
    auto eb = b->write(plan, "plan", "background", "background by B");
    REQUIRE(ea.ok());
    REQUIRE(eb.ok());
    applyOps(*a, {eb.value()});
    applyOps(*b, {ea.value()});
    for (Replica* r : {a.get(), b.get()}) {
        CHECK(valueOf(*r, plan, "title") == "title by A");
        CHECK(valueOf(*r, plan, "background") == "background by B");
        CHECK(valueOf(*r, plan, "status") == "draft");
    }
    CHECK(dumpOf(*a) == dumpOf(*b));
}

TEST_CASE("merge: set members added and removed by different replicas do not conflict", "[replica][merge]") {
    TempDir dir;
    ManualClock clockA, clockB;
    auto a = openReplica(dir.file("a.db"), fastOptions(clockA, 0xa));
    auto b = openReplica(dir.file("b.db"), fastOptions(clockB, 0xb));
    const EntityId plan = entityId(1);
    const std::string d1 = "participants.0000000000000000000000000000d001";
    const std::string d2 = "participants.0000000000000000000000000000d002";
    const std::string d3 = "participants.0000000000000000000000000000d003";
    auto base = a->write(plan, "plan", {{d1, true}, {d2, true}});
    REQUIRE(base.ok());
    applyOps(*b, base.value());
    auto ra = a->write(plan, "plan", d1, false);  // A removes d1
    auto rb = b->write(plan, "plan", {{d2, false}, {d3, true}});  // B removes d2, adds d3
    REQUIRE(ra.ok());
    REQUIRE(rb.ok());
    applyOps(*a, rb.value());
    applyOps(*b, {ra.value()});
    for (Replica* r : {a.get(), b.get()}) {
        CHECK(valueOf(*r, plan, d1) == false);
        CHECK(valueOf(*r, plan, d2) == false);
        CHECK(valueOf(*r, plan, d3) == true);
    }
    CHECK(dumpOf(*a) == dumpOf(*b));
}

TEST_CASE("merge: a delete wins over concurrent edits until a newer restore", "[replica][merge]") {
    const EntityId plan = entityId(1);
    std::vector<Op> ops = {
        makeOp(0x11, 1, plan, "plan", "title", "created", kT),
        makeOp(0x11, 2, plan, "plan", "deleted", true, kT + 100),
        makeOp(0x22, 1, plan, "plan", "title", "edited after the delete", kT + 200),  // concurrent edit
        makeOp(0x33, 1, plan, "plan", "deleted", false, kT + 50),  // an older restore
    };
    TempDir dir;
    ManualClock clock;
    auto fwd = openReplica(dir.file("fwd.db"), fastOptions(clock, 0xf8));
    auto rev = openReplica(dir.file("rev.db"), fastOptions(clock, 0xf9));
    for (const Op& op : ops) applyOps(*fwd, {op});
    for (auto it = ops.rbegin(); it != ops.rend(); ++it) applyOps(*rev, {*it});
    for (Replica* r : {fwd.get(), rev.get()}) {
        Entity e = entityOf(*r, plan);
        CHECK(e.deleted());
        CHECK(e.get("title") == "edited after the delete");  // the edit is kept, not lost
        auto all = r->entities("plan");
        REQUIRE(all.ok());
        REQUIRE(all->size() == 1);  // deleted ones included
        CHECK(all->front().deleted());
    }
    CHECK(dumpOf(*fwd) == dumpOf(*rev));
    Op restore = makeOp(0x33, 2, plan, "plan", "deleted", false, kT + 300);
    applyOps(*fwd, {restore});
    applyOps(*rev, {restore});
    CHECK_FALSE(entityOf(*fwd, plan).deleted());
    CHECK(entityOf(*fwd, plan).get("title") == "edited after the delete");
    CHECK(dumpOf(*fwd) == dumpOf(*rev));
}

TEST_CASE("merge: a local delete of a record is undone only by a newer restore", "[replica][merge]") {
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xfa));
    const EntityId plan = entityId(1);
    REQUIRE(r->write(plan, "plan", "title", "x").ok());
    REQUIRE(r->write(plan, "plan", "deleted", true).ok());
    REQUIRE(r->write(plan, "plan", "background", "edited while deleted").ok());
    CHECK(entityOf(*r, plan).deleted());
    REQUIRE(r->write(plan, "plan", "deleted", false).ok());
    CHECK_FALSE(entityOf(*r, plan).deleted());
}

TEST_CASE("merge: history keeps every losing value with who and when", "[replica][merge]") {
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xfb));
    const EntityId plan = entityId(1);
    Op first = makeOp(0x11, 1, plan, "plan", "title", "first", kT);
    first.author = EntityId{0, 0xa11ce};
    first.seq = 1;
    Op third = makeOp(0x33, 1, plan, "plan", "title", "third", kT + 30);
    third.author = EntityId{0, 0xca201};
    third.seq = 2;
    Op second = makeOp(0x22, 1, plan, "plan", "title", "second", kT + 20);
    second.author = EntityId{0, 0xb0b};
    second.seq = 3;
    applyOps(*r, {first, third, second});  // the loser "second" arrives last
    auto h = historyOf(*r, plan, "title");
    REQUIRE(h.size() == 3);
    // oldest write first
    CHECK(h[0].op.value == "first");
    CHECK(h[1].op.value == "second");
    CHECK(h[2].op.value == "third");
    CHECK_FALSE(h[0].current);
    CHECK_FALSE(h[1].current);
    CHECK(h[2].current);
    CHECK(h[1].op.site == SiteId{0x22});
    CHECK(h[1].op.hlc == Hlc::make(kT + 20, 0));
    CHECK(h[1].op.author == std::optional<EntityId>(EntityId{0, 0xb0b}));
    CHECK(h[0].op.author == std::optional<EntityId>(EntityId{0, 0xa11ce}));
    CHECK(h[1].op.idString() == "0000000000000022:1");
    auto other = historyOf(*r, plan, "status");
    CHECK(other.empty());
}

TEST_CASE("replica: markRejected rolls the field back to the server's value", "[replica]") {
    TempDir dir;
    ManualClock clock;
    clock.set(kT);
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xfc));
    const EntityId plan = entityId(1);
    applyOps(*r, {makeOp(0x11, 1, plan, "plan", "title", "server's title", kT - 1000)});
    auto mine = r->write(plan, "plan", {{"title", "my title"}, {"background", "my background"}});
    REQUIRE(mine.ok());
    CHECK(valueOf(*r, plan, "title") == "my title");
    clock.advance(500);
    REQUIRE(r->markRejected((*mine)[0].idString(), "forbidden", "only the owner may edit the title").ok());
    REQUIRE(r->markRejected((*mine)[1].idString(), "invalid_value", "too long").ok());
    CHECK(valueOf(*r, plan, "title") == "server's title");
    auto bg = r->field(plan, "background");
    REQUIRE(bg.ok());
    CHECK((!bg->has_value() || (*bg)->value.is_null()));  // no value remains
    CHECK(pending(*r) == 0);
    auto rejected = r->rejectedEdits();
    REQUIRE(rejected.ok());
    REQUIRE(rejected->size() == 2);
    const RejectedEdit* titleEdit = nullptr;
    for (const auto& e : rejected.value())
        if (e.op.field == "title") titleEdit = &e;
    REQUIRE(titleEdit != nullptr);
    CHECK(titleEdit->op.value == "my title");
    CHECK(titleEdit->code == "forbidden");
    CHECK(titleEdit->message == "only the owner may edit the title");
    CHECK(titleEdit->rejectedAtMs == static_cast<std::int64_t>(kT + 500));
    auto h = historyOf(*r, plan, "title");
    REQUIRE(h.size() == 1);  // the rejected op left the log
    CHECK(h[0].op.value == "server's title");
    CHECK(h[0].current);
    CHECK_FALSE(r->markRejected("00000000000000fc:999", "forbidden", "x").ok());
}

TEST_CASE("replica: restampPending keeps order and re-decides fields", "[replica]") {
    TempDir dir;
    ManualClock clock;
    constexpr std::int64_t kAhead = 3'600'000;  // the device clock runs an hour ahead
    clock.set(static_cast<std::int64_t>(kT) + kAhead);
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xfd));
    const EntityId plan = entityId(1);
    auto l1 = r->write(plan, "plan", "title", "local 1");
    auto l2 = r->write(plan, "plan", "background", "local 2");
    auto l3 = r->write(plan, "plan", "title", "local 3");
    REQUIRE(l1.ok());
    REQUIRE(l2.ok());
    REQUIRE(l3.ok());
    // The server's own value, stamped at real time + 5 min: it loses to the skewed stamps.
    applyOps(*r, {makeOp(0x11, 1, plan, "plan", "title", "server", kT + 300'000)});
    CHECK(valueOf(*r, plan, "title") == "local 3");
    const Hlc oldStamps[] = {l1->hlc, l2->hlc, l3->hlc};

    r->clock().setOffset(-kAhead);
    REQUIRE(r->restampPending().ok());
    auto ops = r->pendingOps(10);
    REQUIRE(ops.ok());
    REQUIRE(ops->size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        const Op& op = (*ops)[i];
        INFO("pending " << i);
        CHECK(op.n == i + 1);
        CHECK(op.site == SiteId{0xfd});
        CHECK(op.hlc < oldStamps[i]);
        // acceptable to a server whose clock reads kT: at most 10 minutes ahead
        CHECK(op.hlc.physicalMs() <= kT + 600'000);
        if (i > 0) CHECK(op.hlc > (*ops)[i - 1].hlc);
    }
    CHECK((*ops)[0].value == "local 1");
    CHECK((*ops)[2].value == "local 3");
    // Every field is decided by the new stamps: its value is the history's greatest write.
    for (std::string field : {"title", "background"}) {
        auto h = historyOf(*r, plan, field);
        REQUIRE_FALSE(h.empty());
        const HistoryEntry* best = &h[0];
        int currents = 0;
        for (const auto& e : h) {
            if (writeWins(e.op, best->op)) best = &e;
            currents += e.current ? 1 : 0;
        }
        INFO(field);
        CHECK(currents == 1);
        CHECK(best->current);
        CHECK(valueOf(*r, plan, field) == best->op.value);
        for (const auto& e : h)
            if (e.op.site == SiteId{0xfd}) {
                bool found = std::any_of(ops->begin(), ops->end(), [&](const Op& p) { return p.n == e.op.n && p.hlc == e.op.hlc; });
                CHECK(found);  // history shows the new stamps
            }
    }
    auto later = r->write(plan, "plan", "status", "draft");
    REQUIRE(later.ok());
    CHECK(later->hlc > (*ops)[2].hlc);
    CHECK(later->n == 4);
}

// ---- plans, reads, signable content -------------------------------------------------

TEST_CASE("replica: plan-scoped entities follow their plan field, even when it arrives later", "[replica]") {
    TempDir dir;
    ManualClock clock;
    const EntityId plan = entityId(1), task = entityId(2);
    Op p = makeOp(0x11, 1, plan, "plan", "title", "P", kT);
    Op name = makeOp(0x11, 2, task, "task", "name", "T", kT + 1);
    Op scope = makeOp(0x11, 3, task, "task", "plan", plan.hex(), kT + 1, 1);
    auto a = openReplica(dir.file("a.db"), fastOptions(clock, 0xb1));
    auto b = openReplica(dir.file("b.db"), fastOptions(clock, 0xb2));
    applyOps(*a, {p, scope, name});
    applyOps(*b, {name});  // a pull page that ends before the task's plan field
    applyOps(*b, {p});
    applyOps(*b, {scope});
    for (Replica* r : {a.get(), b.get()}) {
        Entity e = entityOf(*r, task);
        CHECK(e.plan == std::optional<EntityId>(plan));
        auto tasks = r->entities("task", plan);
        REQUIRE(tasks.ok());
        REQUIRE(tasks->size() == 1);
        CHECK(tasks->front().id == task);
    }
    CHECK(dumpOf(*a) == dumpOf(*b));
}

TEST_CASE("replica: a batch applies with a plan hint and rolls back unless committed", "[replica]") {
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xb3));
    const EntityId plan = entityId(1), task = entityId(2);
    applyOps(*r, {makeOp(0x11, 1, plan, "plan", "title", "P", kT)});
    {
        auto batch = r->begin();
        REQUIRE(batch.ok());
        auto o = batch->apply(makeOp(0x11, 2, task, "task", "name", "T", kT + 1), plan);
        REQUIRE(o.ok());
        CHECK(o.value() == ApplyOutcome::Applied);
    }  // not committed
    auto gone = r->entity(task);
    REQUIRE(gone.ok());
    CHECK_FALSE(gone->has_value());
    {
        auto batch = r->begin();
        REQUIRE(batch.ok());
        REQUIRE(batch->apply(makeOp(0x11, 2, task, "task", "name", "T", kT + 1), plan).ok());
        REQUIRE(batch->apply(makeOp(0x11, 3, task, "task", "plan", plan.hex(), kT + 2)).ok());
        REQUIRE(batch->commit().ok());
    }
    Entity e = entityOf(*r, task);
    CHECK(e.plan == std::optional<EntityId>(plan));
    CHECK(e.get("name") == "T");
}

TEST_CASE("replica: entities lists a type, optionally of one plan", "[replica]") {
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xb4));
    const EntityId p1 = entityId(1), p2 = entityId(2);
    REQUIRE(r->write(p1, "plan", "title", "P1").ok());
    REQUIRE(r->write(p2, "plan", "title", "P2").ok());
    for (std::uint64_t i = 10; i < 13; ++i) REQUIRE(r->write(entityId(i), "task", {{"plan", p1.hex()}, {"name", "t"}}).ok());
    REQUIRE(r->write(entityId(20), "task", {{"plan", p2.hex()}, {"name", "u"}}).ok());
    REQUIRE(r->write(entityId(30), "progress_entry", {{"plan", p1.hex()}, {"task", entityId(10).hex()}, {"percent", 40}, {"note", "n"}}).ok());
    auto all = r->entities("task");
    REQUIRE(all.ok());
    CHECK(all->size() == 4);
    auto ofP1 = r->entities("task", p1);
    REQUIRE(ofP1.ok());
    CHECK(ofP1->size() == 3);
    for (const auto& e : ofP1.value()) CHECK(e.plan == std::optional<EntityId>(p1));
    auto progress = r->entities("progress_entry", p1);
    REQUIRE(progress.ok());
    REQUIRE(progress->size() == 1);
    CHECK(progress->front().get("percent") == 40);
    auto plans = r->entities("plan");
    REQUIRE(plans.ok());
    CHECK(plans->size() == 2);
    auto none = r->entities("risk");
    REQUIRE(none.ok());
    CHECK(none->empty());
}

TEST_CASE("replica: dropPlan forgets a plan and everything in it", "[replica]") {
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xb5));
    const EntityId keep = entityId(1), drop = entityId(2), dept = entityId(3);
    applyOps(*r, {makeOp(0x11, 1, keep, "plan", "title", "keep", kT), makeOp(0x11, 2, drop, "plan", "title", "drop", kT + 1),
               makeOp(0x11, 3, entityId(10), "task", "plan", keep.hex(), kT + 2),
               makeOp(0x11, 4, entityId(11), "task", "plan", drop.hex(), kT + 3),
               makeOp(0x11, 5, entityId(11), "task", "name", "doomed", kT + 4),
               makeOp(0x11, 6, entityId(12), "progress_entry", "plan", drop.hex(), kT + 5),
               makeOp(0x11, 7, dept, "department", "name", "MKT", kT + 6)});
    REQUIRE(r->dropPlan(drop).ok());
    for (EntityId gone : {drop, entityId(11), entityId(12)}) {
        auto e = r->entity(gone);
        REQUIRE(e.ok());
        CHECK_FALSE(e->has_value());
    }
    for (EntityId kept : {keep, entityId(10), dept}) {
        auto e = r->entity(kept);
        REQUIRE(e.ok());
        CHECK(e->has_value());
    }
    CHECK(historyOf(*r, entityId(11), "name").empty());
    auto tasks = r->entities("task");
    REQUIRE(tasks.ok());
    CHECK(tasks->size() == 1);
    CHECK(dumpOf(*r).find("doomed") == std::string::npos);
}

TEST_CASE("replica: a dropped plan comes back whole when its ops are sent again", "[replica]") {
    // A pull page can end between a task's first field and its `plan` field, so the
    // first op is stored before the replica knows the task's plan. Dropping the plan
    // must still forget that op, or re-gaining access brings the field back as a
    // "duplicate" and its value stays lost.
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xb8));
    const EntityId plan = entityId(1), task = entityId(2);
    std::vector<Op> ops = {makeOp(0x11, 1, plan, "plan", "title", "P", kT),
                           makeOp(0x11, 2, task, "task", "name", "early name", kT + 1),
                           makeOp(0x11, 3, task, "task", "plan", plan.hex(), kT + 2)};
    for (const Op& op : ops) applyOps(*r, {op});  // one op per pull page
    REQUIRE(entityOf(*r, task).plan == std::optional<EntityId>(plan));
    const std::string before = dumpOf(*r);
    REQUIRE(r->dropPlan(plan).ok());
    CHECK(historyOf(*r, task, "name").empty());
    auto out = applyOps(*r, ops);  // access regained: the server sends the plan's ops again
    for (ApplyOutcome o : out) CHECK(o == ApplyOutcome::Applied);
    CHECK(valueOf(*r, task, "name") == "early name");
    CHECK(dumpOf(*r) == before);
}

TEST_CASE("replica: our own op coming back from the server is sequenced and no longer pending", "[replica]") {
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xb9));
    auto local = r->write(entityId(1), "plan", "title", "mine");
    REQUIRE(local.ok());
    REQUIRE(pending(*r) == 1);
    Op echo = local.value();
    echo.seq = 41;
    echo.author = EntityId{0, 0xabc};
    CHECK(applyOps(*r, {echo})[0] == ApplyOutcome::Duplicate);
    CHECK(pending(*r) == 0);
    auto h = historyOf(*r, entityId(1), "title");
    REQUIRE(h.size() == 1);
    CHECK(h[0].op.seq == std::optional<std::int64_t>(41));
    CHECK(h[0].op.author == std::optional<EntityId>(EntityId{0, 0xabc}));
}

TEST_CASE("replica: ops that name another type for a known entity still converge", "[replica][merge]") {
    // Convergence holds for any set of ops (DESIGN §4), even one where two sites
    // disagree on an entity's type: every replica must pick the same type.
    TempDir dir;
    ManualClock clock;
    const EntityId id = entityId(5), plan = entityId(1);
    Op p = makeOp(0x11, 1, plan, "plan", "title", "P", kT);
    Op asTask = makeOp(0x22, 1, id, "task", "plan", plan.hex(), kT + 1);
    Op asRisk = makeOp(0x33, 1, id, "risk", "plan", plan.hex(), kT + 2);
    auto a = openReplica(dir.file("a.db"), fastOptions(clock, 0xba));
    auto b = openReplica(dir.file("b.db"), fastOptions(clock, 0xbb));
    applyOps(*a, {p, asTask});
    applyOps(*a, {asRisk});
    applyOps(*b, {p, asRisk});
    applyOps(*b, {asTask});
    CHECK(dumpOf(*a) == dumpOf(*b));
    CHECK(entityOf(*a, id).type == entityOf(*b, id).type);
}

TEST_CASE("replica: a server's per-plan reads, op lookups and which writes won", "[replica]") {
    TempDir dir;
    ManualClock clock;
    ReplicaOptions options = fastOptions(clock, 0x0);
    options.indexOpsByPlan = true;
    auto r = openReplica(dir.file("server.db"), options);
    const ServerLog log;
    const auto& [p1, p2, dept, task, ops] = log;
    const std::vector<bool> won = applySequenced(*r, log);
    CHECK(won == std::vector<bool>{true, true, true, true, true, true, false});  // the late title loses
    auto seqsOf = [&](const EntityId& plan, std::int64_t after, std::int64_t upto, std::size_t limit) {
        auto got = r->opsOfPlan(plan, after, upto, limit);
        REQUIRE(got.ok());
        std::vector<std::int64_t> seqs;
        for (const Op& op : *got) seqs.push_back(op.seq.value_or(-1));
        return seqs;
    };
    CHECK(seqsOf(p1, 0, 100, 10) == std::vector<std::int64_t>{1, 4, 7});
    CHECK(seqsOf(p1, 1, 4, 10) == std::vector<std::int64_t>{4});
    CHECK(seqsOf(p1, 0, 100, 1) == std::vector<std::int64_t>{1});
    CHECK(seqsOf(p2, 0, 100, 10) == std::vector<std::int64_t>{2, 5, 6});
    CHECK(seqsOf(dept, 0, 100, 10).empty());

    auto stored = r->storedOp(SiteId{0x11}, 4);
    REQUIRE(stored.ok());
    REQUIRE(stored->has_value());
    CHECK((*stored)->sameContent(ops[3]));
    CHECK((*stored)->seq == std::optional<std::int64_t>(4));
    auto missing = r->storedOp(SiteId{0x11}, 99);
    REQUIRE(missing.ok());
    CHECK_FALSE(missing->has_value());
    CHECK(r->highestN(SiteId{0x11}).value() == 7);
    CHECK(r->highestN(SiteId{0x12}).value() == 0);
}

TEST_CASE("replica: opsAfterSeq returns stored ops in seq order, filtered by plan", "[replica]") {
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("server.db"), fastOptions(clock, 0x0));
    const ServerLog log;
    const auto& [p1, p2, dept, task, ops] = log;
    applySequenced(*r, log);
    auto everything = r->opsAfterSeq(0, 100, [](const std::optional<EntityId>&) { return true; });
    REQUIRE(everything.ok());
    REQUIRE(everything->size() == 7);  // overwritten values included
    for (std::size_t i = 0; i < 7; ++i) {
        CHECK((*everything)[i].seq == std::optional<std::int64_t>(static_cast<std::int64_t>(i + 1)));
        CHECK((*everything)[i].author == std::optional<EntityId>(EntityId{0, 0xabc}));
        CHECK((*everything)[i].sameContent(ops[i]));
    }
    auto p1Only = r->opsAfterSeq(1, 100, [&](const std::optional<EntityId>& plan) { return !plan || *plan == p1; });
    REQUIRE(p1Only.ok());
    std::vector<std::int64_t> seqs;
    for (const auto& op : p1Only.value()) seqs.push_back(op.seq.value_or(-1));
    CHECK(seqs == std::vector<std::int64_t>{3, 4, 7});
    auto p2Only = r->opsAfterSeq(0, 100, [&](const std::optional<EntityId>& plan) { return plan && *plan == p2; });
    REQUIRE(p2Only.ok());
    seqs.clear();
    for (const auto& op : p2Only.value()) seqs.push_back(op.seq.value_or(-1));
    CHECK(seqs == std::vector<std::int64_t>{2, 5, 6});
    auto limited = r->opsAfterSeq(2, 2, [](const std::optional<EntityId>&) { return true; });
    REQUIRE(limited.ok());
    REQUIRE(limited->size() == 2);
    CHECK((*limited)[0].seq == std::optional<std::int64_t>(3));
    CHECK((*limited)[1].seq == std::optional<std::int64_t>(4));
    auto past = r->opsAfterSeq(7, 10, [](const std::optional<EntityId>&) { return true; });
    REQUIRE(past.ok());
    CHECK(past->empty());
}

TEST_CASE("replica: signable content leaves out nulls and deleted tasks, and hashes canonically", "[replica]") {
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xb6));
    const TypeSpec* planType = findType("plan");
    const TypeSpec* taskType = findType("task");
    const TypeSpec* milestoneType = findType("milestone");
    REQUIRE(planType != nullptr);
    REQUIRE(taskType != nullptr);
    REQUIRE(milestoneType != nullptr);
    const EntityId plan = entityId(1), t1 = entityId(2), t2 = entityId(3), m1 = entityId(4);
    const std::string dept = "0000000000000000000000000000d001";

    // A signable text field of the plan other than the title.
    std::string text;
    for (const auto& f : planType->fields)
        if (f.signable && !f.family && f.kind == ValueKind::Text) {
            text = f.name;
            break;
        }
    REQUIRE_FALSE(text.empty());
    const FieldSpec* milestoneTitle = nullptr;
    for (const auto& f : milestoneType->fields)
        if (f.signable && f.kind == ValueKind::Title) milestoneTitle = &f;
    REQUIRE(milestoneTitle != nullptr);

    std::vector<std::pair<std::string, Json>> planFields = {{"title", "Q3 \xe6\x96\xb0\xe5\x93\x81"}, {text, nullptr},
                                                            {"status", "in_review"}, {"participants." + dept, true}};
    std::vector<std::pair<std::string, Json>> t1Fields = {{"plan", plan.hex()}, {"name", "task one"}, {"percent", 30}, {"due", "2025-09-30"}};
    std::vector<std::pair<std::string, Json>> t2Fields = {{"plan", plan.hex()}, {"name", "task two"}};
    std::vector<std::pair<std::string, Json>> m1Fields = {{"plan", plan.hex()}, {milestoneTitle->name, "launch"}};
    REQUIRE(r->write(plan, "plan", planFields).ok());
    REQUIRE(r->write(t1, "task", t1Fields).ok());
    REQUIRE(r->write(t2, "task", t2Fields).ok());
    REQUIRE(r->write(t2, "task", "deleted", true).ok());
    REQUIRE(r->write(m1, "milestone", m1Fields).ok());

    auto expectedOf = [](const TypeSpec& type, const std::vector<std::pair<std::string, Json>>& fields) {
        Json out = Json::object();
        for (const auto& [name, value] : fields) {
            const FieldSpec* spec = type.field(name);
            REQUIRE(spec != nullptr);
            if (spec->signable && !value.is_null()) out[name] = value;
        }
        return out;
    };
    Json expected = Json::object();
    expected["plan"] = expectedOf(*planType, planFields);
    expected["tasks"] = Json::object({{t1.hex(), expectedOf(*taskType, t1Fields)}});
    expected["milestones"] = Json::object({{m1.hex(), expectedOf(*milestoneType, m1Fields)}});
    REQUIRE(expected["plan"].contains("title"));
    REQUIRE_FALSE(expected["tasks"][t1.hex()].contains("percent"));

    auto content = signableContent(*r, plan);
    REQUIRE(content.ok());
    CHECK(content.value() == expected);
    auto hash = contentHash(*r, plan);
    REQUIRE(hash.ok());
    auto canonical = canonicalJson(expected);
    REQUIRE(canonical.ok());
    CHECK(hash.value() == sha256Hex(canonical.value()));
    CHECK(hash->size() == 64);

    // Execution fields do not change the hash; defining fields and deletes do; null is absence.
    REQUIRE(r->write(t1, "task", "percent", 80).ok());
    CHECK(contentHash(*r, plan).value() == hash.value());
    REQUIRE(r->write(plan, "plan", text, "background text").ok());
    const std::string withText = contentHash(*r, plan).value();
    CHECK(withText != hash.value());
    REQUIRE(r->write(plan, "plan", text, nullptr).ok());
    CHECK(contentHash(*r, plan).value() == hash.value());
    REQUIRE(r->write(t1, "task", "deleted", true).ok());
    CHECK(contentHash(*r, plan).value() != hash.value());
    REQUIRE(r->write(t1, "task", "deleted", false).ok());
    CHECK(contentHash(*r, plan).value() == hash.value());
}

TEST_CASE("replica: a change request's signable content is its own fields", "[replica]") {
    TempDir dir;
    ManualClock clock;
    auto r = openReplica(dir.file("r.db"), fastOptions(clock, 0xb7));
    const EntityId plan = entityId(1), cr = entityId(2);
    REQUIRE(r->write(plan, "plan", "title", "P").ok());
    REQUIRE(r->write(cr, "change_request", {{"plan", plan.hex()}, {"reason", "budget"}, {"proposal", "cut scope"}}).ok());
    auto content = signableContent(*r, cr);
    REQUIRE(content.ok());
    CHECK(content->dump().find("cut scope") != std::string::npos);
    auto h1 = contentHash(*r, cr);
    REQUIRE(h1.ok());
    CHECK(h1.value() == sha256Hex(canonicalJson(content.value()).value()));
    REQUIRE(r->write(cr, "change_request", "proposal", "cut more scope").ok());
    CHECK(contentHash(*r, cr).value() != h1.value());
    CHECK_FALSE(signableContent(*r, entityId(99)).ok());
}

TEST_CASE("replica: dump is canonical and byte-identical for the same ops in any order", "[replica]") {
    TempDir dir;
    ManualClock clockA;
    auto a = openReplica(dir.file("a.db"), fastOptions(clockA, 0xc1));
    const EntityId plan = entityId(1);
    REQUIRE(a->write(plan, "plan", {{"title", "\xe8\xae\xa1\xe5\x88\x92 \xf0\x9f\x98\x80"}, {"status", "draft"}}).ok());
    REQUIRE(a->write(entityId(2), "task", {{"plan", plan.hex()}, {"name", "t"}, {"percent", 10}}).ok());
    REQUIRE(a->write(entityId(2), "task", "percent", 20).ok());
    auto local = a->pendingOps(100);
    REQUIRE(local.ok());
    std::vector<Op> ops = local.value();
    ops.push_back(makeOp(0x99, 1, plan, "plan", "title", "remote", kT - 5));

    ManualClock clockB;
    auto b = openReplica(dir.file("b.db"), fastOptions(clockB, 0xc2));
    std::vector<Op> reversed(ops.rbegin(), ops.rend());
    applyOps(*b, reversed);
    applyOps(*a, {ops.back()});
    const std::string da = dumpOf(*a);
    CHECK(da == dumpOf(*b));  // pending or not, local or remote: the same state
    auto parsed = parseJson(da);
    REQUIRE(parsed.ok());
    auto again = canonicalJson(parsed.value());
    REQUIRE(again.ok());
    CHECK(again.value() == da);
    CHECK(da.find("\xf0\x9f\x98\x80") != std::string::npos);

    REQUIRE(a->markAccepted(std::vector<std::string>{ops[0].idString()}).ok());
    CHECK(dumpOf(*a) == da);  // acceptance is not state
}
