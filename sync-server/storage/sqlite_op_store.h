#pragma once
// OpStore on a core::Replica (the SQLite file DIR/tandem.db, WAL): the same class and
// merge the clients use, with the server's site 0 and the op log indexed by plan for
// backfills. Owns the WAL checkpointer that runs beside the writes.
//
// Seq order is commit order here by construction: SQLite has one writer at a time, and
// the service assigns seqs inside its write transaction.
// Thread contract: OpStore's (one thread at a time).

#include <memory>
#include <string>

#include "storage/op_store.h"
#include "storage/wal_checkpointer.h"
#include "tandem/core/hlc.h"

namespace tandem::server {

class SqliteOpStore final : public OpStore {
public:
    struct Options {
        core::WallClock wall = core::systemWallClock();
        bool durable = true;  // synchronous=FULL
    };
    /// Opens or creates the replica at `path` (errors: Replica::open's: cant_open,
    /// foreign_file, corrupt, newer_version) and starts its checkpointer.
    static core::Result<std::unique_ptr<SqliteOpStore>> open(const std::string& path, Options options);
    ~SqliteOpStore() override;

    /// The connection, for the SqliteServerStore that shares its transactions.
    core::Database& db() { return m_replica->db(); }

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
    core::Status reload() override;
    /// WAL checkpoints, by the thread that ran them.
    std::string metricsText() const override;

private:
    explicit SqliteOpStore(std::unique_ptr<core::Replica> replica) : m_replica(std::move(replica)) {}
    std::unique_ptr<core::Replica> m_replica;
    // After the replica, so it is destroyed first: it hooks into the replica's connection.
    std::unique_ptr<WalCheckpointer> m_checkpointer;
};

}  // namespace tandem::server
