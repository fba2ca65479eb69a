#pragma once
// OpStore on PostgreSQL: the op log, entities, field state and superseded writes in the
// tables of pg_schema.h (version 2), merged by core::writeWins as core::Replica merges
// them, so both backends give the same canonical dump for the same ops. Owns the
// connection its PgServerStore shares (see db()).
//
// Write batches hold a transaction-level advisory lock from begin() to the end, so
// batches of every instance on the database take turns: seqs commit in seq order.
// Because nobody else writes while a batch holds the lock, a batch remembers the entity
// rows it wrote or read (type stamp and plan) and does not ask the database again; the
// memory is dropped at the next begin() and when a mark rewinds. An op costs one round
// trip (ops and fields rows in one prepared statement) plus one for an entity the batch
// has not met yet, and one more when it meets a stored field it must merge with.
// Thread contract: OpStore's (one thread at a time).

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <tuple>

#include "storage/op_store.h"
#include "storage/pg/pg_connection.h"
#include "tandem/core/hlc.h"

namespace tandem::server {

class PgOpStore final : public OpStore {
public:
    /// Connects to `url`; the schema must be migrated (PgServerStore::migrate) before
    /// reload() and any other call. Errors: unavailable.
    static core::Result<std::unique_ptr<PgOpStore>> open(const std::string& url,
                                                         core::WallClock wall = core::systemWallClock());

    /// The connection, for the PgServerStore that shares its transactions.
    pg::PgConnection& db() { return *m_db; }

    core::Result<std::optional<core::Entity>> entity(const core::EntityId& id) override;
    core::Result<std::vector<core::Entity>> entities(const std::string& type,
                                                     std::optional<core::EntityId> plan = {}) override;
    core::Result<std::unique_ptr<Batch>> begin() override;
    core::EntityId newEntityId() override;
    core::Op stampLocal(const core::EntityId& entity, const std::string& type, const std::string& field,
                        core::Json value) override;
    core::Result<std::optional<core::FieldValue>> field(const core::EntityId& id, const std::string& field) override;
    core::Result<std::vector<core::Op>> opsAfterSeq(
        std::int64_t cursor, std::size_t limit,
        const std::function<bool(const std::optional<core::EntityId>&)>& readable) override;
    core::Result<std::vector<core::Op>> opsOfPlan(const core::EntityId& plan, std::int64_t after, std::int64_t upto,
                                                  std::size_t limit) override;
    core::Result<std::optional<core::Op>> storedOp(const core::SiteId& site, std::uint64_t n) override;
    core::Result<std::uint64_t> highestN(const core::SiteId& site) override;
    core::Result<std::string> dump() override;
    /// Reads the server site's next n and the highest stored hlc again.
    core::Status reload() override;
    /// LISTEN on a connection of its own (reconnecting while the database is away);
    /// every batch commit NOTIFYs its head with this store's id, which it skips.
    void watchCommits(std::function<void(std::int64_t)> committed) override;
    ~PgOpStore() override;

private:
    friend class PgBatch;
    friend class PgMark;
    PgOpStore(std::unique_ptr<pg::PgConnection> db, std::string url, core::WallClock wall)
        : m_db(std::move(db)), m_url(std::move(url)), m_random(core::systemRandom()), m_clock(std::move(wall)) {
        m_id = core::hex16(m_random());
    }
    void stopWatching();
    core::Result<core::ApplyOutcome> apply(const core::Op& op, std::optional<core::EntityId> planHint, bool* won);
    core::Result<std::optional<core::EntityId>> ensureEntity(const core::Op& op, std::optional<core::EntityId> hint);

    /// An entity row as the current batch knows it: its plan and the stamp of its
    /// earliest write (which decides its type).
    struct KnownEntity {
        std::optional<core::EntityId> plan;
        std::tuple<core::Hlc, core::SiteId, std::uint64_t> first;
    };

    std::unique_ptr<pg::PgConnection> m_db;
    std::string m_url;
    std::string m_id;  // this store's id in commit notifications
    core::RandomSource m_random;
    core::HlcClock m_clock;
    std::uint64_t m_nextN = 1;
    int m_savepoints = 0;                           // names the next savepoint
    std::map<core::EntityId, KnownEntity> m_known;  // entity rows of the open batch

    std::thread m_watcher;
    std::atomic<bool> m_stopWatching{false};
};

}  // namespace tandem::server
