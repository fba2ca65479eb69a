#include "storage/sqlite_op_store.h"

namespace tandem::server {

using core::Result;
using core::Status;

namespace {

class SqliteMark final : public OpStore::Batch::Mark {
public:
    explicit SqliteMark(core::Replica::Batch::Mark mark) : m_mark(std::move(mark)) {}
    Status rewind() override { return m_mark.rewind(); }
    Status keep() override { return m_mark.keep(); }

private:
    core::Replica::Batch::Mark m_mark;
};

class SqliteBatch final : public OpStore::Batch {
public:
    explicit SqliteBatch(core::Replica::Batch batch) : m_batch(std::move(batch)) {}
    Result<core::ApplyOutcome> apply(const core::Op& op, std::optional<core::EntityId> planHint, bool* won) override {
        return m_batch.apply(op, std::move(planHint), won);
    }
    Status commit() override { return m_batch.commit(); }
    Result<std::unique_ptr<Mark>> mark() override {
        auto mark = m_batch.mark();
        if (!mark) return mark.error();
        return std::unique_ptr<Mark>(std::make_unique<SqliteMark>(std::move(*mark)));
    }

private:
    core::Replica::Batch m_batch;
};

}  // namespace

Result<std::unique_ptr<SqliteOpStore>> SqliteOpStore::open(const std::string& path, Options options) {
    core::ReplicaOptions replicaOptions;
    replicaOptions.wall = std::move(options.wall);
    replicaOptions.site = core::kServerSite;
    replicaOptions.durable = options.durable;
    replicaOptions.indexOpsByPlan = true;  // backfills of newly readable plans
    auto replica = core::Replica::open(path, replicaOptions);
    if (!replica) return replica.error();
    std::unique_ptr<SqliteOpStore> store(new SqliteOpStore(std::move(*replica)));
    // Checkpoint the WAL every ~40 MiB instead of every 4 MiB: pages written by many
    // commits in between (index edges, the counters) reach the database file once. The
    // checkpoint runs on a thread of its own, beside the syncs.
    auto checkpointer = WalCheckpointer::start(store->db(), path, 10'000, 50'000);
    if (!checkpointer) return checkpointer.error();
    store->m_checkpointer = std::move(*checkpointer);
    return store;
}

SqliteOpStore::~SqliteOpStore() {
    m_checkpointer.reset();
}

Result<std::optional<core::Entity>> SqliteOpStore::entity(const core::EntityId& id) {
    return m_replica->entity(id);
}

Result<std::vector<core::Entity>> SqliteOpStore::entities(const std::string& type, std::optional<core::EntityId> plan) {
    return m_replica->entities(type, std::move(plan));
}

Result<std::unique_ptr<OpStore::Batch>> SqliteOpStore::begin() {
    auto batch = m_replica->begin();
    if (!batch) return batch.error();
    return std::unique_ptr<Batch>(std::make_unique<SqliteBatch>(std::move(*batch)));
}

core::EntityId SqliteOpStore::newEntityId() {
    return m_replica->newEntityId();
}

core::Op SqliteOpStore::stampLocal(const core::EntityId& entity, const std::string& type, const std::string& field,
                                   core::Json value) {
    return m_replica->stampLocal(entity, type, field, std::move(value));
}

Result<std::optional<core::FieldValue>> SqliteOpStore::field(const core::EntityId& id, const std::string& field) {
    return m_replica->field(id, field);
}

Result<std::vector<core::Op>> SqliteOpStore::opsAfterSeq(
    std::int64_t cursor, std::size_t limit, const std::function<bool(const std::optional<core::EntityId>&)>& readable) {
    return m_replica->opsAfterSeq(cursor, limit, readable);
}

Result<std::vector<core::Op>> SqliteOpStore::opsOfPlan(const core::EntityId& plan, std::int64_t after,
                                                       std::int64_t upto, std::size_t limit) {
    return m_replica->opsOfPlan(plan, after, upto, limit);
}

Result<std::optional<core::Op>> SqliteOpStore::storedOp(const core::SiteId& site, std::uint64_t n) {
    return m_replica->storedOp(site, n);
}

Result<std::uint64_t> SqliteOpStore::highestN(const core::SiteId& site) {
    return m_replica->highestN(site);
}

Result<std::string> SqliteOpStore::dump() {
    return m_replica->dump();
}

Status SqliteOpStore::reload() {
    return m_replica->reload();
}

std::string SqliteOpStore::metricsText() const {
    return "# HELP tandem_wal_checkpoints_total WAL checkpoints, by the thread that ran them.\n"
           "# TYPE tandem_wal_checkpoints_total counter\n"
           "tandem_wal_checkpoints_total{thread=\"background\"} " +
           std::to_string(m_checkpointer->backgroundCount()) +
           "\n"
           "tandem_wal_checkpoints_total{thread=\"commit\"} " +
           std::to_string(m_checkpointer->inlineCount()) + "\n";
}

}  // namespace tandem::server
