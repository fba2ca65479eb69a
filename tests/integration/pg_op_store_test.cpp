// PgOpStore against a real PostgreSQL 15, held to what SqliteOpStore (core::Replica)
// does with the same ops: the same canonical dump whatever the order, the same reads,
// and batches and marks that undo what they should.

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "pg_shared_cluster.h"
#include "storage/pg/pg_op_store.h"
#include "storage/pg/pg_server_store.h"
#include "storage/sqlite_op_store.h"
#include "tandem/core/op.h"

using namespace tandem;

namespace {

/// A migrated database on the shared cluster, and an op store on it.
std::unique_ptr<server::PgOpStore> pgStore() {
    const std::string url = test::freshPgDatabase("ops");
    auto store = server::PgOpStore::open(url);
    REQUIRE(store);
    server::PgServerStore tables((*store)->db(), url);
    REQUIRE(tables.migrate());
    REQUIRE((*store)->reload());
    return std::move(*store);
}

struct SqliteStore {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("tandem-ops-" + std::to_string(std::random_device{}()));
    std::unique_ptr<server::SqliteOpStore> store;
    SqliteStore() {
        std::filesystem::create_directories(dir);
        auto opened = server::SqliteOpStore::open((dir / "tandem.db").string(), {core::systemWallClock(), false});
        REQUIRE(opened);
        store = std::move(*opened);
    }
    ~SqliteStore() {
        store.reset();
        std::filesystem::remove_all(dir);
    }
};

/// Ops from a few sites on two plans and their tasks, with clashing stamps and fields
/// written many times, so the merge has real decisions to make.
std::vector<core::Op> scriptOps(std::uint64_t seed, int count) {
    std::mt19937_64 rng(seed);
    const std::vector<core::EntityId> plans = {{1, 1}, {1, 2}};
    std::vector<core::EntityId> tasks;
    for (std::uint64_t i = 0; i < 6; ++i) tasks.push_back({2, i});
    std::map<std::uint64_t, std::uint64_t> nextN;
    std::vector<core::Op> ops;
    for (const auto& plan : plans) {
        core::Op op;
        op.site = core::SiteId{7};
        op.n = ++nextN[7];
        op.entity = plan;
        op.type = "plan";
        op.field = "title";
        op.value = "plan " + plan.hex().substr(28);
        op.hlc = core::Hlc{1000};
        ops.push_back(op);
    }
    for (int i = 0; i < count; ++i) {
        core::Op op;
        const std::uint64_t site = 1 + rng() % 4;
        op.site = core::SiteId{site};
        op.n = ++nextN[site];
        const bool task = rng() % 4 != 0;
        op.entity = task ? tasks[rng() % tasks.size()] : plans[rng() % plans.size()];
        op.type = task ? "task" : "plan";
        const int which = static_cast<int>(rng() % 4);
        if (task && which == 0) {
            op.field = "plan";
            op.value = plans[(op.entity.lo) % plans.size()].hex();
        } else if (which == 1) {
            op.field = "percent";
            op.value = static_cast<int>(rng() % 101);
        } else {
            op.field = "title";
            op.value = "t" + std::to_string(rng() % 50) + " 数据";
        }
        op.hlc = core::Hlc{1000 + rng() % 40};  // clashes on purpose
        ops.push_back(op);
    }
    return ops;
}

void applyAll(server::OpStore& store, const std::vector<core::Op>& ops) {
    auto batch = store.begin();
    REQUIRE(batch);
    std::int64_t seq = 0;
    for (core::Op op : ops) {
        op.seq = ++seq;
        auto outcome = (*batch)->apply(op);
        REQUIRE(outcome);
        REQUIRE(*outcome == core::ApplyOutcome::Applied);
    }
    REQUIRE((*batch)->commit());
}

std::vector<std::string> encoded(const std::vector<core::Op>& ops) {
    std::vector<std::string> out;
    for (const auto& op : ops) out.push_back(core::encodeOp(op, true).dump());
    return out;
}

}  // namespace

TEST_CASE("pg op store: the same ops in any order give the canonical dump the SQLite op store gives", "[pg][ops]") {
    const auto ops = scriptOps(42, 400);
    SqliteStore sqlite;
    applyAll(*sqlite.store, ops);
    auto expected = sqlite.store->dump();
    REQUIRE(expected);
    REQUIRE(expected->size() > 100);
    for (std::uint64_t seed : {1u, 2u}) {
        auto shuffled = ops;
        std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(seed));
        auto pg = pgStore();
        applyAll(*pg, shuffled);
        auto dump = pg->dump();
        REQUIRE(dump);
        CHECK(*dump == *expected);
    }
}

TEST_CASE("pg op store: reads, pulls, backfills and outcomes agree with the SQLite op store", "[pg][ops]") {
    const auto ops = scriptOps(7, 200);
    SqliteStore sqlite;
    auto pg = pgStore();
    applyAll(*sqlite.store, ops);
    applyAll(*pg, ops);
    server::OpStore& a = *sqlite.store;
    server::OpStore& b = *pg;

    const core::EntityId plan{1, 1};
    auto onlyPlan = [&](const std::optional<core::EntityId>& p) { return p == plan; };
    for (std::int64_t cursor : {0, 37, 150}) {
        for (std::size_t limit : {1u, 10u, 1000u}) {
            auto x = a.opsAfterSeq(cursor, limit, onlyPlan);
            auto y = b.opsAfterSeq(cursor, limit, onlyPlan);
            REQUIRE(x);
            REQUIRE(y);
            CHECK(encoded(*y) == encoded(*x));
            auto all = b.opsAfterSeq(cursor, limit, {});
            REQUIRE(all);
            CHECK(all->size() == std::min<std::size_t>(limit, ops.size() - static_cast<std::size_t>(cursor)));
        }
    }
    auto x = a.opsOfPlan(plan, 10, 120, 25);
    auto y = b.opsOfPlan(plan, 10, 120, 25);
    REQUIRE(x);
    REQUIRE(y);
    CHECK(encoded(*y) == encoded(*x));

    auto tasksA = a.entities("task", plan);
    auto tasksB = b.entities("task", plan);
    REQUIRE(tasksA);
    REQUIRE(tasksB);
    REQUIRE(tasksA->size() == tasksB->size());
    for (std::size_t i = 0; i < tasksA->size(); ++i) {
        CHECK((*tasksB)[i].id == (*tasksA)[i].id);
        CHECK((*tasksB)[i].type == (*tasksA)[i].type);
        CHECK((*tasksB)[i].plan == (*tasksA)[i].plan);
        CHECK((*tasksB)[i].fields.size() == (*tasksA)[i].fields.size());
    }
    auto entityB = b.entity(plan);
    REQUIRE(entityB);
    REQUIRE(*entityB);
    CHECK((*entityB)->type == "plan");
    auto fieldA = a.field(plan, "title");
    auto fieldB = b.field(plan, "title");
    REQUIRE(fieldA);
    REQUIRE(fieldB);
    REQUIRE(*fieldB);
    CHECK((*fieldB)->value == (*fieldA)->value);
    CHECK((*fieldB)->n == (*fieldA)->n);
    for (std::uint64_t site = 1; site <= 4; ++site) {
        auto highA = a.highestN(core::SiteId{site});
        auto highB = b.highestN(core::SiteId{site});
        REQUIRE(highA);
        REQUIRE(highB);
        CHECK(*highB == *highA);
        auto opA = a.storedOp(core::SiteId{site}, 1);
        auto opB = b.storedOp(core::SiteId{site}, 1);
        REQUIRE(opA);
        REQUIRE(opB);
        REQUIRE(*opB);
        CHECK(core::encodeOp(**opB, true).dump() == core::encodeOp(**opA, true).dump());
    }

    // The same op again is a duplicate; other content under its id a conflict.
    auto batch = b.begin();
    REQUIRE(batch);
    auto again = (*batch)->apply(ops[5]);
    REQUIRE(again);
    CHECK(*again == core::ApplyOutcome::Duplicate);
    core::Op other = ops[5];
    other.value = "something else";
    auto clash = (*batch)->apply(other);
    REQUIRE(clash);
    CHECK(*clash == core::ApplyOutcome::Conflict);
}

TEST_CASE("pg op store: a mark rewinds ops and server op numbers, and an uncommitted batch leaves nothing",
          "[pg][ops]") {
    auto pg = pgStore();
    const core::EntityId plan{9, 9};
    auto before = pg->dump();
    REQUIRE(before);
    {
        auto batch = pg->begin();
        REQUIRE(batch);
        core::Op kept = pg->stampLocal(plan, "plan", "title", "kept");
        kept.seq = 1;
        REQUIRE((*batch)->apply(kept));
        auto mark = (*batch)->mark();
        REQUIRE(mark);
        core::Op undone = pg->stampLocal(plan, "plan", "status", "draft");
        undone.seq = 2;
        REQUIRE((*batch)->apply(undone));
        REQUIRE((*mark)->rewind());
        core::Op next = pg->stampLocal(plan, "plan", "status", "in_progress");
        CHECK(next.n == undone.n);  // the rewound number is reused
        next.seq = 2;
        REQUIRE((*batch)->apply(next));
        REQUIRE((*batch)->commit());
    }
    auto field = pg->field(plan, "status");
    REQUIRE(field);
    REQUIRE(*field);
    CHECK((*field)->value == "in_progress");
    {
        auto batch = pg->begin();
        REQUIRE(batch);
        core::Op lost = pg->stampLocal(plan, "plan", "title", "never committed");
        lost.seq = 3;
        REQUIRE((*batch)->apply(lost));
    }  // rolled back
    auto title = pg->field(plan, "title");
    REQUIRE(title);
    REQUIRE(*title);
    CHECK((*title)->value == "kept");
    // Another connection finds the server's next op number after the stored ones.
    REQUIRE(pg->reload());
    auto high = pg->highestN(core::kServerSite);
    REQUIRE(high);
    CHECK(*high == 2);
    CHECK(pg->stampLocal(plan, "plan", "title", "x").n == 3);
}

TEST_CASE(
    "pg op store: an entity created under a rewound mark, or by a batch rolled back, is created again by the "
    "next write",
    "[pg][ops]") {
    // A batch remembers the entity rows it wrote; a rewind or a rollback must forget them.
    auto pg = pgStore();
    const core::EntityId planA{9, 1};
    const core::EntityId planB{9, 2};
    std::int64_t seq = 0;
    {
        auto batch = pg->begin();
        REQUIRE(batch);
        auto mark = (*batch)->mark();
        REQUIRE(mark);
        core::Op undone = pg->stampLocal(planA, "plan", "title", "undone");
        undone.seq = ++seq;
        REQUIRE((*batch)->apply(undone));
        REQUIRE((*mark)->rewind());
        seq = 0;
        core::Op again = pg->stampLocal(planA, "plan", "status", "draft");
        again.seq = ++seq;
        REQUIRE((*batch)->apply(again));
        REQUIRE((*batch)->commit());
    }
    {
        auto batch = pg->begin();
        REQUIRE(batch);
        core::Op lost = pg->stampLocal(planB, "plan", "title", "rolled back");
        lost.seq = seq + 1;
        REQUIRE((*batch)->apply(lost));
    }  // rolled back
    {
        auto batch = pg->begin();
        REQUIRE(batch);
        core::Op kept = pg->stampLocal(planB, "plan", "title", "kept");
        kept.seq = ++seq;
        REQUIRE((*batch)->apply(kept));
        REQUIRE((*batch)->commit());
    }
    for (const auto& [plan, field, value] :
         {std::make_tuple(planA, "status", "draft"), std::make_tuple(planB, "title", "kept")}) {
        auto entity = pg->entity(plan);
        REQUIRE(entity);
        REQUIRE(*entity);
        CHECK((*entity)->type == "plan");
        CHECK((*entity)->plan == plan);
        CHECK((*entity)->fields.count("title") == (plan == planB ? 1u : 0u));
        CHECK((*entity)->fields.at(field).value == value);
    }
    auto plans = pg->entities("plan");
    REQUIRE(plans);
    CHECK(plans->size() == 2);
}

TEST_CASE("pg op store: a second writer waits for the first to commit, so a pull never sees seq 2 without seq 1",
          "[pg][ops][cursor]") {
    // Push A takes seq 1 and holds its transaction open; push B starts after it and would
    // take seq 2 and could commit first. The advisory lock makes B wait inside begin()
    // until A is done, while a third client pulls.
    const std::string url = test::freshPgDatabase("cursor");
    auto a = server::PgOpStore::open(url);
    REQUIRE(a);
    {
        server::PgServerStore tables((*a)->db(), url);
        REQUIRE(tables.migrate());
    }
    auto b = server::PgOpStore::open(url);
    auto puller = server::PgOpStore::open(url);
    REQUIRE(b);
    REQUIRE(puller);
    const core::EntityId plan{5, 5};
    auto seqsSeen = [&] {
        auto ops = (*puller)->opsAfterSeq(0, 100, {});
        REQUIRE(ops);
        std::vector<std::int64_t> seqs;
        for (const auto& op : *ops) seqs.push_back(*op.seq);
        return seqs;
    };
    auto nextSeq = [](server::PgOpStore& store) {
        auto last = store.opsAfterSeq(0, 1000, {});
        REQUIRE(last);
        return last->empty() ? std::int64_t{1} : *last->back().seq + 1;
    };

    auto batchA = (*a)->begin();
    REQUIRE(batchA);
    core::Op opA = (*a)->stampLocal(plan, "plan", "title", "from A");
    opA.seq = nextSeq(**a);
    REQUIRE(*opA.seq == 1);
    REQUIRE((*batchA)->apply(opA));

    std::atomic<bool> bCommitted{false};
    std::int64_t seqB = 0;
    std::thread writerB([&] {
        auto batchB = (*b)->begin();  // waits for A
        if (!batchB) return;
        if (!(*b)->reload()) return;
        core::Op opB = (*b)->stampLocal(plan, "plan", "status", "draft");
        opB.seq = seqB = nextSeq(**b);
        if ((*batchB)->apply(opB) && (*batchB)->commit()) bCommitted = true;
    });
    // B is waiting on the lock (as PostgreSQL reports it), not running.
    const std::string db = url.substr(url.rfind('/') + 1);
    bool waiting = false;
    for (int i = 0; i < 500 && !waiting; ++i)
        waiting = test::sharedCluster().psql(
                      "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", db) == "1";
    CHECK(waiting);
    CHECK(seqsSeen().empty());  // nothing committed yet
    CHECK_FALSE(bCommitted);
    REQUIRE((*batchA)->commit());
    writerB.join();
    REQUIRE(bCommitted);
    CHECK(seqB == 2);
    CHECK(seqsSeen() == std::vector<std::int64_t>{1, 2});
}
