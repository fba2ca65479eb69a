#pragma once
// ServerStore on the replica's own SQLite connection (tables prefixed `srv_`), so the
// server's tables commit in the same transactions as the ops they go with.

#include <memory>
#include <mutex>

#include "storage/server_store.h"
#include "tandem/core/sqlite.h"

namespace tandem::server {

class SqliteServerStore final : public ServerStore {
public:
    /// `db` must outlive the store (it is the Replica's connection to `path`).
    SqliteServerStore(core::Database& db, std::string path) : m_db(db), m_path(std::move(path)) {}

    /// The server tables' schema version this build writes (table srv_schema; 0: a
    /// file from before versions, or a new one).
    static constexpr std::int64_t kSchemaVersion = 2;
    /// Brings the tables to kSchemaVersion in one transaction. A database at a newer
    /// version is refused (newer_version) and left untouched.
    Status migrate() override;

    Result<std::optional<Account>> accountByUsername(const std::string& username) override;
    Result<std::optional<Account>> accountByMember(const EntityId& member) override;
    Status insertAccount(const Account& account) override;
    Status setPasswordHash(const EntityId& member, const std::string& hash) override;
    Status setDisabled(const EntityId& member, bool disabled) override;
    /// Read on a connection of its own (WAL: never waits for a writer), under its own lock.
    Result<std::int64_t> accountsVersion() override;
    Status bumpAccountsVersion() override;
    Result<LoginRecord> loginRecord(const std::string& username, const std::string& usernameKey,
                                    const std::string& addressKey, std::int64_t sinceMs) override;
    Status recordLoginFailure(const std::string& usernameKey, const std::string& addressKey, std::int64_t atMs,
                              std::int64_t forgetUpToMs) override;
    /// PRAGMA data_version of the store's connection.
    Result<bool> changedElsewhere() override;

    Status insertSession(const std::string& tokenHash, const EntityId& member, std::int64_t createdMs,
                         std::int64_t expiresMs) override;
    Result<std::optional<SessionRecord>> session(const std::string& tokenHash) override;
    Status deleteSession(const std::string& tokenHash) override;
    Status deleteSessionsOf(const EntityId& member) override;

    Result<std::optional<SiteRecord>> site(const SiteId& site) override;
    Status upsertSite(const SiteRecord& record) override;
    Result<std::vector<SiteRecord>> sites() override;
    Result<std::map<EntityId, Backfill>> backfills(const SiteId& site) override;
    Status setBackfill(const SiteId& site, const EntityId& plan, const Backfill& backfill) override;
    Status deleteBackfill(const SiteId& site, const EntityId& plan) override;
    Result<std::optional<PendingAck>> pendingAck(const SiteId& site) override;
    Status setPendingAck(const SiteId& site, const PendingAck& pending) override;
    Status deletePendingAck(const SiteId& site) override;

    Result<std::vector<AccessChange>> accessChanges(std::int64_t afterSeq) override;
    Status appendAccessChange(const AccessChange& change) override;

    Result<std::int64_t> counter(const std::string& name) override;
    Status setCounter(const std::string& name, std::int64_t value) override;

    Status appendAudit(const StoredAuditEntry& entry) override;
    Result<std::vector<StoredAuditEntry>> auditAfter(std::int64_t after, std::size_t limit) override;
    Result<std::vector<StoredAuditEntry>> auditOfPlan(const EntityId& plan, std::int64_t after,
                                                      std::size_t limit) override;
    Result<std::pair<std::int64_t, std::string>> auditHead() override;
    Status setAuditHead(std::int64_t count, const std::string& hash) override;

    Result<std::int64_t> databaseBytes() override;

private:
    Result<std::int64_t> schemaVersion();
    Result<std::optional<Account>> accountWhere(const char* sql, const std::string& key);
    Result<std::vector<StoredAuditEntry>> auditQuery(core::Statement& stmt);

    core::Database& m_db;
    std::string m_path;
    std::optional<std::int64_t> m_dataVersion;  // as of the last changedElsewhere()

    std::mutex m_readerMutex;  // guards m_reader
    std::unique_ptr<core::Database> m_reader;
};

}  // namespace tandem::server
