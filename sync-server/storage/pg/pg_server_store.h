#pragma once
// ServerStore on PostgreSQL (the same tables as SqliteServerStore's, in pg_schema.h),
// on a connection it shares with the op store so a sync's rows commit with its ops.
//
// Several instances on one database: accountsVersion() reads a counter row that every
// account change moves in its transaction, on a connection of its own; changedElsewhere()
// compares the seq head with the last one this store wrote or saw, because everything
// the service caches (principals, plan read facts, access log, the server's op counter,
// the head) follows ops, and every op moves the head.
// Thread contract: ServerStore's; accountsVersion() may be called from any thread.

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "storage/pg/pg_connection.h"
#include "storage/server_store.h"

namespace tandem::server {

class PgServerStore final : public ServerStore {
public:
    /// `db` must outlive the store; `url` is where it is connected, for the reader.
    PgServerStore(pg::PgConnection& db, std::string url) : m_db(db), m_url(std::move(url)) {}

    /// The schema version this build writes (pg::kMigrations.size()).
    static std::int64_t schemaVersion();
    /// Applies the missing migrations in one transaction, under an advisory lock (one
    /// instance migrates, the others wait and find nothing left to do). A database at a
    /// newer version is refused (newer_version) and left untouched. Also the point from
    /// which changedElsewhere() counts.
    Status migrate() override;

    Result<std::optional<Account>> accountByUsername(const std::string& username) override;
    Result<std::optional<Account>> accountByMember(const EntityId& member) override;
    Status insertAccount(const Account& account) override;
    Status setPasswordHash(const EntityId& member, const std::string& hash) override;
    Status setDisabled(const EntityId& member, bool disabled) override;
    Result<std::int64_t> accountsVersion() override;
    Status bumpAccountsVersion() override;
    Result<LoginRecord> loginRecord(const std::string& username, const std::string& usernameKey,
                                    const std::string& addressKey, std::int64_t sinceMs) override;
    Status recordLoginFailure(const std::string& usernameKey, const std::string& addressKey, std::int64_t atMs,
                              std::int64_t forgetUpToMs) override;
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
    Result<std::optional<Account>> accountWhere(const char* sql, const std::string& key);
    Result<std::vector<StoredAuditEntry>> auditRows(const pg::PgResult& rows);

    pg::PgConnection& m_db;
    std::string m_url;
    std::optional<std::int64_t> m_seenSeq;  // the seq head as last written or seen here

    std::mutex m_readerMutex;  // guards m_reader
    std::unique_ptr<pg::PgConnection> m_reader;
};

}  // namespace tandem::server
