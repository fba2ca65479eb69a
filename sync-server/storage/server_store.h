#pragma once
// The server's own tables beside the replica (accounts, sessions, sites, the op-id
// index, per-site read access, counters and the audit log), behind an interface so a
// PostgreSQL backend can follow. Only storage: no merge or permission logic here.
//
// Transactions: methods never open a transaction of their own. Writes that must be
// atomic with replica ops run inside the OpStore's Batch (same connection); single
// writes outside one are committed on their own.
// Thread contract: one thread at a time (the service holds its lock).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/core/audit_chain.h"
#include "tandem/core/ids.h"
#include "tandem/core/result.h"

namespace tandem::server {

using core::EntityId;
using core::Result;
using core::SiteId;
using core::Status;

struct Account {
    EntityId member;
    std::string username;
    std::string passwordHash;  // encoded by tandem/core/password.h, never a password
    bool disabled = false;
};

struct SessionRecord {
    EntityId member;
    std::int64_t expiresMs = 0;
};

struct SiteRecord {
    SiteId site;
    std::optional<EntityId> member;      // the first member that pushed from it
    std::optional<EntityId> lastMember;  // the member of the last sync
    std::int64_t lastSync = 0;           // ms; 0 = never
    std::int64_t lastPush = 0;           // ms; 0 = never
    // What the site could read when it last synced (DESIGN §5: newly readable plans are
    // delivered whole, lost ones announced as `revoked`): the reader it synced as, as
    // encoded by the service, and the server seq its access was last settled at.
    std::string reader;  // empty: never settled
    std::int64_t accessSeq = 0;
};

/// A plan that became readable to a site: its ops with seq in (done, upto] are still
/// to be delivered (later ones come with the ordinary pull).
struct Backfill {
    std::int64_t upto = 0;
    std::int64_t done = 0;
};

/// A change of who may read a plan (its owner, lead or participating departments),
/// made by the op with server seq `seq`. `before` is the plan's read facts just before
/// the change, as the service encodes them; null when the plan did not exist.
struct AccessChange {
    std::int64_t seq = 0;
    EntityId plan;
    std::string before;
};

/// An answer that carried backfill ops or `revoked` to a site that speaks acks (DESIGN
/// §5, acknowledged pages), kept until the site's next sync says whether it arrived.
/// `backfills`: the backfill state once that answer is applied (done == upto: the plan
/// is complete); `revoked`: the notices it announced, retired only by the ack.
struct PendingAck {
    std::string token;
    std::map<EntityId, Backfill> backfills;
    std::vector<EntityId> revoked;
};

/// A PendingAck's lists as both backends store them, JSON text: backfills
/// [[plan, upto, done], …], revoked [plan, …]. One codec, so a row written by one backend
/// reads the same in the other (tandem-server migrate copies them verbatim).
struct PendingAckText {
    std::string backfills;
    std::string revoked;
};
PendingAckText encodePendingAck(const PendingAck& pending);
/// `corrupt` when either list does not decode; the token is the caller's.
Result<PendingAck> decodePendingAck(std::string token, std::string_view backfills, std::string_view revoked);

/// Failed logins recorded under one key since a time: how many, and the oldest (ms; 0
/// when none), which says when the window frees a slot.
struct FailureWindow {
    std::int64_t count = 0;
    std::int64_t oldestMs = 0;
};

/// What a login reads before its password check, in one round trip: the account, and the
/// failed logins of its username key and address key (LoginThrottle's) in the window, as
/// every instance on the database recorded them.
struct LoginRecord {
    std::optional<Account> account;
    FailureWindow byUsername;
    FailureWindow byAddress;
};

struct StoredAuditEntry {
    core::AuditEntry entry;
    std::optional<EntityId> plan;  // for ?plan= listings; not part of the hashed entry
};

class ServerStore {
public:
    virtual ~ServerStore() = default;

    /// Brings the tables to the schema version of this build, in one transaction;
    /// refuses a database written by a newer build (newer_version, with a message that
    /// names both versions) and leaves it untouched.
    virtual Status migrate() = 0;

    // accounts
    virtual Result<std::optional<Account>> accountByUsername(const std::string& username) = 0;
    virtual Result<std::optional<Account>> accountByMember(const EntityId& member) = 0;
    virtual Status insertAccount(const Account& account) = 0;
    virtual Status setPasswordHash(const EntityId& member, const std::string& hash) = 0;
    virtual Status setDisabled(const EntityId& member, bool disabled) = 0;
    /// The version of the accounts, which every account change moves in its own
    /// transaction (bumpAccountsVersion), in this process or another (`tandem-server
    /// user …`, another instance). Unlike the rest of the store it is thread-safe: the
    /// service reads it on every authenticated request, without its lock, to drop the
    /// sessions it caches once someone changed an account.
    virtual Result<std::int64_t> accountsVersion() = 0;
    virtual Status bumpAccountsVersion() = 0;

    // failed logins (shared by every instance on the database; LoginThrottle's keys)
    /// The account of `username` and the failures of both keys after `sinceMs`.
    virtual Result<LoginRecord> loginRecord(const std::string& username, const std::string& usernameKey,
                                            const std::string& addressKey, std::int64_t sinceMs) = 0;
    /// Records a failed login under both keys at `atMs`, committed on its own, and forgets
    /// the failures at or before `forgetUpToMs` (out of every window).
    virtual Status recordLoginFailure(const std::string& usernameKey, const std::string& addressKey, std::int64_t atMs,
                                      std::int64_t forgetUpToMs) = 0;

    /// Whether another connection (another process) committed to the database since the
    /// last call: the service then reloads whatever it caches from it. The first call
    /// says false.
    virtual Result<bool> changedElsewhere() = 0;

    // sessions (keyed by the SHA-256 of the token)
    virtual Status insertSession(const std::string& tokenHash, const EntityId& member, std::int64_t createdMs,
                                 std::int64_t expiresMs) = 0;
    virtual Result<std::optional<SessionRecord>> session(const std::string& tokenHash) = 0;
    virtual Status deleteSession(const std::string& tokenHash) = 0;
    virtual Status deleteSessionsOf(const EntityId& member) = 0;

    // sites and freshness
    virtual Result<std::optional<SiteRecord>> site(const SiteId& site) = 0;
    virtual Status upsertSite(const SiteRecord& record) = 0;
    virtual Result<std::vector<SiteRecord>> sites() = 0;
    virtual Result<std::map<EntityId, Backfill>> backfills(const SiteId& site) = 0;
    virtual Status setBackfill(const SiteId& site, const EntityId& plan, const Backfill& backfill) = 0;
    virtual Status deleteBackfill(const SiteId& site, const EntityId& plan) = 0;
    virtual Result<std::optional<PendingAck>> pendingAck(const SiteId& site) = 0;
    virtual Status setPendingAck(const SiteId& site, const PendingAck& pending) = 0;
    virtual Status deletePendingAck(const SiteId& site) = 0;

    // changes of read access to plans, in seq order
    virtual Result<std::vector<AccessChange>> accessChanges(std::int64_t afterSeq) = 0;
    virtual Status appendAccessChange(const AccessChange& change) = 0;

    // named counters (the server sequence head, the server site's op counter, flags)
    virtual Result<std::int64_t> counter(const std::string& name) = 0;  // 0 when unset
    virtual Status setCounter(const std::string& name, std::int64_t value) = 0;

    // audit log; the head (count and last hash) is kept apart so truncation shows
    virtual Status appendAudit(const StoredAuditEntry& entry) = 0;
    virtual Result<std::vector<StoredAuditEntry>> auditAfter(std::int64_t after, std::size_t limit) = 0;
    virtual Result<std::vector<StoredAuditEntry>> auditOfPlan(const EntityId& plan, std::int64_t after,
                                                              std::size_t limit) = 0;
    virtual Result<std::pair<std::int64_t, std::string>> auditHead() = 0;  // (count, hash); (0, zeros)
    virtual Status setAuditHead(std::int64_t count, const std::string& hash) = 0;

    /// Bytes used by the database, for metrics.
    virtual Result<std::int64_t> databaseBytes() = 0;
};

}  // namespace tandem::server
